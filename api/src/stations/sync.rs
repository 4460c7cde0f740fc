//! Keeping every instance's index in step with the database: the writer updates its own index
//! at once and publishes the change (see `feed`); other instances apply it, or catch up from
//! the `station_changes` feed.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::card::{Card, VISIT_WINDOW_MIN};
use super::domain::StationStatus;
use super::feed;
use opening_hours::ContextHolidays;

use super::hours::{self, Hours};
use crate::entity::{check_in, station, station_change};
use crate::state::AppState;

pub fn detail_cache_key(id: Uuid) -> String {
    format!("station:{id}")
}

/// Appends to the change feed inside the writer's transaction; returns the change's sequence
/// number for `after_write`.
pub async fn record_change<C: ConnectionTrait>(db: &C, station_id: Uuid) -> Result<i64, DbErr> {
    let change = station_change::ActiveModel {
        station_id: Set(station_id),
        changed_at: Set(Utc::now()),
        ..Default::default()
    };
    let done = station_change::Entity::insert(change).exec(db).await?;
    Ok(done.last_insert_id as i64)
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
pub async fn card_for(state: &AppState, row: &station::Model) -> Result<Card, DbErr> {
    let mut visits = recent_visits(&state.db, Some(row.id)).await?;
    Ok(Card::from_row(
        row,
        visits.remove(&row.id).unwrap_or_default(),
        &state.holidays.holidays(),
    ))
}

/// What the index is built from: the feed position, then every live station and its visits.
pub struct Loaded {
    pub seq: i64,
    pub rows: Vec<station::Model>,
    pub visits: HashMap<Uuid, Vec<DateTime<Utc>>>,
}

pub async fn read_all(db: &DatabaseConnection) -> Result<Loaded, DbErr> {
    // The position first: a change committed while the rows are read is applied again later.
    let seq = max_seq(db).await?;
    let visits = recent_visits(db, None).await?;
    let rows = station::Entity::find()
        .filter(station::Column::Status.ne(StationStatus::ClosedPermanently.as_str()))
        .all(db)
        .await?;
    Ok(Loaded { seq, rows, visits })
}

/// Parses each distinct opening-hours expression once during a bulk load (per station only
/// when it depends on the sun, and so on where the station is).
pub struct HoursMemo {
    parsed: HashMap<String, Option<Arc<Hours>>>,
    holidays: ContextHolidays,
}

impl HoursMemo {
    pub fn new(state: &AppState) -> Self {
        Self {
            parsed: HashMap::new(),
            holidays: state.holidays.holidays(),
        }
    }

    pub fn card(&mut self, row: &station::Model, visits: Vec<DateTime<Utc>>) -> Card {
        let expr = &row.opening_hours;
        let at = Some((row.lat, row.lng));
        let hours = if hours::uses_sun(expr) {
            hours::for_station(expr, at, &self.holidays)
        } else {
            match self.parsed.get(expr) {
                Some(h) => h.clone(),
                None => {
                    let h = hours::for_station(expr, at, &self.holidays);
                    self.parsed.insert(expr.clone(), h.clone());
                    h
                }
            }
        };
        Card::with_hours(row, visits, hours)
    }
}

/// Replaces the index with what was read; returns the number of stations.
pub fn install(state: &AppState, loaded: &Loaded) -> usize {
    let mut memo = HoursMemo::new(state);
    let cards: Vec<Card> = loaded
        .rows
        .iter()
        .map(|r| memo.card(r, loaded.visits.get(&r.id).cloned().unwrap_or_default()))
        .collect();
    let n = cards.len();
    state.feed.reset();
    state.stations.replace_all(cards, loaded.seq);
    n
}

/// Loads every live station into the index from the database.
pub async fn load_all(state: &AppState) -> Result<usize, DbErr> {
    let loaded = read_all(&state.db).await?;
    Ok(install(state, &loaded))
}

/// Re-reads one station into the index (removing it when gone or closed for good) and drops
/// its cached detail.
pub async fn refresh_one(state: &AppState, id: Uuid) -> Result<(), DbErr> {
    let _in_order = state.feed.refresh_guard().await;
    let row = station::Entity::find_by_id(id).one(&state.db).await?;
    let card = match row {
        Some(r) if r.status != StationStatus::ClosedPermanently.as_str() => {
            Some(card_for(state, &r).await?)
        }
        _ => None,
    };
    state.stations.upsert(id, card);
    feed::drop_detail(state, id).await;
    Ok(())
}

/// Called by the writer after its transaction committed, with the change's sequence number:
/// this index at once, then the other instances through Redis.
pub async fn after_write(state: &AppState, id: Uuid, seq: i64) {
    match refresh_one(state, id).await {
        Ok(()) => state.feed.applied(&state.stations, seq),
        Err(e) => {
            tracing::warn!(error = %e, "index refresh after write failed; the poller will catch up")
        }
    }
    feed::publish(state, seq, id).await;
}

const CATCH_UP_BATCH: u64 = 10_000;
/// Past this many changed stations, rebuilding the index costs less than refreshing each.
const REBUILD_ABOVE: usize = 2_000;

/// Applies every change newer than the index's sequence number, and any skipped earlier that
/// has committed since.
pub async fn catch_up(state: &AppState) -> Result<usize, DbErr> {
    let _one_at_a_time = state.feed.catch_up_guard().await;
    let mut refreshed = 0;
    loop {
        let from = state.stations.seq();
        let mut wanted = Condition::any().add(station_change::Column::Seq.gt(from as i32));
        let gaps = state.feed.open_gaps();
        if !gaps.is_empty() {
            wanted = wanted.add(station_change::Column::Seq.is_in(gaps.iter().map(|s| *s as i32)));
        }
        let changes = station_change::Entity::find()
            .filter(wanted)
            .order_by_asc(station_change::Column::Seq)
            .limit(CATCH_UP_BATCH)
            .all(&state.db)
            .await?;
        let ids: BTreeSet<Uuid> = changes.iter().map(|c| c.station_id).collect();
        if ids.len() > REBUILD_ABOVE {
            // Under the refresh lock, so no single refresh interleaves with the rebuild.
            let _in_order = state.feed.refresh_guard().await;
            return feed::rebuild(state).await;
        }
        for id in &ids {
            refresh_one(state, *id).await?;
        }
        let seqs: BTreeSet<i64> = changes.iter().map(|c| c.seq as i64).collect();
        state.feed.applied_batch(&state.stations, &seqs);
        refreshed += ids.len();
        if (changes.len() as u64) < CATCH_UP_BATCH {
            return Ok(refreshed);
        }
    }
}
