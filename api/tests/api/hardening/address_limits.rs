//! Limits per client address (register, check-ins, redemption codes, help requests) answered
//! as problem+json 429 with Retry-After and the RateLimit headers; an SOS is never refused.
//! Argon2 work is bounded: with every hashing slot taken a login gets 503 + Retry-After.

use serde_json::{json, Value};

use crate::helpers::*;

async fn assert_limited(res: reqwest::Response, quota: u64) {
    let policy = header(&res, "ratelimit-policy").expect("RateLimit-Policy");
    assert_eq!(policy, format!("\"limit\";q={quota};w=3600"));
    let left = header(&res, "ratelimit").expect("RateLimit");
    assert!(left.starts_with("\"limit\";r=0;t="), "{left}");
    let retry: u64 = header(&res, "retry-after").unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry), "{retry}");
    assert_problem(res, 429, "rate_limited").await;
}

#[actix_web::test]
async fn registrations_from_one_address_are_limited() {
    let app = spawn_with(|s| s.limits.register_per_hour = 3).await;
    for _ in 0..3 {
        app.register_rider().await;
    }
    let before = app.user_count().await;
    let res = app.register(register_body(&random_phone())).await;
    assert_limited(res, 3).await;
    assert_eq!(app.user_count().await, before, "nothing created");
}

#[actix_web::test]
async fn check_ins_and_redemption_codes_from_one_address_are_limited() {
    let app = spawn_with(|s| {
        s.limits.check_ins_per_hour = 2;
        s.limits.redemption_codes_per_hour = 2;
    })
    .await;
    let admin = app.admin_token().await;
    let station = app
        .create_station(&admin, station_body("限流驿站", 31.2235, 121.4452))
        .await;
    let id = station["id"].as_str().unwrap();
    let code: Value = app
        .get(&format!("/api/v1/stations/{id}/checkin-code"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let code = code["code"].as_str().unwrap().to_string();
    let path = format!("/api/v1/stations/{id}/check-ins");
    for _ in 0..2 {
        let rider = app.rider_token().await;
        let res = app.post(&path, Some(&rider), json!({"code": code})).await;
        assert_eq!(res.status(), 201);
    }
    let rider = app.rider_token().await;
    let before = app.check_in_count().await;
    let res = app.post(&path, Some(&rider), json!({"code": code})).await;
    assert_limited(res, 2).await;
    assert_eq!(app.check_in_count().await, before);

    for _ in 0..2 {
        let res = app
            .post("/api/v1/me/redemption-codes", Some(&rider), json!({}))
            .await;
        assert_eq!(res.status(), 201);
    }
    let other = app.rider_token().await;
    let res = app
        .post("/api/v1/me/redemption-codes", Some(&other), json!({}))
        .await;
    assert_limited(res, 2).await;
}

#[actix_web::test]
async fn help_requests_from_one_address_are_limited_but_never_an_sos() {
    let app = spawn_with(|s| s.limits.help_requests_per_hour = 2).await;
    let normal = json!({"category": "other", "description": "想咨询一下"});
    for _ in 0..2 {
        let rider = app.rider_token().await;
        let res = app
            .post("/api/v1/help-requests", Some(&rider), normal.clone())
            .await;
        assert_eq!(res.status(), 201);
    }
    let rider = app.rider_token().await;
    let res = app
        .post("/api/v1/help-requests", Some(&rider), normal)
        .await;
    assert_limited(res, 2).await;
    let sos = json!({"category": "medical", "urgency": "sos", "description": "摔倒了",
        "lat": 31.2235, "lng": 121.4452});
    let res = app.post("/api/v1/help-requests", Some(&rider), sos).await;
    assert_eq!(res.status(), 201, "an SOS passes every limit");
}

#[actix_web::test]
async fn a_login_waits_for_a_hashing_slot_then_gets_503() {
    let app = spawn_with(|s| {
        s.auth.argon2_max_concurrent = 1;
        s.auth.argon2_queue_ms = 50;
    })
    .await;
    let (phone, _) = app.register_rider().await;
    let held = app.state.passwords.acquire().await.unwrap();
    let res = app.login(&phone, PASSWORD).await;
    assert_eq!(header(&res, "retry-after").as_deref(), Some("1"));
    assert_problem(res, 503, "service_unavailable").await;
    drop(held);
    assert_eq!(app.login(&phone, PASSWORD).await.status(), 200);
}
