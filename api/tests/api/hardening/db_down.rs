//! A database that is gone, restarting or saturated answers 503 `service_unavailable` with
//! `Retry-After`, soon; never 500 and never a request that hangs (tests/faults drives the same
//! through the real binary).

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, TransactionTrait};
use warmnew::error::{ApiError, Code};

fn assert_unavailable(err: sea_orm::DbErr) {
    let api = ApiError::from(err);
    assert_eq!(api.code, Code::ServiceUnavailable, "{api}");
    assert!(api.retry_after.is_some_and(|s| s > 0));
}

/// Failed before: PostgreSQL's 57P01 (session terminated by an admin, a failover or a
/// restart) reached the rider as 500 `internal_error`.
#[tokio::test]
async fn a_session_killed_mid_statement_is_503() {
    let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!(
            "SKIPPED a_session_killed_mid_statement_is_503: needs TEST_DATABASE_URL (PostgreSQL)"
        );
        return;
    };
    let db = warmnew::db::connect(&url).await.unwrap();
    let err = db
        .execute_unprepared("SELECT pg_terminate_backend(pg_backend_pid())")
        .await
        .expect_err("the session ends under its own statement");
    assert_unavailable(err);
    // The pool replaces the dead session by itself.
    db.execute_unprepared("SELECT 1").await.unwrap();
}

/// Every pooled connection busy (as when the database stopped answering): the next caller
/// gets 503 at the acquire timeout, not after the database comes back.
#[tokio::test]
async fn a_saturated_pool_answers_503_at_the_acquire_timeout() {
    let url = std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| "sqlite::memory:".into());
    let limit = Duration::from_millis(300);
    let db = warmnew::db::connect_with_limits(&url, None, None, limit)
        .await
        .unwrap();
    // SQLite's pool has one connection, PostgreSQL's 16: hold them all.
    let held = if url.starts_with("sqlite:") { 1 } else { 16 };
    let mut txns = Vec::new();
    for _ in 0..held {
        txns.push(db.begin().await.unwrap());
    }
    let started = Instant::now();
    let err = db
        .execute_unprepared("SELECT 1")
        .await
        .expect_err("no connection is free");
    let waited = started.elapsed();
    assert!(waited >= limit && waited < limit * 5, "waited {waited:?}");
    assert_unavailable(err);
    drop(txns);
}
