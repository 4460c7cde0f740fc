//! Disabling an account, or changing its role or scope, ends its sessions on the next request;
//! a disabled account cannot log in again (`warmnew user disable/enable/set`).

use serde_json::Value;
use warmnew::auth::accounts::{change_access, set_disabled, Access};
use warmnew::auth::{phone::Phone, Role};

use crate::helpers::*;

#[actix_web::test]
async fn a_disabled_account_loses_its_sessions_and_cannot_log_in() {
    let app = spawn().await;
    let (phone, tokens) = app.register_rider().await;
    let access = token(&tokens).to_string();
    assert_eq!(app.get("/api/v1/me", Some(&access)).await.status(), 200);

    set_disabled(&app.state, &Phone::parse(&phone).unwrap(), true)
        .await
        .unwrap();
    assert_eq!(app.get("/api/v1/me", Some(&access)).await.status(), 401);
    assert_eq!(app.refresh(refresh_token(&tokens)).await.status(), 401);
    assert_problem(app.login(&phone, PASSWORD).await, 403, "account_disabled").await;
    // A wrong password still says only that.
    assert_problem(
        app.login(&phone, "not-the-password-9").await,
        401,
        "invalid_credentials",
    )
    .await;

    set_disabled(&app.state, &Phone::parse(&phone).unwrap(), false)
        .await
        .unwrap();
    assert_eq!(app.login(&phone, PASSWORD).await.status(), 200);
}

#[actix_web::test]
async fn moving_an_operator_to_another_station_ends_the_old_token() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let one = app
        .create_station(&admin, station_body("一号驿站", 31.2235, 121.4452))
        .await;
    let two = app
        .create_station(&admin, station_body("二号驿站", 31.2300, 121.4500))
        .await;
    let (phone, _) = app.register_rider().await;
    let phone = Phone::parse(&phone).unwrap();
    let to = |station: &Value| Access {
        role: Role::Operator,
        station_id: Some(station["id"].as_str().unwrap().parse().unwrap()),
        region_code: None,
    };
    change_access(&app.state, &phone, to(&one)).await.unwrap();
    let first: Value = app
        .login(phone.as_str(), PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let old = token(&first).to_string();
    let me: Value = app
        .get("/api/v1/me", Some(&old))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["station_id"], one["id"]);

    change_access(&app.state, &phone, to(&two)).await.unwrap();
    assert_eq!(app.get("/api/v1/me", Some(&old)).await.status(), 401);
    let summary = format!("/api/v1/stations/{}/summary", one["id"].as_str().unwrap());
    assert_eq!(app.get(&summary, Some(&old)).await.status(), 401);
    let again: Value = app
        .login(phone.as_str(), PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let me: Value = app
        .get("/api/v1/me", Some(token(&again)))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (&me["role"], &me["station_id"]),
        (&Value::from("operator"), &two["id"])
    );
}
