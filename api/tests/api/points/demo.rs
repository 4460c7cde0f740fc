//! The demo data's points part: a catalogue, the demo rider's history, Jing'an star riders.

use serde_json::Value;
use warmnew::entity::{points_ledger, reward};

use super::support::*;
use crate::helpers::*;

#[tokio::test]
async fn demo_data_has_rewards_a_rider_history_and_star_riders() {
    let app = spawn_with(|s| s.demo_data = true).await;
    let res = app.get("/api/v1/rewards", None).await;
    let catalogue: Value = res.json().await.unwrap();
    let items = catalogue["items"].as_array().unwrap();
    assert_eq!(items.len(), 8, "{catalogue}");
    assert!(items
        .iter()
        .any(|i| i["name"] == "热饭券" && i["stock"].is_number() && i["station_name"].is_string()));

    let login = app
        .login("13800000001", warmnew::seed::demo::DEMO_PASSWORD)
        .await;
    let body: Value = login.json().await.unwrap();
    let history = points(&app, token(&body), "?per_page=100").await;
    assert!(history["balance"].as_i64().unwrap() > 0, "{history}");
    let items = history["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|i| i["reason"] == "redemption" && i["source_label"] == "💧 矿泉水"),
        "{history}"
    );
    assert!(items
        .iter()
        .any(|i| i["reason"] == "check_in" && i["source_label"].is_string()));

    let res = app.get("/api/v1/star-riders?district=310106", None).await;
    let stars: Value = res.json().await.unwrap();
    let list = stars["items"].as_array().unwrap();
    assert!(list.len() >= 6, "on {}: {stars}", backend());
    assert_eq!(list[0]["display_name"], "骑手阿强");

    // Seeding again changes nothing.
    let before = (
        rows(&app, reward::Entity).await,
        rows(&app, points_ledger::Entity).await,
    );
    warmnew::seed::demo::seed(&app.state).await.unwrap();
    let after = (
        rows(&app, reward::Entity).await,
        rows(&app, points_ledger::Entity).await,
    );
    assert_eq!(before, after);
}
