//! Keeping every instance's index in step with the database: the writer updates its own index
//! at once; other instances catch up from the `station_changes` feed.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::card::{Card, VISIT_WINDOW_MIN};
use super::domain::StationStatus;
use crate::entity::{check_in, station, station_change};
use crate::state::AppState;

pub fn detail_cache_key(id: Uuid) -> String {
    format!("station:{id}")
}

/// Appends to the change feed inside the writer's transaction.
pub async fn record_change<C: ConnectionTrait>(db: &C, station_id: Uuid) -> Result<(), DbErr> {
    station_change::ActiveModel {
        station_id: Set(station_id),
        changed_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert_only(db)
    .await
}

trait InsertOnly {
    async fn insert_only<C: ConnectionTrait>(self, db: &C) -> Result<(), DbErr>;
}

impl InsertOnly for station_change::ActiveModel {
    async fn insert_only<C: ConnectionTrait>(self, db: &C) -> Result<(), DbErr> {
        station_change::Entity::insert(self)
            .exec_without_returning(db)
            .await
            .map(|_| ())
    }
}

pub async fn max_seq<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    let max: Option<Option<i32>> = station_change::Entity::find()
        .select_only()
        .column_as(Expr::col(station_change::Column::Seq).max(), "max_seq")
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0) as i64)
}

async fn recent_visits<C: ConnectionTrait>(
    db: &C,
    station: Option<Uuid>,
) -> Result<HashMap<Uuid, Vec<DateTime<Utc>>>, DbErr> {
    let since = Utc::now() - chrono::Duration::minutes(VISIT_WINDOW_MIN);
    let mut q = check_in::Entity::find().filter(check_in::Column::CreatedAt.gt(since));
    if let Some(id) = station {
        q = q.filter(check_in::Column::StationId.eq(id));
    }
    let mut out: HashMap<Uuid, Vec<DateTime<Utc>>> = HashMap::new();
    for v in q.all(db).await? {
        out.entry(v.station_id).or_default().push(v.created_at);
    }
    Ok(out)
}

/// Builds the card for one row (with its recent visits).
pub async fn card_for(db: &DatabaseConnection, row: &station::Model) -> Result<Card, DbErr> {
    let mut visits = recent_visits(db, Some(row.id)).await?;
    Ok(Card::from_row(
        row,
        visits.remove(&row.id).unwrap_or_default(),
    ))
}

/// Loads every live station into the index.
pub async fn load_all(state: &AppState) -> Result<usize, DbErr> {
    let db = &state.db;
    let seq = max_seq(db).await?;
    let mut visits = recent_visits(db, None).await?;
    let rows = station::Entity::find()
        .filter(station::Column::Status.ne(StationStatus::ClosedPermanently.as_str()))
        .all(db)
        .await?;
    let cards: Vec<Card> = rows
        .iter()
        .map(|r| Card::from_row(r, visits.remove(&r.id).unwrap_or_default()))
        .collect();
    let n = cards.len();
    state.stations.replace_all(cards, seq);
    Ok(n)
}

/// Re-reads one station into the index (removing it when gone or closed for good) and drops
/// its cached detail.
pub async fn refresh_one(state: &AppState, id: Uuid) -> Result<(), DbErr> {
    let row = station::Entity::find_by_id(id).one(&state.db).await?;
    let card = match row {
        Some(r) if r.status != StationStatus::ClosedPermanently.as_str() => {
            Some(card_for(&state.db, &r).await?)
        }
        _ => None,
    };
    state.stations.upsert(id, card);
    state.cache.delete(&detail_cache_key(id)).await;
    Ok(())
}

/// Called by the writer after its transaction committed.
pub async fn after_write(state: &AppState, id: Uuid) {
    if let Err(e) = refresh_one(state, id).await {
        tracing::warn!(error = %e, "index refresh after write failed; the poller will catch up");
    }
}

/// Applies every change newer than the index's sequence number.
pub async fn catch_up(state: &AppState) -> Result<usize, DbErr> {
    let from = state.stations.seq();
    let changes = station_change::Entity::find()
        .filter(station_change::Column::Seq.gt(from as i32))
        .order_by_asc(station_change::Column::Seq)
        .limit(10_000)
        .all(&state.db)
        .await?;
    let Some(last) = changes.last().map(|c| c.seq as i64) else {
        return Ok(0);
    };
    let ids: BTreeSet<Uuid> = changes.iter().map(|c| c.station_id).collect();
    for id in &ids {
        refresh_one(state, *id).await?;
    }
    state.stations.advance_seq(last);
    Ok(ids.len())
}

/// Polls the change feed so writes through other instances (or the CLI) show up here.
pub fn spawn_poller(state: AppState, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if state.lifecycle.is_shutting_down() {
                return;
            }
            if let Err(e) = catch_up(&state).await {
                tracing::warn!(error = %e, "station change poll failed");
            }
        }
    });
}
