//! Check-in codes (一码通办): a rotatable six-character secret per station, shown as a QR.

use chrono::{Duration, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use uuid::Uuid;

use super::dto::{CheckInDto, CheckinCodeDto};
use super::{service, sync};
use crate::auth::{AuthUser, Role};
use crate::entity::{check_in, station, user};
use crate::error::{ApiError, ApiResult, Code, FieldError};
use crate::http::ClientAddr;
use crate::state::AppState;

/// No 0/O, 1/I/L: easy to read off a printed card and type with gloves.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const REPLAY_WINDOW_MIN: i64 = 30;
const ATTEMPTS_PER_MINUTE: u64 = 10;

pub fn new_code() -> String {
    let mut rng = rand::thread_rng();
    (0..6)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

pub fn dto(row: &station::Model, base_url: &str) -> ApiResult<CheckinCodeDto> {
    let checkin_url = format!(
        "{}/checkin/{}?code={}",
        base_url.trim_end_matches('/'),
        row.id,
        row.checkin_code
    );
    let qr_svg = crate::qr::svg(&checkin_url)?;
    Ok(CheckinCodeDto {
        code: row.checkin_code.clone(),
        qr_svg,
        checkin_url,
        rotated_at: row.checkin_rotated_at,
    })
}

pub async fn get_code(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
    base_url: &str,
) -> ApiResult<CheckinCodeDto> {
    let row = service::load_managed(state, user, id).await?;
    dto(&row, base_url)
}

pub async fn rotate(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
    base_url: &str,
) -> ApiResult<CheckinCodeDto> {
    let row = service::load_managed(state, user, id).await?;
    let mut active: station::ActiveModel = row.into();
    active.checkin_code = Set(new_code());
    active.checkin_rotated_at = Set(Utc::now());
    let saved = active.update(&state.db).await?;
    tracing::info!(station_id = %id, "check-in code rotated");
    dto(&saved, base_url)
}

/// A rider checks in with the code. A repeat within 30 minutes replays the first check-in.
pub async fn check_in(
    state: &AppState,
    user: &AuthUser,
    addr: &ClientAddr,
    id: Uuid,
    code: &str,
) -> ApiResult<(CheckInDto, bool)> {
    user.require(&[Role::Rider])?;
    state
        .cache
        .limit(
            &format!("checkin:ip:{}", addr.as_str()),
            state.settings.limits.check_ins_per_hour,
            std::time::Duration::from_secs(3600),
        )
        .await?;
    // Six characters from 31 symbols: throttle guessing per rider.
    state
        .cache
        .limit(
            &format!("checkin:{}", user.id),
            ATTEMPTS_PER_MINUTE,
            std::time::Duration::from_secs(60),
        )
        .await?;
    let row = station::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if row.status == "closed_permanently" {
        return Err(ApiError::not_found());
    }
    let given = code.trim().to_ascii_uppercase();
    if given.is_empty() || given.len() > 16 || given != row.checkin_code {
        let message =
            "this check-in code is wrong or no longer valid; scan the station's current QR";
        let errors = vec![FieldError::new("code", "invalid_checkin_code", message)];
        return Err(ApiError {
            errors,
            ..ApiError::new(Code::InvalidCheckinCode, message)
        });
    }
    let now = Utc::now();
    let txn = state.db.begin().await?;
    // One rider's check-ins run one at a time, so concurrent repeats cannot both count as new
    // visits (a row lock on PostgreSQL; SQLite's single writer serialises them anyway).
    user::Entity::find_by_id(user.id)
        .lock_exclusive()
        .one(&txn)
        .await?;
    let previous = check_in::Entity::find()
        .filter(check_in::Column::RiderId.eq(user.id))
        .filter(check_in::Column::StationId.eq(id))
        .filter(check_in::Column::CreatedAt.gt(now - Duration::minutes(REPLAY_WINDOW_MIN)))
        .order_by_desc(check_in::Column::CreatedAt)
        .one(&txn)
        .await?;
    if let Some(prev) = previous {
        return Ok((
            CheckInDto {
                id: prev.id,
                station_id: id,
                created_at: prev.created_at,
                replay: true,
                points_awarded: 0,
            },
            false,
        ));
    }
    let visit = check_in::ActiveModel {
        id: Set(Uuid::now_v7()),
        station_id: Set(id),
        rider_id: Set(user.id),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    super::occupancy::record_after_visit(&txn, &row, now).await?;
    let points_awarded = crate::points::visits::award(&txn, user.id, id, now).await?;
    let seq = sync::record_change(&txn, id).await?;
    txn.commit().await?;
    sync::after_write(state, id, seq).await;
    tracing::info!(station_id = %id, "check-in");
    Ok((
        CheckInDto {
            id: visit.id,
            station_id: id,
            created_at: visit.created_at,
            replay: false,
            points_awarded,
        },
        true,
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_use_the_unambiguous_alphabet() {
        for _ in 0..100 {
            let c = super::new_code();
            assert_eq!(c.len(), 6);
            assert!(c.bytes().all(|b| super::ALPHABET.contains(&b)));
        }
    }
}
