//! The built-in lessons, loaded on every start, and the demo rider's progress.

use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::helpers::{spawn_with, token};

#[tokio::test]
async fn built_in_lessons_load_on_start_and_reload_only_when_changed() {
    let app = spawn().await;
    let zh = get_json(&app, "/api/v1/lessons", None, 200).await;
    let en = get_json(&app, "/api/v1/lessons?locale=en", None, 200).await;
    let zh_items = zh["items"].as_array().unwrap();
    assert!(zh_items.len() >= 12, "{} built-in lessons", zh_items.len());
    assert!(zh_items
        .iter()
        .all(|c| c["locale"] == "zh-CN" && c["version"] == 1));
    assert!(en["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["locale"] == "en"));

    // Another start with the same files changes nothing.
    let changed = warmnew::lessons::store::load_builtin(&app.state.db)
        .await
        .unwrap();
    assert_eq!(changed, 0);

    // An admin's edit of a built-in lesson survives the next start.
    let admin = app.admin_token().await;
    let slug = zh_items[0]["slug"].as_str().unwrap();
    let mut src = get_json(
        &app,
        &format!("/api/v1/lessons/{slug}/source"),
        Some(&admin),
        200,
    )
    .await;
    let obj = src.as_object_mut().unwrap();
    obj.remove("version");
    obj.remove("updated_at");
    obj.insert("title".into(), json!("管理员改过的标题"));
    let res = app
        .request(
            Method::PUT,
            &format!("/api/v1/lessons/{slug}/zh-CN"),
            Some(&admin),
            Some(src),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    warmnew::lessons::store::load_builtin(&app.state.db)
        .await
        .unwrap();
    let page = get_json(&app, &format!("/api/v1/lessons/{slug}"), None, 200).await;
    assert_eq!(
        (&page["title"], &page["version"]),
        (&json!("管理员改过的标题"), &json!(2))
    );
}

#[tokio::test]
async fn the_demo_rider_has_passed_two_lessons_and_failed_one() {
    let app = spawn_with(|s| s.demo_data = true).await;
    let res = app
        .login(
            warmnew::lessons::demo::DEMO_RIDER_PHONE,
            warmnew::seed::demo::DEMO_PASSWORD,
        )
        .await;
    assert_eq!(res.status(), 200);
    let rider: Value = res.json().await.unwrap();
    let progress = get_json(&app, "/api/v1/me/progress", Some(token(&rider)), 200).await;
    let items = progress["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{progress}");
    assert_eq!(progress["completed"], 2);
    let passed: Vec<&Value> = items.iter().filter(|i| i["passed"] == true).collect();
    assert_eq!(passed.len(), 2);
    let failed = items.iter().find(|i| i["passed"] == false).unwrap();
    assert_eq!(
        (
            &failed["attempts"],
            &failed["points_awarded"],
            &failed["best_score"]
        ),
        (&json!(1), &json!(0), &json!(0))
    );

    // Paid through the ledger, once per passed lesson.
    let paid: i64 = passed
        .iter()
        .map(|i| i["points_awarded"].as_i64().unwrap())
        .sum();
    assert!(paid > 0);
    let payments = lesson_payments(&app).await;
    assert_eq!(payments.len(), 2);
    assert_eq!(payments.iter().map(|p| p.delta).sum::<i64>(), paid);

    // Seeding again leaves the rider's progress alone.
    warmnew::seed::demo::seed(&app.state).await.unwrap();
    assert_eq!(lesson_payments(&app).await.len(), 2);
    assert_eq!(attempt_rows(&app).await, 3);
}
