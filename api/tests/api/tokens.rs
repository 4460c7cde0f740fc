//! Access tokens: anything but a current, correctly signed HS256 token for an existing user is
//! 401 `unauthorized`. Every forged token is checked against a control minted the same way
//! that does work, so a failure means the one thing changed, not a broken minter.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD as B64, Engine};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde_json::{json, Value};

use crate::helpers::*;

async fn me_status(app: &TestApp, token: &str) -> u16 {
    app.get("/api/v1/me", Some(token)).await.status().as_u16()
}

async fn assert_rejected(app: &TestApp, token: &str, what: &str) {
    let res = app.get("/api/v1/me", Some(token)).await;
    assert_eq!(res.status(), 401, "{what} was accepted on {}", backend());
    assert_problem(res, 401, "unauthorized").await;
}

/// A rider and claims equal to what the app would issue for them.
async fn rider_claims(app: &TestApp) -> Value {
    let (_, tokens) = app.register_rider().await;
    let claims = claims_for(&tokens["user"]);
    assert_eq!(
        me_status(app, &mint(&claims, test_jwt_secret().as_bytes())).await,
        200,
        "control token"
    );
    claims
}

#[tokio::test]
async fn a_missing_token_is_401_unauthorized() {
    let app = spawn().await;
    let res = app.get("/api/v1/me", None).await;
    assert_problem(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn an_expired_token_is_401_beyond_the_30s_leeway() {
    let app = spawn().await;
    let mut claims = rider_claims(&app).await;
    let now = chrono::Utc::now().timestamp();
    claims["iat"] = json!(now - 1000);
    claims["exp"] = json!(now - 60);
    assert_rejected(
        &app,
        &mint(&claims, test_jwt_secret().as_bytes()),
        "expired token",
    )
    .await;
}

#[tokio::test]
async fn a_token_signed_with_another_key_is_401() {
    let app = spawn().await;
    let claims = rider_claims(&app).await;
    let forged = mint(&claims, b"some-other-secret-that-is-32-bytes-long!");
    assert_rejected(&app, &forged, "other-key token").await;
}

#[tokio::test]
async fn an_alg_none_token_is_401() {
    let app = spawn().await;
    let claims = rider_claims(&app).await;
    let header = B64.encode(json!({"alg": "none", "typ": "JWT"}).to_string());
    let body = B64.encode(claims.to_string());
    assert_rejected(&app, &format!("{header}.{body}."), "alg:none token").await;
    // Same claims, HS256 header, signature stripped.
    let signed = mint(&claims, test_jwt_secret().as_bytes());
    let unsigned = signed.rsplit_once('.').unwrap().0.to_string() + ".";
    assert_rejected(&app, &unsigned, "unsigned token").await;
}

#[tokio::test]
async fn a_token_missing_or_with_a_wrong_aud_iss_or_claim_is_401() {
    let app = spawn().await;
    let claims = rider_claims(&app).await;
    let secret = test_jwt_secret();
    for field in ["aud", "iss", "sub", "exp", "iat", "role", "token_version"] {
        let mut c = claims.clone();
        c.as_object_mut().unwrap().remove(field);
        assert_rejected(
            &app,
            &mint(&c, secret.as_bytes()),
            &format!("token without {field}"),
        )
        .await;
    }
    for (field, value) in [
        ("aud", json!("someone-else")),
        ("iss", json!("evil")),
        ("role", json!("admin")),
    ] {
        let mut c = claims.clone();
        c[field] = value.clone();
        assert_rejected(
            &app,
            &mint(&c, secret.as_bytes()),
            &format!("token with {field}={value}"),
        )
        .await;
    }
}

#[tokio::test]
async fn garbage_and_non_bearer_authorization_are_401() {
    let app = spawn().await;
    let (_, tokens) = app.register_rider().await;
    let good = token(&tokens);
    for garbage in ["garbage", "a.b.c", "", "e30.e30.e30"] {
        let res = app
            .client
            .get(app.url("/api/v1/me"))
            .header("authorization", format!("Bearer {garbage}"))
            .send()
            .await
            .unwrap();
        assert_problem(res, 401, "unauthorized").await;
    }
    for value in [
        format!("Basic {good}"),
        format!("Token {good}"),
        good.to_string(),
        "Bearer".to_string(),
    ] {
        let res = app
            .client
            .get(app.url("/api/v1/me"))
            .header("authorization", value.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "{value:.12}…");
        assert_problem(res, 401, "unauthorized").await;
    }
    // The scheme is case-insensitive (RFC 7235).
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", format!("bearer {good}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_token_stays_invalid_after_its_user_is_deleted_even_if_the_phone_returns() {
    let app = spawn().await;
    let (phone, tokens) = app.register_rider().await;
    let old = token(&tokens).to_string();
    assert_eq!(app.delete("/api/v1/me", Some(&old)).await.status(), 204);
    assert_rejected(&app, &old, "token of a deleted user").await;
    assert_eq!(app.register(register_body(&phone)).await.status(), 201);
    assert_rejected(&app, &old, "token of a deleted user after re-registration").await;
}

#[tokio::test]
async fn a_role_change_or_token_version_bump_voids_outstanding_tokens() {
    let app = spawn().await;
    let (phone, tokens) = app.register_rider().await;
    let t = token(&tokens).to_string();
    let row = app.user_row(&phone).await.unwrap();

    let mut active = row.clone().into_active_model();
    active.token_version = Set(row.token_version + 1);
    active.update(&app.state.db).await.unwrap();
    assert_rejected(&app, &t, "token with an old token_version").await;

    let (phone2, tokens2) = app.register_rider().await;
    let t2 = token(&tokens2).to_string();
    let mut active = app.user_row(&phone2).await.unwrap().into_active_model();
    active.role = Set("staff".into());
    active.update(&app.state.db).await.unwrap();
    assert_rejected(&app, &t2, "token issued for a different role").await;
}

/// No route is admin-only yet, so the guard is checked directly: the wrong role is a 403
/// problem naming the roles that would do.
#[test]
fn the_role_guard_admits_listed_roles_and_refuses_others_with_403() {
    use actix_web::ResponseError;
    use warmnew::auth::{AuthUser, Role};
    let user = |role| AuthUser {
        id: uuid::Uuid::now_v7(),
        role,
        station_id: None,
        region_code: None,
    };
    assert!(user(Role::Admin).require(&[Role::Admin]).is_ok());
    assert!(user(Role::Staff)
        .require(&[Role::Staff, Role::Admin])
        .is_ok());
    let err = user(Role::Rider)
        .require(&[Role::Staff, Role::Admin])
        .unwrap_err();
    assert_eq!(err.status_code(), 403);
    let problem = err.problem();
    assert_eq!(problem.code, "forbidden");
    assert!(
        problem.detail.contains("staff") && problem.detail.contains("admin"),
        "{}",
        problem.detail
    );
}
