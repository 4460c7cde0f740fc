//! The state machine over HTTP: the whole loop to a rating, rejection, cancellation, reopening,
//! escalation by hand, and the hazard-report reward.

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde_json::json;

use super::support::*;
use crate::helpers::*;

#[tokio::test]
async fn the_loop_closes_with_the_riders_rating() {
    let w = world().await;
    let id = id(&create(&w.app, &w.rider1, at_station("vehicle_breakdown", &w.s1)).await);
    let d = act_ok(&w.app, &w.op1, &id, "accept", None).await;
    assert_eq!(d["status"], "accepted");
    assert_eq!(
        d["due_at"], d["resolve_due_at"],
        "now the resolve deadline runs"
    );
    assert_eq!(actions(&d), ["start", "escalate"]);
    let d = act_ok(&w.app, &w.op1, &id, "start", Some("已联系附近修车师傅")).await;
    assert_eq!(d["status"], "in_progress");
    let d = act_ok(&w.app, &w.op1, &id, "resolve", Some("已换胎")).await;
    assert_eq!(d["status"], "resolved");
    assert!(d["due_at"].is_null());
    assert!(d["resolved_at"].is_string());
    assert!(actions(&d).is_empty(), "nothing left for the operator");

    let seen = detail_ok(&w.app, &w.rider1, &id).await;
    assert_eq!(actions(&seen), ["reopen", "feedback"]);
    let until = ts(&seen["reopen_until"]) - ts(&seen["resolved_at"]);
    assert_eq!(until, Duration::days(7));

    let res = rate(
        &w.app,
        &w.rider1,
        &id,
        json!({"rating": 5, "comment": "很及时，谢谢！"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let d: serde_json::Value = res.json().await.unwrap();
    assert_eq!(d["status"], "closed");
    assert_eq!(d["rating"], 5);
    assert_eq!(d["feedback"]["rating"], 5);
    assert_eq!(d["feedback"]["comment"], "很及时，谢谢！");
    assert!(d["reopen_until"].is_null() && d["due_at"].is_null());
    assert!(actions(&d).is_empty());
    assert_eq!(
        kinds(&d),
        [
            "submitted",
            "accepted",
            "started",
            "resolved",
            "feedback",
            "closed"
        ]
    );
    let timeline = d["timeline"].as_array().unwrap();
    assert_eq!(timeline[1]["actor_role"], "operator");
    assert_eq!(timeline[1]["from_status"], "submitted");
    assert_eq!(timeline[1]["to_status"], "accepted");
    assert_eq!(timeline[2]["note"], "已联系附近修车师傅");
    assert_eq!(timeline[5]["from_status"], "resolved");
    assert_eq!(timeline[5]["to_status"], "closed");

    // Once only.
    let again = rate(&w.app, &w.rider1, &id, json!({"rating": 1})).await;
    let p = assert_problem(again, 409, "transition_not_allowed").await;
    assert_eq!(p["allowed_actions"], json!([]));
}

#[tokio::test]
async fn rejecting_needs_a_reason_and_ends_it() {
    let w = world().await;
    let id = id(&create(&w.app, &w.rider1, at_station("other", &w.s1)).await);
    let p = assert_problem(
        act(&w.app, &w.op1, &id, "reject", None).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_code(&p, "note"), "required");
    let p = assert_problem(
        act(&w.app, &w.op1, &id, "reject", Some("   ")).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_code(&p, "note"), "required");
    assert_eq!(events_of(&w.app, &id, "rejected").await, 0);

    let d = act_ok(
        &w.app,
        &w.op1,
        &id,
        "reject",
        Some("不属于驿站服务范围，请拨打12345"),
    )
    .await;
    assert_eq!(d["status"], "rejected");
    assert!(d["due_at"].is_null());
    assert_eq!(d["timeline"][1]["note"], "不属于驿站服务范围，请拨打12345");
    for action in ["accept", "start", "resolve", "escalate", "reject"] {
        let res = act(&w.app, &w.op1, &id, action, Some("x")).await;
        let p = assert_problem(res, 409, "transition_not_allowed").await;
        assert_eq!(p["allowed_actions"], json!([]), "{action}");
    }
    let p = assert_problem(
        act(&w.app, &w.rider1, &id, "cancel", None).await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert_eq!(p["allowed_actions"], json!([]));
}

#[tokio::test]
async fn steps_cannot_be_skipped_and_the_refusal_says_what_can_be_done() {
    let w = world().await;
    let id = id(&create(&w.app, &w.rider1, at_station("other", &w.s1)).await);
    let p = assert_problem(
        act(&w.app, &w.op1, &id, "resolve", None).await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert_eq!(
        p["allowed_actions"],
        json!(["accept", "reject", "escalate"])
    );
    let p = assert_problem(
        act(&w.app, &w.op1, &id, "start", None).await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert_eq!(
        p["allowed_actions"],
        json!(["accept", "reject", "escalate"])
    );
    let p = assert_problem(
        act(&w.app, &w.rider1, &id, "reopen", None).await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert_eq!(p["allowed_actions"], json!(["cancel"]));
    assert_eq!(row(&w.app, &id).await.version, 0, "nothing was written");
}

#[tokio::test]
async fn riders_cancel_before_resolution_only() {
    let w = world().await;
    let id1 = id(&create(&w.app, &w.rider1, at_station("other", &w.s1)).await);
    act_ok(&w.app, &w.op1, &id1, "accept", None).await;
    act_ok(&w.app, &w.op1, &id1, "start", None).await;
    let d = act_ok(&w.app, &w.rider1, &id1, "cancel", Some("问题已自行解决")).await;
    assert_eq!(d["status"], "cancelled");
    assert!(d["due_at"].is_null());
    assert_eq!(
        d["timeline"].as_array().unwrap().last().unwrap()["actor_role"],
        "rider"
    );

    let id2 = id(&create(&w.app, &w.rider1, at_station("other", &w.s1)).await);
    for a in ["accept", "start", "resolve"] {
        act_ok(&w.app, &w.op1, &id2, a, None).await;
    }
    let p = assert_problem(
        act(&w.app, &w.rider1, &id2, "cancel", None).await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert_eq!(p["allowed_actions"], json!(["reopen", "feedback"]));
}

async fn resolved(w: &World) -> String {
    let id = id(&create(&w.app, &w.rider1, at_station("customer_dispute", &w.s1)).await);
    for a in ["accept", "start", "resolve"] {
        act_ok(&w.app, &w.op1, &id, a, None).await;
    }
    id
}

#[tokio::test]
async fn a_rider_may_reopen_once_within_seven_days() {
    let w = world().await;
    let id = resolved(&w).await;
    let d = act_ok(&w.app, &w.rider1, &id, "reopen", Some("顾客又来投诉了")).await;
    assert_eq!(d["status"], "reopened");
    assert_eq!(d["reopen_count"], 1);
    assert!(d["resolved_at"].is_null());
    // A fresh accept window (normal: 24 h) from now.
    let due = (ts(&d["due_at"]) - Utc::now()).num_minutes();
    assert!((24 * 60 - 2..=24 * 60).contains(&due), "{due}");
    assert_eq!(d["due_at"], d["accept_due_at"]);

    let seen = detail_ok(&w.app, &w.op1, &id).await;
    assert_eq!(actions(&seen), ["start", "reject", "escalate"]);
    act_ok(&w.app, &w.op1, &id, "start", None).await;
    let d = act_ok(&w.app, &w.op1, &id, "resolve", None).await;
    assert!(d["reopen_until"].is_null(), "the one reopening is used");
    let p = assert_problem(
        act(&w.app, &w.rider1, &id, "reopen", None).await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert_eq!(p["allowed_actions"], json!(["feedback"]));
    assert_eq!(
        kinds(&detail_ok(&w.app, &w.rider1, &id).await),
        [
            "submitted",
            "accepted",
            "started",
            "resolved",
            "reopened",
            "started",
            "resolved"
        ]
    );

    // Eight days after its resolution, another request can no longer be reopened.
    let old = resolved(&w).await;
    let mut r = row(&w.app, &old).await.into_active_model();
    r.resolved_at = Set(Some(Utc::now() - Duration::days(8)));
    r.update(&w.app.state.db).await.unwrap();
    let seen = detail_ok(&w.app, &w.rider1, &old).await;
    assert!(seen["reopen_until"].is_null());
    assert_eq!(actions(&seen), ["feedback"], "rating stays possible");
    let p = assert_problem(
        act(&w.app, &w.rider1, &old, "reopen", None).await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("7 days"), "{p}");
}

#[tokio::test]
async fn handlers_escalate_by_hand_up_to_the_city() {
    let w = world().await;
    let id = id(&create(&w.app, &w.rider1, at_station("psychological", &w.s1)).await);
    let d = act_ok(&w.app, &w.op1, &id, "escalate", Some("需要专业心理咨询")).await;
    assert_eq!(d["tier"], "street");
    assert_eq!(d["status"], "submitted", "escalation keeps the status");
    let last = d["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "escalated");
    assert_eq!(last["tier"], "street");
    assert_eq!(last["from_tier"], "station");
    assert_eq!(last["note"], "需要专业心理咨询");
    // Out of the operator's hands, still in their view.
    assert!(actions(&d).is_empty());
    let p = assert_problem(
        act(&w.app, &w.op1, &id, "accept", None).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(p["allowed_actions"], json!([]));

    act_ok(&w.app, &w.street1, &id, "accept", None).await;
    let d = act_ok(&w.app, &w.street1, &id, "escalate", None).await;
    assert_eq!(
        (d["tier"].as_str(), d["status"].as_str()),
        (Some("district"), Some("accepted"))
    );
    let due = (ts(&d["due_at"]) - Utc::now()).num_minutes();
    assert!(
        (7 * 24 * 60 - 2..=7 * 24 * 60).contains(&due),
        "a fresh resolve window: {due}"
    );
    assert!(
        assert_problem(
            act(&w.app, &w.street1, &id, "start", None).await,
            403,
            "forbidden"
        )
        .await["allowed_actions"]
            == json!([])
    );
    let d = act_ok(&w.app, &w.district1, &id, "escalate", None).await;
    assert_eq!(d["tier"], "city");
    let p = assert_problem(
        act(&w.app, &w.city, &id, "escalate", None).await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert_eq!(p["allowed_actions"], json!(["start"]));
    act_ok(&w.app, &w.city, &id, "start", None).await;
    let d = act_ok(&w.app, &w.admin, &id, "resolve", None).await;
    assert_eq!(
        d["timeline"].as_array().unwrap().last().unwrap()["actor_role"],
        "admin"
    );
}

#[tokio::test]
async fn accepting_a_hazard_report_pays_the_rider_once() {
    let w = world().await;
    let rider = me_id(&w.app, &w.rider1).await;
    let balance = || warmnew::points::ledger::balance(&w.app.state.db, rider);
    let id = id(&create(&w.app, &w.rider1, at_station("hazard_report", &w.s1)).await);
    assert_eq!(balance().await.unwrap(), 0);
    act_ok(&w.app, &w.district1, &id, "accept", None).await;
    assert_eq!(balance().await.unwrap(), 20);
    // Anything after that pays nothing more.
    act_ok(&w.app, &w.district1, &id, "start", None).await;
    act_ok(&w.app, &w.district1, &id, "resolve", None).await;
    act_ok(&w.app, &w.rider1, &id, "reopen", None).await;
    act_ok(&w.app, &w.district1, &id, "start", None).await;
    assert_eq!(balance().await.unwrap(), 20);
    // Other categories pay nothing.
    let other = id_of_accepted(&w).await;
    assert!(!other.is_empty());
    assert_eq!(balance().await.unwrap(), 20);
}

async fn id_of_accepted(w: &World) -> String {
    let id = id(&create(&w.app, &w.rider1, at_station("other", &w.s1)).await);
    act_ok(&w.app, &w.op1, &id, "accept", None).await;
    id
}
