//! The outbox's guarantees: a replayed batch counts once, another body under the same key is
//! refused, concurrent sends of one batch write it once.

use serde_json::Value;

use super::support::*;
use crate::helpers::*;

fn batch(n: usize) -> Value {
    Value::Array((0..n).map(|_| entry("hot_water")).collect())
}

#[tokio::test]
async fn replaying_an_outbox_twice_counts_once() {
    let w = world().await;
    let body = batch(5);
    let first = post_logs(&w.app, &w.op1, &w.s1, Some("outbox-1"), &body).await;
    assert_eq!(first.status(), 201);
    assert!(header(&first, "idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();
    for _ in 0..2 {
        let again = post_logs(&w.app, &w.op1, &w.s1, Some("outbox-1"), &body).await;
        assert_eq!(again.status(), 201);
        assert_eq!(
            header(&again, "idempotent-replayed").as_deref(),
            Some("true")
        );
        let again: Value = again.json().await.unwrap();
        assert_eq!(again, first, "the stored answer, byte for byte");
    }
    assert_eq!(log_rows(&w.app).await, 5);
    assert_eq!(
        quantity(&summary(&w.app, &w.op1, &w.s1, None).await, "hot_water"),
        5
    );

    // Another body under the same key is a conflict; nothing is written.
    let res = post_logs(&w.app, &w.op1, &w.s1, Some("outbox-1"), &batch(4)).await;
    assert_problem(res, 409, "idempotency_key_mismatch").await;
    assert_eq!(log_rows(&w.app).await, 5);

    // Keys are per operator and station: another operator's key of the same name is theirs.
    let colleague = w.app.operator_of(&w.s1).await;
    let res = post_logs(&w.app, &colleague, &w.s1, Some("outbox-1"), &batch(4)).await;
    assert_eq!(res.status(), 201);
    assert_eq!(log_rows(&w.app).await, 9);
}

#[tokio::test]
async fn concurrent_batches_with_one_key_write_once() {
    let w = world().await;
    let body = batch(20);
    let sends = (0..8).map(|_| post_logs(&w.app, &w.op1, &w.s1, Some("same-key"), &body));
    let answers = crate::points::support::all_at_once(sends).await;
    let ids: Vec<&Value> = answers.iter().map(|(_, b)| &b["items"][0]["id"]).collect();
    for (status, body) in &answers {
        assert_eq!(*status, 201, "{body}");
    }
    assert!(
        ids.iter().all(|id| *id == ids[0] && id.is_string()),
        "{ids:?}"
    );
    assert_eq!(log_rows(&w.app).await, 20, "on {}", backend());
}

#[tokio::test]
async fn a_bad_key_is_named() {
    let w = world().await;
    let res = post_logs(&w.app, &w.op1, &w.s1, Some("has space"), &batch(1)).await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&body), ["Idempotency-Key"]);
    assert_eq!(log_rows(&w.app).await, 0);
}
