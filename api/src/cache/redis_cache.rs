//! Redis-backed cache. Connects in the background, answers every call within a short
//! timeout, and falls back to the in-process cache whenever Redis fails.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands, AsyncConnectionConfig};
use tokio::sync::RwLock;

use super::{CacheHealth, MemoryCache};

const RESPONSE_TIMEOUT: Duration = Duration::from_millis(300);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
const RECONNECT_EVERY: Duration = Duration::from_secs(2);
/// After Redis failed to answer it is left alone this long: a stopped or hung Redis would
/// otherwise cost every request the full timeout (and a log line).
const REST_AFTER_FAILURE: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub struct RedisCache {
    prefix: Arc<str>,
    client: redis::Client,
    conn: Arc<RwLock<Option<ConnectionManager>>>,
    fallback: MemoryCache,
    resting_until: Arc<Mutex<Option<tokio::time::Instant>>>,
}

impl RedisCache {
    pub fn new(url: &str, prefix: &str) -> Result<Self, redis::RedisError> {
        let client = redis::Client::open(url)?;
        let cache = Self {
            prefix: prefix.into(),
            client: client.clone(),
            conn: Arc::new(RwLock::new(None)),
            fallback: MemoryCache::new(prefix),
            resting_until: Arc::new(Mutex::new(None)),
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

    /// For connections the shared manager cannot serve (pub/sub subscriptions).
    pub fn client(&self) -> &redis::Client {
        &self.client
    }

    /// Runs `op` on the shared connection within the response timeout; `None` when Redis is
    /// not connected, failed or was too slow.
    pub async fn run<T, F, Fut>(&self, op: F) -> Option<T>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: std::future::Future<Output = redis::RedisResult<T>>,
    {
        if self.resting() {
            return None;
        }
        let conn = self.conn.read().await.clone()?;
        match tokio::time::timeout(RESPONSE_TIMEOUT, op(conn)).await {
            Ok(Ok(v)) => Some(v),
            Ok(Err(err)) => {
                // A command's own error says nothing about the server's health.
                let unavailable = err.is_io_error()
                    || err.is_timeout()
                    || err.is_connection_dropped()
                    || err.is_connection_refusal()
                    || err.is_unrecoverable_error();
                if unavailable {
                    self.rest();
                }
                tracing::warn!(error = %err, "redis call failed; using the in-process cache");
                None
            }
            Err(_) => {
                self.rest();
                tracing::warn!("redis call timed out; using the in-process cache");
                None
            }
        }
    }

    fn resting(&self) -> bool {
        let until = self.resting_until.lock().map(|u| *u).unwrap_or(None);
        until.is_some_and(|t| tokio::time::Instant::now() < t)
    }

    fn rest(&self) {
        if let Ok(mut until) = self.resting_until.lock() {
            *until = Some(tokio::time::Instant::now() + REST_AFTER_FAILURE);
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

    /// Deletes in Redis and in the fallback; false when Redis did not confirm.
    pub async fn delete(&self, key: &str) -> bool {
        let k = self.key(key);
        let done = self
            .run(|mut c| async move { c.del::<_, ()>(k).await })
            .await;
        self.fallback.delete(key).await;
        done.is_some()
    }

    /// Deletes only the in-process copy (Redis is deleted later, when it answers again).
    pub async fn delete_local(&self, key: &str) {
        self.fallback.delete(key).await;
    }

    /// A large value (a snapshot) on a connection of its own: its transfer may outlast the
    /// shared connection's response timeout, and must not stall the small calls behind it.
    pub async fn get_bulk(&self, key: &str, limit: Duration) -> Option<Vec<u8>> {
        let k = self.key(key);
        self.bulk(limit, |mut c| async move {
            c.get::<_, Option<Vec<u8>>>(k).await
        })
        .await
        .flatten()
    }

    /// Stores a large value with a TTL; false when Redis did not confirm within `limit`.
    pub async fn set_bulk(
        &self,
        key: &str,
        value: Vec<u8>,
        ttl: Duration,
        limit: Duration,
    ) -> bool {
        let k = self.key(key);
        let ms = ttl.as_millis().max(1) as u64;
        self.bulk(limit, |mut c| async move {
            c.pset_ex::<_, _, ()>(k, value, ms).await
        })
        .await
        .is_some()
    }

    async fn bulk<T, F, Fut>(&self, limit: Duration, op: F) -> Option<T>
    where
        F: FnOnce(redis::aio::MultiplexedConnection) -> Fut,
        Fut: std::future::Future<Output = redis::RedisResult<T>>,
    {
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(RESPONSE_TIMEOUT.min(limit)))
            .set_response_timeout(Some(limit));
        let work = async {
            let conn = self
                .client
                .get_multiplexed_async_connection_with_config(&config)
                .await?;
            op(conn).await
        };
        match tokio::time::timeout(limit, work).await {
            Ok(Ok(v)) => Some(v),
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "redis bulk call failed");
                None
            }
            Err(_) => {
                tracing::warn!("redis bulk call timed out");
                None
            }
        }
    }

    /// Counts in Redis and, always, in the in-process shadow, and answers the larger count: a
    /// limit never resets to zero because Redis went away, came back empty or was flushed
    /// (never fail open). Another instance's counts are only in Redis, so the shadow alone
    /// is never more than the truth.
    pub async fn incr_window(&self, key: &str, window: Duration) -> (u64, u64) {
        let local = self.fallback.incr_window(key, window).await;
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
        larger(result, local)
    }

    pub async fn peek_window(&self, key: &str) -> (u64, u64) {
        let local = self.fallback.peek_window(key).await;
        let k = self.key(key);
        let result = self
            .run(|mut c| async move {
                let (count, ttl): (Option<u64>, i64) =
                    redis::pipe().get(&k).ttl(&k).query_async(&mut c).await?;
                Ok((count.unwrap_or(0), ttl.max(0) as u64))
            })
            .await;
        larger(result, local)
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

/// The Redis count when it answered and is not behind the shadow's, else the shadow's.
fn larger(redis: Option<(u64, u64)>, local: (u64, u64)) -> (u64, u64) {
    match redis {
        Some(r) if r.0 >= local.0 => r,
        _ => local,
    }
}
