//! In-process cache (moka) with per-entry expiry.

use std::sync::Arc;
use std::time::{Duration, Instant};

use moka::future::Cache as Moka;
use moka::ops::compute::Op;
use moka::Expiry;

#[derive(Clone)]
struct Entry {
    value: String,
    expires_at: Instant,
}

struct EntryExpiry;

impl Expiry<String, Entry> for EntryExpiry {
    fn expire_after_create(&self, _key: &String, value: &Entry, now: Instant) -> Option<Duration> {
        Some(value.expires_at.saturating_duration_since(now))
    }

    fn expire_after_update(
        &self,
        _key: &String,
        value: &Entry,
        now: Instant,
        _current: Option<Duration>,
    ) -> Option<Duration> {
        Some(value.expires_at.saturating_duration_since(now))
    }
}

#[derive(Clone)]
pub struct MemoryCache {
    prefix: Arc<str>,
    inner: Moka<String, Entry>,
}

impl MemoryCache {
    pub fn new(prefix: &str) -> Self {
        let inner = Moka::builder()
            .max_capacity(100_000)
            .expire_after(EntryExpiry)
            .build();
        Self {
            prefix: prefix.into(),
            inner,
        }
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    pub async fn get(&self, key: &str) -> Option<String> {
        let entry = self.inner.get(&self.key(key)).await?;
        (entry.expires_at > Instant::now()).then_some(entry.value)
    }

    pub async fn set(&self, key: &str, value: &str, ttl: Duration) {
        let entry = Entry {
            value: value.to_string(),
            expires_at: Instant::now() + ttl,
        };
        self.inner.insert(self.key(key), entry).await;
    }

    pub async fn delete(&self, key: &str) {
        self.inner.invalidate(&self.key(key)).await;
    }

    pub async fn incr_window(&self, key: &str, window: Duration) -> (u64, u64) {
        let now = Instant::now();
        let result = self
            .inner
            .entry(self.key(key))
            .and_compute_with(|current| {
                let next = match current.map(|e| e.into_value()) {
                    Some(e) if e.expires_at > now => Entry {
                        value: (e.value.parse::<u64>().unwrap_or(0) + 1).to_string(),
                        expires_at: e.expires_at,
                    },
                    _ => Entry {
                        value: "1".into(),
                        expires_at: now + window,
                    },
                };
                std::future::ready(Op::Put(next))
            })
            .await;
        match result.into_entry() {
            Some(e) => counter(e.value(), now),
            None => (1, window.as_secs()),
        }
    }

    pub async fn peek_window(&self, key: &str) -> (u64, u64) {
        match self.inner.get(&self.key(key)).await {
            Some(e) => counter(&e, Instant::now()),
            None => (0, 0),
        }
    }
}

fn counter(e: &Entry, now: Instant) -> (u64, u64) {
    if e.expires_at <= now {
        return (0, 0);
    }
    let left = e
        .expires_at
        .saturating_duration_since(now)
        .as_secs_f64()
        .ceil() as u64;
    (e.value.parse().unwrap_or(0), left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn counters_and_values() {
        let c = MemoryCache::new("t:");
        assert_eq!(c.incr_window("k", Duration::from_secs(60)).await.0, 1);
        let (n, left) = c.incr_window("k", Duration::from_secs(60)).await;
        assert_eq!(n, 2);
        assert!((59..=60).contains(&left));
        assert_eq!(c.peek_window("k").await.0, 2);
        c.set("v", "x", Duration::from_secs(5)).await;
        assert_eq!(c.get("v").await.as_deref(), Some("x"));
        c.delete("v").await;
        assert_eq!(c.get("v").await, None);
    }
}
