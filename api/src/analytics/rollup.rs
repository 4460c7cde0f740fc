//! Daily rollups per station: rebuilt for the last days by one instance at a time (a lease),
//! so the dashboard reads a row per station and day instead of the raw check-ins and logs.
//! Recent days are rebuilt because entries may be back-dated (7 days) or voided (24 h).

use std::collections::{HashMap, HashSet};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};
use uuid::Uuid;

use super::lease;
use crate::entity::{
    check_in, daily_service_stat, daily_station_stat, daily_station_visitor, occupancy_sample,
    points_ledger, redemption, service_log, station,
};
use crate::service_logs::days;
use crate::service_logs::domain::BACKDATE_DAYS;
use crate::state::AppState;

pub const JOB: &str = "daily_rollup";

/// This process's name as a lease holder.
fn holder() -> &'static str {
    static HOLDER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HOLDER.get_or_init(|| Uuid::now_v7().to_string())
}
/// How often the rollup runs (the dashboard is at most this stale).
pub const EVERY: StdDuration = StdDuration::from_secs(120);
const LEASE: i64 = 600;
const CHUNK: usize = 500;

/// Rebuilds the days that can still change (today and the back-dating window) if this
/// instance holds the lease. Returns whether it ran.
pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> Result<bool, DbErr> {
    if !lease::acquire(&state.db, JOB, holder(), Duration::seconds(LEASE), now).await? {
        return Ok(false);
    }
    let today = days::today(now);
    for back in (0..=BACKDATE_DAYS + 1).rev() {
        rebuild_day(&state.db, today - Duration::days(back)).await?;
    }
    lease::finished(&state.db, JOB, now).await?;
    Ok(true)
}

/// Rebuilds every day in `[from, to]` (the demo history), then records the run.
pub async fn rebuild_range(state: &AppState, from: NaiveDate, to: NaiveDate) -> Result<(), DbErr> {
    let mut day = from;
    while day <= to {
        rebuild_day(&state.db, day).await?;
        day += Duration::days(1);
    }
    lease::acquire(&state.db, JOB, holder(), Duration::seconds(0), Utc::now()).await?;
    lease::finished(&state.db, JOB, Utc::now()).await
}

#[derive(Default)]
struct StationDay {
    check_ins: i64,
    visitors: i64,
    services: i64,
    service_entries: i64,
    peak_occupancy: i64,
    redemptions: i64,
    points_redeemed: i64,
    points_earned: i64,
}

