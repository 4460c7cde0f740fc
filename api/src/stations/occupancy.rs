//! Occupancy over time, sampled whenever it changes, so a day's peak can be told afterwards.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};
use uuid::Uuid;

use super::card::VISIT_WINDOW_MIN;
use crate::entity::{check_in, occupancy_sample, station};

pub async fn record<C: ConnectionTrait>(
    db: &C,
    station_id: Uuid,
    occupancy: i32,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    occupancy_sample::ActiveModel {
        id: Set(Uuid::now_v7()),
        station_id: Set(station_id),
        occupancy: Set(occupancy),
        at: Set(at),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// After a check-in: the operator's last count plus the visits since it within the window,
/// as the station card reckons it.
pub async fn record_after_visit<C: ConnectionTrait>(
    db: &C,
    row: &station::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let window_start = now - Duration::minutes(VISIT_WINDOW_MIN);
    let since = row
        .occupancy_set_at
        .map_or(window_start, |s| s.max(window_start));
    let visits = check_in::Entity::find()
        .filter(check_in::Column::StationId.eq(row.id))
        .filter(check_in::Column::CreatedAt.gt(since))
        .count(db)
        .await?;
    let occupancy = row
        .occupancy
        .saturating_add(i32::try_from(visits).unwrap_or(i32::MAX));
    record(db, row.id, occupancy, now).await
}
