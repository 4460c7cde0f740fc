//! Points for visiting a station: once per station per day (Asia/Shanghai), paid inside the
//! check-in's own transaction.

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Shanghai;
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::ledger::{self, Reason};

pub const CHECKIN_POINTS: i64 = 5;

/// The ledger source of a visit: per station and local day (the ledger keeps it per rider).
pub fn source(station_id: Uuid, at: DateTime<Utc>) -> String {
    let day = at.with_timezone(&Shanghai).format("%Y-%m-%d");
    format!("checkin:{station_id}:{day}")
}

/// Pays the visit's points unless this rider was already paid for this station today.
/// Returns the points paid (0 for a repeat).
pub async fn award<C: ConnectionTrait>(
    conn: &C,
    rider_id: Uuid,
    station_id: Uuid,
    at: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let paid = ledger::award(
        conn,
        rider_id,
        CHECKIN_POINTS,
        Reason::CheckIn,
        &source(station_id, at),
    )
    .await?;
    Ok(if paid { CHECKIN_POINTS } else { 0 })
}
