//! A station's day in exact counts after known actions.

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use super::support::*;
use crate::points::support as points;

#[tokio::test]
async fn the_day_summary_counts_exactly_what_happened() {
    let w = world().await;
    let app = &w.app;
    // Two riders check in (one twice within the replay window: one visit).
    let code = points::checkin_code(app, &w.s1, &w.op1).await;
    assert_eq!(
        points::check_in(app, &w.s1, &w.rider1, &code)
            .await
            .status(),
        201
    );
    assert_eq!(
        points::check_in(app, &w.s1, &w.rider1, &code)
            .await
            .status(),
        200
    );
    assert_eq!(
        points::check_in(app, &w.s1, &w.rider2, &code)
            .await
            .status(),
        201
    );
    // The operator counts 7, later 3 people inside.
    for n in [7, 3] {
        let res = app
            .patch(
                &format!("/api/v1/stations/{}", w.s1),
                Some(&w.op1),
                json!({"occupancy": n}),
            )
            .await;
        assert_eq!(res.status(), 200);
    }
    // Services: 3 hot water in two entries, a void one, a charge for a third rider, one at the
    // other station, one dated yesterday.
    let rider3 = points::rider(app).await;
    let shown = points::new_code(app, &rider3.token).await;
    let res = app
        .post(
            &format!("/api/v1/stations/{}/rider-identifications", w.s1),
            Some(&w.op1),
            json!({"code": shown["code"]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let yesterday = (Utc::now() - Duration::days(1) - Duration::hours(1)).to_rfc3339();
    let items = log_ok(
        app,
        &w.op1,
        &w.s1,
        json!([
            {"service_type": "hot_water", "quantity": 2},
            {"service_type": "hot_water"},
            {"service_type": "toilet"},
            {"service_type": "phone_charging", "rider_id": rider3.id},
            {"service_type": "shower", "occurred_at": yesterday},
        ]),
    )
    .await;
    let toilet = items[2]["id"].as_str().unwrap();
    let res = app
        .post(
            &format!("{}/{toilet}/void", logs_path(&w.s1)),
            Some(&w.op1),
            json!({"reason": "误触"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    log_ok(
        app,
        &w.op2,
        &w.s2,
        json!({"service_type": "hot_water", "quantity": 9}),
    )
    .await;
    // Help: two requests at the station, one resolved; one elsewhere.
    use crate::help::support as help;
    let a = help::create(app, &w.rider1, help::at_station("vehicle_breakdown", &w.s1)).await;
    help::create(app, &w.rider2, help::at_station("customer_dispute", &w.s1)).await;
    help::create(app, &w.rider2, help::at_station("customer_dispute", &w.s2)).await;
    let a = help::id(&a);
    help::act_ok(app, &w.op1, &a, "accept", None).await;
    help::act_ok(app, &w.op1, &a, "start", None).await;
    help::act_ok(app, &w.op1, &a, "resolve", Some("已联系维修")).await;
    // Points: rider1 redeems a 30-point reward here.
    points::give(app, help::me_id(app, &w.rider1).await, 100).await;
    let reward = points::reward(app, &w.admin, points::reward_body("矿泉水", 30, None, None)).await;
    let c = points::new_code(app, &w.rider1).await;
    let res = points::redeem(app, &w.s1, &w.op1, c["code"].as_str().unwrap(), &reward).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());

    let s = summary(app, &w.op1, &w.s1, None).await;
    assert_eq!(s["date"], today());
    assert_eq!(quantity(&s, "hot_water"), 3);
    assert_eq!(quantity(&s, "toilet"), 0, "void entries do not count");
    assert_eq!(quantity(&s, "phone_charging"), 1);
    assert_eq!(
        quantity(&s, "shower"),
        0,
        "yesterday's entry is yesterday's"
    );
    let hot = s["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["service_type"] == "hot_water")
        .unwrap();
    assert_eq!(hot["entries"], 2);
    assert_eq!(s["services_total"], 4);
    assert_eq!(s["check_ins"], 2);
    assert_eq!(
        s["unique_riders"], 3,
        "two visitors and one rider served by name"
    );
    assert_eq!(s["peak_occupancy"], 7);
    assert_eq!(s["help_opened"], 2);
    assert_eq!(s["help_resolved"], 1);
    assert_eq!(s["points_redeemed"], 30);
    assert_eq!(s["redemptions"], 1);
    let list = s["check_in_list"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    for entry in list {
        let masked = entry["rider"].as_str().unwrap();
        assert!(masked.contains("****") && masked.len() == 11, "{masked}");
        assert_eq!(entry["display_name"], "测试骑手");
    }
    // Yesterday's day has just the shower.
    let day = (Utc::now() - Duration::days(1) - Duration::hours(1))
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
        .to_string();
    let y = summary(app, &w.op1, &w.s1, Some(&day)).await;
    assert_eq!(quantity(&y, "shower"), 1);
    assert_eq!(y["services_total"], 1);
    assert_eq!(y["check_ins"], 0);
    let other: Value = summary(app, &w.op2, &w.s2, None).await;
    assert_eq!(quantity(&other, "hot_water"), 9);
    assert_eq!(other["help_opened"], 1);
}
