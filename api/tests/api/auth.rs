//! POST /auth/register: the happy path, what is stored, and every kind of bad input
//! (each a precise problem+json, and nothing written).

use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn register_returns_201_with_a_token_pair_and_the_rider() {
    let app = spawn().await;
    let phone = random_phone();
    let res = app.register(register_body(&phone)).await;
    assert_eq!(res.status(), 201);
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-store"));
    let body: Value = res.json().await.unwrap();

    assert!(
        body["access_token"]
            .as_str()
            .is_some_and(|t| t.split('.').count() == 3),
        "{body}"
    );
    assert!(
        body["refresh_token"]
            .as_str()
            .is_some_and(|t| t.len() >= 43),
        "{body}"
    );
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    let user = &body["user"];
    assert_eq!(user["phone"], phone);
    assert_eq!(
        user["phone_masked"],
        format!("{}****{}", &phone[..3], &phone[7..])
    );
    assert_eq!(user["role"], "rider");
    assert_eq!(user["locale"], "zh-CN");
    assert_eq!(user["display_name"], "测试骑手");
    assert!(user["id"].is_string() && user["created_at"].is_string());

    // The access token works at once.
    assert_eq!(
        app.get("/api/v1/me", Some(token(&body))).await.status(),
        200
    );
    assert_eq!(app.user_count().await, 1);
}

#[tokio::test]
async fn register_accepts_spaces_and_the_plus86_prefix_and_trims_the_name() {
    let app = spawn().await;
    let phone = random_phone();
    let spaced = format!("+86 {} {} {}", &phone[..3], &phone[3..7], &phone[7..]);
    let res = app
        .register(json!({"phone": spaced, "password": PASSWORD, "display_name": "  小王  "}))
        .await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["phone"], phone);
    assert_eq!(body["user"]["display_name"], "小王");
    // The normalised number is the one that logs in.
    assert_eq!(app.login(&phone, PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn phone_is_stored_encrypted_with_a_keyed_lookup_hash() {
    let app = spawn().await;
    let (phone, _) = app.register_rider().await;
    let row = app.user_row(&phone).await.expect("user row");

    assert!(
        !row.phone_enc.contains(&phone),
        "phone_enc holds the plain number: {}",
        row.phone_enc
    );
    assert!(
        !row.phone_enc.contains(&phone[3..]),
        "phone_enc holds the digits: {}",
        row.phone_enc
    );
    assert_ne!(row.phone_hash, phone);
    assert!(!row.phone_hash.contains(&phone));
    assert_eq!(row.phone_hash.len(), 64, "HMAC-SHA256 hex");
    // It is real encryption under the app's key, not a lossy transform.
    assert_eq!(
        app.state.phones.decrypt(&row.phone_enc).as_deref(),
        Some(phone.as_str())
    );
}

#[tokio::test]
async fn password_is_stored_as_an_argon2id_phc_string() {
    let app = spawn().await;
    let (phone, _) = app.register_rider().await;
    let row = app.user_row(&phone).await.expect("user row");
    assert!(
        row.password_hash.starts_with("$argon2id$v=19$"),
        "{}",
        row.password_hash
    );
    assert!(!row.password_hash.contains(PASSWORD));
    assert_eq!(
        row.password_hash.split('$').count(),
        6,
        "PHC: $alg$v$params$salt$hash"
    );
}

#[tokio::test]
async fn duplicate_phone_is_409_phone_taken_and_keeps_the_first_account() {
    let app = spawn().await;
    let (phone, _) = app.register_rider().await;
    let res = app
        .register(json!({"phone": phone, "password": "another-pass-99", "display_name": "冒名者"}))
        .await;
    assert_problem(res, 409, "phone_taken").await;
    assert_eq!(app.user_count().await, 1);
    // The original password still works; the second one was never stored.
    assert_eq!(app.login(&phone, PASSWORD).await.status(), 200);
    assert_problem(
        app.login(&phone, "another-pass-99").await,
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn several_bad_fields_are_reported_together() {
    let app = spawn().await;
    let res = app
        .register(json!({"phone": "12345", "password": "short", "display_name": "   "}))
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["display_name", "password", "phone"]
    );
    assert_eq!(error_code(&problem, "phone"), "invalid_phone");
    assert_eq!(error_code(&problem, "password"), "too_short");
    assert_eq!(error_code(&problem, "display_name"), "required");
    assert_eq!(app.user_count().await, 0);
}

/// Each bad body is refused with the right status, code and field, nothing is written, and
/// the phone it used can still register afterwards.
#[tokio::test]
async fn invalid_register_bodies_are_refused_without_writing() {
    let app = spawn().await;
    let phone = random_phone();
    let with = |field: &str, value: Value| {
        let mut body = register_body(&phone);
        body[field] = value;
        body
    };
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "landline",
            with("phone", json!("02112345678")),
            "phone",
            "invalid_phone",
        ),
        (
            "12 digits",
            with("phone", json!("139123456789")),
            "phone",
            "invalid_phone",
        ),
        (
            "second digit 2",
            with("phone", json!("12912345678")),
            "phone",
            "invalid_phone",
        ),
        (
            "7 chars",
            with("password", json!("abc-123")),
            "password",
            "too_short",
        ),
        (
            "129 chars",
            with("password", json!("x-".repeat(65))),
            "password",
            "too_long",
        ),
        (
            "common",
            with("password", json!("password123")),
            "password",
            "too_common",
        ),
        (
            "straight run",
            with("password", json!("123456789")),
            "password",
            "too_common",
        ),
        (
            "one char repeated",
            with("password", json!("aaaaaaaaaa")),
            "password",
            "too_common",
        ),
        (
            "contains the phone",
            with("password", json!(format!("pw{phone}"))),
            "password",
            "too_common",
        ),
        (
            "empty name",
            with("display_name", json!("")),
            "display_name",
            "required",
        ),
        (
            "41-char name",
            with("display_name", json!("骑".repeat(41))),
            "display_name",
            "too_long",
        ),
        (
            "control char",
            with("display_name", json!("a\u{7}b")),
            "display_name",
            "invalid_characters",
        ),
        (
            "phone as number",
            with("phone", json!(13912345678u64)),
            "phone",
            "invalid_type",
        ),
        (
            "name as array",
            with("display_name", json!(["x"])),
            "display_name",
            "invalid_type",
        ),
        (
            "password null",
            with("password", Value::Null),
            "password",
            "invalid_type",
        ),
        (
            "unknown field role",
            with("role", json!("admin")),
            "role",
            "unknown_field",
        ),
        (
            "missing password",
            json!({"phone": phone, "display_name": "x"}),
            "password",
            "required",
        ),
    ];
    for (what, body, field, code) in cases {
        let res = app.register(body).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), [field], "{what}: {problem}");
        assert_eq!(error_code(&problem, field), code, "{what}: {problem}");
        assert!(
            problem["detail"].as_str().unwrap().contains(field),
            "{what}: detail names the field"
        );
    }
    assert_eq!(app.user_count().await, 0);
    assert_eq!(app.register(register_body(&phone)).await.status(), 201);
}

