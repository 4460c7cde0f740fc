//! Bad input on every help route: problem+json naming the field, and nothing written.

use serde_json::{json, Value};

use super::support::*;
use crate::helpers::*;

/// Posts `body` as rider 1 and asserts a 422 naming exactly `fields`.
async fn refused(w: &World, body: Value, fields: &[&str]) -> Value {
    let res = post_request(&w.app, &w.rider1, body.clone()).await;
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&p), fields, "for {body}");
    p
}

#[tokio::test]
async fn bad_new_requests_are_refused_field_by_field() {
    let w = world().await;
    let good = at_station("other", &w.s1);
    let with = |k: &str, v: Value| {
        let mut b = good.clone();
        b[k] = v;
        b
    };
    refused(
        &w,
        with("category", json!("alien_abduction")),
        &["category"],
    )
    .await;
    refused(&w, with("category", json!(7)), &["category"]).await;
    refused(&w, with("urgency", json!("panic")), &["urgency"]).await;
    let p = refused(&w, with("description", json!("   \n ")), &["description"]).await;
    assert_eq!(error_code(&p, "description"), "required");
    let p = refused(
        &w,
        with("description", json!("长".repeat(2001))),
        &["description"],
    )
    .await;
    assert_eq!(error_code(&p, "description"), "too_long");
    let p = refused(
        &w,
        with("description", json!("a\u{0007}b")),
        &["description"],
    )
    .await;
    assert_eq!(error_code(&p, "description"), "invalid_characters");
    let mut no_description = good.clone();
    no_description
        .as_object_mut()
        .unwrap()
        .remove("description");
    refused(&w, no_description, &["description"]).await;
    refused(&w, with("lat", json!(31.2)), &["lng"]).await;
    refused(&w, with("lng", json!(121.4)), &["lat"]).await;
    let p = refused(&w, at_point("other", (91.0, 121.4)), &["lat"]).await;
    assert_eq!(error_code(&p, "lat"), "out_of_range");
    refused(&w, at_point("other", (31.2, -180.5)), &["lng"]).await;
    refused(&w, at_point("other", (-90.1, 181.0)), &["lat", "lng"]).await;
    refused(&w, with("lat", json!("north")), &["lat"]).await;
    refused(&w, with("coord", json!("bd09")), &["coord"]).await;
    let p = refused(
        &w,
        with("station_id", json!(uuid::Uuid::now_v7())),
        &["station_id"],
    )
    .await;
    assert_eq!(error_code(&p, "station_id"), "unknown_station");
    refused(&w, with("station_id", json!("station-1")), &["station_id"]).await;
    refused(&w, with("tier", json!("city")), &["tier"]).await;
    // Several at once are all named.
    let mut many = at_point("other", (95.0, 121.0));
    many["description"] = json!("");
    many["station_id"] = json!(uuid::Uuid::now_v7());
    refused(&w, many, &["description", "lat", "station_id"]).await;
    // Not JSON, or not an object.
    let res = w
        .app
        .post_raw(
            "/api/v1/help-requests",
            "application/json",
            "{\"category\":",
        )
        .await;
    assert_eq!(res.status(), 401, "no token: authentication comes first");
    let res = w
        .app
        .client
        .post(w.app.url("/api/v1/help-requests"))
        .bearer_auth(&w.rider1)
        .header("content-type", "application/json")
        .body("{\"category\":")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "malformed_json").await;
    assert_eq!(counts(&w.app).await, (0, 0, 0), "nothing was written");

    // The limits themselves are fine.
    create(
        &w.app,
        &w.rider1,
        with("description", json!("长".repeat(2000))),
    )
    .await;
    create(&w.app, &w.rider1, at_point("other", (-90.0, 180.0))).await;
}

#[tokio::test]
async fn bad_transitions_and_feedback_write_nothing() {
    let w = world().await;
    let id = id(&create(&w.app, &w.rider1, at_station("other", &w.s1)).await);
    let path = format!("/api/v1/help-requests/{id}/transitions");
    let before = counts(&w.app).await;
    for (body, field) in [
        (json!({"action": "teleport"}), "action"),
        (json!({"action": 3}), "action"),
        (json!({}), "action"),
        (
            json!({"action": "accept", "note": "长".repeat(501)}),
            "note",
        ),
        (json!({"action": "accept", "note": 5}), "note"),
        (json!({"action": "accept", "urgency": "sos"}), "urgency"),
        (json!({"action": "reject"}), "note"),
    ] {
        let res = w.app.post(&path, Some(&w.op1), body.clone()).await;
        let p = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&p), [field], "for {body}");
    }
    // Feedback before resolution: a state conflict.
    let p = assert_problem(
        rate(&w.app, &w.rider1, &id, json!({"rating": 5})).await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert_eq!(p["allowed_actions"], json!(["cancel"]));
    assert_eq!(counts(&w.app).await, before);
    assert_eq!(row(&w.app, &id).await.version, 0);

    for a in ["accept", "start", "resolve"] {
        act_ok(&w.app, &w.op1, &id, a, None).await;
    }
    let before = counts(&w.app).await;
    let version = row(&w.app, &id).await.version;
    for (body, field) in [
        (json!({"rating": 0}), "rating"),
        (json!({"rating": 6}), "rating"),
        (json!({"rating": -1}), "rating"),
        (json!({"rating": 3.5}), "rating"),
        (json!({"rating": "five"}), "rating"),
        (json!({"rating": 1e30}), "rating"),
        (json!({}), "rating"),
        (json!({"rating": 4, "comment": "长".repeat(501)}), "comment"),
        (json!({"rating": 4, "stars": 4}), "stars"),
    ] {
        let p = assert_problem(
            rate(&w.app, &w.rider1, &id, body.clone()).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&p), [field], "for {body}");
    }
    assert_eq!(counts(&w.app).await, before);
    assert_eq!(row(&w.app, &id).await.version, version);
    assert_eq!(row(&w.app, &id).await.status, "resolved");

    // The good one closes it; the second is a conflict and changes nothing.
    let res = rate(
        &w.app,
        &w.rider1,
        &id,
        json!({"rating": 4, "comment": "   "}),
    )
    .await;
    let d: Value = res.json().await.unwrap();
    assert_eq!(d["status"], "closed");
    assert!(
        d["feedback"]["comment"].is_null(),
        "a blank comment is no comment"
    );
    let after = counts(&w.app).await;
    let p = assert_problem(
        rate(&w.app, &w.rider1, &id, json!({"rating": 2})).await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert_eq!(p["allowed_actions"], json!([]));
    assert_eq!(counts(&w.app).await, after);
    assert_eq!(row(&w.app, &id).await.rating, Some(4));
}

#[tokio::test]
async fn bad_list_parameters_are_named() {
    let w = world().await;
    for (query, field) in [
        ("status=open", "status"),
        ("status=submitted,bogus", "status"),
        ("category=ufo", "category"),
        ("tier=planet", "tier"),
        ("overdue=maybe", "overdue"),
        ("page=0", "page"),
        ("page=x", "page"),
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("per_page=-5", "per_page"),
    ] {
        let res = w
            .app
            .get(&format!("/api/v1/help-requests?{query}"), Some(&w.op1))
            .await;
        let p = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&p), [field], "for {query}");
    }
    assert_eq!(
        list(&w.app, &w.op1, "per_page=100&overdue=false&status=").await["per_page"],
        100
    );
}
