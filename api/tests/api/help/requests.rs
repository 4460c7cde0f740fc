//! Filing help requests: routing to station / street / district / city, deadlines, coarse
//! locations, lists and their order, filters and pages.

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use super::support::*;
use crate::helpers::*;

fn minutes_from_now(v: &Value) -> i64 {
    (ts(v) - Utc::now()).num_minutes()
}

#[tokio::test]
async fn a_request_at_a_station_goes_to_its_operators_with_deadlines() {
    let w = world().await;
    let before = Utc::now();
    let d = create(&w.app, &w.rider1, at_station("vehicle_breakdown", &w.s1)).await;
    assert_eq!(d["status"], "submitted");
    assert_eq!(d["urgency"], "normal", "the default urgency");
    assert_eq!(d["tier"], "station");
    assert_eq!(d["station_id"], w.s1.as_str());
    assert_eq!(d["station_name"], "静安寺街道暖新驿站");
    assert_eq!(d["region_code"], "310106013");
    assert_eq!(d["region_name"], "静安寺街道");
    assert_eq!(d["overdue"], false);
    assert_eq!(d["reopen_count"], 0);
    assert!(d["reopen_until"].is_null() && d["resolved_at"].is_null() && d["rating"].is_null());
    // Accept within 24 h (normal); resolve within 7 days; due_at is the current step's.
    assert_eq!(d["due_at"], d["accept_due_at"]);
    let accept = ts(&d["accept_due_at"]);
    assert!(accept >= before + Duration::hours(24) && accept <= Utc::now() + Duration::hours(24));
    let resolve = minutes_from_now(&d["resolve_due_at"]);
    assert!(
        (7 * 24 * 60 - 2..=7 * 24 * 60).contains(&resolve),
        "{resolve}"
    );
    assert_eq!(actions(&d), ["cancel"]);
    assert!(d["description"]
        .as_str()
        .unwrap()
        .starts_with("电动车在华山路爆胎了"));
    assert!(d["description_preview"].as_str().unwrap().chars().count() <= 80);
    assert!(
        d["rider"].is_null(),
        "the rider is not shown their own contact"
    );
    let timeline = d["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0]["kind"], "submitted");
    assert_eq!(timeline[0]["actor_role"], "rider");
    assert_eq!(timeline[0]["to_status"], "submitted");
    assert_eq!(timeline[0]["tier"], "station");

    // The operator sees it with the rider's masked contact, and may act on it.
    let seen = detail_ok(&w.app, &w.op1, &id(&d)).await;
    assert_eq!(actions(&seen), ["accept", "reject", "escalate"]);
    assert_eq!(seen["rider"]["display_name"], "测试骑手");
    let masked = seen["rider"]["phone_masked"].as_str().unwrap();
    assert!(
        masked.starts_with("139") && masked.contains("****"),
        "{masked}"
    );
    assert_eq!(masked.len(), 11);
}

#[tokio::test]
async fn urgency_and_category_set_the_deadlines() {
    let w = world_on(spawn_with(|s| s.help.accept_minutes.urgent = 45).await).await;
    let mut sos = at_station("traffic_accident", &w.s1);
    sos["urgency"] = json!("sos");
    let d = create(&w.app, &w.rider1, sos).await;
    assert!((28..=30).contains(&minutes_from_now(&d["due_at"])));
    assert!((24 * 60 - 2..=24 * 60).contains(&minutes_from_now(&d["resolve_due_at"])));
    let mut urgent = at_station("other", &w.s1);
    urgent["urgency"] = json!("urgent");
    let d = create(&w.app, &w.rider1, urgent).await;
    assert!(
        (43..=45).contains(&minutes_from_now(&d["due_at"])),
        "settings apply"
    );
    // Medical requests have their own, shorter default to accept.
    let d = create(&w.app, &w.rider1, at_station("medical", &w.s1)).await;
    assert!((118..=120).contains(&minutes_from_now(&d["due_at"])));
}

#[tokio::test]
async fn a_location_within_3_km_goes_to_the_nearest_station_and_is_coarsened() {
    let w = world().await;
    // 1 km north-east of S1, much further from S2.
    let d = create(
        &w.app,
        &w.rider1,
        at_point("customer_dispute", (31.2300, 121.4530)),
    )
    .await;
    assert_eq!(d["station_id"], w.s1.as_str());
    assert_eq!(d["tier"], "station");
    assert_eq!(
        (d["lat"].as_f64(), d["lng"].as_f64()),
        (Some(31.23), Some(121.453))
    );
    let stored = row(&w.app, &id(&d)).await;
    assert_eq!(
        (stored.lat, stored.lng),
        (Some(31.23), Some(121.453)),
        "only ~100 m is stored"
    );

    // The same place as a Chinese map app gives it (GCJ-02) lands at the same station.
    let gcj = warmnew::stations::domain::LatLng {
        lat: S2_AT.0,
        lng: S2_AT.1,
    }
    .to_gcj02();
    let mut body = at_point("customer_dispute", (gcj.lat, gcj.lng));
    body["coord"] = json!("gcj02");
    let d = create(&w.app, &w.rider1, body).await;
    assert_eq!(d["station_id"], w.s2.as_str());
    assert_eq!(d["region_code"], "310101002");
    assert!((d["lat"].as_f64().unwrap() - S2_AT.0).abs() < 0.0011, "{d}");
    assert!((d["lng"].as_f64().unwrap() - S2_AT.1).abs() < 0.0011, "{d}");
}

#[tokio::test]
async fn without_a_station_nearby_it_goes_to_the_region_and_some_categories_start_higher() {
    let w = world().await;
    // North Jing'an: more than 3 km from both stations.
    let d = create(&w.app, &w.rider1, at_point("other", (31.262, 121.456))).await;
    assert!(d["station_id"].is_null());
    assert_eq!(d["tier"], "district");
    assert_eq!(d["region_code"], "310106");
    assert_eq!(d["region_name"], "静安区");
    let listed = item_ids(&list(&w.app, &w.district1, "").await);
    assert!(listed.contains(&id(&d)));

    // No location, no station: the city.
    let mut body = at_point("suggestion", (0.0, 0.0));
    body.as_object_mut()
        .unwrap()
        .retain(|k, _| k != "lat" && k != "lng");
    let d = create(&w.app, &w.rider1, body).await;
    assert_eq!(
        (d["tier"].as_str(), d["region_code"].as_str()),
        (Some("city"), Some("3101"))
    );

    // Wage arrears and hazards go to the district even at a station.
    for category in [
        "wage_arrears",
        "platform_dispute",
        "legal_consult",
        "housing",
        "children_education",
        "hazard_report",
    ] {
        let d = create(&w.app, &w.rider1, at_station(category, &w.s1)).await;
        assert_eq!(d["tier"], "district", "{category}");
        assert_eq!(d["station_id"], w.s1.as_str(), "{category}");
        let seen = detail_ok(&w.app, &w.op1, &id(&d)).await;
        assert!(
            actions(&seen).is_empty(),
            "the operator sees it but cannot act: {category}"
        );
        let seen = detail_ok(&w.app, &w.district1, &id(&d)).await;
        assert_eq!(
            actions(&seen),
            ["accept", "reject", "escalate"],
            "{category}"
        );
    }
}

#[tokio::test]
async fn a_closed_station_is_not_routed_to() {
    let w = world().await;
    let res = w
        .app
        .delete(&format!("/api/v1/stations/{}", w.s1), Some(&w.admin))
        .await;
    assert_eq!(res.status(), 204);
    let d = create(&w.app, &w.rider1, at_point("other", (31.2240, 121.4460))).await;
    assert!(d["station_id"].is_null(), "{d}");
    assert_eq!(d["tier"], "district", "the nearest district centre's staff");
}

#[tokio::test]
async fn riders_list_their_own_newest_first_and_handlers_by_deadline() {
    let w = world().await;
    let mut made = Vec::new();
    for urgency in ["normal", "sos", "urgent"] {
        let mut body = at_station("other", &w.s1);
        body["urgency"] = json!(urgency);
        made.push(id(&create(&w.app, &w.rider1, body).await));
    }
    create(&w.app, &w.rider2, at_station("other", &w.s2)).await;
    let mine = list(&w.app, &w.rider1, "").await;
    assert_eq!(mine["total"], 3);
    let newest_first: Vec<String> = made.iter().rev().cloned().collect();
    assert_eq!(item_ids(&mine), newest_first);
    assert_eq!(mine["page"], 1);
    assert_eq!(mine["per_page"], 20);
    let item = &mine["items"][0];
    for field in [
        "description_preview",
        "allowed_actions",
        "due_at",
        "region_code",
        "overdue",
    ] {
        assert!(item.get(field).is_some(), "summary lacks {field}: {item}");
    }
    assert!(item.get("description").is_none() && item.get("timeline").is_none());

    // The operator's queue: soonest deadline first (sos, urgent, normal); finished last.
    act_ok(&w.app, &w.rider1, &made[1], "cancel", None).await;
    let queue = list(&w.app, &w.op1, "").await;
    assert_eq!(
        item_ids(&queue),
        [made[2].clone(), made[0].clone(), made[1].clone()]
    );

    // Filters and pages.
    let sos = list(&w.app, &w.op1, "status=cancelled").await;
    assert_eq!(item_ids(&sos), [made[1].clone()]);
    let open = list(
        &w.app,
        &w.op1,
        "status=submitted,accepted&tier=station&category=other",
    )
    .await;
    assert_eq!(open["total"], 2);
    assert_eq!(list(&w.app, &w.op1, "category=medical").await["total"], 0);
    assert_eq!(list(&w.app, &w.op1, "tier=city").await["total"], 0);
    let page = list(&w.app, &w.op1, "per_page=2&page=2").await;
    assert_eq!(
        (page["total"].as_u64(), page["per_page"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(item_ids(&page), [made[1].clone()]);
}

#[tokio::test]
async fn overdue_requests_are_flagged_and_filterable() {
    let w = world().await;
    let late = id(&create(&w.app, &w.rider1, at_station("other", &w.s1)).await);
    let fine = id(&create(&w.app, &w.rider1, at_station("other", &w.s1)).await);
    // An hour past its deadline, and the SLA worker has not run yet.
    {
        use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
        let mut r = row(&w.app, &late).await.into_active_model();
        let past = Utc::now() - Duration::hours(1);
        r.due_at = Set(Some(past));
        r.accept_due_at = Set(Some(past));
        r.update(&w.app.state.db).await.unwrap();
    }
    let overdue = list(&w.app, &w.op1, "overdue=true").await;
    assert_eq!(item_ids(&overdue), [late.as_str()]);
    assert_eq!(overdue["items"][0]["overdue"], true);
    let all = list(&w.app, &w.op1, "").await;
    assert_eq!(
        item_ids(&all),
        [late.clone(), fine.clone()],
        "the overdue one leads the queue"
    );
    assert_eq!(detail_ok(&w.app, &w.rider1, &fine).await["overdue"], false);
}

#[tokio::test]
async fn the_demo_city_has_requests_in_every_status_for_every_demo_role() {
    let app = spawn_with(|s| s.demo_data = true).await;
    let login = |phone: &'static str| {
        let app = &app;
        async move {
            let res = app.login(phone, warmnew::seed::demo::DEMO_PASSWORD).await;
            let body: Value = res.json().await.unwrap();
            token(&body).to_string()
        }
    };
    let (rider, operator, staff, admin) = (
        login("13800000001").await,
        login("13800000002").await,
        login("13800000003").await,
        login("13800000004").await,
    );
    let all = list(&app, &admin, "per_page=100").await;
    let total = all["total"].as_u64().unwrap();
    assert!((30..=40).contains(&total), "{total} demo requests");
    let statuses: std::collections::BTreeSet<String> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses.len(), 8, "{statuses:?}");
    assert!(
        list(&app, &admin, "overdue=true").await["total"]
            .as_u64()
            .unwrap()
            >= 2
    );

    let queue = list(&app, &operator, "per_page=100").await;
    assert!(queue["total"].as_u64().unwrap() >= 8);
    assert!(queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["station_name"] == "静安寺街道暖新驿站"));
    assert_eq!(
        queue["items"][0]["overdue"], true,
        "the overdue one leads the queue"
    );
    let district = list(&app, &staff, "per_page=100").await;
    assert!(district["total"].as_u64().unwrap() > queue["total"].as_u64().unwrap());
    assert!(
        list(&app, &staff, "overdue=true").await["total"]
            .as_u64()
            .unwrap()
            >= 1
    );
    let mine = list(&app, &rider, "per_page=100").await;
    assert!(mine["total"].as_u64().unwrap() >= 8);

    // Every timeline agrees with its request: it starts with the filing and ends in its status.
    let mut system_breaches = 0;
    for item in all["items"].as_array().unwrap() {
        let d = detail_ok(&app, &admin, &id(item)).await;
        let k = kinds(&d);
        assert_eq!(k[0], "submitted");
        let last_status = d["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find_map(|e| e["to_status"].as_str())
            .unwrap();
        assert_eq!(last_status, d["status"], "{d}");
        assert_eq!(
            d["rating"].is_number(),
            d["status"] == "closed" && k.contains(&"feedback".to_string())
        );
        // The system's entries are data, shaped as the SLA worker writes them: no words in
        // any one language.
        for e in d["timeline"].as_array().unwrap() {
            if e["actor_role"] != "system" {
                continue;
            }
            assert!(e["note"].is_null(), "{e}");
            match e["kind"].as_str().unwrap() {
                "sla_breached" => {
                    assert!(
                        matches!(e["step"].as_str(), Some("accept" | "resolve")),
                        "{e}"
                    );
                    assert!(e["due_at"].is_string(), "{e}");
                    system_breaches += 1;
                }
                "escalated" => {
                    assert!(e["from_tier"].is_string(), "{e}");
                    assert_ne!(e["from_tier"], e["tier"]);
                }
                other => panic!("a system entry {other}"),
            }
        }
    }
    assert!(system_breaches >= 2, "the demo has missed deadlines");
    // The demo hazard reports that were accepted paid their riders.
    let paid = warmnew::points::ledger::balance(
        &app.state.db,
        me_id(&app, &login("13800000005").await).await,
    )
    .await
    .unwrap();
    assert!(paid >= 40, "two accepted hazard reports: {paid}");
}

#[tokio::test]
async fn handlers_see_the_place_in_words_in_the_queue_and_the_detail() {
    let w = world().await;
    // ~300 m from station 1, given as a point: routed to it, named by it.
    let created = create(
        &w.app,
        &w.rider1,
        at_point("vehicle_breakdown", (S1_AT.0 + 0.0027, S1_AT.1)),
    )
    .await;
    let page = list(&w.app, &w.op1, "").await;
    let item = &page["items"][0];
    assert_eq!(item["id"], created["id"]);
    let place = &item["place"];
    assert_eq!(place["nearest_station_name"], "静安寺街道暖新驿站");
    assert_eq!(place["nearest_station_distance_m"], 300);
    assert_eq!(place["district_name"], "静安区");
    assert!(
        item.get("lat").is_none(),
        "the queue carries no coordinates"
    );
    let detail = detail_ok(&w.app, &w.op1, &id(&created)).await;
    assert_eq!(detail["place"], *place);
}
