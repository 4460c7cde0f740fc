//! Small truths: an outage is a 503, a QR code never carries a client's headers, a closed
//! event stream gives its slot back at once.

use std::time::Duration;

use serde_json::Value;
use warmnew::help::events::MAX_STREAMS_PER_USER;

use crate::helpers::*;

#[tokio::test]
async fn a_database_outage_during_station_creation_is_503_not_an_unknown_region() {
    let app = spawn().await;
    // The same rules over a database that stopped answering (its pool closed).
    let down = match std::env::var("TEST_DATABASE_URL") {
        Ok(url) => sea_orm::Database::connect(url).await.unwrap(),
        Err(_) => sea_orm::Database::connect("sqlite::memory:").await.unwrap(),
    };
    down.close_by_ref().await.unwrap();
    let mut state = app.state.clone();
    state.db = down;
    let body: warmnew::stations::dto::CreateStation =
        serde_json::from_value(station_body("停电驿站", 31.23, 121.47)).unwrap();
    let err = warmnew::stations::service::create(&state, &admin_user(), body)
        .await
        .expect_err("the database is down");
    assert_eq!(err.code, warmnew::error::Code::ServiceUnavailable, "{err}");
    assert!(
        err.errors.is_empty(),
        "no field is blamed: {:?}",
        err.errors
    );
    assert!(err.retry_after.is_some());
    // Over HTTP the same error is a 503 with Retry-After.
    use actix_web::ResponseError;
    let res = err.error_response();
    assert_eq!(res.status(), 503);
    assert!(res.headers().contains_key("retry-after"));
}

async fn checkin_url(app: &TestApp, id: &str, token: &str, headers: &[(&str, &str)]) -> String {
    let mut req = app
        .client
        .get(app.url(&format!("/api/v1/stations/{id}/checkin-code")))
        .bearer_auth(token);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let url = body["checkin_url"].as_str().unwrap().to_string();
    assert!(!body["qr_svg"].as_str().unwrap().is_empty());
    url
}

const EVIL: [(&str, &str); 3] = [
    ("x-forwarded-host", "evil.example"),
    ("x-forwarded-proto", "javascript"),
    ("forwarded", "host=evil.example;proto=javascript"),
];

#[tokio::test]
async fn the_checkin_qr_url_ignores_headers_a_client_can_set() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let id = app
        .create_station(&admin, station_body("二维码驿站", 31.23, 121.47))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let url = checkin_url(&app, &id, &admin, &EVIL).await;
    assert!(
        url.starts_with(&format!("{}/checkin/{id}?code=", app.base)),
        "{url}"
    );
    assert!(
        !url.contains("evil") && !url.contains("javascript"),
        "{url}"
    );
    // The poster prints the same URL.
    let res = app
        .client
        .get(app.url(&format!("/api/v1/stations/{id}/poster")))
        .bearer_auth(&admin)
        .header("x-forwarded-host", "evil.example")
        .send()
        .await
        .unwrap();
    assert!(!res.text().await.unwrap().contains("evil.example"));
}

#[tokio::test]
async fn the_checkin_qr_url_comes_from_the_public_url_or_a_trusted_proxy() {
    let app = spawn_with(|s| s.public_url = Some("https://zhan.example.cn/".into())).await;
    let admin = app.admin_token().await;
    let id = app
        .create_station(&admin, station_body("公网驿站", 31.23, 121.47))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let url = checkin_url(&app, &id, &admin, &EVIL).await;
    assert!(
        url.starts_with(&format!("https://zhan.example.cn/checkin/{id}?code=")),
        "{url}"
    );

    let app = spawn_with(|s| s.trust_forwarded_for = true).await;
    let admin = app.admin_token().await;
    let id = app
        .create_station(&admin, station_body("代理驿站", 31.23, 121.47))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let proxied = [
        ("x-forwarded-host", "stations.example.cn"),
        ("x-forwarded-proto", "https"),
    ];
    let url = checkin_url(&app, &id, &admin, &proxied).await;
    assert!(
        url.starts_with("https://stations.example.cn/checkin/"),
        "{url}"
    );
    // Even behind a trusted proxy, a scheme that is not http(s) or a host with a path is
    // never used.
    let url = checkin_url(
        &app,
        &id,
        &admin,
        &[
            ("x-forwarded-host", "evil.example/x"),
            ("x-forwarded-proto", "javascript"),
        ],
    )
    .await;
    assert!(url.starts_with(&format!("{}/checkin/", app.base)), "{url}");
}

/// Opens `GET /events` and reads its first frame, so the server holds the slot.
async fn open_stream(app: &TestApp, token: &str) -> reqwest::Response {
    let mut res = app.get("/api/v1/events", Some(token)).await;
    assert_eq!(res.status(), 200, "on {}", backend());
    let first = tokio::time::timeout(Duration::from_secs(5), res.chunk())
        .await
        .expect("first frame")
        .unwrap();
    assert!(first.is_some());
    res
}

#[tokio::test]
async fn a_closed_event_stream_frees_its_slot_at_once_not_at_the_next_ping() {
    // The default keep-alive: the server writes only every 15 s.
    let app = spawn().await;
    assert!(app.state.settings.events_ping_ms >= 15_000);
    let rider = app.rider_token().await;
    let mut open = Vec::new();
    for _ in 0..MAX_STREAMS_PER_USER {
        open.push(open_stream(&app, &rider).await);
    }
    assert_problem(
        app.get("/api/v1/events", Some(&rider)).await,
        429,
        "rate_limited",
    )
    .await;
    // The phone goes away (its connection closes) and reconnects.
    drop(open.pop());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    loop {
        let res = app.get("/api/v1/events", Some(&rider)).await;
        if res.status() == 200 {
            let mut res = res;
            assert!(res.chunk().await.unwrap().is_some());
            break;
        }
        assert_eq!(res.status(), 429);
        assert!(
            tokio::time::Instant::now() < deadline,
            "the closed stream's slot was not freed within 3 s on {}",
            backend()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