#[tokio::test]
async fn a_body_that_is_not_an_object_is_422_naming_the_body() {
    let app = spawn().await;
    let phone = random_phone();
    // Positional fields in an array must not register anyone.
    let positional = json!([phone, PASSWORD, "骑手"]);
    for body in [
        positional,
        json!([1, 2]),
        json!("text"),
        json!(42),
        Value::Null,
    ] {
        let problem =
            assert_problem(app.register(body.clone()).await, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["body"], "{body}");
    }
    assert_eq!(app.user_count().await, 0);
    assert_eq!(app.register(register_body(&phone)).await.status(), 201);
}

#[tokio::test]
async fn a_duplicated_key_is_422_naming_it() {
    let app = spawn().await;
    let phone = random_phone();
    let other = random_phone();
    let body = format!(
        r#"{{"phone":"{phone}","password":"{PASSWORD}","display_name":"x","phone":"{other}"}}"#
    );
    let res = app
        .post_raw("/api/v1/auth/register", "application/json", body)
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["phone"]);
    assert_eq!(error_code(&problem, "phone"), "duplicate_field");
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn malformed_json_is_400_malformed_json() {
    let app = spawn().await;
    let phone = random_phone();
    let broken = [
        format!(r#"{{"phone":"{phone}","password":"{PASSWORD}","display_name":"x""#),
        "{".to_string(),
        "".to_string(),
        "{'phone': 1}".to_string(),
    ];
    for body in broken {
        let res = app
            .post_raw("/api/v1/auth/register", "application/json", body.clone())
            .await;
        let problem = assert_problem(res, 400, "malformed_json").await;
        assert!(problem.get("errors").is_none(), "{body:?}: {problem}");
    }
    assert_eq!(app.user_count().await, 0);
    assert_eq!(app.register(register_body(&phone)).await.status(), 201);
}

#[tokio::test]
async fn a_non_json_content_type_is_415() {
    let app = spawn().await;
    let phone = random_phone();
    let valid = register_body(&phone).to_string();
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let res = app
            .post_raw("/api/v1/auth/register", ct, valid.clone())
            .await;
        assert_problem(res, 415, "unsupported_media_type").await;
    }
    let res = app
        .client
        .post(app.url("/api/v1/auth/register"))
        .body(valid.clone())
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "unsupported_media_type").await;
    assert_eq!(app.user_count().await, 0);
    // The same body with a JSON type (parameters allowed) is accepted.
    let res = app
        .post_raw(
            "/api/v1/auth/register",
            "application/json; charset=utf-8",
            valid,
        )
        .await;
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn a_body_over_64_kib_is_413_and_just_under_is_validated_normally() {
    let app = spawn().await;
    let phone = random_phone();
    let padded = |total: usize| {
        let head = format!(r#"{{"phone":"{phone}","password":"{PASSWORD}","display_name":""#);
        let pad = total - head.len() - 2;
        format!("{head}{}\"}}", "a".repeat(pad))
    };
    let over = padded(64 * 1024 + 1);
    assert_eq!(over.len(), 64 * 1024 + 1);
    let res = app
        .post_raw("/api/v1/auth/register", "application/json", over)
        .await;
    assert_problem(res, 413, "payload_too_large").await;

    let at_limit = padded(64 * 1024);
    let res = app
        .post_raw("/api/v1/auth/register", "application/json", at_limit)
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["display_name"]);

    assert_eq!(app.user_count().await, 0);
    assert_eq!(app.register(register_body(&phone)).await.status(), 201);
}
