//! The rewards catalogue: public listing, admin create/patch, validation.

use serde_json::{json, Value};
use warmnew::auth::Role;
use warmnew::entity::reward;

use super::support::*;
use crate::helpers::*;

async fn list(app: &TestApp, query: &str, token: Option<&str>) -> Vec<Value> {
    let res = app.get(&format!("/api/v1/rewards{query}"), token).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "rewards{query} on {}: {body}", backend());
    body["items"].as_array().unwrap().clone()
}

fn names(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["name"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn admins_keep_the_catalogue_and_everyone_can_read_it() {
    let app = spawn().await;
    let s = setup(&app).await;
    let elsewhere = app
        .create_station(&s.admin, station_body("别处驿站", 31.3, 121.5))
        .await;
    let elsewhere = elsewhere["id"].as_str().unwrap();

    let water = reward(
        &app,
        &s.admin,
        json!({"name": "矿泉水", "name_en": "Bottled water", "emoji": "💧", "cost": 20}),
    )
    .await;
    assert_eq!(water["station_id"], Value::Null);
    assert_eq!(water["stock"], Value::Null);
    assert_eq!(water["active"], true);
    assert_eq!(water["name_en"], "Bottled water");
    let meal = reward(
        &app,
        &s.admin,
        reward_body("热饭券", 50, Some(&s.station), Some(30)),
    )
    .await;
    assert_eq!(meal["station_name"], "静安寺街道暖新驿站");
    assert_eq!(meal["stock"], 30);
    let hidden = reward(
        &app,
        &s.admin,
        json!({"name": "旧奖品", "emoji": "🎁", "cost": 5, "active": false}),
    )
    .await;

    assert_eq!(names(&list(&app, "", None).await), ["矿泉水", "热饭券"]);
    let here = list(&app, &format!("?station_id={}", s.station), None).await;
    assert_eq!(names(&here), ["矿泉水", "热饭券"]);
    let there = list(&app, &format!("?station_id={elsewhere}"), None).await;
    assert_eq!(
        names(&there),
        ["矿泉水"],
        "another station's rewards are not offered there"
    );
    assert_eq!(
        names(&list(&app, "", Some(&s.admin)).await),
        ["旧奖品", "矿泉水", "热饭券"],
        "admins also see inactive rewards"
    );
    let r = rider(&app).await;
    assert_eq!(list(&app, "", Some(&r.token)).await.len(), 2);

    // PATCH: change the price, make the stock unlimited, move it, retire it, clear name_en.
    let id = meal["id"].as_str().unwrap();
    let res = app
        .patch(
            &format!("/api/v1/rewards/{id}"),
            Some(&s.admin),
            json!({"cost": 45, "stock": null, "station_id": null, "name_en": null}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let patched: Value = res.json().await.unwrap();
    assert_eq!(
        (
            &patched["cost"],
            &patched["stock"],
            &patched["station_id"],
            &patched["name"]
        ),
        (&json!(45), &Value::Null, &Value::Null, &json!("热饭券"))
    );
    assert_eq!(
        names(&list(&app, &format!("?station_id={elsewhere}"), None).await),
        ["矿泉水", "热饭券"]
    );
    let res = app
        .patch(
            &format!("/api/v1/rewards/{id}"),
            Some(&s.admin),
            json!({"active": false, "stock": 3}),
        )
        .await;
    let retired: Value = res.json().await.unwrap();
    assert_eq!(
        (&retired["active"], &retired["stock"], &retired["cost"]),
        (&json!(false), &json!(3), &json!(45))
    );
    assert_eq!(names(&list(&app, "", None).await), ["矿泉水"]);
    let res = app
        .patch(
            &format!("/api/v1/rewards/{}", hidden["id"].as_str().unwrap()),
            Some(&s.admin),
            json!({"active": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(names(&list(&app, "", None).await), ["旧奖品", "矿泉水"]);
    let _ = water;
}

#[tokio::test]
async fn bad_rewards_are_422_naming_the_field_and_nothing_is_written() {
    let app = spawn().await;
    let s = setup(&app).await;
    let cases = [
        (json!({"name": "水", "emoji": "💧", "cost": 0}), "cost"),
        (json!({"name": "水", "emoji": "💧", "cost": -5}), "cost"),
        (
            json!({"name": "水", "emoji": "💧", "cost": 10, "stock": -1}),
            "stock",
        ),
        (json!({"name": "", "emoji": "💧", "cost": 10}), "name"),
        (
            json!({"name": "水".repeat(41), "emoji": "💧", "cost": 10}),
            "name",
        ),
        (json!({"name": "水", "emoji": "abc", "cost": 10}), "emoji"),
        (json!({"name": "水", "emoji": "", "cost": 10}), "emoji"),
        (
            json!({"name": "水", "emoji": "💧", "cost": 10, "station_id": uuid::Uuid::now_v7()}),
            "station_id",
        ),
        (json!({"name": "水", "emoji": "💧", "cost": "ten"}), "cost"),
        (
            json!({"name": "水", "emoji": "💧", "cost": 10, "price": 3}),
            "price",
        ),
        (json!({"name": "水", "emoji": "💧"}), "cost"),
    ];
    for (body, field) in cases {
        let res = app
            .post("/api/v1/rewards", Some(&s.admin), body.clone())
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), [field], "{body}");
    }
    assert_eq!(rows(&app, reward::Entity).await, 0);

    let r = rider(&app).await;
    let ok = reward_body("水", 10, None, Some(5));
    assert_problem(
        app.post("/api/v1/rewards", Some(&r.token), ok.clone())
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post("/api/v1/rewards", Some(&s.operator), ok.clone())
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post("/api/v1/rewards", None, ok.clone()).await,
        401,
        "unauthorized",
    )
    .await;
    assert_eq!(rows(&app, reward::Entity).await, 0);

    let created = reward(&app, &s.admin, ok).await;
    let path = format!("/api/v1/rewards/{}", created["id"].as_str().unwrap());
    for (body, field) in [
        (json!({"cost": 0}), "cost"),
        (json!({"cost": -1, "name": "新名字"}), "cost"),
        (json!({"stock": -3}), "stock"),
        (json!({"station_id": uuid::Uuid::now_v7()}), "station_id"),
    ] {
        let res = app.patch(&path, Some(&s.admin), body.clone()).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), [field], "{body}");
    }
    let stored = list(&app, "", None).await;
    assert_eq!(
        (&stored[0]["name"], &stored[0]["cost"], &stored[0]["stock"]),
        (&json!("水"), &json!(10), &json!(5))
    );
    assert_problem(
        app.patch(&path, Some(&s.operator), json!({"cost": 1}))
            .await,
        403,
        "forbidden",
    )
    .await;
    let missing = format!("/api/v1/rewards/{}", uuid::Uuid::now_v7());
    assert_problem(
        app.patch(&missing, Some(&s.admin), json!({"cost": 1}))
            .await,
        404,
        "not_found",
    )
    .await;
    let res = app.get("/api/v1/rewards?station_id=nope", None).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["station_id"]);
    let staff = token(&app.user_with_role(Role::Staff, Some("310106")).await).to_string();
    assert_problem(
        app.patch(&path, Some(&staff), json!({"cost": 1})).await,
        403,
        "forbidden",
    )
    .await;
}
