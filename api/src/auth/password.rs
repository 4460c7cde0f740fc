//! Password policy and argon2id hashing (run on the blocking pool, never on the async threads).

use std::collections::HashSet;
use std::sync::LazyLock;
use std::time::Duration;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::config::AuthSettings;
use crate::error::{ApiError, FieldError};

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

static COMMON: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("common-passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

/// A password that passed the policy. Never printed.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn parse(input: &str, phone: Option<&str>) -> Result<Self, FieldError> {
        let len = input.chars().count();
        let err = |code: &str, msg: &str| Err(FieldError::new("password", code, msg));
        if len < MIN_LEN {
            return err("too_short", "must be at least 8 characters");
        }
        if len > MAX_LEN {
            return err("too_long", "must be at most 128 characters");
        }
        let lower = input.to_lowercase();
        if COMMON.contains(&lower)
            || phone.is_some_and(|p| lower.contains(p))
            || is_repetitive(&lower)
        {
            return err(
                "too_common",
                "is too easy to guess; choose a less common password",
            );
        }
        Ok(Password(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// One repeated character, or a straight run like 23456789, is as weak as a listed password.
fn is_repetitive(s: &str) -> bool {
    let b = s.as_bytes();
    let same = b.windows(2).all(|w| w[0] == w[1]);
    let run = b.windows(2).all(|w| w[1] == w[0].wrapping_add(1))
        || b.windows(2).all(|w| w[0] == w[1].wrapping_add(1));
    same || run
}

fn hasher(cfg: &AuthSettings) -> Result<Argon2<'static>, ApiError> {
    let params = Params::new(
        cfg.argon2_memory_kib,
        cfg.argon2_iterations,
        cfg.argon2_parallelism,
        None,
    )
    .map_err(|e| ApiError::internal("argon2 parameters", e))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Bounds the argon2 work running at once. Each hash takes ~19 MiB and a core for tens of
/// milliseconds; without a bound a burst of logins queues on the blocking pool and every
/// other request waits behind it.
pub struct HashingSlots {
    permits: Semaphore,
    wait: Duration,
}

impl HashingSlots {
    pub fn new(cfg: &AuthSettings) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let permits = if cfg.argon2_max_concurrent == 0 {
            cores
        } else {
            cfg.argon2_max_concurrent
        };
        Self {
            permits: Semaphore::new(permits),
            wait: Duration::from_millis(cfg.argon2_queue_ms),
        }
    }

    /// A slot, or 503 + Retry-After when none frees up within the queue time.
    pub async fn acquire(&self) -> Result<SemaphorePermit<'_>, ApiError> {
        match tokio::time::timeout(self.wait, self.permits.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(ApiError::unavailable(
                "the server is busy checking passwords; try again in a moment",
                1,
            )),
        }
    }
}

pub async fn hash(
    slots: &HashingSlots,
    password: &Password,
    cfg: &AuthSettings,
) -> Result<String, ApiError> {
    let _slot = slots.acquire().await?;
    let argon = hasher(cfg)?;
    let plain = password.expose().to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon
            .hash_password(plain.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| ApiError::internal("password hashing task", e))?
    .map_err(|e| ApiError::internal("password hashing", e))
}

/// Verifies against a stored PHC string; the stored string carries its own parameters.
pub async fn verify(slots: &HashingSlots, plain: &str, stored: &str) -> Result<bool, ApiError> {
    let _slot = slots.acquire().await?;
    let plain = plain.to_string();
    let stored = stored.to_string();
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        Argon2::default()
            .verify_password(plain.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .map_err(|e| ApiError::internal("password verification task", e))
}

/// A fixed hash to verify against when the phone is unknown, so timing does not reveal
/// whether an account exists.
pub static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::encode_b64(b"warmnew-dummy-salt").expect("static salt");
    Argon2::default()
        .hash_password(b"not-a-real-password", &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert!(Password::parse("ride-safe-2026", None).is_ok());
        assert_eq!(
            Password::parse("short", None).unwrap_err().code,
            "too_short"
        );
        assert_eq!(
            Password::parse(&"x".repeat(129), None).unwrap_err().code,
            "too_long"
        );
        assert_eq!(
            Password::parse("Password123", None).unwrap_err().code,
            "too_common"
        );
        assert_eq!(
            Password::parse("woaini1314", None).unwrap_err().code,
            "too_common"
        );
        assert_eq!(
            Password::parse("zzzzzzzzzz", None).unwrap_err().code,
            "too_common"
        );
        assert_eq!(
            Password::parse("23456789", None).unwrap_err().code,
            "too_common"
        );
        assert_eq!(
            Password::parse("x13812345678", Some("13812345678"))
                .unwrap_err()
                .code,
            "too_common"
        );
        assert!(
            !format!("{:?}", Password::parse("ride-safe-2026", None).unwrap()).contains("ride")
        );
    }

    #[tokio::test]
    async fn hashes_with_argon2id_and_verifies() {
        let cfg = AuthSettings {
            argon2_memory_kib: 256,
            argon2_iterations: 1,
            ..AuthSettings::default()
        };
        let slots = HashingSlots::new(&cfg);
        let p = Password::parse("ride-safe-2026", None).unwrap();
        let h = hash(&slots, &p, &cfg).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(&slots, "ride-safe-2026", &h).await.unwrap());
        assert!(!verify(&slots, "ride-safe-2027", &h).await.unwrap());
        assert!(!verify(&slots, "x", "not a hash").await.unwrap());
    }

    #[tokio::test]
    async fn a_full_set_of_slots_answers_503_after_the_queue_time() {
        let cfg = AuthSettings {
            argon2_max_concurrent: 1,
            argon2_queue_ms: 20,
            ..AuthSettings::default()
        };
        let slots = HashingSlots::new(&cfg);
        let held = slots.acquire().await.unwrap();
        let err = verify(&slots, "x", DUMMY_HASH.as_str()).await.unwrap_err();
        assert_eq!(err.code, crate::error::Code::ServiceUnavailable);
        assert_eq!(err.retry_after, Some(1));
        drop(held);
        assert!(slots.acquire().await.is_ok());
    }
}
