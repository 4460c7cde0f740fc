//! Check-in (一码通办): the station's code and QR, riders checking in with it, replays,
//! occupancy, rotation, wrong codes, throttling.

use serde_json::{json, Value};
use warmnew::auth::Role;

use crate::helpers::*;

const ALPHABET: &str = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

struct Station {
    id: String,
    admin: String,
    operator: String,
}

async fn station(app: &TestApp) -> Station {
    let admin = app.admin_token().await;
    let s = app
        .create_station(
            &admin,
            station_body("曹家渡街道暖新驿站", 31.2235, 121.4452),
        )
        .await;
    let id = s["id"].as_str().unwrap().to_string();
    let operator = app.operator_of(&id).await;
    Station {
        id,
        admin,
        operator,
    }
}

async fn code(app: &TestApp, id: &str, token: &str) -> Value {
    let res = app
        .get(&format!("/api/v1/stations/{id}/checkin-code"), Some(token))
        .await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "checkin-code on {}: {body}", backend());
    body
}

async fn check_in(app: &TestApp, id: &str, token: &str, code: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/stations/{id}/check-ins"),
        Some(token),
        json!({ "code": code }),
    )
    .await
}

fn occupancy(v: &Value) -> i64 {
    v["occupancy"].as_i64().expect("occupancy")
}

async fn nearby_occupancy(app: &TestApp, id: &str) -> i64 {
    let items = app.nearby("lat=31.2235&lng=121.4452").await;
    let item = items
        .iter()
        .find(|i| i["id"] == id)
        .expect("station in nearby");
    occupancy(item)
}

#[tokio::test]
async fn the_checkin_code_is_for_the_station_operator_and_admins_only() {
    let app = spawn().await;
    let s = station(&app).await;
    let other = app
        .create_station(&s.admin, station_body("别的驿站", 31.3, 121.5))
        .await;
    let other_op = app.operator_of(other["id"].as_str().unwrap()).await;
    let rider = app.rider_token().await;
    let staff = token(&app.user_with_role(Role::Staff, Some("310106")).await).to_string();

    let by_op = code(&app, &s.id, &s.operator).await;
    let by_admin = code(&app, &s.id, &s.admin).await;
    assert_eq!(by_op, by_admin);
    let c = by_op["code"].as_str().unwrap();
    assert_eq!(c.len(), 6, "{c}");
    assert!(c.chars().all(|ch| ALPHABET.contains(ch)), "{c}");
    assert!(
        by_op["qr_svg"].as_str().unwrap().contains("<svg"),
        "an SVG document"
    );
    let url = by_op["checkin_url"].as_str().unwrap();
    assert!(url.contains(c) && url.contains(&s.id), "{url}");
    assert!(url.starts_with(&app.base), "{url}");
    assert!(by_op["rotated_at"].is_string());
    assert_eq!(app.station_row(&s.id).await.checkin_code, c);
    // Never part of what the public sees.
    let detail = app.station(&s.id).await;
    assert!(!detail.to_string().contains(c), "{detail}");
    let res = app
        .get(
            &format!("/api/v1/stations/{}/checkin-code", s.id),
            Some(&s.operator),
        )
        .await;
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-store"));

    let path = format!("/api/v1/stations/{}/checkin-code", s.id);
    for t in [&other_op, &rider, &staff] {
        assert_problem(app.get(&path, Some(t)).await, 403, "forbidden").await;
        let res = app
            .post(&format!("{path}/rotate"), Some(t), json!({}))
            .await;
        assert_problem(res, 403, "forbidden").await;
    }
    assert_problem(app.get(&path, None).await, 401, "unauthorized").await;
    let res = app.post(&format!("{path}/rotate"), None, json!({})).await;
    assert_problem(res, 401, "unauthorized").await;
    let unknown = format!("/api/v1/stations/{}/checkin-code", uuid::Uuid::now_v7());
    assert_problem(app.get(&unknown, Some(&s.admin)).await, 404, "not_found").await;
    // Nobody else's attempts rotated it.
    assert_eq!(app.station_row(&s.id).await.checkin_code, c);
}

