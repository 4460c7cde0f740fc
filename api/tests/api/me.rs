//! GET/PATCH/DELETE /me and GET /me/export.

use serde_json::{json, Value};
use warmnew::auth::Role;

use crate::helpers::*;

async fn me(app: &TestApp, token: &str) -> Value {
    let res = app.get("/api/v1/me", Some(token)).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn get_me_returns_the_full_own_profile() {
    let app = spawn().await;
    let (phone, tokens) = app.register_rider().await;
    let body = me(&app, token(&tokens)).await;
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "created_at",
            "display_name",
            "id",
            "locale",
            "phone",
            "phone_masked",
            "region_code",
            "role",
            "station_id"
        ]
    );
    assert_eq!(body["phone"], phone);
    assert_eq!(
        body["phone_masked"],
        format!("{}****{}", &phone[..3], &phone[7..])
    );
    assert_eq!(body["role"], "rider");
    assert_eq!(body["locale"], "zh-CN");
    assert_eq!(body["id"], tokens["user"]["id"]);
    assert!(body["region_code"].is_null() && body["station_id"].is_null());
    assert!(chrono::DateTime::parse_from_rfc3339(body["created_at"].as_str().unwrap()).is_ok());
}

#[tokio::test]
async fn staff_see_their_region_code() {
    let app = spawn().await;
    let staff = app.user_with_role(Role::Staff, Some("310106")).await;
    let body = me(&app, token(&staff)).await;
    assert_eq!(body["role"], "staff");
    assert_eq!(body["region_code"], "310106");
}

#[tokio::test]
async fn patch_me_changes_display_name_and_locale_and_it_persists() {
    let app = spawn().await;
    let (phone, tokens) = app.register_rider().await;
    let t = token(&tokens);
    let res = app
        .patch(
            "/api/v1/me",
            Some(t),
            json!({"display_name": "  老李  ", "locale": "en"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (&body["display_name"], &body["locale"]),
        (&json!("老李"), &json!("en"))
    );

    let again = me(&app, t).await;
    assert_eq!(
        (&again["display_name"], &again["locale"]),
        (&json!("老李"), &json!("en"))
    );
    let row = app.user_row(&phone).await.unwrap();
    assert_eq!(
        (row.display_name.as_str(), row.locale.as_str()),
        ("老李", "en")
    );

    // One field at a time leaves the other alone.
    let body: Value = app
        .patch("/api/v1/me", Some(t), json!({"locale": "zh-CN"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (&body["display_name"], &body["locale"]),
        (&json!("老李"), &json!("zh-CN"))
    );
}

#[tokio::test]
async fn patch_me_with_role_is_422_and_the_role_is_unchanged() {
    let app = spawn().await;
    let (phone, tokens) = app.register_rider().await;
    let t = token(&tokens);
    let res = app
        .patch(
            "/api/v1/me",
            Some(t),
            json!({"display_name": "想当管理员", "role": "admin"}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["role"]);
    assert_eq!(error_code(&problem, "role"), "unknown_field");

    let after = me(&app, t).await;
    assert_eq!(after["role"], "rider");
    assert_eq!(
        after["display_name"], "测试骑手",
        "nothing of the rejected body was applied"
    );
    assert_eq!(app.user_row(&phone).await.unwrap().role, "rider");
}

#[tokio::test]
async fn patch_me_rejects_bad_values_without_a_partial_write() {
    let app = spawn().await;
    let (_, tokens) = app.register_rider().await;
    let t = token(&tokens);
    let cases = [
        (json!({"locale": "fr"}), "locale"),
        (json!({"locale": "EN"}), "locale"),
        (json!({"display_name": "新名字", "locale": 3}), "locale"),
        (json!({"display_name": "", "locale": "en"}), "display_name"),
        (
            json!({"display_name": "骑".repeat(41), "locale": "en"}),
            "display_name",
        ),
        (json!({"display_name": 42}), "display_name"),
        (json!({"phone": "13900000000"}), "phone"),
    ];
    for (body, field) in cases {
        let res = app.patch("/api/v1/me", Some(t), body.clone()).await;
        assert_eq!(res.status(), 422, "{body}");
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), [field], "{body}");
    }
    let after = me(&app, t).await;
    assert_eq!(
        (&after["display_name"], &after["locale"]),
        (&json!("测试骑手"), &json!("zh-CN"))
    );
}

#[tokio::test]
async fn patch_me_needs_a_token_and_json() {
    let app = spawn().await;
    assert_problem(
        app.patch("/api/v1/me", None, json!({"locale": "en"})).await,
        401,
        "unauthorized",
    )
    .await;
    let (_, tokens) = app.register_rider().await;
    let res = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(token(&tokens))
        .header("content-type", "application/json")
        .body("{\"locale\":")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "malformed_json").await;
}

#[tokio::test]
async fn export_is_an_attachment_with_the_user_and_their_sessions() {
    let app = spawn().await;
    let (phone, tokens) = app.register_rider().await;
    let rotated: Value = app
        .refresh(refresh_token(&tokens))
        .await
        .json()
        .await
        .unwrap();

    let res = app.get("/api/v1/me/export", Some(token(&rotated))).await;
    assert_eq!(res.status(), 200);
    let disposition = header(&res, "content-disposition").unwrap_or_default();
    assert!(
        disposition.starts_with("attachment") && disposition.contains("filename="),
        "{disposition}"
    );
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-store"));
    let text = res.text().await.unwrap();
    assert!(
        !text.contains(refresh_token(&rotated)) && !text.contains("token_hash"),
        "no secrets in the export"
    );
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["user"]["phone"], phone);
    assert_eq!(body["user"]["id"], tokens["user"]["id"]);
    assert!(body["exported_at"].is_string());
    let sessions = body["sessions"].as_array().unwrap();
    assert_eq!(
        sessions.len(),
        2,
        "the registration session and its rotation: {body}"
    );
    assert!(
        sessions[0]["used_at"].is_string(),
        "the rotated-away token is marked used"
    );
    assert!(sessions[1]["used_at"].is_null() && sessions[1]["revoked_at"].is_null());
    assert!(sessions
        .iter()
        .all(|s| s["created_at"].is_string() && s["expires_at"].is_string()));

    assert_problem(
        app.get("/api/v1/me/export", None).await,
        401,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn delete_me_removes_the_account_and_every_credential() {
    let app = spawn().await;
    let (phone, tokens) = app.register_rider().await;
    let (other_phone, other) = app.register_rider().await;
    let t = token(&tokens);

    assert_problem(app.delete("/api/v1/me", None).await, 401, "unauthorized").await;
    let res = app.delete("/api/v1/me", Some(t)).await;
    assert_eq!(res.status(), 204);

    assert_problem(app.get("/api/v1/me", Some(t)).await, 401, "unauthorized").await;
    assert_problem(app.delete("/api/v1/me", Some(t)).await, 401, "unauthorized").await;
    assert_problem(
        app.refresh(refresh_token(&tokens)).await,
        401,
        "invalid_refresh_token",
    )
    .await;
    assert_problem(
        app.login(&phone, PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert!(app.user_row(&phone).await.is_none());

    // Other accounts are untouched; the phone is free to register again as a new user.
    assert_eq!(me(&app, token(&other)).await["phone"], other_phone);
    let res = app.register(register_body(&phone)).await;
    assert_eq!(res.status(), 201);
    let again: Value = res.json().await.unwrap();
    assert_ne!(again["user"]["id"], tokens["user"]["id"]);
    assert_eq!(app.user_count().await, 2);
}
