//! Login throttling: failed attempts per phone and all attempts per client address, counted in
//! the shared cache so every instance sees the same numbers.

use std::time::Duration;

use crate::cache::Cache;
use crate::config::AuthSettings;
use crate::error::ApiResult;

fn phone_key(phone_hash: &str) -> String {
    format!("login:phone:{phone_hash}")
}

fn ip_key(ip: &str) -> String {
    format!("login:ip:{ip}")
}

/// Counts this attempt against the phone and the address and refuses when either limit is
/// spent. The phone's slot is taken before the password is checked (one atomic increment), so
/// 25 guesses sent at once are counted as 25, not as the 0 each of them read first.
pub async fn before_attempt(
    cache: &Cache,
    cfg: &AuthSettings,
    phone_hash: &str,
    ip: &str,
) -> ApiResult<()> {
    let window = Duration::from_secs(cfg.login_window_secs);
    cache
        .limit(
            &phone_key(phone_hash),
            cfg.login_max_failures_per_phone,
            window,
        )
        .await?;
    cache
        .limit(&ip_key(ip), cfg.login_max_attempts_per_ip, window)
        .await
}

/// Success clears the phone's count: the owner is not locked out by their own typos.
pub async fn record_success(cache: &Cache, phone_hash: &str) {
    cache.delete(&phone_key(phone_hash)).await;
}
