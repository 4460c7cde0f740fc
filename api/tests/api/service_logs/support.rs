//! Shared set-up: the help tests' small city (two stations, their operators, staff, riders).

use reqwest::Response;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};

pub use crate::help::support::{world, World};
use crate::helpers::*;

pub fn logs_path(station: &str) -> String {
    format!("/api/v1/stations/{station}/service-logs")
}

/// POST service logs with an optional Idempotency-Key.
pub async fn post_logs(
    app: &TestApp,
    token: &str,
    station: &str,
    key: Option<&str>,
    body: &Value,
) -> Response {
    let mut req = app
        .client
        .post(app.url(&logs_path(station)))
        .bearer_auth(token)
        .json(body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    req.send().await.expect("request")
}

/// POST service logs asserting 201; returns the created items.
pub async fn log_ok(app: &TestApp, token: &str, station: &str, body: Value) -> Vec<Value> {
    let res = post_logs(app, token, station, None, &body).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "log services on {}: {body}", backend());
    body["items"].as_array().expect("items").clone()
}

pub fn entry(service_type: &str) -> Value {
    json!({ "service_type": service_type })
}

/// Rows in service_logs, void or not.
pub async fn log_rows(app: &TestApp) -> u64 {
    warmnew::entity::service_log::Entity::find()
        .count(&app.state.db)
        .await
        .expect("count")
}

/// GET the station's summary (today unless `date`), asserting 200.
pub async fn summary(app: &TestApp, token: &str, station: &str, date: Option<&str>) -> Value {
    let q = date.map(|d| format!("?date={d}")).unwrap_or_default();
    let res = app
        .get(
            &format!("/api/v1/stations/{station}/summary{q}"),
            Some(token),
        )
        .await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "summary on {}: {body}", backend());
    body
}

/// The quantity of `service_type` in a summary (0 when absent).
pub fn quantity(summary: &Value, service_type: &str) -> i64 {
    summary["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service_type"] == service_type)
        .map_or(0, |s| s["quantity"].as_i64().unwrap())
}

/// Today's date in Asia/Shanghai.
pub fn today() -> String {
    warmnew::service_logs::days::today(chrono::Utc::now()).to_string()
}
