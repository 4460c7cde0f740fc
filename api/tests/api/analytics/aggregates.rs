//! Known actions, exact aggregates.

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use super::support::*;
use crate::help::support as help;
use crate::points::support as points;

#[tokio::test]
async fn the_overview_counts_exactly_what_happened_and_compares_periods() {
    let w = world().await;
    let app = &w.app;
    let riders = visitors(app, &w.s1, &w.op1, 5).await;
    // Services: 4 hot water (one entry voided does not count), 2 charges; one at s2.
    let items = crate::service_logs::support::log_ok(
        app,
        &w.op1,
        &w.s1,
        json!([
            {"service_type": "hot_water", "quantity": 3},
            {"service_type": "hot_water"},
            {"service_type": "phone_charging", "quantity": 2},
            {"service_type": "toilet"},
        ]),
    )
    .await;
    let void = format!(
        "/api/v1/stations/{}/service-logs/{}/void",
        w.s1,
        items[3]["id"].as_str().unwrap()
    );
    assert_eq!(
        app.post(&void, Some(&w.op1), json!({"reason": "误触"}))
            .await
            .status(),
        200
    );
    crate::service_logs::support::log_ok(
        app,
        &w.op2,
        &w.s2,
        json!({"service_type": "hot_water", "quantity": 9}),
    )
    .await;
    // Help at s1: one accepted in time, started, resolved, rated 5; one rejected; one open.
    let a = help::id(
        &help::create(
            app,
            &riders[0],
            help::at_station("vehicle_breakdown", &w.s1),
        )
        .await,
    );
    let b =
        help::id(&help::create(app, &riders[1], help::at_station("customer_dispute", &w.s1)).await);
    help::create(app, &riders[2], help::at_station("customer_dispute", &w.s1)).await;
    help::act_ok(app, &w.op1, &a, "accept", None).await;
    help::act_ok(app, &w.op1, &a, "start", None).await;
    help::act_ok(app, &w.op1, &a, "resolve", Some("修好了")).await;
    assert_eq!(
        help::rate(app, &riders[0], &a, json!({"rating": 5}))
            .await
            .status(),
        200
    );
    help::act_ok(app, &w.op1, &b, "reject", Some("不属于驿站处理范围")).await;
    // Points: a 30-point reward redeemed at s1.
    points::give(app, help::me_id(app, &riders[3]).await, 50).await;
    let reward = points::reward(app, &w.admin, points::reward_body("矿泉水", 30, None, None)).await;
    let code = points::new_code(app, &riders[3]).await;
    assert_eq!(
        points::redeem(app, &w.s1, &w.op1, code["code"].as_str().unwrap(), &reward)
            .await
            .status(),
        201
    );
    rollup(app).await;

    let o = get_ok(app, &w.district1, "/api/v1/analytics/overview").await;
    assert_eq!(o["check_ins"]["value"], 5);
    assert_eq!(o["check_ins"]["previous"], 0);
    assert!(
        o["check_ins"]["change"].is_null(),
        "no change against nothing"
    );
    assert_eq!(o["unique_riders"]["value"], 5);
    assert_eq!(o["services_total"]["value"], 6);
    let services: Vec<(String, i64)> = o["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["service_type"].as_str().unwrap().to_string(),
                s["quantity"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        services,
        [
            ("hot_water".to_string(), 4),
            ("phone_charging".to_string(), 2)
        ]
    );
    let h = &o["help"];
    assert_eq!(h["opened"]["value"], 3);
    assert_eq!(h["resolved"]["value"], 1);
    assert_eq!(
        (
            h["response_rate"]["numerator"].as_i64(),
            h["response_rate"]["denominator"].as_i64()
        ),
        (Some(2), Some(3)),
        "{h}"
    );
    // Finished: the closed one and the rejected one; resolved: one.
    assert_eq!(h["resolution_rate"]["value"], 0.5);
    assert_eq!(h["satisfaction_rate"]["value"], 1.0);
    assert_eq!(h["sla_breach_rate"]["numerator"], 0);
    assert!(h["median_minutes_to_accept"].as_f64().unwrap() < 5.0);
    assert_eq!(o["points_spent"]["value"], 30);
    assert_eq!(o["points_earned"]["value"], 25, "5 check-ins × 5 points");
    assert_eq!(o["stations"]["open"], 1);

    // The same numbers per station and per day.
    let table = get_ok(app, &w.district1, "/api/v1/analytics/stations").await;
    let row = &table["items"][0];
    assert_eq!(
        (
            row["check_ins"].as_i64(),
            row["services"].as_i64(),
            row["help_handled"].as_i64()
        ),
        (Some(5), Some(6), Some(1))
    );
    assert_eq!(row["visitors"], 5);
    let series = get_ok(
        app,
        &w.district1,
        "/api/v1/analytics/timeseries?metric=check_ins&interval=day",
    )
    .await;
    let points: Vec<i64> = series["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_i64().unwrap())
        .collect();
    assert_eq!(points.len(), 30);
    assert_eq!(points.iter().sum::<i64>(), 5);
    assert_eq!(*points.last().unwrap(), 5);
    let today = warmnew::service_logs::days::today(Utc::now());
    let hourly = get_ok(
        app,
        &w.district1,
        &format!(
            "/api/v1/analytics/timeseries?metric=services&interval=hour&from={today}&to={today}"
        ),
    )
    .await;
    let hours = hourly["points"].as_array().unwrap();
    assert_eq!(hours.len(), 24);
    assert_eq!(
        hours
            .iter()
            .map(|p| p["value"].as_i64().unwrap())
            .sum::<i64>(),
        6
    );
    let stats = get_ok(app, &w.district1, "/api/v1/analytics/help-requests").await;
    assert_eq!(stats["total"]["received"], 3);
    let cats: Vec<(&str, i64)> = stats["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["key"].as_str().unwrap(), g["received"].as_i64().unwrap()))
        .collect();
    assert_eq!(cats, [("customer_dispute", 2), ("vehicle_breakdown", 1)]);
    assert_eq!(stats["by_tier"][0]["key"], "station");

    // Another district saw nothing of it.
    let other = get_ok(app, &w.district2, "/api/v1/analytics/overview").await;
    assert_eq!(other["check_ins"]["value"], 0);
    assert_eq!(other["services_total"]["value"], 9);
    assert_eq!(other["help"]["opened"]["value"], 0);
}

#[tokio::test]
async fn fewer_than_five_riders_are_not_shown() {
    let w = world().await;
    visitors(&w.app, &w.s1, &w.op1, 4).await;
    rollup(&w.app).await;
    let o = get_ok(&w.app, &w.district1, "/api/v1/analytics/overview").await;
    assert_eq!(
        o["check_ins"]["value"], 4,
        "counts of visits are not riders"
    );
    assert!(
        o["unique_riders"]["value"].is_null(),
        "{}",
        o["unique_riders"]
    );
    let table = get_ok(&w.app, &w.district1, "/api/v1/analytics/stations").await;
    assert!(table["items"][0]["visitors"].is_null());
    let series = get_ok(
        &w.app,
        &w.district1,
        "/api/v1/analytics/timeseries?metric=unique_riders",
    )
    .await;
    assert!(series["points"].as_array().unwrap().last().unwrap()["value"].is_null());
    visitors(&w.app, &w.s1, &w.op1, 1).await;
    rollup(&w.app).await;
    let o = get_ok(&w.app, &w.district1, "/api/v1/analytics/overview").await;
    assert_eq!(o["unique_riders"]["value"], 5);
}

#[tokio::test]
async fn the_previous_period_is_the_same_length_just_before() {
    let w = world().await;
    visitors(&w.app, &w.s1, &w.op1, 2).await;
    // Move one visit back 8 days: into the previous 7-day period.
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let visit = warmnew::entity::check_in::Entity::find()
        .one(&w.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut moved: warmnew::entity::check_in::ActiveModel = visit.into();
    moved.created_at = Set(Utc::now() - Duration::days(8));
    moved.update(&w.app.state.db).await.unwrap();
    rollup(&w.app).await;
    let today = warmnew::service_logs::days::today(Utc::now());
    let from = today - Duration::days(6);
    let o: Value = get_ok(
        &w.app,
        &w.district1,
        &format!("/api/v1/analytics/overview?from={from}&to={today}"),
    )
    .await;
    assert_eq!(o["previous_to"], (from - Duration::days(1)).to_string());
    assert_eq!(o["check_ins"]["value"], 1);
    assert_eq!(o["check_ins"]["previous"], 1);
    assert_eq!(o["check_ins"]["change"], 0.0);
}

#[tokio::test]
async fn only_one_instance_runs_the_rollup_at_a_time() {
    let w = world().await;
    let now = Utc::now();
    let db = &w.app.state.db;
    use warmnew::analytics::lease;
    assert!(
        lease::acquire(db, "test_job", "a", Duration::seconds(60), now)
            .await
            .unwrap()
    );
    assert!(
        !lease::acquire(db, "test_job", "b", Duration::seconds(60), now)
            .await
            .unwrap()
    );
    assert!(
        lease::acquire(db, "test_job", "a", Duration::seconds(60), now)
            .await
            .unwrap(),
        "the holder renews"
    );
    assert!(
        lease::acquire(
            db,
            "test_job",
            "b",
            Duration::seconds(60),
            now + Duration::seconds(61)
        )
        .await
        .unwrap(),
        "a lapsed lease is taken over"
    );
}
