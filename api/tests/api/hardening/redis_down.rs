//! Rate limits never fail open: a counter Redis lost (flushed, restarted empty, or down so the
//! in-process cache answers) keeps counting from where this instance saw it.

use std::time::Duration;

use warmnew::cache::RedisCache;

/// Failed before: after the key vanished from Redis the count started again at 1, so a
/// flush (or a Redis restart) handed every phone a fresh set of password guesses.
#[tokio::test]
async fn a_counter_lost_in_redis_keeps_its_count() {
    let Ok(url) = std::env::var("TEST_REDIS_URL") else {
        eprintln!("SKIPPED a_counter_lost_in_redis_keeps_its_count: needs TEST_REDIS_URL");
        return;
    };
    let prefix = format!("warmnew-test-{}:", uuid::Uuid::now_v7());
    let cache = RedisCache::new(&url, &prefix).unwrap();
    assert!(cache.wait_connected(Duration::from_secs(5)).await);
    let window = Duration::from_secs(60);
    for n in 1..=3 {
        assert_eq!(cache.incr_window("login:phone:x", window).await.0, n);
    }
    // What FLUSHALL does to this key, without touching other tests' keys.
    let mut conn = cache
        .client()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let _: () = redis::cmd("DEL")
        .arg(format!("{prefix}login:phone:x"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(cache.peek_window("login:phone:x").await.0, 3);
    let (count, left) = cache.incr_window("login:phone:x", window).await;
    assert_eq!(count, 4);
    assert!((1..=60).contains(&left));
    // A success still clears it everywhere.
    cache.delete("login:phone:x").await;
    assert_eq!(cache.peek_window("login:phone:x").await.0, 0);
}
