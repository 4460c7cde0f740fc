//! Inputs a careless or hostile client sends: a broken credential on a public route, tokens
//! from the future, invisible characters in names, a body that never arrives, values in the
//! wrong field.

use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{assert_problem, claims_for, mint, spawn, test_jwt_secret};

#[actix_web::test]
async fn a_bad_credential_is_401_on_public_routes_too() {
    let app = spawn().await;
    let (_, tokens) = app.register_rider().await;
    let token = crate::helpers::token(&tokens).to_string();
    let user = tokens["user"].clone();
    let near = "/api/v1/stations/nearby?lat=31.2235&lng=121.4452";
    let now = chrono::Utc::now().timestamp();
    let mut future_iat = claims_for(&user);
    future_iat["iat"] = json!(now + 3600);
    let mut future_nbf = claims_for(&user);
    future_nbf["nbf"] = json!(now + 3600);
    let secret = test_jwt_secret();
    for (label, value) in [
        ("garbage bearer", "Bearer not-a-token".to_string()),
        ("basic", "Basic dXNlcjpwYXNz".to_string()),
        ("empty bearer", "Bearer ".to_string()),
        (
            "forged",
            format!(
                "Bearer {}",
                mint(&claims_for(&user), b"wrong-secret-wrong-secret-wrong!")
            ),
        ),
        (
            "future iat",
            format!("Bearer {}", mint(&future_iat, secret.as_bytes())),
        ),
        (
            "future nbf",
            format!("Bearer {}", mint(&future_nbf, secret.as_bytes())),
        ),
    ] {
        for path in [near, "/api/v1/regions", "/api/v1/lessons"] {
            let res = app
                .client
                .get(app.url(path))
                .header("Authorization", &value)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 401, "{label} on {path}");
        }
        // Routes that use the caller refuse them as before.
        let res = app
            .client
            .get(app.url("/api/v1/me"))
            .header("Authorization", &value)
            .send()
            .await
            .unwrap();
        assert_problem(res, 401, "unauthorized").await;
    }
    // A good token and no token both still work; sign-in ignores a stale header.
    assert_eq!(app.get(near, Some(&token)).await.status(), 200);
    assert_eq!(app.get(near, None).await.status(), 200);
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("Authorization", "Bearer stale")
        .json(&json!({"phone": "13900000000", "password": "whatever-it-is"}))
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), 500);
    assert_ne!(
        res.headers()
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap().to_string()),
        Some("stale".into())
    );
}

#[actix_web::test]
async fn names_with_direction_overrides_or_zero_width_characters_are_refused() {
    let app = spawn().await;
    let (_, tokens) = app.register_rider().await;
    let token = crate::helpers::token(&tokens).to_string();
    for name in [
        "\u{202E}nimda",
        "小\u{200B}王",
        "\u{2066}站长\u{2069}",
        "\u{FEFF}王",
    ] {
        let res = app
            .patch("/api/v1/me", Some(&token), json!({"display_name": name}))
            .await;
        let body = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["code"], "invalid_characters", "{name:?}");
        let res = app
            .register(json!({"phone": crate::helpers::random_phone(),
                "password": crate::helpers::PASSWORD, "display_name": name}))
            .await;
        assert_problem(res, 422, "validation_failed").await;
    }
}

#[actix_web::test]
async fn a_body_shorter_than_its_length_is_cut_off() {
    let app = spawn().await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"phone\":"
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(30), conn.read(&mut answer))
        .await
        .expect("the server answers instead of waiting forever")
        .unwrap();
    let text = String::from_utf8_lossy(&answer[..n]);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("request_timeout"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[actix_web::test]
async fn a_value_in_the_wrong_field_is_not_echoed() {
    let app = spawn().await;
    let res = app
        .register(
            json!({"phone": 13911112222u64, "password": "ride-safe-2026", "display_name": "x"}),
        )
        .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "phone");
    assert!(!body.to_string().contains("13911112222"), "{body}");
    let (_, tokens) = app.register_rider().await;
    let token = crate::helpers::token(&tokens).to_string();
    let res = app
        .post(
            "/api/v1/help-requests",
            Some(&token),
            json!({"category": "老板欠薪三个月", "description": "x"}),
        )
        .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert!(!body.to_string().contains("老板欠薪"), "{body}");
}
