//! Opening hours that tell the truth: no invented closing times, nothing promised by a
//! station its operator closed, and the sun where the station is.

use chrono::{Duration, Timelike, Utc};
use chrono_tz::Asia::Shanghai;
use serde_json::{json, Value};

use crate::helpers::*;

async fn station_with(
    app: &TestApp,
    admin: &str,
    name: &str,
    hours: &str,
    at: (f64, f64),
) -> Value {
    let mut body = station_body(name, at.0, at.1);
    body["opening_hours"] = json!(hours);
    app.create_station(admin, body).await
}

/// Open from an hour ago to two hours from now (Asia/Shanghai), whatever time it is.
fn open_around_now() -> String {
    let now = Utc::now().with_timezone(&Shanghai);
    let from = now - Duration::hours(1);
    let to = now + Duration::hours(2);
    format!("Mo-Su {:02}:00-{:02}:00", from.hour(), to.hour())
}

#[tokio::test]
async fn open_ends_and_comments_report_unknown_without_inventing_a_closing_time() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    for (i, hours) in [
        "00:00+",
        "\"请提前电话联系\"",
        "Mo-Su 00:00+ \"关门时间不定\"",
    ]
    .iter()
    .enumerate()
    {
        let s = station_with(
            &app,
            &admin,
            &format!("开放式驿站{i}"),
            hours,
            (31.2304, 121.4737),
        )
        .await;
        let id = s["id"].as_str().unwrap();
        for v in [s.clone(), app.station(id).await] {
            assert_eq!(v["hours_state"], "unknown", "{hours}: {v}");
            assert_eq!(v["open_now"], false, "{hours}: {v}");
            assert_eq!(v["closes_at"], Value::Null, "{hours}: {v}");
            assert_eq!(v["opens_at"], Value::Null, "{hours}: {v}");
        }
        let near = app
            .nearby("lat=31.2304&lng=121.4737&radius_m=200&limit=50")
            .await;
        let card = near.iter().find(|c| c["id"] == s["id"]).expect("in nearby");
        assert_eq!(card["hours_state"], "unknown", "{hours}: {card}");
        assert_eq!(card["closes_at"], Value::Null, "{hours}: {card}");
    }
}

#[tokio::test]
async fn a_temporarily_closed_station_has_no_closing_or_opening_time() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let hours = open_around_now();
    let s = station_with(&app, &admin, "临时关闭驿站", &hours, (31.2304, 121.4737)).await;
    let id = s["id"].as_str().unwrap();
    assert_eq!(s["open_now"], true, "{hours}: {s}");
    assert!(s["closes_at"].is_string(), "{s}");
    let res = app
        .patch(
            &format!("/api/v1/stations/{id}"),
            Some(&admin),
            json!({"status": "temporarily_closed"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let closed: Value = res.json().await.unwrap();
    for v in [closed, app.station(id).await] {
        assert_eq!(v["open_now"], false, "{v}");
        assert_eq!(v["hours_state"], "open", "the hours still say open: {v}");
        assert_eq!(v["closes_at"], Value::Null, "{v}");
        assert_eq!(v["opens_at"], Value::Null, "{v}");
    }
    let near = app.nearby("lat=31.2304&lng=121.4737&radius_m=200").await;
    assert_eq!(near[0]["closes_at"], Value::Null, "{}", near[0]);
}

/// The next sun event of a `sunrise-sunset` station, in Shanghai time: (is sunset, time).
fn sun_event(v: &Value) -> (bool, chrono::DateTime<chrono_tz::Tz>) {
    match (&v["closes_at"], &v["opens_at"]) {
        (c, _) if c.is_string() => (true, ts(c).with_timezone(&Shanghai)),
        (_, o) if o.is_string() => (false, ts(o).with_timezone(&Shanghai)),
        _ => panic!("no sun event in {v}"),
    }
}

#[tokio::test]
async fn sunrise_and_sunset_follow_the_stations_coordinates() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let shanghai = station_with(
        &app,
        &admin,
        "日出驿站上海",
        "sunrise-sunset",
        (31.2304, 121.4737),
    )
    .await;
    // Far west, on the same clock: the sun rises and sets over two hours later.
    let urumqi = station_with(
        &app,
        &admin,
        "日出驿站乌鲁木齐",
        "sunrise-sunset",
        (43.825, 87.617),
    )
    .await;
    let (sunset, at) = sun_event(&shanghai);
    for fixed in [7, 19] {
        assert!(
            !(at.hour() == fixed && at.minute() == 0 && at.second() == 0),
            "a fixed {fixed}:00 instead of the sun: {shanghai}"
        );
    }
    let (west_sunset, west_at) = sun_event(&urumqi);
    if west_sunset == sunset {
        let minutes = |t: chrono::DateTime<chrono_tz::Tz>| (t.hour() * 60 + t.minute()) as i64;
        let later = minutes(west_at) - minutes(at);
        assert!(
            (60..=240).contains(&later),
            "{later} min: {shanghai} / {urumqi}"
        );
    }
    assert_ne!(at.time(), west_at.time(), "{shanghai} / {urumqi}");
}
