//! A small city for help-request tests: two stations in two streets of two districts, their
//! operators, street / district / city staff, two riders and an admin.

use reqwest::{Method, Response};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use uuid::Uuid;
use warmnew::auth::Role;
use warmnew::entity::{help_event, help_request, idempotency_key};

use crate::helpers::*;

/// 静安寺 (Jing'an, street 310106013).
pub const S1_AT: (f64, f64) = (31.2235, 121.4452);
/// 南京东路 (Huangpu, street 310101002), about 3.6 km east of S1.
pub const S2_AT: (f64, f64) = (31.2372, 121.4795);

pub struct World {
    pub app: TestApp,
    pub admin: String,
    pub s1: String,
    pub s2: String,
    pub op1: String,
    pub op2: String,
    pub street1: String,
    pub district1: String,
    pub street2: String,
    pub district2: String,
    pub city: String,
    pub rider1: String,
    pub rider2: String,
}

async fn staff(app: &TestApp, region: &str) -> String {
    token(&app.user_with_role(Role::Staff, Some(region)).await).to_string()
}

pub async fn station_in(
    app: &TestApp,
    admin: &str,
    name: &str,
    at: (f64, f64),
    region: &str,
) -> String {
    let mut body = station_body(name, at.0, at.1);
    body["region_code"] = json!(region);
    app.create_station(admin, body).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub async fn world() -> World {
    world_on(spawn().await).await
}

pub async fn world_on(app: TestApp) -> World {
    let admin = app.admin_token().await;
    let s1 = station_in(&app, &admin, "静安寺街道暖新驿站", S1_AT, "310106013").await;
    let s2 = station_in(&app, &admin, "南京东路街道暖新驿站", S2_AT, "310101002").await;
    World {
        op1: app.operator_of(&s1).await,
        op2: app.operator_of(&s2).await,
        street1: staff(&app, "310106013").await,
        district1: staff(&app, "310106").await,
        street2: staff(&app, "310101002").await,
        district2: staff(&app, "310101").await,
        city: staff(&app, "3101").await,
        rider1: app.rider_token().await,
        rider2: app.rider_token().await,
        admin,
        s1,
        s2,
        app,
    }
}

/// A valid body at station `station`.
pub fn at_station(category: &str, station: &str) -> Value {
    json!({
        "category": category,
        "description": "电动车在华山路爆胎了，附近没有修车点，麻烦帮忙联系维修。",
        "station_id": station,
    })
}

pub fn at_point(category: &str, at: (f64, f64)) -> Value {
    json!({
        "category": category,
        "description": "在这里遇到了问题，需要帮助。",
        "lat": at.0,
        "lng": at.1,
    })
}

pub async fn post_request(app: &TestApp, token: &str, body: Value) -> Response {
    app.post("/api/v1/help-requests", Some(token), body).await
}

/// POST /help-requests asserting 201; returns the detail.
pub async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let res = post_request(app, token, body).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "create help request on {}: {body}", backend());
    body
}

pub fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

pub async fn act(
    app: &TestApp,
    token: &str,
    id: &str,
    action: &str,
    note: Option<&str>,
) -> Response {
    let mut body = json!({ "action": action });
    if let Some(n) = note {
        body["note"] = json!(n);
    }
    app.post(
        &format!("/api/v1/help-requests/{id}/transitions"),
        Some(token),
        body,
    )
    .await
}

/// A transition that must succeed; returns the detail.
pub async fn act_ok(
    app: &TestApp,
    token: &str,
    id: &str,
    action: &str,
    note: Option<&str>,
) -> Value {
    let res = act(app, token, id, action, note).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{action} on {}: {body}", backend());
    body
}

pub async fn rate(app: &TestApp, token: &str, id: &str, body: Value) -> Response {
    app.post(
        &format!("/api/v1/help-requests/{id}/feedback"),
        Some(token),
        body,
    )
    .await
}

pub async fn detail(app: &TestApp, token: &str, id: &str) -> Response {
    app.get(&format!("/api/v1/help-requests/{id}"), Some(token))
        .await
}

pub async fn detail_ok(app: &TestApp, token: &str, id: &str) -> Value {
    let res = detail(app, token, id).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "detail on {}: {body}", backend());
    body
}

/// GET /help-requests?{query}, asserting 200.
pub async fn list(app: &TestApp, token: &str, query: &str) -> Value {
    let res = app
        .request(
            Method::GET,
            &format!("/api/v1/help-requests?{query}"),
            Some(token),
            None,
        )
        .await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "list ?{query} on {}: {body}", backend());
    body
}

pub fn item_ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(id)
        .collect()
}

pub fn actions(v: &Value) -> Vec<String> {
    v["allowed_actions"]
        .as_array()
        .unwrap_or_else(|| panic!("no allowed_actions in {v}"))
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

pub fn kinds(detail: &Value) -> Vec<String> {
    detail["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}

/// Rows in help_requests, help_events and idempotency_keys.
pub async fn counts(app: &TestApp) -> (u64, u64, u64) {
    let db = &app.state.db;
    (
        help_request::Entity::find().count(db).await.unwrap(),
        help_event::Entity::find().count(db).await.unwrap(),
        idempotency_key::Entity::find().count(db).await.unwrap(),
    )
}

pub async fn row(app: &TestApp, id: &str) -> help_request::Model {
    help_request::Entity::find_by_id(id.parse::<Uuid>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("help request row")
}

pub async fn events_of(app: &TestApp, id: &str, kind: &str) -> u64 {
    help_event::Entity::find()
        .filter(help_event::Column::RequestId.eq(id.parse::<Uuid>().unwrap()))
        .filter(help_event::Column::Kind.eq(kind))
        .count(&app.state.db)
        .await
        .unwrap()
}

/// The caller's user id (from /me).
pub async fn me_id(app: &TestApp, token: &str) -> Uuid {
    let me: Value = app
        .get("/api/v1/me", Some(token))
        .await
        .json()
        .await
        .unwrap();
    me["id"].as_str().unwrap().parse().unwrap()
}
