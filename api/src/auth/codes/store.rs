//! The `login_codes` rows: issue (replacing the previous code), withdraw, consume.

use chrono::{Duration, Utc};
use hmac::{Hmac, Mac};
use rand::Rng;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::Sha256;
use uuid::Uuid;

use crate::auth::phone::derive_key;
use crate::entity::login_code::{self, Column};
use crate::error::{ApiError, ApiResult, Code};
use crate::sms::CodePurpose;
use crate::state::AppState;

const KEY_LABEL: &[u8] = b"warmnew login codes v1";

/// Six digits from the OS CSPRNG, leading zeros kept.
pub fn generate() -> String {
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32))
}

/// The keyed hash bound to phone and purpose, so a row copied elsewhere is useless.
fn mac(state: &AppState, phone_hash: &str, purpose: CodePurpose, code: &str) -> Hmac<Sha256> {
    let key = derive_key(
        secrecy::ExposeSecret::expose_secret(&state.settings.data_key).as_bytes(),
        KEY_LABEL,
    );
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("hmac takes any key length");
    mac.update(purpose.as_str().as_bytes());
    mac.update(b":");
    mac.update(phone_hash.as_bytes());
    mac.update(b":");
    mac.update(code.as_bytes());
    mac
}

pub fn hash(state: &AppState, phone_hash: &str, purpose: CodePurpose, code: &str) -> String {
    hex::encode(
        mac(state, phone_hash, purpose, code)
            .finalize()
            .into_bytes(),
    )
}

/// Constant-time comparison (the MAC's own verify).
fn matches(
    state: &AppState,
    phone_hash: &str,
    purpose: CodePurpose,
    code: &str,
    stored: &str,
) -> bool {
    let Ok(stored) = hex::decode(stored) else {
        return false;
    };
    mac(state, phone_hash, purpose, code)
        .verify_slice(&stored)
        .is_ok()
}

/// Stores a fresh code for phone + purpose, replacing any earlier one (and its tries).
pub async fn issue(
    state: &AppState,
    phone_hash: &str,
    purpose: CodePurpose,
    code: &str,
) -> ApiResult<String> {
    let now = Utc::now();
    let code_hash = hash(state, phone_hash, purpose, code);
    let row = login_code::ActiveModel {
        id: Set(Uuid::now_v7()),
        phone_hash: Set(phone_hash.to_string()),
        purpose: Set(purpose.as_str().to_string()),
        code_hash: Set(code_hash.clone()),
        attempts: Set(0),
        created_at: Set(now),
        expires_at: Set(now + Duration::seconds(state.settings.auth.code_ttl_secs)),
        used_at: Set(None),
    };
    login_code::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([Column::PhoneHash, Column::Purpose])
                .update_columns([
                    Column::CodeHash,
                    Column::Attempts,
                    Column::CreatedAt,
                    Column::ExpiresAt,
                    Column::UsedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&state.db)
        .await?;
    Ok(code_hash)
}

/// Removes a code that could not be delivered (unless a newer one replaced it meanwhile).
pub async fn withdraw(
    state: &AppState,
    phone_hash: &str,
    purpose: CodePurpose,
    code_hash: &str,
) -> ApiResult<()> {
    login_code::Entity::delete_many()
        .filter(Column::PhoneHash.eq(phone_hash))
        .filter(Column::Purpose.eq(purpose.as_str()))
        .filter(Column::CodeHash.eq(code_hash))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// One error for every way a code can fail: wrong, expired, used, out of tries, never sent.
pub fn invalid_code() -> ApiError {
    ApiError::new(
        Code::InvalidCode,
        "the code is wrong or no longer valid; ask for a new one",
    )
}

/// Spends one try on the live code for phone + purpose; Ok once, for the right code.
pub async fn consume(
    state: &AppState,
    phone_hash: &str,
    purpose: CodePurpose,
    code: &str,
) -> ApiResult<()> {
    let max = state.settings.auth.code_max_attempts;
    let now = Utc::now();
    let row = login_code::Entity::find()
        .filter(Column::PhoneHash.eq(phone_hash))
        .filter(Column::Purpose.eq(purpose.as_str()))
        .one(&state.db)
        .await?;
    let Some(row) = row else {
        // Same work as a real comparison, so a missing code does not answer faster.
        let _ = matches(state, phone_hash, purpose, code, "");
        return Err(invalid_code());
    };
    if row.used_at.is_some() || row.expires_at <= now || row.attempts >= max {
        return Err(invalid_code());
    }
    // Reserve the try before comparing: concurrent guesses cannot exceed `max` comparisons.
    // `code_hash` in the filter pins the row to the code read above (a resend replaces it).
    let reserved = login_code::Entity::update_many()
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .filter(Column::Id.eq(row.id))
        .filter(Column::CodeHash.eq(&row.code_hash))
        .filter(Column::UsedAt.is_null())
        .filter(Column::Attempts.lt(max))
        .exec(&state.db)
        .await?;
    if reserved.rows_affected == 0 || !matches(state, phone_hash, purpose, code, &row.code_hash) {
        return Err(invalid_code());
    }
    let claimed = login_code::Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(now))
        .filter(Column::Id.eq(row.id))
        .filter(Column::CodeHash.eq(&row.code_hash))
        .filter(Column::UsedAt.is_null())
        .exec(&state.db)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(invalid_code());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: std::collections::HashSet<String> = (0..50).map(|_| super::generate()).collect();
        assert!(codes
            .iter()
            .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())));
        assert!(
            codes.len() > 40,
            "50 draws from a million should rarely repeat"
        );
    }
}
