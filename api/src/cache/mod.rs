//! The shared cache: Redis when configured, else in-process. Every call succeeds: when Redis is
//! down or slow the in-process store answers and the cache reports itself degraded.

mod memory;
pub mod pubsub;
mod redis_cache;

use std::time::Duration;

use crate::error::{ApiError, ApiResult};

pub use memory::MemoryCache;
pub use redis_cache::RedisCache;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CacheHealth {
    /// Redis configured and answering.
    Ok,
    /// Redis configured but unreachable: the in-process fallback answers.
    Degraded,
    /// No Redis configured: in-process only.
    Disabled,
}

#[derive(Clone)]
pub enum Cache {
    Memory(MemoryCache),
    Redis(RedisCache),
}

impl Cache {
    /// Builds the cache; never fails or blocks on an unreachable Redis.
    pub fn new(redis_url: Option<&str>, prefix: &str) -> Result<Self, redis::RedisError> {
        match redis_url {
            None => Ok(Cache::Memory(MemoryCache::new(prefix))),
            Some(url) => Ok(Cache::Redis(RedisCache::new(url, prefix)?)),
        }
    }

    pub async fn get(&self, key: &str) -> Option<String> {
        match self {
            Cache::Memory(m) => m.get(key).await,
            Cache::Redis(r) => r.get(key).await,
        }
    }

    pub async fn set(&self, key: &str, value: &str, ttl: Duration) {
        match self {
            Cache::Memory(m) => m.set(key, value, ttl).await,
            Cache::Redis(r) => r.set(key, value, ttl).await,
        }
    }

    /// Deletes the key; false when Redis is configured but did not confirm (the in-process
    /// copy is gone either way).
    pub async fn delete(&self, key: &str) -> bool {
        match self {
            Cache::Memory(m) => {
                m.delete(key).await;
                true
            }
            Cache::Redis(r) => r.delete(key).await,
        }
    }

    /// The Redis side, when configured (the station feed talks to it directly).
    pub fn redis(&self) -> Option<&RedisCache> {
        match self {
            Cache::Memory(_) => None,
            Cache::Redis(r) => Some(r),
        }
    }

    /// Counts one more call under `key`; more than `max` within `window` → 429 with the seconds
    /// left in `Retry-After`.
    pub async fn limit(&self, key: &str, max: u64, window: Duration) -> ApiResult<()> {
        let (count, left) = self.incr_window(key, window).await;
        if count > max {
            return Err(ApiError::over_limit(max, window.as_secs(), left));
        }
        Ok(())
    }

    /// Increments a counter that lives for `window` from its first increment.
    /// Returns the new count and the seconds until the window ends.
    pub async fn incr_window(&self, key: &str, window: Duration) -> (u64, u64) {
        match self {
            Cache::Memory(m) => m.incr_window(key, window).await,
            Cache::Redis(r) => r.incr_window(key, window).await,
        }
    }

    /// Current count of a windowed counter (0 when absent) and its seconds left.
    pub async fn peek_window(&self, key: &str) -> (u64, u64) {
        match self {
            Cache::Memory(m) => m.peek_window(key).await,
            Cache::Redis(r) => r.peek_window(key).await,
        }
    }

    pub async fn health(&self) -> CacheHealth {
        match self {
            Cache::Memory(_) => CacheHealth::Disabled,
            Cache::Redis(r) => r.health().await,
        }
    }
}
