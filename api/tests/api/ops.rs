//! /healthz, /readyz, /metrics and the two-step graceful shutdown.

use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::*;

/// What /readyz must say about the cache on this run.
fn expected_cache() -> &'static str {
    if std::env::var("TEST_REDIS_URL").is_ok() {
        "ok"
    } else {
        "disabled"
    }
}

#[tokio::test]
async fn healthz_is_200_ok() {
    let app = spawn().await;
    let res = app.get("/healthz", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"status": "ok"}));
}

#[tokio::test]
async fn readyz_reports_database_and_cache() {
    let app = spawn().await;
    let res = app.get("/readyz", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-store"));
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body,
        json!({"status": "ready", "database": "ok", "cache": expected_cache()}),
        "on {}",
        backend()
    );
}

#[tokio::test]
async fn metrics_are_prometheus_text_counting_requests() {
    let app = spawn().await;
    assert_eq!(app.get("/api/v1/regions", None).await.status(), 200);
    let res = app.get("/metrics", None).await;
    assert_eq!(res.status(), 200);
    let ct = header(&res, "content-type").unwrap_or_default();
    assert!(ct.starts_with("text/plain"), "{ct}");
    let text = res.text().await.unwrap();
    assert!(
        text.contains("# TYPE warmnew_http_requests_total counter"),
        "{text}"
    );
    let line = text
        .lines()
        .find(|l| {
            l.starts_with("warmnew_http_requests_total{")
                && l.contains(r#"endpoint="/api/v1/regions""#)
        })
        .unwrap_or_else(|| panic!("no counter for /api/v1/regions in:\n{text}"));
    assert!(
        line.contains(r#"method="GET""#) && line.contains(r#"status="200""#),
        "{line}"
    );
    assert!(line.ends_with(" 1"), "exactly one request counted: {line}");
}

#[tokio::test]
async fn metrics_do_not_explode_on_unmatched_paths() {
    let app = spawn().await;
    for i in 0..3 {
        app.get(&format!("/api/v1/nope-{i}"), None).await;
    }
    let text = app.get("/metrics", None).await.text().await.unwrap();
    assert!(
        !text.contains("nope-"),
        "unmatched paths must be masked, not one series each"
    );
}

#[tokio::test]
async fn shutdown_flips_readiness_first_then_closes_the_listener() {
    let app = spawn().await;
    assert_eq!(app.get("/readyz", None).await.status(), 200);

    app.handle.begin();
    let res = app.get("/readyz", None).await;
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "shutting_down");
    assert_eq!(body["database"], "ok");
    // Still alive and still serving while the load balancer drains.
    assert_eq!(app.get("/healthz", None).await.status(), 200);
    assert_eq!(app.get("/api/v1/regions", None).await.status(), 200);

    tokio::time::timeout(Duration::from_secs(10), app.handle.finish())
        .await
        .expect("shutdown finishes promptly");
    let fresh = reqwest::Client::new();
    let err = fresh
        .get(app.url("/healthz"))
        .send()
        .await
        .expect_err("the listener is closed");
    assert!(err.is_connect() || err.is_request(), "{err}");
}
