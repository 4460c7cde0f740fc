//! Every kind of bad entry is named, and nothing of a batch is written.

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use super::support::*;
use crate::helpers::*;

async fn refused(w: &World, body: Value) -> Value {
    let res = post_logs(&w.app, &w.op1, &w.s1, None, &body).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(log_rows(&w.app).await, 0, "nothing written for {body}");
    problem
}

#[tokio::test]
async fn each_bad_field_is_named_and_a_batch_is_all_or_nothing() {
    let w = world().await;
    let future = (Utc::now() + Duration::minutes(30)).to_rfc3339();
    let old = (Utc::now() - Duration::days(8)).to_rfc3339();
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({"service_type": "massage"}),
            "service_type",
            "unknown_service_type",
        ),
        (
            json!({"service_type": "hot_water", "quantity": 0}),
            "quantity",
            "out_of_range",
        ),
        (
            json!({"service_type": "hot_water", "quantity": 51}),
            "quantity",
            "out_of_range",
        ),
        (
            json!({"service_type": "hot_water", "quantity": "two"}),
            "quantity",
            "invalid_type",
        ),
        (
            json!({"service_type": "hot_water", "occurred_at": future}),
            "occurred_at",
            "in_the_future",
        ),
        (
            json!({"service_type": "hot_water", "occurred_at": old}),
            "occurred_at",
            "too_old",
        ),
        (
            json!({"service_type": "hot_water", "occurred_at": "-262143-01-01"}),
            "occurred_at",
            "invalid_datetime",
        ),
        (
            json!({"service_type": "hot_water", "note": "长".repeat(201)}),
            "note",
            "too_long",
        ),
        (
            json!({"service_type": "hot_water", "rider_id": "13800000001"}),
            "rider_id",
            "invalid_type",
        ),
        (
            json!({"service_type": "hot_water", "rider_id": uuid::Uuid::now_v7()}),
            "rider_id",
            "rider_not_identified",
        ),
        (
            json!({"service_type": "hot_water", "colour": "red"}),
            "colour",
            "unknown_field",
        ),
        (json!({"quantity": 2}), "service_type", "required"),
    ];
    for (body, field, code) in cases {
        let problem = refused(&w, body.clone()).await;
        assert_eq!(error_fields(&problem), [field], "{body}: {problem}");
        assert_eq!(error_code(&problem, field), code, "{body}");
    }

    // In a batch, the bad entry is named by its index and the good ones are not written.
    let problem = refused(
        &w,
        json!([entry("hot_water"), entry("toilet"), {"service_type": "hot_water", "quantity": 99}]),
    )
    .await;
    assert_eq!(error_fields(&problem), ["[2].quantity"]);
}

#[tokio::test]
async fn batch_size_and_shape_are_bounded() {
    let w = world().await;
    let big = Value::Array((0..201).map(|_| entry("hot_water")).collect());
    let problem = refused(&w, big).await;
    assert_eq!(error_code(&problem, "body"), "too_many");
    let problem = refused(&w, json!([])).await;
    assert_eq!(error_code(&problem, "body"), "empty");
    let problem = refused(&w, json!("hot_water")).await;
    assert_eq!(error_code(&problem, "body"), "invalid_type");
    // 200 is allowed.
    let full = Value::Array((0..200).map(|_| entry("hot_water")).collect());
    assert_eq!(log_ok(&w.app, &w.op1, &w.s1, full).await.len(), 200);
}

#[tokio::test]
async fn bad_queries_are_named() {
    let w = world().await;
    for (q, field) in [
        ("from=yesterday", "from"),
        ("to=-262143-01-01", "to"),
        ("type=massage", "type"),
        ("page=9223372036854775807", "page"),
        ("per_page=101", "per_page"),
        ("include_void=maybe", "include_void"),
        ("from=2026-12-04&to=2026-12-01", "to"),
    ] {
        let res = w
            .app
            .get(&format!("{}?{q}", logs_path(&w.s1)), Some(&w.op1))
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), [field], "{q}");
    }
    for q in ["date=2026-13-01", "date=-262143-01-01", "date=today"] {
        let res = w
            .app
            .get(
                &format!("/api/v1/stations/{}/summary?{q}", w.s1),
                Some(&w.op1),
            )
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["date"], "{q}");
    }
    let res = w
        .app
        .get(
            "/api/v1/me/services?page=9223372036854775807",
            Some(&w.rider1),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;
}
