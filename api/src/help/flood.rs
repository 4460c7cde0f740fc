//! Floods of help requests. An SOS is never refused — a rider in danger who taps again must not
//! meet a limit — but repeats within minutes fold into the open one, so handlers see one alarm,
//! not fifty. Other requests are limited per rider.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Statement,
};
use uuid::Uuid;

use super::domain::{HelpStatus, HelpUrgency};
use crate::auth::AuthUser;
use crate::entity::help_request;
use crate::error::ApiResult;
use crate::http::ClientAddr;
use crate::state::AppState;

/// Repeats of an SOS within this time are the same emergency.
pub const SOS_FOLD_WINDOW_MINUTES: i64 = 10;

/// Counts a non-SOS request against the rider's hourly allowance (429 beyond it). Filings by an
/// Open311 key holder (a hotline for its callers) are not counted against one account.
pub async fn count_request(
    state: &AppState,
    user: &AuthUser,
    urgency: HelpUrgency,
    by_partner: bool,
) -> ApiResult<()> {
    if urgency == HelpUrgency::Sos || by_partner {
        return Ok(());
    }
    let max = state.settings.help.max_requests_per_rider_per_hour;
    state
        .cache
        .limit(
            &format!("help:rider:{}", user.id.simple()),
            max,
            Duration::from_secs(3600),
        )
        .await
}

/// Counts a non-SOS request against the client address's hourly allowance (many riders may
/// share one address, so this is far above the per-rider one).
pub async fn count_address(
    state: &AppState,
    addr: &ClientAddr,
    urgency: HelpUrgency,
) -> ApiResult<()> {
    if urgency == HelpUrgency::Sos {
        return Ok(());
    }
    state
        .cache
        .limit(
            &format!("help:ip:{}", addr.as_str()),
            state.settings.limits.help_requests_per_hour,
            Duration::from_secs(3600),
        )
        .await
}

/// Within the filing transaction: the rider's SOS still open and younger than the fold window,
/// if any. On PostgreSQL the rider's filings are serialised first, so fifty taps at once fold
/// into one request; SQLite has a single writer already.
pub async fn open_sos(
    txn: &DatabaseTransaction,
    rider: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<help_request::Model>, DbErr> {
    if txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        let key = i64::from_be_bytes(rider.as_bytes()[8..16].try_into().expect("8 bytes"));
        txn.execute_raw(Statement::from_sql_and_values(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [key.into()],
        ))
        .await?;
    }
    help_request::Entity::find()
        .filter(help_request::Column::RiderId.eq(rider))
        .filter(help_request::Column::Urgency.eq(HelpUrgency::Sos.as_str()))
        .filter(help_request::Column::Status.is_in(HelpStatus::open_codes()))
        .filter(
            help_request::Column::CreatedAt
                .gte(now - chrono::Duration::minutes(SOS_FOLD_WINDOW_MINUTES)),
        )
        .order_by_desc(help_request::Column::CreatedAt)
        .one(txn)
        .await
}
