//! GET /api/v1/regions: Shanghai's city, districts and streets, loaded idempotently.

use std::collections::HashMap;

use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::Value;

use crate::helpers::*;

async fn regions(app: &TestApp) -> Vec<Value> {
    let res = app.get("/api/v1/regions", None).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn regions_are_public_and_list_1_city_16_districts_234_streets() {
    let app = spawn().await;
    let res = app.get("/api/v1/regions", None).await;
    assert_eq!(
        header(&res, "cache-control").as_deref(),
        Some("public, max-age=3600")
    );
    let items = regions(&app).await;
    assert_eq!(items.len(), 251);
    let count = |level: &str| items.iter().filter(|r| r["level"] == level).count();
    assert_eq!(
        (count("city"), count("district"), count("street")),
        (1, 16, 234)
    );
    let jingan = items
        .iter()
        .find(|r| r["code"] == "310106")
        .expect("静安区 310106");
    assert_eq!(jingan["level"], "district");
    assert_eq!(jingan["name_zh"], "静安区");
}

#[tokio::test]
async fn every_region_but_the_city_hangs_under_the_level_above() {
    let app = spawn().await;
    let items = regions(&app).await;
    let by_code: HashMap<&str, &Value> = items
        .iter()
        .map(|r| (r["code"].as_str().unwrap(), r))
        .collect();
    assert_eq!(by_code.len(), items.len(), "codes are unique");
    let codes: Vec<&str> = items.iter().map(|r| r["code"].as_str().unwrap()).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(
        codes, sorted,
        "ordered by code, so parents come before children"
    );
    for r in &items {
        let parent_level = match r["level"].as_str().unwrap() {
            "city" => {
                assert!(r["parent_code"].is_null(), "{r}");
                continue;
            }
            "district" => "city",
            "street" => "district",
            other => panic!("unknown level {other}"),
        };
        let parent = r["parent_code"]
            .as_str()
            .unwrap_or_else(|| panic!("{r} has no parent"));
        let p = by_code
            .get(parent)
            .unwrap_or_else(|| panic!("parent {parent} of {r} is not listed"));
        assert_eq!(p["level"], parent_level, "{r}");
        assert!(
            r["code"].as_str().unwrap().starts_with(&parent[..4]),
            "{r} is not inside {parent}"
        );
        assert!(r["name_zh"].as_str().is_some_and(|n| !n.is_empty()), "{r}");
    }
}

#[tokio::test]
async fn loading_the_builtin_regions_again_changes_nothing() {
    let app = spawn().await;
    let before = regions(&app).await;
    for _ in 0..2 {
        let loaded = warmnew::regions::seed::load_builtin(&app.state.db)
            .await
            .expect("reload regions");
        assert_eq!(loaded, 251);
    }
    let rows = warmnew::entity::region::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows, 251);
    assert_eq!(regions(&app).await, before);
}
