//! Who may write and read a station's log: authorization inside the station query.

use serde_json::{json, Value};

use super::support::*;
use crate::helpers::*;

#[tokio::test]
async fn only_the_stations_operators_and_admins_write() {
    let w = world().await;
    let body = json!({"service_type": "hot_water"});
    for (who, token, status, code) in [
        ("rider", &w.rider1, 403, "forbidden"),
        ("other operator", &w.op2, 403, "forbidden"),
        ("street staff", &w.street1, 403, "forbidden"),
        ("district staff", &w.district1, 403, "forbidden"),
    ] {
        let res = post_logs(&w.app, token, &w.s1, None, &body).await;
        assert_eq!(res.status(), status, "{who}");
        assert_problem(res, status, code).await;
    }
    let res = w.app.post(&logs_path(&w.s1), None, body.clone()).await;
    assert_problem(res, 401, "unauthorized").await;
    let missing = uuid::Uuid::now_v7().to_string();
    let res = post_logs(&w.app, &w.admin, &missing, None, &body).await;
    assert_problem(res, 404, "not_found").await;
    assert_eq!(log_rows(&w.app).await, 0);

    log_ok(&w.app, &w.admin, &w.s1, body.clone()).await;
    log_ok(&w.app, &w.op1, &w.s1, body).await;
    assert_eq!(log_rows(&w.app).await, 2);
}

#[tokio::test]
async fn reads_are_for_the_station_its_region_and_admins() {
    let w = world().await;
    log_ok(&w.app, &w.op1, &w.s1, json!({"service_type": "hot_water"})).await;
    let list = logs_path(&w.s1);
    let sum = format!("/api/v1/stations/{}/summary", w.s1);
    for (who, token) in [
        ("operator", &w.op1),
        ("street staff", &w.street1),
        ("district staff", &w.district1),
        ("city staff", &w.city),
        ("admin", &w.admin),
    ] {
        let res = w.app.get(&list, Some(token)).await;
        assert_eq!(res.status(), 200, "{who} list");
        let page: Value = res.json().await.unwrap();
        assert_eq!(page["total"], 1, "{who}");
        let res = w.app.get(&sum, Some(token)).await;
        assert_eq!(res.status(), 200, "{who} summary");
    }
    for (who, token) in [
        ("other operator", &w.op2),
        ("other street", &w.street2),
        ("other district", &w.district2),
    ] {
        assert_problem(w.app.get(&list, Some(token)).await, 403, "forbidden").await;
        assert_problem(w.app.get(&sum, Some(token)).await, 403, "forbidden").await;
        let _ = who;
    }
    assert_problem(w.app.get(&list, Some(&w.rider1)).await, 403, "forbidden").await;
    assert_problem(w.app.get(&list, None).await, 401, "unauthorized").await;
}

#[tokio::test]
async fn staff_see_counts_but_not_who_was_served() {
    let w = world().await;
    let code = crate::points::support::new_code(&w.app, &w.rider1).await;
    let res = w
        .app
        .post(
            &format!("/api/v1/stations/{}/rider-identifications", w.s1),
            Some(&w.op1),
            json!({"code": code["code"]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let rider: Value = res.json().await.unwrap();
    log_ok(
        &w.app,
        &w.op1,
        &w.s1,
        json!({"service_type": "repair", "rider_id": rider["rider_id"]}),
    )
    .await;

    let page: Value = w
        .app
        .get(&logs_path(&w.s1), Some(&w.district1))
        .await
        .json()
        .await
        .unwrap();
    assert!(page["items"][0]["rider_id"].is_null());
    assert!(page["items"][0]["rider_name"].is_null());
    let s = summary(&w.app, &w.district1, &w.s1, None).await;
    assert_eq!(s["unique_riders"], 1);
    assert!(s["check_in_list"].is_null(), "{s}");

    let page: Value = w
        .app
        .get(&logs_path(&w.s1), Some(&w.op1))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["rider_id"], rider["rider_id"]);
    assert_eq!(page["items"][0]["rider_name"], "测试骑手");
}

#[tokio::test]
async fn the_poster_is_a_printable_page_for_the_stations_operator() {
    let w = world().await;
    let path = format!("/api/v1/stations/{}/poster", w.s1);
    let res = w.app.get(&path, Some(&w.op1)).await;
    assert_eq!(res.status(), 200);
    assert!(header(&res, "content-type")
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-store"));
    let html = res.text().await.unwrap();
    let code = crate::points::support::checkin_code(&w.app, &w.s1, &w.op1).await;
    assert!(html.contains("@page"), "A4 print rules");
    assert!(html.contains("静安寺街道暖新驿站"));
    assert!(html.contains(&format!(">{code}<")), "the code in print");
    assert!(html.contains("<svg"));
    assert!(html.contains("Scan the QR code"));
    assert_problem(w.app.get(&path, Some(&w.op2)).await, 403, "forbidden").await;
    assert_problem(w.app.get(&path, Some(&w.rider1)).await, 403, "forbidden").await;
}

#[tokio::test]
async fn a_station_closed_for_good_takes_no_more_logs() {
    let w = world().await;
    let res = w
        .app
        .delete(&format!("/api/v1/stations/{}", w.s1), Some(&w.admin))
        .await;
    assert_eq!(res.status(), 204);
    let res = post_logs(
        &w.app,
        &w.op1,
        &w.s1,
        None,
        &json!({"service_type": "hot_water"}),
    )
    .await;
    assert_problem(res, 409, "station_closed").await;
    assert_eq!(log_rows(&w.app).await, 0);
}
