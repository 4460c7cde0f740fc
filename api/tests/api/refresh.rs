//! POST /auth/refresh and /auth/logout: rotation, reuse detection revoking the family, logout.

use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn refresh_rotates_the_pair_and_spends_the_old_refresh_token() {
    let app = spawn().await;
    let (_, first) = app.register_rider().await;
    let res = app.refresh(refresh_token(&first)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-store"));
    let second: Value = res.json().await.unwrap();
    assert_ne!(refresh_token(&second), refresh_token(&first));
    assert_eq!(second["token_type"], "Bearer");
    assert_eq!(second["user"]["id"], first["user"]["id"]);
    assert_eq!(
        app.get("/api/v1/me", Some(token(&second))).await.status(),
        200
    );

    // The new refresh token rotates again.
    let third: Value = app
        .refresh(refresh_token(&second))
        .await
        .json()
        .await
        .unwrap();
    assert!(third["refresh_token"].is_string(), "{third}");
}

#[tokio::test]
async fn reusing_a_spent_refresh_token_revokes_the_whole_family() {
    let app = spawn().await;
    let (_, first) = app.register_rider().await;
    let second: Value = app
        .refresh(refresh_token(&first))
        .await
        .json()
        .await
        .unwrap();

    let res = app.refresh(refresh_token(&first)).await;
    assert_problem(res, 401, "refresh_token_reused").await;
    // Whoever holds the newer token (maybe the thief) is out too.
    let res = app.refresh(refresh_token(&second)).await;
    assert_problem(res, 401, "invalid_refresh_token").await;
    // And the spent one stays spent.
    assert_eq!(app.refresh(refresh_token(&first)).await.status(), 401);
}

#[tokio::test]
async fn reuse_revokes_only_that_family_not_the_users_other_sessions() {
    let app = spawn().await;
    let (phone, first) = app.register_rider().await;
    let other: Value = app.login(&phone, PASSWORD).await.json().await.unwrap();
    app.refresh(refresh_token(&first)).await;
    assert_problem(
        app.refresh(refresh_token(&first)).await,
        401,
        "refresh_token_reused",
    )
    .await;
    assert_eq!(
        app.refresh(refresh_token(&other)).await.status(),
        200,
        "the other device's session survives"
    );
}

#[tokio::test]
async fn logout_revokes_the_session() {
    let app = spawn().await;
    let (phone, tokens) = app.register_rider().await;
    let second: Value = app
        .refresh(refresh_token(&tokens))
        .await
        .json()
        .await
        .unwrap();
    let other: Value = app.login(&phone, PASSWORD).await.json().await.unwrap();

    let res = app
        .post(
            "/api/v1/auth/logout",
            None,
            json!({"refresh_token": refresh_token(&second)}),
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_problem(
        app.refresh(refresh_token(&second)).await,
        401,
        "invalid_refresh_token",
    )
    .await;
    // Another session of the same user is untouched.
    assert_eq!(app.refresh(refresh_token(&other)).await.status(), 200);
}

#[tokio::test]
async fn logout_is_idempotent_and_unknown_tokens_are_harmless() {
    let app = spawn().await;
    let (_, tokens) = app.register_rider().await;
    for _ in 0..2 {
        let res = app
            .post(
                "/api/v1/auth/logout",
                None,
                json!({"refresh_token": refresh_token(&tokens)}),
            )
            .await;
        assert_eq!(res.status(), 204);
    }
    let res = app
        .post(
            "/api/v1/auth/logout",
            None,
            json!({"refresh_token": "never-issued"}),
        )
        .await;
    assert_eq!(res.status(), 204);
    let res = app.post("/api/v1/auth/logout", None, json!({})).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["refresh_token"]);
}

#[tokio::test]
async fn an_unknown_or_malformed_refresh_token_is_401() {
    let app = spawn().await;
    app.register_rider().await;
    for bogus in ["", "not-a-token", &"A".repeat(43)] {
        assert_problem(app.refresh(bogus).await, 401, "invalid_refresh_token").await;
    }
    // An access token is not a refresh token.
    let (_, tokens) = app.register_rider().await;
    assert_problem(
        app.refresh(token(&tokens)).await,
        401,
        "invalid_refresh_token",
    )
    .await;
    let problem = assert_problem(
        app.post("/api/v1/auth/refresh", None, json!({"refresh_token": 7}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["refresh_token"]);
}