/// Recomputes one Shanghai day's rows from the raw tables, replacing the old ones in one
/// transaction.
pub async fn rebuild_day(db: &DatabaseConnection, day: NaiveDate) -> Result<(), DbErr> {
    let (start, end) = days::bounds(day);
    let label = day.format("%Y-%m-%d").to_string();
    let regions: HashMap<Uuid, String> = station::Entity::find()
        .select_only()
        .column(station::Column::Id)
        .column(station::Column::RegionCode)
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut stats: HashMap<Uuid, StationDay> = HashMap::new();

    let visits: Vec<(Uuid, i64)> = check_in::Entity::find()
        .select_only()
        .column(check_in::Column::StationId)
        .column_as(Expr::col(check_in::Column::Id).count(), "n")
        .filter(check_in::Column::CreatedAt.gte(start))
        .filter(check_in::Column::CreatedAt.lt(end))
        .group_by(check_in::Column::StationId)
        .into_tuple()
        .all(db)
        .await?;
    for (station, n) in visits {
        stats.entry(station).or_default().check_ins = n;
    }
    let visitors: Vec<(Uuid, Uuid)> = check_in::Entity::find()
        .select_only()
        .column(check_in::Column::StationId)
        .column(check_in::Column::RiderId)
        .distinct()
        .filter(check_in::Column::CreatedAt.gte(start))
        .filter(check_in::Column::CreatedAt.lt(end))
        .into_tuple()
        .all(db)
        .await?;
    for (station, _) in &visitors {
        stats.entry(*station).or_default().visitors += 1;
    }

    let services: Vec<(Uuid, String, Option<i64>, i64)> = service_log::Entity::find()
        .select_only()
        .column(service_log::Column::StationId)
        .column(service_log::Column::ServiceType)
        .column_as(
            Expr::col(service_log::Column::Quantity)
                .sum()
                .cast_as("BIGINT"),
            "quantity",
        )
        .column_as(Expr::col(service_log::Column::Id).count(), "entries")
        .filter(service_log::Column::OccurredAt.gte(start))
        .filter(service_log::Column::OccurredAt.lt(end))
        .filter(service_log::Column::VoidedAt.is_null())
        .group_by(service_log::Column::StationId)
        .group_by(service_log::Column::ServiceType)
        .into_tuple()
        .all(db)
        .await?;
    for (station, _, quantity, entries) in &services {
        let s = stats.entry(*station).or_default();
        s.services += quantity.unwrap_or(0);
        s.service_entries += entries;
    }

    let peaks: Vec<(Uuid, Option<i32>)> = occupancy_sample::Entity::find()
        .select_only()
        .column(occupancy_sample::Column::StationId)
        .column_as(Expr::col(occupancy_sample::Column::Occupancy).max(), "peak")
        .filter(occupancy_sample::Column::At.gte(start))
        .filter(occupancy_sample::Column::At.lt(end))
        .group_by(occupancy_sample::Column::StationId)
        .into_tuple()
        .all(db)
        .await?;
    for (station, peak) in peaks {
        stats.entry(station).or_default().peak_occupancy = i64::from(peak.unwrap_or(0));
    }

    let redeemed: Vec<(Uuid, i64, Option<i64>)> = redemption::Entity::find()
        .select_only()
        .column(redemption::Column::StationId)
        .column_as(Expr::col(redemption::Column::Id).count(), "n")
        .column_as(
            Expr::col(redemption::Column::Cost).sum().cast_as("BIGINT"),
            "points",
        )
        .filter(redemption::Column::CreatedAt.gte(start))
        .filter(redemption::Column::CreatedAt.lt(end))
        .group_by(redemption::Column::StationId)
        .into_tuple()
        .all(db)
        .await?;
    for (station, n, points) in redeemed {
        let s = stats.entry(station).or_default();
        s.redemptions = n;
        s.points_redeemed = points.unwrap_or(0);
    }

    // Check-in points name their station in the ledger source: `checkin:{station}:{day}`.
    let earned: Vec<(String, Option<i64>)> = points_ledger::Entity::find()
        .select_only()
        .column(points_ledger::Column::Source)
        .column_as(
            Expr::col(points_ledger::Column::Delta)
                .sum()
                .cast_as("BIGINT"),
            "points",
        )
        .filter(points_ledger::Column::Source.starts_with("checkin:"))
        .filter(points_ledger::Column::CreatedAt.gte(start))
        .filter(points_ledger::Column::CreatedAt.lt(end))
        .group_by(points_ledger::Column::Source)
        .into_tuple()
        .all(db)
        .await?;
    for (source, points) in earned {
        let station = source
            .split(':')
            .nth(1)
            .and_then(|s| s.parse::<Uuid>().ok());
        if let Some(station) = station {
            stats.entry(station).or_default().points_earned += points.unwrap_or(0);
        }
    }

    let region = |id: &Uuid| regions.get(id).cloned().unwrap_or_default();
    let station_rows: Vec<daily_station_stat::ActiveModel> = stats
        .iter()
        .map(|(id, s)| daily_station_stat::ActiveModel {
            day: Set(label.clone()),
            station_id: Set(*id),
            region_code: Set(region(id)),
            check_ins: Set(s.check_ins),
            visitors: Set(s.visitors),
            services: Set(s.services),
            service_entries: Set(s.service_entries),
            peak_occupancy: Set(s.peak_occupancy),
            redemptions: Set(s.redemptions),
            points_redeemed: Set(s.points_redeemed),
            points_earned: Set(s.points_earned),
        })
        .collect();
    let service_rows: Vec<daily_service_stat::ActiveModel> = services
        .into_iter()
        .map(
            |(id, kind, quantity, entries)| daily_service_stat::ActiveModel {
                day: Set(label.clone()),
                station_id: Set(id),
                service_type: Set(kind),
                region_code: Set(region(&id)),
                quantity: Set(quantity.unwrap_or(0)),
                entries: Set(entries),
            },
        )
        .collect();
    let seen: HashSet<(Uuid, Uuid)> = visitors.into_iter().collect();
    let visitor_rows: Vec<daily_station_visitor::ActiveModel> = seen
        .into_iter()
        .map(|(id, rider)| daily_station_visitor::ActiveModel {
            day: Set(label.clone()),
            station_id: Set(id),
            rider_id: Set(rider),
            region_code: Set(region(&id)),
        })
        .collect();

    let txn = db.begin().await?;
    daily_station_stat::Entity::delete_many()
        .filter(daily_station_stat::Column::Day.eq(&label))
        .exec(&txn)
        .await?;
    daily_service_stat::Entity::delete_many()
        .filter(daily_service_stat::Column::Day.eq(&label))
        .exec(&txn)
        .await?;
    daily_station_visitor::Entity::delete_many()
        .filter(daily_station_visitor::Column::Day.eq(&label))
        .exec(&txn)
        .await?;
    for chunk in station_rows.chunks(CHUNK) {
        daily_station_stat::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    for chunk in service_rows.chunks(CHUNK) {
        daily_service_stat::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    for chunk in visitor_rows.chunks(CHUNK) {
        daily_station_visitor::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await
}

/// Runs the rollup every [`EVERY`] on this instance (the lease keeps it to one at a time). The
/// first run waits one interval: a fresh start has just rebuilt (demo seed) or has nothing new,
/// and a short-lived process (tests, CLI) should not be caught mid-rebuild when it stops.
pub fn spawn(state: &AppState) {
    let (state, mut stop) = state.for_background();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(EVERY) => {}
                _ = stop.changed() => {}
            }
            if state.background_should_stop(&stop) {
                break;
            }
            if let Err(e) = run_once(&state, Utc::now()).await {
                tracing::warn!(error = %e, "daily rollup failed");
            }
        }
    });
}
