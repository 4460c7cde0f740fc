//! The shared cache on this run's backend (in-process, or Redis with TEST_REDIS_URL), and the
//! app with a Redis that is configured but down: degraded, never hung, never failing requests.

use std::time::Duration;

use serde_json::Value;

use crate::helpers::*;

#[tokio::test]
async fn windowed_counters_and_values_round_trip() {
    let app = spawn().await;
    let cache = &app.state.cache;
    let window = Duration::from_secs(60);
    assert_eq!(cache.peek_window("c").await.0, 0);
    assert_eq!(cache.incr_window("c", window).await.0, 1);
    let (count, left) = cache.incr_window("c", window).await;
    assert_eq!(count, 2);
    assert!((1..=60).contains(&left), "seconds left {left}");
    assert_eq!(cache.peek_window("c").await.0, 2);
    cache.delete("c").await;
    assert_eq!(cache.peek_window("c").await.0, 0);

    assert_eq!(cache.get("v").await, None);
    cache.set("v", "暖", Duration::from_secs(30)).await;
    assert_eq!(cache.get("v").await.as_deref(), Some("暖"));
    cache.delete("v").await;
    assert_eq!(cache.get("v").await, None);
}

#[tokio::test]
async fn apps_with_different_prefixes_do_not_share_counters() {
    let a = spawn().await;
    let b = spawn().await;
    a.state
        .cache
        .incr_window("shared-name", Duration::from_secs(60))
        .await;
    assert_eq!(a.state.cache.peek_window("shared-name").await.0, 1);
    assert_eq!(b.state.cache.peek_window("shared-name").await.0, 0);
}

/// Nothing listens on port 1: every Redis call fails at once and the fallback answers.
async fn spawn_with_dead_redis(max_failures: u64) -> TestApp {
    spawn_with(|s| {
        s.redis_url = Some("redis://127.0.0.1:1".into());
        s.auth.login_max_failures_per_phone = max_failures;
    })
    .await
}

#[tokio::test]
async fn a_dead_redis_makes_readyz_degraded_but_still_ready() {
    let app = spawn_with_dead_redis(5).await;
    let res = tokio::time::timeout(Duration::from_secs(5), app.get("/readyz", None))
        .await
        .expect("/readyz hung");
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["cache"], "degraded");
}

#[tokio::test]
async fn register_and_login_work_promptly_without_redis_and_throttling_falls_back() {
    let app = spawn_with_dead_redis(2).await;
    let flow = async {
        let (phone, tokens) = app.register_rider().await;
        assert_eq!(
            app.get("/api/v1/me", Some(token(&tokens))).await.status(),
            200
        );
        assert_eq!(app.login(&phone, PASSWORD).await.status(), 200);
        assert_eq!(app.refresh(refresh_token(&tokens)).await.status(), 200);
        for _ in 0..2 {
            assert_problem(
                app.login(&phone, "wrong-password-1").await,
                401,
                "invalid_credentials",
            )
            .await;
        }
        // The in-process counters still enforce the limit.
        assert_problem(app.login(&phone, PASSWORD).await, 429, "rate_limited").await;
    };
    tokio::time::timeout(Duration::from_secs(5), flow)
        .await
        .expect("requests hung on a dead Redis");
}
