//! PIPL portability: `GET /me/export` holds every kind of thing stored about the rider —
//! quiz attempts with answers, redemption codes and redemptions, each help request's timeline —
//! and nothing of another rider's.

use serde_json::{json, Value};

use crate::lessons::{attempt_ok, helmet_right, spawn_with_fixtures, HELMET};
use crate::points::support::{new_code, redeem, reward, reward_body, rider, setup};

#[tokio::test]
async fn the_export_is_complete() {
    let app = spawn_with_fixtures().await;
    let s = setup(&app).await;
    let me = rider(&app).await;
    let other = rider(&app).await;

    attempt_ok(&app, &me.token, HELMET, helmet_right()).await;
    attempt_ok(&app, &other.token, HELMET, helmet_right()).await;
    let prize = reward(&app, &s.admin, reward_body("矿泉水", 5, None, None)).await;
    let code = new_code(&app, &me.token).await;
    let res = redeem(
        &app,
        &s.station,
        &s.operator,
        code["code"].as_str().unwrap(),
        &prize,
    )
    .await;
    assert!(res.status().is_success(), "redeem: {}", res.status());
    new_code(&app, &me.token).await;

    let res = app
        .post(
            "/api/v1/help-requests",
            Some(&me.token),
            json!({"category": "vehicle_breakdown", "description": "车坏了", "station_id": s.station}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let filed: Value = res.json().await.unwrap();
    let res = app
        .post(
            &format!(
                "/api/v1/help-requests/{}/transitions",
                filed["id"].as_str().unwrap()
            ),
            Some(&s.operator),
            json!({"action": "accept", "note": "马上来"}),
        )
        .await;
    assert!(res.status().is_success(), "accept: {}", res.status());

    let export: Value = app
        .get("/api/v1/me/export", Some(&me.token))
        .await
        .json()
        .await
        .unwrap();
    let attempts = export["lesson_attempts"]
        .as_array()
        .expect("lesson_attempts");
    assert_eq!(attempts.len(), 1, "only mine: {export}");
    assert_eq!(attempts[0]["slug"], HELMET);
    assert_eq!(attempts[0]["score"], 100);
    assert_eq!(attempts[0]["answers"], json!(["b", "a", "c"]));

    let codes = export["redemption_codes"]
        .as_array()
        .expect("redemption_codes");
    assert_eq!(codes.len(), 2);
    assert!(codes.iter().filter(|c| !c["used_at"].is_null()).count() == 1);
    assert!(
        !export.to_string().contains(code["code"].as_str().unwrap()),
        "codes stay hashed"
    );

    let redemptions = export["redemptions"].as_array().expect("redemptions");
    assert_eq!(redemptions.len(), 1);
    assert_eq!(redemptions[0]["reward_id"], prize["id"]);
    assert_eq!(redemptions[0]["station_id"], s.station.as_str());

    let timeline = export["help_requests"][0]["timeline"]
        .as_array()
        .expect("timeline");
    let kinds: Vec<&str> = timeline
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.len() >= 2, "{kinds:?}");
    assert!(timeline
        .iter()
        .any(|e| e["note"] == "马上来" && e["actor_role"] == "operator"));
    assert!(!export.to_string().contains(&other.id.to_string()));
}
