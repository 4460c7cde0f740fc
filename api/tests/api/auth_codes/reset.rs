use serde_json::{json, Value};

use super::stand_in::{app_with_sms, Mode};
use super::{ask, other_code};
use crate::helpers::{assert_problem, error_fields, random_phone, refresh_token, PASSWORD};

const NEW_PASSWORD: &str = "night-shift-bowl-2027";

#[tokio::test]
async fn a_reset_sets_the_password_and_ends_every_other_session() {
    let (app, sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let (phone, first) = app.register_rider().await;
    let second: Value = app.login(&phone, PASSWORD).await.json().await.unwrap();

    assert_eq!(ask(&app, &phone, "reset_password").await.status(), 202);
    let res = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            json!({"phone": phone, "code": sms.last_code(&phone), "new_password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let fresh: Value = res.json().await.unwrap();
    assert_eq!(fresh["user"]["id"], first["user"]["id"]);

    // Old sessions are over: refresh tokens revoked, access tokens void.
    for old in [&first, &second] {
        assert_problem(
            app.refresh(refresh_token(old)).await,
            401,
            "invalid_refresh_token",
        )
        .await;
        let me = app.get("/api/v1/me", old["access_token"].as_str()).await;
        assert_eq!(me.status(), 401);
    }
    // The new one works, and so does the new password; the old one does not.
    assert_eq!(
        app.get("/api/v1/me", fresh["access_token"].as_str())
            .await
            .status(),
        200
    );
    assert_eq!(app.refresh(refresh_token(&fresh)).await.status(), 200);
    assert_eq!(app.login(&phone, NEW_PASSWORD).await.status(), 200);
    assert_problem(
        app.login(&phone, PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_phone_fails_like_a_wrong_code_and_creates_nothing() {
    let (app, sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let (registered, _) = app.register_rider().await;
    let unknown = random_phone();
    ask(&app, &unknown, "reset_password").await;
    ask(&app, &registered, "reset_password").await;
    let reset = |phone: &str, code: String| {
        app.post(
            "/api/v1/auth/password-reset",
            None,
            json!({"phone": phone, "code": code, "new_password": NEW_PASSWORD}),
        )
    };
    let a = assert_problem(
        reset(&unknown, sms.last_code(&unknown)).await,
        422,
        "invalid_code",
    )
    .await;
    let code = sms.last_code(&registered);
    let b = assert_problem(
        reset(&registered, other_code(&code)).await,
        422,
        "invalid_code",
    )
    .await;
    assert_eq!(a, b);
    assert_eq!(app.user_count().await, 1);
    // A login code does not reset.
    super::forget_resend_gap(&app, &registered).await;
    ask(&app, &registered, "login").await;
    assert_problem(
        reset(&registered, sms.last_code(&registered)).await,
        422,
        "invalid_code",
    )
    .await;
}

#[tokio::test]
async fn the_register_password_rules_apply() {
    let (app, sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let (phone, _) = app.register_rider().await;
    ask(&app, &phone, "reset_password").await;
    let code = sms.last_code(&phone);
    for weak in ["short", "password123", phone.as_str()] {
        let res = app
            .post(
                "/api/v1/auth/password-reset",
                None,
                json!({"phone": phone, "code": code, "new_password": weak}),
            )
            .await;
        let body = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&body), ["new_password"], "{weak}");
    }
    // Rejected input spent no try: the code still works.
    let res = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            json!({"phone": phone, "code": code, "new_password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 200);
}
