//! Ending a session ends its access tokens at once, not when they expire: logout, refresh-token
//! reuse, logout-all. Keys rotate with `kid`: the previous key still works, an unknown one not.

use serde_json::{json, Value};

use crate::helpers::*;

async fn me_status(app: &TestApp, access: &str) -> u16 {
    app.get("/api/v1/me", Some(access)).await.status().as_u16()
}

fn access(v: &Value) -> String {
    token(v).to_string()
}

#[actix_web::test]
async fn logout_ends_that_sessions_access_token_and_no_other() {
    let app = spawn().await;
    let (phone, first) = app.register_rider().await;
    let second: Value = app.login(&phone, PASSWORD).await.json().await.unwrap();
    assert_eq!(me_status(&app, &access(&first)).await, 200);

    let res = app
        .post(
            "/api/v1/auth/logout",
            None,
            json!({"refresh_token": refresh_token(&first)}),
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(me_status(&app, &access(&first)).await, 401, "logged out");
    assert_eq!(
        me_status(&app, &access(&second)).await,
        200,
        "the phone's other session stays"
    );
}

#[actix_web::test]
async fn refresh_token_reuse_ends_every_access_token_of_the_user() {
    let app = spawn().await;
    let (_, first) = app.register_rider().await;
    let rotated: Value = app
        .refresh(refresh_token(&first))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me_status(&app, &access(&rotated)).await, 200);

    // The old refresh token again: someone holds a copy.
    let res = app.refresh(refresh_token(&first)).await;
    assert_problem(res, 401, "refresh_token_reused").await;
    assert_eq!(me_status(&app, &access(&first)).await, 401);
    assert_eq!(
        me_status(&app, &access(&rotated)).await,
        401,
        "the thief's too"
    );
    let res = app.refresh(refresh_token(&rotated)).await;
    assert_eq!(res.status(), 401);
}

#[actix_web::test]
async fn logout_all_ends_every_session_on_every_device() {
    let app = spawn().await;
    let (phone, first) = app.register_rider().await;
    let second: Value = app.login(&phone, PASSWORD).await.json().await.unwrap();

    let res = app.post("/api/v1/auth/logout-all", None, json!({})).await;
    assert_problem(res, 401, "unauthorized").await;
    let res = app
        .post("/api/v1/auth/logout-all", Some(&access(&first)), json!({}))
        .await;
    assert_eq!(res.status(), 204);
    for tokens in [&first, &second] {
        assert_eq!(me_status(&app, &access(tokens)).await, 401);
        assert_eq!(app.refresh(refresh_token(tokens)).await.status(), 401);
    }
    let row = app.user_row(&phone).await.unwrap();
    assert_eq!(row.token_version, 1);
    // Logging in again works and starts fresh.
    let again: Value = app.login(&phone, PASSWORD).await.json().await.unwrap();
    assert_eq!(me_status(&app, &access(&again)).await, 200);
}

const OLD_SECRET: &str = "the-key-before-rotation-0123456789abcdef";

#[actix_web::test]
async fn tokens_of_the_previous_key_work_during_rotation_and_unknown_kids_do_not() {
    let app = spawn_with(|s| {
        s.jwt_previous_secret = Some(secrecy::SecretString::from(OLD_SECRET));
    })
    .await;
    let (_, tokens) = app.register_rider().await;
    let claims = claims_for(&tokens["user"]);
    let old = mint(&claims, OLD_SECRET.as_bytes());
    assert_eq!(
        me_status(&app, &old).await,
        200,
        "signed before the rotation"
    );
    assert_eq!(me_status(&app, &access(&tokens)).await, 200, "current key");
    let stranger = mint(&claims, b"a-key-this-server-never-had-0123456789");
    assert_eq!(me_status(&app, &stranger).await, 401, "unknown kid");

    // Once the previous key is retired, its tokens stop.
    let retired = spawn().await;
    let (_, tokens) = retired.register_rider().await;
    let old = mint(&claims_for(&tokens["user"]), OLD_SECRET.as_bytes());
    assert_eq!(me_status(&retired, &old).await, 401);
}
