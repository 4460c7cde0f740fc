//! GET /me/export carries what the rider filed and earned, and nobody else's.

use serde_json::Value;

use super::support::*;

#[tokio::test]
async fn the_export_holds_the_riders_requests_points_and_check_ins_only() {
    let w = world().await;
    let mine = create(&w.app, &w.rider1, at_station("vehicle_breakdown", &w.s1)).await;
    let theirs = create(&w.app, &w.rider2, at_station("other", &w.s1)).await;
    // A check-in pays points, so the export must show the visit and the ledger entry.
    let code: Value = w
        .app
        .get(
            &format!("/api/v1/stations/{}/checkin-code", w.s1),
            Some(&w.op1),
        )
        .await
        .json()
        .await
        .unwrap();
    let res = w
        .app
        .post(
            &format!("/api/v1/stations/{}/check-ins", w.s1),
            Some(&w.rider1),
            serde_json::json!({ "code": code["code"] }),
        )
        .await;
    assert!(res.status().is_success(), "check-in: {}", res.status());

    let export: Value = w
        .app
        .get("/api/v1/me/export", Some(&w.rider1))
        .await
        .json()
        .await
        .unwrap();
    let requests = export["help_requests"].as_array().unwrap();
    assert_eq!(requests.len(), 1, "{export}");
    assert_eq!(requests[0]["id"], mine["id"]);
    assert_eq!(requests[0]["description"], mine["description"]);
    assert_ne!(requests[0]["id"], theirs["id"]);
    let check_ins = export["check_ins"].as_array().unwrap();
    assert_eq!(check_ins.len(), 1);
    assert_eq!(check_ins[0]["station_id"], w.s1.as_str());
    let points = export["points"].as_array().unwrap();
    assert_eq!(points.len(), 1, "{export}");
    assert_eq!(points[0]["reason"], "check_in");
    assert!(points[0]["delta"].as_i64().unwrap() > 0);
    assert_eq!(export["star_opt_in"], false);
    assert!(export["lesson_progress"].as_array().unwrap().is_empty());
}
