//! Redis-backed cache. Connects in the background, answers every call within a short
//! timeout, and falls back to the in-process cache whenever Redis fails.

use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::AsyncCommands;
use tokio::sync::RwLock;

use super::{CacheHealth, MemoryCache};

const RESPONSE_TIMEOUT: Duration = Duration::from_millis(300);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
const RECONNECT_EVERY: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct RedisCache {
    prefix: Arc<str>,
    conn: Arc<RwLock<Option<ConnectionManager>>>,
    fallback: MemoryCache,
}

impl RedisCache {
    pub fn new(url: &str, prefix: &str) -> Result<Self, redis::RedisError> {
        let client = redis::Client::open(url)?;
        let cache = Self {
            prefix: prefix.into(),
            conn: Arc::new(RwLock::new(None)),
            fallback: MemoryCache::new(prefix),
        };
        let slot = Arc::downgrade(&cache.conn);
        // Keep trying until the first connection is made; the manager reconnects by itself after.
        tokio::spawn(async move {
            loop {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(CONNECT_TIMEOUT))
                    .set_response_timeout(Some(RESPONSE_TIMEOUT))
                    .set_number_of_retries(2);
                match ConnectionManager::new_with_config(client.clone(), config).await {
                    Ok(manager) => {
                        if let Some(slot) = slot.upgrade() {
                            *slot.write().await = Some(manager);
                            tracing::info!("redis connected");
                        }
                        return;
                    }
                    Err(err) => {
                        tracing::warn!(error = %err, "redis unavailable; using the in-process cache");
                        if slot.strong_count() == 0 {
                            return;
                        }
                        tokio::time::sleep(RECONNECT_EVERY).await;
                    }
                }
            }
        });
        Ok(cache)
    }

    /// Waits (bounded) for the first connection; used at startup and by tests.
    pub async fn wait_connected(&self, limit: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            if self.conn.read().await.is_some() {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    async fn run<T, F, Fut>(&self, op: F) -> Option<T>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: std::future::Future<Output = redis::RedisResult<T>>,
    {
        let conn = self.conn.read().await.clone()?;
        match tokio::time::timeout(RESPONSE_TIMEOUT, op(conn)).await {
            Ok(Ok(v)) => Some(v),
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "redis call failed; using the in-process cache");
                None
            }
            Err(_) => {
                tracing::warn!("redis call timed out; using the in-process cache");
                None
            }
        }
    }

    pub async fn get(&self, key: &str) -> Option<String> {
        let k = self.key(key);
        match self
            .run(|mut c| async move { c.get::<_, Option<String>>(k).await })
            .await
        {
            Some(v) => v,
            None => self.fallback.get(key).await,
        }
    }

    pub async fn set(&self, key: &str, value: &str, ttl: Duration) {
        let k = self.key(key);
        let v = value.to_string();
        let ms = ttl.as_millis().max(1) as u64;
        let done = self
            .run(|mut c| async move { c.pset_ex::<_, _, ()>(k, v, ms).await })
            .await;
        if done.is_none() {
            self.fallback.set(key, value, ttl).await;
        }
    }

    pub async fn delete(&self, key: &str) {
        let k = self.key(key);
        self.run(|mut c| async move { c.del::<_, ()>(k).await })
            .await;
        self.fallback.delete(key).await;
    }

    pub async fn incr_window(&self, key: &str, window: Duration) -> (u64, u64) {
        let k = self.key(key);
        let secs = window.as_secs().max(1) as i64;
        let result = self
            .run(|mut c| async move {
                // INCR then set the expiry only on a fresh key (NX), atomically.
                let (count, _, ttl): (u64, i64, i64) = redis::pipe()
                    .atomic()
                    .incr(&k, 1u64)
                    .cmd("EXPIRE")
                    .arg(&k)
                    .arg(secs)
                    .arg("NX")
                    .ttl(&k)
                    .query_async(&mut c)
                    .await?;
                Ok((count, ttl.max(0) as u64))
            })
            .await;
        match result {
            Some(v) => v,
            None => self.fallback.incr_window(key, window).await,
        }
    }

    pub async fn peek_window(&self, key: &str) -> (u64, u64) {
        let k = self.key(key);
        let result = self
            .run(|mut c| async move {
                let (count, ttl): (Option<u64>, i64) =
                    redis::pipe().get(&k).ttl(&k).query_async(&mut c).await?;
                Ok((count.unwrap_or(0), ttl.max(0) as u64))
            })
            .await;
        match result {
            Some(v) => v,
            None => self.fallback.peek_window(key).await,
        }
    }

    pub async fn health(&self) -> CacheHealth {
        let pong = self
            .run(|mut c| async move { redis::cmd("PING").query_async::<String>(&mut c).await })
            .await;
        match pong {
            Some(_) => CacheHealth::Ok,
            None => CacheHealth::Degraded,
        }
    }
}
