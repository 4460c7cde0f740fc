//! Logging, listing and voiding as operators use them.

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{json, Value};

use super::support::*;
use crate::helpers::*;

#[tokio::test]
async fn service_types_are_the_closed_set_with_labels_and_icons() {
    let app = spawn().await;
    let res = app.get("/api/v1/service-types", None).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let items = body["items"].as_array().unwrap();
    let codes: Vec<&str> = items.iter().map(|i| i["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 25, "{codes:?}");
    assert_eq!(codes[0], "hot_water");
    for must in [
        "meal_heating",
        "first_aid_given",
        "legal_consult",
        "counselling_session",
        "repair",
        "other",
        "drinking_water",
        "library",
    ] {
        assert!(codes.contains(&must), "{must}");
    }
    let water = &items[0];
    assert_eq!(water["label_zh"], "热水");
    assert_eq!(water["label_en"], "Hot water");
    assert_eq!(water["icon"], "water");
    assert_eq!(water["amenity"], false);
}

#[tokio::test]
async fn one_entry_or_a_batch_is_logged_and_listed_newest_first() {
    let w = world().await;
    let one = log_ok(&w.app, &w.op1, &w.s1, json!({"service_type": "hot_water"})).await;
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["quantity"], 1);
    assert_eq!(one[0]["station_id"], w.s1.as_str());
    assert!(one[0]["voided_at"].is_null());

    let earlier = (Utc::now() - Duration::hours(2)).to_rfc3339();
    let batch = log_ok(
        &w.app,
        &w.op1,
        &w.s1,
        json!([
            {"service_type": "phone_charging", "quantity": 3, "note": "充电宝"},
            {"service_type": "first_aid_given", "occurred_at": earlier},
        ]),
    )
    .await;
    assert_eq!(batch.len(), 2);
    assert_eq!(batch[0]["quantity"], 3);
    assert_eq!(batch[0]["note"], "充电宝");
    assert_eq!(
        ts(&batch[1]["occurred_at"]).timestamp(),
        ts(&json!(earlier)).timestamp()
    );
    assert_eq!(log_rows(&w.app).await, 3);

    let res = w.app.get(&logs_path(&w.s1), Some(&w.op1)).await;
    assert_eq!(res.status(), 200);
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["total"], 3);
    let types: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["service_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types.last(),
        Some(&"first_aid_given"),
        "oldest last: {types:?}"
    );

    let res = w
        .app
        .get(
            &format!("{}?type=phone_charging", logs_path(&w.s1)),
            Some(&w.op1),
        )
        .await;
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["total"], 1);

    let from = (Utc::now() - Duration::hours(1)).to_rfc3339();
    let res = w
        .app
        .get(
            &format!("{}?from={}&per_page=1", logs_path(&w.s1), urlencode(&from)),
            Some(&w.op1),
        )
        .await;
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["total"], 2, "{page}");
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
}

pub fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn an_operator_voids_their_own_entry_within_24_hours_and_it_is_kept() {
    let w = world().await;
    let items = log_ok(
        &w.app,
        &w.op1,
        &w.s1,
        json!([entry("hot_water"), entry("toilet")]),
    )
    .await;
    let id = items[0]["id"].as_str().unwrap();
    let void_path = format!("{}/{id}/void", logs_path(&w.s1));

    let res = w
        .app
        .post(&void_path, Some(&w.op1), json!({"reason": "按错了"}))
        .await;
    assert_eq!(res.status(), 200);
    let voided: Value = res.json().await.unwrap();
    assert_eq!(voided["void_reason"], "按错了");
    assert!(voided["voided_at"].is_string());
    assert!(voided["voided_by"].is_string());
    assert_eq!(log_rows(&w.app).await, 2, "nothing is deleted");

    // A second void is refused; the listing hides void entries unless asked.
    let res = w
        .app
        .post(&void_path, Some(&w.op1), json!({"reason": "again"}))
        .await;
    assert_problem(res, 409, "already_void").await;
    let page: Value = w
        .app
        .get(&logs_path(&w.s1), Some(&w.op1))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 1);
    let page: Value = w
        .app
        .get(
            &format!("{}?include_void=true", logs_path(&w.s1)),
            Some(&w.op1),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 2);
    let s = summary(&w.app, &w.op1, &w.s1, None).await;
    assert_eq!(quantity(&s, "hot_water"), 0);
    assert_eq!(quantity(&s, "toilet"), 1);
}

#[tokio::test]
async fn voiding_someone_elses_or_an_old_entry_is_refused_and_changes_nothing() {
    let w = world().await;
    let colleague = w.app.operator_of(&w.s1).await;
    let items = log_ok(
        &w.app,
        &w.op1,
        &w.s1,
        json!([entry("hot_water"), entry("toilet")]),
    )
    .await;
    let mine = items[0]["id"].as_str().unwrap();
    let old = items[1]["id"].as_str().unwrap();
    let void = |id: &str| format!("{}/{id}/void", logs_path(&w.s1));

    let res = w
        .app
        .post(&void(mine), Some(&colleague), json!({"reason": "不是我"}))
        .await;
    assert_problem(res, 403, "forbidden").await;
    // The other station's operator cannot even see it.
    let res = w
        .app
        .post(&void(mine), Some(&w.op2), json!({"reason": "x"}))
        .await;
    assert_problem(res, 403, "forbidden").await;
    let res = w
        .app
        .post(
            &format!("{}/{mine}/void", logs_path(&w.s2)),
            Some(&w.op2),
            json!({"reason": "x"}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
    let res = w
        .app
        .post(&void(mine), Some(&w.op1), json!({"reason": "  "}))
        .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&body), ["reason"]);

    // Logged 25 hours ago: past the window.
    let row = warmnew::entity::service_log::Entity::find_by_id(old.parse::<uuid::Uuid>().unwrap())
        .one(&w.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut active: warmnew::entity::service_log::ActiveModel = row.into();
    active.created_at = Set(Utc::now() - Duration::hours(25));
    active.update(&w.app.state.db).await.unwrap();
    let res = w
        .app
        .post(&void(old), Some(&w.op1), json!({"reason": "太晚了"}))
        .await;
    assert_problem(res, 409, "void_window_passed").await;

    let page: Value = w
        .app
        .get(&logs_path(&w.s1), Some(&w.op1))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 2, "both entries still count");
    // An admin may correct any entry.
    let res = w
        .app
        .post(&void(old), Some(&w.admin), json!({"reason": "核查更正"}))
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn demo_data_has_a_week_of_services_at_the_operators_station() {
    let app = spawn_with(|s| s.demo_data = true).await;
    let login: Value = app
        .login("13800000002", warmnew::seed::demo::DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let me: Value = app
        .get("/api/v1/me", Some(token(&login)))
        .await
        .json()
        .await
        .unwrap();
    let station = me["station_id"].as_str().expect("operator's station");
    let page: Value = app
        .get(
            &format!(
                "{}?from={}",
                logs_path(station),
                urlencode(&(Utc::now() - Duration::days(8)).to_rfc3339())
            ),
            Some(token(&login)),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(page["total"].as_u64().unwrap() > 50, "{}", page["total"]);
    // Seeding again adds nothing.
    let before = log_rows(&app).await;
    warmnew::seed::demo::seed(&app.state).await.unwrap();
    assert_eq!(log_rows(&app).await, before);
}
