//! A rider shows their code, the operator attaches services to them, the rider sees them.

use serde_json::{json, Value};

use super::support::*;
use crate::helpers::*;
use crate::points::support as points;

fn identify_path(station: &str) -> String {
    format!("/api/v1/stations/{station}/rider-identifications")
}

#[tokio::test]
async fn a_shown_code_lets_the_station_name_the_rider_and_the_rider_sees_it() {
    let w = world().await;
    let rider = points::rider(&w.app).await;
    let shown = points::new_code(&w.app, &rider.token).await;
    let qr = format!("warmnew:redeem:{}", shown["code"].as_str().unwrap());
    let res = w
        .app
        .post(&identify_path(&w.s1), Some(&w.op1), json!({"code": qr}))
        .await;
    assert_eq!(res.status(), 201);
    let who: Value = res.json().await.unwrap();
    assert_eq!(who["rider_id"], rider.id.to_string());
    assert_eq!(who["display_name"], "测试骑手");
    let masked = who["phone_masked"].as_str().unwrap();
    assert_eq!(
        masked,
        format!("{}****{}", &rider.phone[..3], &rider.phone[7..])
    );

    log_ok(
        &w.app,
        &w.op1,
        &w.s1,
        json!([
            {"service_type": "repair", "rider_id": rider.id},
            {"service_type": "hot_water", "rider_id": rider.id, "quantity": 2},
            {"service_type": "toilet"},
        ]),
    )
    .await;
    // The identification is for this station only.
    let res = post_logs(
        &w.app,
        &w.op2,
        &w.s2,
        None,
        &json!({"service_type": "repair", "rider_id": rider.id}),
    )
    .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_code(&problem, "rider_id"), "rider_not_identified");

    // The code was not used up: it still redeems.
    let reward = points::reward(
        &w.app,
        &w.admin,
        points::reward_body("毛巾", 10, None, None),
    )
    .await;
    points::give(&w.app, rider.id, 10).await;
    let res = points::redeem(
        &w.app,
        &w.s1,
        &w.op1,
        shown["code"].as_str().unwrap(),
        &reward,
    )
    .await;
    assert_eq!(res.status(), 201);

    let res = w.app.get("/api/v1/me/services", Some(&rider.token)).await;
    assert_eq!(res.status(), 200);
    let mine: Value = res.json().await.unwrap();
    assert_eq!(mine["total"], 2);
    let first = &mine["items"][0];
    assert_eq!(first["station_name"], "静安寺街道暖新驿站");
    let types: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["service_type"].as_str().unwrap())
        .collect();
    assert!(types.contains(&"repair") && types.contains(&"hot_water"));
    // Another rider sees none of it.
    let other: Value = w
        .app
        .get("/api/v1/me/services", Some(&w.rider2))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other["total"], 0);
    assert_problem(
        w.app.get("/api/v1/me/services", Some(&w.op1)).await,
        403,
        "forbidden",
    )
    .await;

    let export: Value = w
        .app
        .get("/api/v1/me/export", Some(&rider.token))
        .await
        .json()
        .await
        .unwrap();
    let received = export["services_received"]
        .as_array()
        .expect("services_received");
    assert_eq!(received.len(), 2);
}

#[tokio::test]
async fn malformed_unknown_and_foreign_codes_are_refused() {
    let w = world().await;
    for bad in ["12345", "abcdef", "warmnew:redeem:", ""] {
        let res = w
            .app
            .post(&identify_path(&w.s1), Some(&w.op1), json!({"code": bad}))
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["code"], "{bad}");
    }
    let rider = points::rider(&w.app).await;
    let shown = points::new_code(&w.app, &rider.token).await;
    let body = json!({"code": shown["code"]});
    assert_problem(
        w.app
            .post(&identify_path(&w.s1), Some(&w.op2), body.clone())
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        w.app
            .post(&identify_path(&w.s1), Some(&w.rider1), body.clone())
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        w.app
            .post(&identify_path(&w.s1), Some(&w.district1), body.clone())
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(identifications(&w.app).await, 0);

    // A used-up code no longer identifies anyone.
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    use warmnew::entity::redemption_code;
    let row = redemption_code::Entity::find()
        .one(&w.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut used: redemption_code::ActiveModel = row.into();
    used.used_at = Set(Some(chrono::Utc::now()));
    used.update(&w.app.state.db).await.unwrap();
    assert_problem(
        w.app.post(&identify_path(&w.s1), Some(&w.op1), body).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(identifications(&w.app).await, 0);
}

async fn identifications(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    warmnew::entity::rider_identification::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}
