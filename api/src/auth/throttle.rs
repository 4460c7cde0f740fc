//! Login throttling: failed attempts per phone and all attempts per client address, counted in
//! the shared cache so every instance sees the same numbers.

use std::time::Duration;

use crate::cache::Cache;
use crate::config::AuthSettings;
use crate::error::{ApiError, ApiResult};

fn phone_key(phone_hash: &str) -> String {
    format!("login:phone:{phone_hash}")
}

fn ip_key(ip: &str) -> String {
    format!("login:ip:{ip}")
}

/// Counts this attempt against the address and refuses when either limit is spent.
pub async fn before_attempt(
    cache: &Cache,
    cfg: &AuthSettings,
    phone_hash: &str,
    ip: &str,
) -> ApiResult<()> {
    let window = Duration::from_secs(cfg.login_window_secs);
    let (failures, left) = cache.peek_window(&phone_key(phone_hash)).await;
    if failures >= cfg.login_max_failures_per_phone {
        return Err(ApiError::rate_limited(left));
    }
    cache
        .limit(&ip_key(ip), cfg.login_max_attempts_per_ip, window)
        .await
}

pub async fn record_failure(cache: &Cache, cfg: &AuthSettings, phone_hash: &str) {
    cache
        .incr_window(
            &phone_key(phone_hash),
            Duration::from_secs(cfg.login_window_secs),
        )
        .await;
}

pub async fn record_success(cache: &Cache, phone_hash: &str) {
    cache.delete(&phone_key(phone_hash)).await;
}
