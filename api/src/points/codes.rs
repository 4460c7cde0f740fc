//! One-time redemption codes: six digits (read out when a QR cannot be scanned), valid five
//! minutes, stored only as a keyed hash.

use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use rand::Rng;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

use super::dto::RedemptionCodeDto;
use super::ledger;
use crate::auth::phone::keyed_hex;
use crate::auth::{AuthUser, Role};
use crate::entity::redemption_code;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::http::ClientAddr;
use crate::state::AppState;

pub const VALID_FOR_MIN: i64 = 5;
pub const QR_PREFIX: &str = "warmnew:redeem:";
const CODES_PER_WINDOW: u64 = 10;
const WINDOW: StdDuration = StdDuration::from_secs(600);
const GENERATE_TRIES: usize = 20;

/// The label of the key codes are hashed under (derived once, in `AppState::new`).
pub const KEY_LABEL: &[u8] = b"warmnew/redemption-code/v1";

/// HMAC-SHA256 under a key derived from the data key: a stolen table cannot be reversed by
/// trying all million codes.
pub fn hash(state: &AppState, code: &str) -> String {
    keyed_hex(state.redeem_key.as_slice(), code.as_bytes())
}

/// Accepts the six digits (spaces ignored) or the scanned QR payload.
pub fn parse(input: &str) -> Result<String, FieldError> {
    let raw = input.trim();
    let raw = raw.strip_prefix(QR_PREFIX).unwrap_or(raw);
    let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(FieldError::new(
            "code",
            "invalid_redemption_code",
            "code must be the six digits the rider shows",
        ))
    }
}

/// A fresh code for the rider. Codes live ones never share: a new one is drawn until it
/// differs from every unused, unexpired code.
pub async fn create(
    state: &AppState,
    user: &AuthUser,
    addr: &ClientAddr,
) -> ApiResult<RedemptionCodeDto> {
    user.require(&[Role::Rider])?;
    state
        .cache
        .limit(
            &format!("redeem-code:ip:{}", addr.as_str()),
            state.settings.limits.redemption_codes_per_hour,
            std::time::Duration::from_secs(3600),
        )
        .await?;
    state
        .cache
        .limit(
            &format!("redeem-code:{}", user.id),
            CODES_PER_WINDOW,
            WINDOW,
        )
        .await?;
    issue(state, user.id).await
}

/// Issues a code for the rider (no role check or rate limit: [`create`] is the API's way in).
pub async fn issue(state: &AppState, rider_id: Uuid) -> ApiResult<RedemptionCodeDto> {
    let now = Utc::now();
    for _ in 0..GENERATE_TRIES {
        let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000u32));
        let code_hash = hash(state, &code);
        let live = redemption_code::Entity::find()
            .filter(redemption_code::Column::CodeHash.eq(&code_hash))
            .filter(redemption_code::Column::UsedAt.is_null())
            .filter(redemption_code::Column::ExpiresAt.gt(now))
            .count(&state.db)
            .await?;
        if live > 0 {
            continue;
        }
        let expires_at = now + Duration::minutes(VALID_FOR_MIN);
        redemption_code::ActiveModel {
            id: Set(Uuid::now_v7()),
            rider_id: Set(rider_id),
            code_hash: Set(code_hash),
            expires_at: Set(expires_at),
            used_at: Set(None),
            created_at: Set(now),
        }
        .insert(&state.db)
        .await?;
        return Ok(RedemptionCodeDto {
            qr_svg: crate::qr::svg(&format!("{QR_PREFIX}{code}"))?,
            code,
            expires_at,
            balance: ledger::balance(&state.db, rider_id).await?,
        });
    }
    Err(ApiError::unavailable(
        "no free redemption code right now; try again",
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_digits_and_the_qr_payload_only() {
        assert_eq!(parse("048213").unwrap(), "048213");
        assert_eq!(parse(" 048 213 ").unwrap(), "048213");
        assert_eq!(parse("warmnew:redeem:048213").unwrap(), "048213");
        for bad in [
            "",
            "04821",
            "0482134",
            "04821a",
            "warmnew:redeem:",
            "４８２１３４",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
