//! POST /auth/login: credentials, and throttling per phone and per client address.

use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn login_with_the_right_password_returns_a_fresh_token_pair() {
    let app = spawn().await;
    let (phone, registered) = app.register_rider().await;
    let res = app.login(&phone, PASSWORD).await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-store"));
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["user"]["id"], registered["user"]["id"]);
    assert_eq!(body["user"]["phone"], phone);
    assert_ne!(
        refresh_token(&body),
        refresh_token(&registered),
        "each login is a new session"
    );
    assert_eq!(
        app.get("/api/v1/me", Some(token(&body))).await.status(),
        200
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_phone_get_the_same_401() {
    let app = spawn().await;
    let (phone, _) = app.register_rider().await;
    let wrong = assert_problem(
        app.login(&phone, "not-my-password").await,
        401,
        "invalid_credentials",
    )
    .await;
    let unknown = assert_problem(
        app.login(&random_phone(), PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(
        wrong, unknown,
        "the answer must not reveal whether the phone is registered"
    );
    assert_problem(app.login(&phone, "").await, 401, "invalid_credentials").await;
    assert_problem(
        app.login(&phone, &"x".repeat(129)).await,
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn login_with_a_malformed_phone_or_extra_field_is_422() {
    let app = spawn().await;
    let problem =
        assert_problem(app.login("12345", PASSWORD).await, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["phone"]);
    let body = json!({"phone": random_phone(), "password": PASSWORD, "remember": true});
    let problem = assert_problem(
        app.post("/api/v1/auth/login", None, body).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["remember"]);
}

fn retry_after(res: &reqwest::Response) -> u64 {
    header(res, "retry-after")
        .expect("Retry-After header")
        .parse()
        .expect("Retry-After in seconds")
}

#[tokio::test]
async fn failed_logins_per_phone_are_throttled_even_for_the_right_password() {
    let app = spawn_with(|s| {
        s.auth.login_max_failures_per_phone = 3;
        s.auth.login_window_secs = 600;
    })
    .await;
    let (phone, _) = app.register_rider().await;
    for _ in 0..3 {
        assert_problem(
            app.login(&phone, "wrong-password-1").await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    let res = app.login(&phone, "wrong-password-1").await;
    let wait = retry_after(&res);
    assert!((1..=600).contains(&wait), "Retry-After {wait}");
    assert_problem(res, 429, "rate_limited").await;

    let res = app.login(&phone, PASSWORD).await;
    assert!(retry_after(&res) > 0);
    assert_problem(res, 429, "rate_limited").await;

    // Only that phone is locked: another account from the same address still signs in.
    let (other, _) = app.register_rider().await;
    assert_eq!(app.login(&other, PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn unknown_phones_are_throttled_too() {
    let app = spawn_with(|s| s.auth.login_max_failures_per_phone = 2).await;
    let phone = random_phone();
    for _ in 0..2 {
        assert_problem(
            app.login(&phone, PASSWORD).await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    assert_problem(app.login(&phone, PASSWORD).await, 429, "rate_limited").await;
}

#[tokio::test]
async fn a_successful_login_clears_the_phone_failure_count() {
    let app = spawn_with(|s| s.auth.login_max_failures_per_phone = 3).await;
    let (phone, _) = app.register_rider().await;
    for _ in 0..2 {
        assert_problem(
            app.login(&phone, "wrong-password-1").await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    assert_eq!(app.login(&phone, PASSWORD).await.status(), 200);
    // Two more failures: 2 < 3 again only if the earlier ones were forgotten.
    for _ in 0..2 {
        assert_problem(
            app.login(&phone, "wrong-password-1").await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    assert_eq!(app.login(&phone, PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn attempts_per_client_address_are_throttled_across_phones() {
    let app = spawn_with(|s| {
        s.auth.login_max_attempts_per_ip = 3;
        s.auth.login_window_secs = 300;
    })
    .await;
    let (phone, _) = app.register_rider().await;
    for _ in 0..3 {
        // A different phone each time: no per-phone limit is near.
        assert_problem(
            app.login(&random_phone(), "wrong-password-1").await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    let res = app.login(&phone, PASSWORD).await;
    let wait = retry_after(&res);
    assert!((1..=300).contains(&wait), "Retry-After {wait}");
    assert_problem(res, 429, "rate_limited").await;
    // Registration is not a login attempt and is not throttled by it.
    assert_eq!(
        app.register(register_body(&random_phone())).await.status(),
        201
    );
}