#[tokio::test]
async fn a_rider_checks_in_once_and_a_repeat_is_a_replay() {
    let app = spawn().await;
    let s = station(&app).await;
    let c = code(&app, &s.id, &s.operator).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let rider = app.rider_token().await;
    assert_eq!(occupancy(&app.station(&s.id).await), 0);
    assert_eq!(nearby_occupancy(&app, &s.id).await, 0);

    let res = check_in(&app, &s.id, &rider, &c).await;
    assert_eq!(res.status(), 201, "on {}", backend());
    let first: Value = res.json().await.unwrap();
    assert_eq!(first["replay"], false);
    assert_eq!(first["station_id"], s.id.as_str());
    assert!(first["id"].as_str().unwrap().parse::<uuid::Uuid>().is_ok());
    assert!(first["created_at"].is_string());
    assert_eq!(occupancy(&app.station(&s.id).await), 1);
    assert_eq!(nearby_occupancy(&app, &s.id).await, 1);

    // Again (lower case, with spaces): the same visit, replayed; no new visitor.
    let res = check_in(&app, &s.id, &rider, &format!(" {} ", c.to_lowercase())).await;
    assert_eq!(res.status(), 200);
    let again: Value = res.json().await.unwrap();
    assert_eq!(again["replay"], true);
    assert_eq!(
        (&again["id"], &again["created_at"]),
        (&first["id"], &first["created_at"])
    );
    assert_eq!(app.check_in_count().await, 1);
    assert_eq!(occupancy(&app.station(&s.id).await), 1);
    assert_eq!(nearby_occupancy(&app, &s.id).await, 1);

    // A second rider is a second visitor.
    let second = app.rider_token().await;
    assert_eq!(check_in(&app, &s.id, &second, &c).await.status(), 201);
    assert_eq!(occupancy(&app.station(&s.id).await), 2);
    assert_eq!(nearby_occupancy(&app, &s.id).await, 2);

    // The operator's count replaces the estimate: earlier check-ins are absorbed.
    let res = app
        .patch(
            &format!("/api/v1/stations/{}", s.id),
            Some(&s.operator),
            json!({"occupancy": 3}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(occupancy(&res.json::<Value>().await.unwrap()), 3);
    assert_eq!(occupancy(&app.station(&s.id).await), 3);
    assert_eq!(nearby_occupancy(&app, &s.id).await, 3);
    // A visit after the count adds to it; the first rider's repeat still does not.
    let third = app.rider_token().await;
    assert_eq!(check_in(&app, &s.id, &third, &c).await.status(), 201);
    assert_eq!(check_in(&app, &s.id, &rider, &c).await.status(), 200);
    assert_eq!(occupancy(&app.station(&s.id).await), 4);
    assert_eq!(nearby_occupancy(&app, &s.id).await, 4);
    assert_eq!(app.check_in_count().await, 3);
}

/// Found on PostgreSQL: concurrent repeats each saw no earlier visit and each made one.
#[tokio::test]
async fn concurrent_repeats_make_one_visit() {
    let app = spawn().await;
    let s = station(&app).await;
    let c = code(&app, &s.id, &s.operator).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let rider = app.rider_token().await;
    let attempts = (0..6).map(|_| check_in(&app, &s.id, &rider, &c));
    let responses = futures_util::future::join_all(attempts).await;
    let mut created = 0;
    let mut visit_ids = std::collections::BTreeSet::new();
    for res in responses {
        match res.status().as_u16() {
            201 => created += 1,
            200 => {}
            other => panic!("unexpected status {other}"),
        }
        let body: Value = res.json().await.unwrap();
        visit_ids.insert(body["id"].as_str().unwrap().to_string());
    }
    assert_eq!(
        (created, visit_ids.len()),
        (1, 1),
        "on {}: {visit_ids:?}",
        backend()
    );
    assert_eq!(app.check_in_count().await, 1);
    assert_eq!(occupancy(&app.station(&s.id).await), 1);
}

#[tokio::test]
async fn a_wrong_code_is_422_and_nothing_is_written() {
    let app = spawn().await;
    let s = station(&app).await;
    let c = code(&app, &s.id, &s.operator).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let rider = app.rider_token().await;
    let wrong = if c == "AAAAAA" { "BBBBBB" } else { "AAAAAA" };
    for bad in [wrong, "", "   ", &c[..5], &format!("{c}X"), &"A".repeat(40)] {
        let res = check_in(&app, &s.id, &rider, bad).await;
        let problem = assert_problem(res, 422, "invalid_checkin_code").await;
        assert_eq!(error_fields(&problem), ["code"], "{bad:?}");
        assert_eq!(error_code(&problem, "code"), "invalid_checkin_code");
    }
    let res = app
        .post(
            &format!("/api/v1/stations/{}/check-ins", s.id),
            Some(&rider),
            json!({}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_code(&problem, "code"), "required");
    assert_eq!(app.check_in_count().await, 0);
    assert_eq!(occupancy(&app.station(&s.id).await), 0);
    assert_eq!(nearby_occupancy(&app, &s.id).await, 0);
    // A code from another station does not work here.
    let other = app
        .create_station(&s.admin, station_body("别的驿站", 31.3, 121.5))
        .await;
    let other_code = code(&app, other["id"].as_str().unwrap(), &s.admin).await;
    if other_code["code"] != c.as_str() {
        let res = check_in(&app, &s.id, &rider, other_code["code"].as_str().unwrap()).await;
        assert_problem(res, 422, "invalid_checkin_code").await;
    }
    assert_eq!(app.check_in_count().await, 0);
}

#[tokio::test]
async fn after_rotation_the_old_code_fails_and_the_new_one_works() {
    let app = spawn().await;
    let s = station(&app).await;
    let old = code(&app, &s.id, &s.operator).await;
    let rotate = format!("/api/v1/stations/{}/checkin-code/rotate", s.id);
    let res = app.post(&rotate, Some(&s.operator), json!({})).await;
    assert_eq!(res.status(), 200, "on {}", backend());
    let new: Value = res.json().await.unwrap();
    assert_ne!(new["code"], old["code"]);
    assert!(ts(&new["rotated_at"]) > ts(&old["rotated_at"]));
    assert!(new["qr_svg"].as_str().unwrap().contains("<svg"));
    assert_ne!(new["qr_svg"], old["qr_svg"]);
    assert!(new["checkin_url"]
        .as_str()
        .unwrap()
        .contains(new["code"].as_str().unwrap()));
    assert_eq!(
        code(&app, &s.id, &s.operator).await,
        new,
        "GET shows the new code"
    );

    let rider = app.rider_token().await;
    let res = check_in(&app, &s.id, &rider, old["code"].as_str().unwrap()).await;
    assert_problem(res, 422, "invalid_checkin_code").await;
    assert_eq!(app.check_in_count().await, 0);
    let res = check_in(&app, &s.id, &rider, new["code"].as_str().unwrap()).await;
    assert_eq!(res.status(), 201);
    // Admins rotate too.
    let res = app.post(&rotate, Some(&s.admin), json!({})).await;
    assert_eq!(res.status(), 200);
    let newest: Value = res.json().await.unwrap();
    assert_ne!(newest["code"], new["code"]);
    let second = app.rider_token().await;
    let res = check_in(&app, &s.id, &second, new["code"].as_str().unwrap()).await;
    assert_problem(res, 422, "invalid_checkin_code").await;
    assert_eq!(app.check_in_count().await, 1);
}

#[tokio::test]
async fn only_riders_check_in() {
    let app = spawn().await;
    let s = station(&app).await;
    let c = code(&app, &s.id, &s.operator).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let staff = token(&app.user_with_role(Role::Staff, Some("310106")).await).to_string();
    for t in [&s.operator, &staff, &s.admin] {
        let res = check_in(&app, &s.id, t, &c).await;
        assert_problem(res, 403, "forbidden").await;
    }
    assert_problem(check_in_anon(&app, &s.id, &c).await, 401, "unauthorized").await;
    assert_eq!(app.check_in_count().await, 0);
    assert_eq!(occupancy(&app.station(&s.id).await), 0);
}

async fn check_in_anon(app: &TestApp, id: &str, code: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/stations/{id}/check-ins"),
        None,
        json!({ "code": code }),
    )
    .await
}

#[tokio::test]
async fn more_than_ten_attempts_a_minute_is_429_with_retry_after() {
    let app = spawn().await;
    let s = station(&app).await;
    let c = code(&app, &s.id, &s.operator).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let wrong = if c == "AAAAAA" { "BBBBBB" } else { "AAAAAA" };
    let rider = app.rider_token().await;
    for _ in 0..10 {
        let res = check_in(&app, &s.id, &rider, wrong).await;
        assert_problem(res, 422, "invalid_checkin_code").await;
    }
    // The eleventh is refused even with the right code, and nothing is written.
    let res = check_in(&app, &s.id, &rider, &c).await;
    let retry = header(&res, "retry-after").expect("Retry-After");
    let secs: u64 = retry.parse().expect("seconds");
    assert!((1..=60).contains(&secs), "{secs}");
    assert_problem(res, 429, "rate_limited").await;
    assert_eq!(app.check_in_count().await, 0);
    // Another rider is not throttled by the first one's guesses.
    let other = app.rider_token().await;
    assert_eq!(check_in(&app, &s.id, &other, &c).await.status(), 201);
}

#[tokio::test]
async fn no_check_in_at_a_closed_or_unknown_station() {
    let app = spawn().await;
    let s = station(&app).await;
    let c = code(&app, &s.id, &s.operator).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let rider = app.rider_token().await;
    let res = app
        .delete(&format!("/api/v1/stations/{}", s.id), Some(&s.admin))
        .await;
    assert_eq!(res.status(), 204);
    assert_problem(check_in(&app, &s.id, &rider, &c).await, 404, "not_found").await;
    let unknown = uuid::Uuid::now_v7().to_string();
    assert_problem(check_in(&app, &unknown, &rider, &c).await, 404, "not_found").await;
    let res = app
        .post(
            "/api/v1/stations/not-a-uuid/check-ins",
            Some(&rider),
            json!({"code": c}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
    assert_eq!(app.check_in_count().await, 0);
}
