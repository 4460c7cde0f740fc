//! The request line and headers must arrive within `http_client_request_timeout_ms`
//! (slowloris holds a connection by never finishing them); the setting is honoured.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;

#[actix_web::test]
async fn unfinished_headers_are_cut_off_at_the_setting() {
    let app = spawn_with(|s| s.http_client_request_timeout_ms = 300).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
    conn.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ").as_bytes())
        .await
        .unwrap();
    let started = Instant::now();
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), conn.read(&mut answer))
        .await
        .expect("the server gives up on the headers")
        .unwrap_or(0);
    let text = String::from_utf8_lossy(&answer[..n]);
    assert!(n == 0 || text.starts_with("HTTP/1.1 408"), "{text}");
    // The default (5 s) would still be waiting.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
