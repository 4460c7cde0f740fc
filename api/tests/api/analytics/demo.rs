//! The demo history gives the dashboard something to show on first start.

use serde_json::Value;

use super::support::*;
use crate::helpers::*;

#[tokio::test]
async fn demo_history_fills_the_dashboard_once() {
    let app = spawn_with(|s| {
        s.demo_data = true;
        s.demo_days = 5;
    })
    .await;
    let login: Value = app
        .login("13800000003", warmnew::seed::demo::DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let staff = token(&login).to_string();
    let today = warmnew::service_logs::days::today(chrono::Utc::now());
    let from = today - chrono::Duration::days(4);
    let o = get_ok(
        &app,
        &staff,
        &format!("/api/v1/analytics/overview?from={from}&to={today}"),
    )
    .await;
    assert!(o["as_of"].is_string(), "rollups were built by the seed");
    assert!(
        o["check_ins"]["value"].as_i64().unwrap() > 100,
        "{}",
        o["check_ins"]
    );
    assert!(o["services_total"]["value"].as_i64().unwrap() > 100);
    assert!(o["unique_riders"]["value"].as_i64().unwrap() >= 5);
    let series = get_ok(
        &app,
        &staff,
        &format!("/api/v1/analytics/timeseries?from={from}&to={today}"),
    )
    .await;
    let days: Vec<i64> = series["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_i64().unwrap())
        .collect();
    assert_eq!(days.len(), 5);
    assert!(
        days[..4].iter().all(|n| *n > 0),
        "every past day has visits: {days:?}"
    );

    // Seeding again adds no second history.
    use sea_orm::{EntityTrait, PaginatorTrait};
    let before = warmnew::entity::check_in::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    warmnew::seed::demo::seed_with_history(&app.state, 5)
        .await
        .unwrap();
    let after = warmnew::entity::check_in::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(before, after);
}
