//! Shared set-up for the points tests: a station with its operator, riders with points,
//! rewards, codes and redemptions through the API.

use reqwest::Response;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};
use uuid::Uuid;
use warmnew::points::ledger::{self, Reason};

use crate::helpers::*;

pub struct Setup {
    pub admin: String,
    pub station: String,
    pub operator: String,
}

/// An admin, a station in 静安区 and its operator.
pub async fn setup(app: &TestApp) -> Setup {
    let admin = app.admin_token().await;
    let s = app
        .create_station(
            &admin,
            station_body("静安寺街道暖新驿站", 31.2235, 121.4452),
        )
        .await;
    let station = s["id"].as_str().unwrap().to_string();
    let operator = app.operator_of(&station).await;
    Setup {
        admin,
        station,
        operator,
    }
}

pub struct Rider {
    pub token: String,
    pub id: Uuid,
    pub phone: String,
}

pub async fn rider(app: &TestApp) -> Rider {
    let (phone, body) = app.register_rider().await;
    Rider {
        token: token(&body).to_string(),
        id: body["user"]["id"].as_str().unwrap().parse().unwrap(),
        phone,
    }
}

/// Pays the rider `points` through the ledger (as a lesson would).
pub async fn give(app: &TestApp, rider: Uuid, points: i64) {
    let source = format!("lesson:test-{}", Uuid::now_v7().simple());
    assert!(
        ledger::award(&app.state.db, rider, points, Reason::Lesson, &source)
            .await
            .unwrap()
    );
}

pub fn reward_body(name: &str, cost: i64, station: Option<&str>, stock: Option<i32>) -> Value {
    json!({"name": name, "emoji": "🍱", "cost": cost, "station_id": station, "stock": stock})
}

/// POST /rewards as the admin, asserting 201.
pub async fn reward(app: &TestApp, admin: &str, body: Value) -> Value {
    let res = app.post("/api/v1/rewards", Some(admin), body).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "create reward on {}: {body}", backend());
    body
}

/// POST /me/redemption-codes as the rider, asserting 201; returns the body.
pub async fn new_code(app: &TestApp, rider: &str) -> Value {
    let res = app
        .post("/api/v1/me/redemption-codes", Some(rider), json!({}))
        .await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "new code on {}: {body}", backend());
    body
}

/// A code issued for the rider without the API's rate limit (for the concurrency tests).
pub async fn issued_code(app: &TestApp, rider: Uuid) -> String {
    warmnew::points::codes::issue(&app.state, rider)
        .await
        .expect("issue code")
        .code
}

pub async fn redeem(
    app: &TestApp,
    station: &str,
    operator: &str,
    code: &str,
    reward: &Value,
) -> Response {
    app.post(
        &format!("/api/v1/stations/{station}/redemptions"),
        Some(operator),
        json!({"code": code, "reward_id": reward["id"]}),
    )
    .await
}

/// GET /me/points, asserting 200.
pub async fn points(app: &TestApp, rider: &str, query: &str) -> Value {
    let res = app
        .get(&format!("/api/v1/me/points{query}"), Some(rider))
        .await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "me/points on {}: {body}", backend());
    body
}

pub async fn balance(app: &TestApp, rider: &str) -> i64 {
    points(app, rider, "").await["balance"].as_i64().unwrap()
}

pub async fn rows<E: EntityTrait>(app: &TestApp, _entity: E) -> u64
where
    E::Model: Sync,
{
    E::find().count(&app.state.db).await.expect("count rows")
}

/// The stored reward's stock.
pub async fn stock(app: &TestApp, reward: &Value) -> Option<i32> {
    let id: Uuid = reward["id"].as_str().unwrap().parse().unwrap();
    warmnew::entity::reward::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("reward row")
        .stock
}

/// The station's check-in code, as its operator sees it.
pub async fn checkin_code(app: &TestApp, station: &str, operator: &str) -> String {
    let res = app
        .get(
            &format!("/api/v1/stations/{station}/checkin-code"),
            Some(operator),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["code"].as_str().unwrap().to_string()
}

pub async fn check_in(app: &TestApp, station: &str, rider: &str, code: &str) -> Response {
    app.post(
        &format!("/api/v1/stations/{station}/check-ins"),
        Some(rider),
        json!({ "code": code }),
    )
    .await
}

/// Sends all the requests at once; returns the statuses and bodies in order.
pub async fn all_at_once(
    requests: impl IntoIterator<Item = impl std::future::Future<Output = Response>>,
) -> Vec<(u16, Value)> {
    let responses = futures_util::future::join_all(requests).await;
    let mut out = Vec::new();
    for res in responses {
        let status = res.status().as_u16();
        out.push((status, res.json().await.unwrap_or(Value::Null)));
    }
    out
}
