use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde_json::{json, Value};

use super::stand_in::{app_with_sms, Mode};
use super::{ask, code_login, code_row, forget_resend_gap, other_code};
use crate::helpers::{assert_problem, error_fields, random_phone};

#[tokio::test]
async fn a_new_phone_logs_in_by_code_as_a_new_rider() {
    let (app, sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let phone = random_phone();
    assert_eq!(ask(&app, &phone, "login").await.status(), 202);
    assert_eq!(app.user_count().await, 0, "asking creates nothing");
    let res = code_login(&app, &phone, &sms.last_code(&phone)).await;
    assert_eq!(res.status(), 200);
    let tokens: Value = res.json().await.unwrap();
    assert_eq!(tokens["user"]["role"], "rider");
    assert_eq!(tokens["user"]["display_name"], "骑手");
    assert_eq!(tokens["user"]["phone"], phone.as_str());
    assert_eq!(tokens["token_type"], "Bearer");
    let me = app.get("/api/v1/me", tokens["access_token"].as_str()).await;
    assert_eq!(me.status(), 200);
    assert_eq!(app.user_count().await, 1);
    // The next code login is the same account, not another one.
    forget_resend_gap(&app, &phone).await;
    ask(&app, &phone, "login").await;
    let again: Value = code_login(&app, &phone, &sms.last_code(&phone))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["user"]["id"], tokens["user"]["id"]);
    assert_eq!(app.user_count().await, 1);
}

#[tokio::test]
async fn a_new_rider_may_bring_a_name_and_a_language() {
    let (app, sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let phone = random_phone();
    ask(&app, &phone, "login").await;
    let res = app
        .post(
            "/api/v1/auth/login/code",
            None,
            json!({"phone": phone, "code": sms.last_code(&phone), "display_name": "Li Wei", "locale": "en"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let tokens: Value = res.json().await.unwrap();
    assert_eq!(tokens["user"]["display_name"], "Li Wei");
    assert_eq!(tokens["user"]["locale"], "en");
}

#[tokio::test]
async fn a_registered_rider_logs_in_by_code() {
    let (app, sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let (phone, registered) = app.register_rider().await;
    ask(&app, &phone, "login").await;
    let res = code_login(&app, &phone, &sms.last_code(&phone)).await;
    assert_eq!(res.status(), 200);
    let tokens: Value = res.json().await.unwrap();
    assert_eq!(tokens["user"]["id"], registered["user"]["id"]);
    assert_eq!(app.user_count().await, 1);
}

#[tokio::test]
async fn wrong_expired_used_and_exhausted_codes_fail_alike() {
    let (app, sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let generic = |b: &Value| (b["code"].clone(), b["detail"].clone());
    let phone = random_phone();

    // Never asked for.
    let never = assert_problem(
        code_login(&app, &phone, "123456").await,
        422,
        "invalid_code",
    )
    .await;

    // Wrong, then right (a wrong try does not kill the code), then used again.
    ask(&app, &phone, "login").await;
    let code = sms.last_code(&phone);
    let wrong = assert_problem(
        code_login(&app, &phone, &other_code(&code)).await,
        422,
        "invalid_code",
    )
    .await;
    assert_eq!(code_login(&app, &phone, &code).await.status(), 200);
    let reused = assert_problem(code_login(&app, &phone, &code).await, 422, "invalid_code").await;

    // Expired: the row says so (no waiting).
    forget_resend_gap(&app, &phone).await;
    ask(&app, &phone, "login").await;
    let code = sms.last_code(&phone);
    let mut row = code_row(&app, &phone, "login")
        .await
        .unwrap()
        .into_active_model();
    row.expires_at = Set(chrono::Utc::now() - chrono::Duration::seconds(1));
    row.update(&app.state.db).await.unwrap();
    let expired = assert_problem(code_login(&app, &phone, &code).await, 422, "invalid_code").await;

    // Five wrong tries use the code up: the right one fails on the sixth.
    forget_resend_gap(&app, &phone).await;
    ask(&app, &phone, "login").await;
    let code = sms.last_code(&phone);
    for _ in 0..5 {
        assert_problem(
            code_login(&app, &phone, &other_code(&code)).await,
            422,
            "invalid_code",
        )
        .await;
    }
    let exhausted =
        assert_problem(code_login(&app, &phone, &code).await, 422, "invalid_code").await;
    assert_eq!(code_row(&app, &phone, "login").await.unwrap().attempts, 5);

    for b in [&wrong, &reused, &expired, &exhausted] {
        assert_eq!(generic(b), generic(&never));
    }
    // One success only: the first.
    assert_eq!(app.user_count().await, 1);
}

#[tokio::test]
async fn a_new_code_replaces_the_old_one() {
    let (app, sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let phone = random_phone();
    ask(&app, &phone, "login").await;
    let first = sms.last_code(&phone);
    forget_resend_gap(&app, &phone).await;
    ask(&app, &phone, "login").await;
    let second = sms.last_code(&phone);
    if first != second {
        assert_problem(code_login(&app, &phone, &first).await, 422, "invalid_code").await;
    }
    assert_eq!(code_login(&app, &phone, &second).await.status(), 200);
}

#[tokio::test]
async fn a_reset_code_does_not_log_in() {
    let (app, sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let (phone, _) = app.register_rider().await;
    ask(&app, &phone, "reset_password").await;
    let res = code_login(&app, &phone, &sms.last_code(&phone)).await;
    assert_problem(res, 422, "invalid_code").await;
}

#[tokio::test]
async fn malformed_codes_name_the_field() {
    let (app, _sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let res = code_login(&app, "139", "12ab").await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&body), ["code", "phone"]);
}
