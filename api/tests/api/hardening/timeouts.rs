//! A stuck statement on PostgreSQL ends at `statement_timeout` and becomes 503, not a request
//! that waits as long as the database does.

use std::time::{Duration, Instant};

use sea_orm::ConnectionTrait;
use warmnew::error::{ApiError, Code};

#[tokio::test]
async fn a_slow_statement_is_cut_off_and_answered_503() {
    let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("SKIPPED a_slow_statement_is_cut_off_and_answered_503: needs TEST_DATABASE_URL (PostgreSQL)");
        return;
    };
    let db = warmnew::db::connect_with(&url, None, Some(Duration::from_millis(200)))
        .await
        .unwrap();
    let started = Instant::now();
    let err = db
        .execute_unprepared("SELECT pg_sleep(5)")
        .await
        .expect_err("statement_timeout cancels it");
    assert!(started.elapsed() < Duration::from_secs(3));
    let api: ApiError = err.into();
    assert_eq!(api.code, Code::ServiceUnavailable);
    // The connection is still good for the next statement.
    db.execute_unprepared("SELECT 1").await.unwrap();
}
