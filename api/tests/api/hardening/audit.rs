//! PIPL audit log: staff/operator reads of rider data and denied access are recorded (who,
//! what, when, outcome) without a personal value; only admins read it; the database refuses
//! to change it.

use sea_orm::ConnectionTrait;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::help::support::*;
use crate::helpers::*;

const SECRET_TEXT: &str = "老板拖欠工资三个月 联系我13911112222";

/// The audit entries `query` selects, read as admin.
async fn entries(w: &World, query: &str) -> Vec<Value> {
    let res = w
        .app
        .get(&format!("/api/v1/admin/audit-log?{query}"), Some(&w.admin))
        .await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "audit log on {}: {body}", backend());
    body["items"].as_array().unwrap().clone()
}

/// One filed request at station 1 with words and a number in it; returns its id.
async fn filed(w: &World) -> String {
    let mut body = at_station("vehicle_breakdown", &w.s1);
    body["description"] = json!(SECRET_TEXT);
    id(&create(&w.app, &w.rider1, body).await)
}

fn assert_nothing_personal(rows: &[Value], rider_phone: &str) {
    let text = serde_json::to_string(rows).unwrap();
    for bad in ["老板", "13911112222", rider_phone, "骑手", "驿站"] {
        assert!(!text.contains(bad), "{bad:?} in the audit log: {text}");
    }
}

#[tokio::test]
async fn a_staff_read_is_recorded_without_personal_values() {
    let w = world().await;
    let request = filed(&w).await;
    let op = me_id(&w.app, &w.op1).await;
    let me: Value = w
        .app
        .get("/api/v1/me", Some(&w.rider1))
        .await
        .json()
        .await
        .unwrap();
    let phone = me["phone"].as_str().expect("own phone").to_string();
    assert_eq!(phone.len(), 11, "{phone}");

    detail_ok(&w.app, &w.op1, &request).await;
    list(&w.app, &w.district1, "").await;

    let reads = entries(&w, "action=help_request.read").await;
    assert_eq!(reads.len(), 1, "{reads:?}");
    let r = &reads[0];
    assert_eq!(r["actor_id"], json!(op.to_string()));
    assert_eq!(r["actor_role"], "operator");
    assert_eq!(r["outcome"], "allowed");
    assert_eq!(r["status"], 200);
    assert_eq!(r["method"], "GET");
    assert_eq!(r["route"], "/api/v1/help-requests/{id}");
    assert_eq!(r["object_id"], json!(request));
    let lists = entries(&w, "action=help_request.list&outcome=allowed").await;
    assert_eq!(lists.len(), 1, "{lists:?}");
    assert_eq!(lists[0]["actor_role"], "staff");
    assert_nothing_personal(&entries(&w, "per_page=100").await, &phone);
}

#[tokio::test]
async fn a_rider_reading_their_own_is_not_recorded() {
    let w = world().await;
    let request = filed(&w).await;
    let rider = me_id(&w.app, &w.rider1).await;
    detail_ok(&w.app, &w.rider1, &request).await;
    list(&w.app, &w.rider1, "").await;
    assert_eq!(
        entries(&w, &format!("actor_id={rider}")).await,
        Vec::<Value>::new()
    );
}

#[tokio::test]
async fn denied_reads_are_recorded() {
    let w = world().await;
    let request = filed(&w).await;
    let other = me_id(&w.app, &w.rider2).await;
    let far_op = me_id(&w.app, &w.op2).await;

    assert_problem(detail(&w.app, &w.rider2, &request).await, 404, "not_found").await;
    assert_problem(detail(&w.app, &w.op2, &request).await, 404, "not_found").await;

    let denied = entries(&w, "outcome=denied&action=help_request.read").await;
    let mut actors: Vec<String> = denied
        .iter()
        .map(|r| r["actor_id"].as_str().unwrap().to_string())
        .collect();
    actors.sort();
    let mut want = vec![other.to_string(), far_op.to_string()];
    want.sort();
    assert_eq!(actors, want, "{denied:?}");
    for r in &denied {
        assert_eq!(r["status"], 404);
        assert_eq!(r["object_id"], json!(request));
    }
    // Nothing was allowed to them.
    let allowed = entries(&w, &format!("outcome=allowed&actor_id={other}")).await;
    assert!(allowed.is_empty(), "{allowed:?}");
}

#[tokio::test]
async fn only_admins_read_the_audit_log() {
    let w = world().await;
    let res = w.app.get("/api/v1/admin/audit-log", None).await;
    assert_problem(res, 401, "unauthorized").await;
    for token in [&w.rider1, &w.op1, &w.city] {
        let res = w.app.get("/api/v1/admin/audit-log", Some(token)).await;
        assert_problem(res, 403, "forbidden").await;
    }
    // Each refusal is itself on the record, for the admin to see.
    let refused = entries(&w, "action=audit_log.list&outcome=denied").await;
    assert_eq!(refused.len(), 3, "{refused:?}");
    assert!(refused.iter().all(|r| r["status"] == 403));

    let res = w
        .app
        .get(
            "/api/v1/admin/audit-log?actor_id=x&outcome=maybe&per_page=101&from=yesterday",
            Some(&w.admin),
        )
        .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    let mut fields = error_fields(&body);
    fields.sort();
    assert_eq!(fields, ["actor_id", "from", "outcome", "per_page"]);
}

#[tokio::test]
async fn time_filters_and_paging() {
    let w = world().await;
    let request = filed(&w).await;
    for _ in 0..3 {
        detail_ok(&w.app, &w.op1, &request).await;
    }
    let res = w
        .app
        .get(
            "/api/v1/admin/audit-log?action=help_request.read&per_page=2",
            Some(&w.admin),
        )
        .await;
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["total"], 3);
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    // Newest first.
    assert!(ts(&items[0]["at"]) >= ts(&items[1]["at"]));
    let later = (chrono::Utc::now() + chrono::Duration::minutes(1)).to_rfc3339();
    let q = format!("action=help_request.read&from={}", urlencode(&later));
    assert!(entries(&w, &q).await.is_empty());
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn the_database_refuses_to_change_the_audit_log() {
    let w = world().await;
    let request = filed(&w).await;
    detail_ok(&w.app, &w.op1, &request).await;
    let db = &w.app.state.db;
    // Rows exist, so each statement would touch one.
    for sql in [
        "UPDATE audit_log SET status = 200",
        "UPDATE audit_log SET actor_id = NULL",
        "DELETE FROM audit_log",
    ] {
        let res = db.execute_unprepared(sql).await;
        assert!(res.is_err(), "{sql} was allowed on {}", backend());
    }
    if backend() == "postgres" {
        let res = db.execute_unprepared("TRUNCATE audit_log").await;
        assert!(res.is_err(), "TRUNCATE was allowed");
    }
    let reads = entries(&w, "action=help_request.read").await;
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0]["object_id"], json!(request));
    let _: Uuid = reads[0]["id"].as_str().unwrap().parse().unwrap();
}
