//! Redis keeps every instance's index in step. A writer publishes each committed change as
//! `{seq}:{station_id}` on `<prefix>stations:changes` and raises `<prefix>stations:version`;
//! every instance subscribes, applies each change from the database, and resyncs from the
//! database feed when a sequence number shows it missed one. While the subscription is down the
//! database feed is polled instead, so Redis trouble costs freshness, never an error. A snapshot
//! of the cards' rows in Redis lets an instance start without reading every station.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::{DbErr, EntityTrait};
use serde::{Deserialize, Serialize};
use tokio::sync::{watch, MutexGuard};
use uuid::Uuid;

use super::card::Card;
use super::index::StationIndex;
use super::sync;
use crate::cache::pubsub::{self, Subscriber};
use crate::cache::RedisCache;
use crate::entity::{station, station_change};
use crate::state::AppState;

/// A sequence number skipped by the database feed may still commit (PostgreSQL hands out
/// sequence values before commit); after this long it is taken as rolled back.
const GAP_WAIT: Duration = Duration::from_secs(10);
/// More missing sequence numbers than this in one batch are not tracked one by one.
const MAX_GAPS: usize = 1024;
/// A snapshot is a bulk transfer (tens of MB at 100 000 stations): longer than the 300 ms of
/// ordinary calls, still bounded.
const SNAPSHOT_LIMIT: Duration = Duration::from_secs(3);
const SNAPSHOT_TTL: Duration = Duration::from_secs(24 * 3600);
/// A snapshot at most this many changes behind the database is used and caught up; further
/// behind, reading the database is about as fast as refreshing each changed station.
const SNAPSHOT_MAX_BEHIND: i64 = 1000;
const SNAPSHOT_FORMAT: u32 = 1;

/// Raises the version counter to the change's sequence number (never lowers it) and publishes
/// the change, in one round trip.
const PUBLISH_LUA: &str = r"
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > v then redis.call('SET', KEYS[1], ARGV[1]) end
if ARGV[3] ~= '' then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
return 1";

/// This instance's position in the change feed, beyond the index's own sequence number.
#[derive(Default)]
pub struct FeedState {
    /// Subscribed to the Redis feed: the database is read only as a slow safety net.
    live: AtomicBool,
    /// Sequence numbers skipped over that may still commit, with when they were noticed.
    gaps: Mutex<BTreeMap<i64, Instant>>,
    /// One refresh at a time: a refresh that read an older row must not land after one that
    /// read a newer row.
    refresh: tokio::sync::Mutex<()>,
    catching_up: tokio::sync::Mutex<()>,
    /// The highest version counter value already acted on.
    version_seen: AtomicI64,
    /// Stations whose shared detail entry may be stale because Redis could not delete it.
    stale_details: Mutex<HashSet<Uuid>>,
}

/// What a change's sequence number means for this index.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// Already applied.
    Seen,
    /// The next one, or a gap filled: apply it.
    Apply,
    /// Some before it are missing: resync from the database.
    Behind,
}

impl FeedState {
    pub fn is_live(&self) -> bool {
        self.live.load(Ordering::SeqCst)
    }

    pub(crate) async fn refresh_guard(&self) -> MutexGuard<'_, ()> {
        self.refresh.lock().await
    }

    pub(crate) async fn catch_up_guard(&self) -> MutexGuard<'_, ()> {
        self.catching_up.lock().await
    }

    fn gaps(&self) -> std::sync::MutexGuard<'_, BTreeMap<i64, Instant>> {
        self.gaps.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn step(&self, index: &StationIndex, seq: i64) -> Step {
        let gaps = self.gaps();
        let current = index.seq();
        if seq == current + 1 || gaps.contains_key(&seq) {
            Step::Apply
        } else if seq <= current {
            Step::Seen
        } else {
            Step::Behind
        }
    }

    /// Records one applied change; the index's position moves only when it is the next one,
    /// so nothing before it can be skipped.
    pub(crate) fn applied(&self, index: &StationIndex, seq: i64) {
        let mut gaps = self.gaps();
        gaps.remove(&seq);
        if seq == index.seq() + 1 {
            index.advance_seq(seq);
        }
    }

    /// Records a batch read from the database feed: every committed change after the index's
    /// position. Numbers in between that were not there yet become gaps to look for again.
    pub(crate) fn applied_batch(&self, index: &StationIndex, seqs: &BTreeSet<i64>) {
        let mut gaps = self.gaps();
        let current = index.seq();
        let Some(&last) = seqs.last() else {
            return;
        };
        for seq in seqs {
            gaps.remove(seq);
        }
        let now = Instant::now();
        let missing = (current + 1..last).filter(|s| !seqs.contains(s));
        for seq in missing.take(MAX_GAPS.saturating_sub(gaps.len())) {
            gaps.insert(seq, now);
        }
        index.advance_seq(last);
    }

    /// Gaps still worth looking for (older ones are dropped).
    pub(crate) fn open_gaps(&self) -> Vec<i64> {
        let mut gaps = self.gaps();
        gaps.retain(|_, noticed| noticed.elapsed() < GAP_WAIT);
        gaps.keys().copied().collect()
    }

    /// Forgets the feed position's details (the index was rebuilt from scratch).
    pub(crate) fn reset(&self) {
        self.gaps().clear();
    }

    fn mark_stale(&self, id: Uuid) {
        if let Ok(mut stale) = self.stale_details.lock() {
            stale.insert(id);
        }
    }

    fn take_stale(&self) -> Vec<Uuid> {
        self.stale_details
            .lock()
            .map(|mut s| s.drain().collect())
            .unwrap_or_default()
    }

    fn has_stale(&self) -> bool {
        self.stale_details.lock().is_ok_and(|s| !s.is_empty())
    }
}

fn channel(state: &AppState) -> String {
    format!("{}stations:changes", state.settings.cache_prefix)
}

fn version_key(state: &AppState) -> String {
    format!("{}stations:version", state.settings.cache_prefix)
}

/// Drops a station's cached detail after its index entry changed. With the feed down, Redis is
/// not waited on for each station of a resync: the entry is deleted here and in Redis once the
/// subscription is back.
pub async fn drop_detail(state: &AppState, id: Uuid) {
    let key = sync::detail_cache_key(id);
    match state.cache.redis() {
        Some(redis) if !state.feed.is_live() => {
            redis.delete_local(&key).await;
            state.feed.mark_stale(id);
        }
        _ => {
            if !state.cache.delete(&key).await {
                state.feed.mark_stale(id);
            }
        }
    }
}

/// Tells the other instances about a committed change (bounded by the Redis timeout; when it
/// fails they find the change in the database feed).
pub async fn publish(state: &AppState, seq: i64, id: Uuid) {
    let Some(redis) = state.cache.redis() else {
        return;
    };
    if !raise_version(state, redis, seq, &format!("{seq}:{id}")).await {
        tracing::debug!(
            seq,
            "station change not published; instances will poll for it"
        );
    }
}

async fn raise_version(state: &AppState, redis: &RedisCache, seq: i64, message: &str) -> bool {
    let (key, channel, message) = (version_key(state), channel(state), message.to_string());
    redis
        .run(|mut c| async move {
            redis::cmd("EVAL")
                .arg(PUBLISH_LUA)
                .arg(1)
                .arg(key)
                .arg(seq)
                .arg(channel)
                .arg(message)
                .query_async::<i64>(&mut c)
                .await
        })
        .await
        .is_some()
}

/// Starts the tasks that keep this instance's index in step: the database poller always, the
/// Redis subscriber when Redis is configured. Both end on shutdown or when the app is dropped.
pub fn spawn(state: &AppState) {
    let (poll_state, stop) = state.for_background();
    tokio::spawn(poll_loop(poll_state, stop));
    if let Some(redis) = state.cache.redis().cloned() {
        let (sub_state, stop) = state.for_background();
        let channel = channel(&sub_state);
        let follower = Follower {
            state: sub_state,
            redis: redis.clone(),
        };
        tokio::spawn(pubsub::run(redis, channel, stop, follower));
    }
}

/// Reads the database feed every `station_fallback_poll_ms` while the Redis feed is down (or
/// not configured). While it is live, the version counter is checked on the same tick (a cheap
/// Redis read) and the database only every `station_poll_ms`, or at once when the counter or a
/// gap says a change was missed.
async fn poll_loop(state: AppState, mut stop: watch::Receiver<bool>) {
    let fast = Duration::from_millis(state.settings.station_fallback_poll_ms.max(50));
    let slow = Duration::from_millis(state.settings.station_poll_ms.max(50));
    let mut tick = tokio::time::interval(fast);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_read = Instant::now();
    let mut failing = false;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        if state.background_should_stop(&stop) {
            return;
        }
        if let Some(redis) = state.cache.redis() {
            if state.feed.is_live() && state.feed.has_stale() {
                flush_stale(&state, redis).await;
            }
        }
        let due = !state.feed.is_live()
            || last_read.elapsed() >= slow
            || !state.feed.open_gaps().is_empty()
            || version_ahead(&state).await;
        if !due {
            continue;
        }
        last_read = Instant::now();
        // Another instance may have imported public holidays.
        if let Err(e) = crate::holidays::store::follow(&state).await {
            tracing::debug!(error = %e, "holiday calendar check failed");
        }
        match sync::catch_up(&state).await {
            Ok(_) => failing = false,
            // Once per outage, not once per tick.
            Err(e) if !failing => {
                failing = true;
                tracing::warn!(error = %e, "station change poll failed");
            }
            Err(_) => {}
        }
    }
}

/// The version counter is past this index (a message was missed), or Redis did not answer (so
/// the database has to be asked).
async fn version_ahead(state: &AppState) -> bool {
    let Some(redis) = state.cache.redis() else {
        return false;
    };
    let key = version_key(state);
    let version = redis
        .run(|mut c| async move {
            redis::cmd("GET")
                .arg(key)
                .query_async::<Option<i64>>(&mut c)
                .await
        })
        .await;
    match version {
        None => true,
        Some(v) => {
            let v = v.unwrap_or(0);
            let seen = state.feed.version_seen.fetch_max(v, Ordering::SeqCst);
            v > seen && v > state.stations.seq()
        }
    }
}

/// The subscription's side of this instance's index.
struct Follower {
    state: AppState,
    redis: RedisCache,
}

impl Subscriber for Follower {
    fn is_stopping(&self) -> bool {
        self.state.lifecycle.is_shutting_down()
    }

    async fn on_subscribed(&self, again: bool) {
        self.state.feed.live.store(true, Ordering::SeqCst);
        if again {
            tracing::info!("station feed subscribed again");
        }
        // Subscribed first, then read the database: nothing falls between the two.
        resynced(&self.state, &self.redis).await;
    }

    async fn on_message(&self, payload: &str) {
        apply(&self.state, payload).await;
    }

    fn on_unreadable(&self, error: &redis::RedisError) {
        tracing::warn!(error = %error, "unreadable station feed message");
    }

    fn on_ended(&self, lost: bool) {
        self.state.feed.live.store(false, Ordering::SeqCst);
        if lost {
            tracing::warn!("station feed subscription lost; polling the database");
        }
    }

    fn on_unavailable(&self, error: &anyhow::Error) {
        tracing::warn!(error = %error, "station feed unavailable; polling the database");
    }
}

/// After (re)subscribing: catch up with what was published meanwhile, delete the detail
/// entries that could not be deleted, and let the others know how far this instance's own
/// unpublished writes went.
async fn resynced(state: &AppState, redis: &RedisCache) {
    if let Err(e) = sync::catch_up(state).await {
        tracing::warn!(error = %e, "station resync failed; the poller will retry");
    }
    flush_stale(state, redis).await;
    raise_version(state, redis, state.stations.seq(), "").await;
}

/// Deletes the detail entries Redis missed while it was away.
async fn flush_stale(state: &AppState, redis: &RedisCache) {
    for id in state.feed.take_stale() {
        if !redis.delete(&sync::detail_cache_key(id)).await {
            state.feed.mark_stale(id);
        }
    }
}

fn parse_message(payload: &str) -> Option<(i64, Uuid)> {
    let (seq, id) = payload.split_once(':')?;
    Some((seq.parse().ok()?, id.parse().ok()?))
}

/// Applies one published change.
async fn apply(state: &AppState, payload: &str) {
    let Some((seq, id)) = parse_message(payload) else {
        tracing::warn!("malformed station feed message ignored");
        return;
    };
    match state.feed.step(&state.stations, seq) {
        Step::Seen => {}
        Step::Apply => match sync::refresh_one(state, id).await {
            Ok(()) => state.feed.applied(&state.stations, seq),
            Err(e) => tracing::warn!(error = %e, "station refresh failed; the poller will retry"),
        },
        Step::Behind => {
            if let Err(e) = sync::catch_up(state).await {
                tracing::warn!(error = %e, "station resync failed; the poller will retry");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshot

/// One card's source row: only what a card is built from (no check-in code, no contact).
/// A tuple struct, so the JSON is an array without field names (a third smaller).
#[derive(Serialize, Deserialize)]
struct SnapStation(
    Uuid,
    String,
    Option<String>,
    String,
    f64,
    f64,
    String,
    String,
    String,
    i32,
    String,
    i32,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
    Vec<DateTime<Utc>>,
);

#[derive(Serialize, Deserialize)]
struct Snapshot {
    format: u32,
    seq: i64,
    /// When change `seq` was recorded: tells this database's feed from another's (a database
    /// recreated behind the same Redis prefix reuses sequence numbers).
    seq_at: DateTime<Utc>,
    stations: Vec<SnapStation>,
}

impl SnapStation {
    fn new(r: &station::Model, visits: &[DateTime<Utc>]) -> Self {
        SnapStation(
            r.id,
            r.name.clone(),
            r.name_en.clone(),
            r.address.clone(),
            r.lat,
            r.lng,
            r.region_code.clone(),
            r.opening_hours.clone(),
            r.amenities.clone(),
            r.capacity,
            r.status.clone(),
            r.occupancy,
            r.occupancy_set_at,
            r.updated_at,
            visits.to_vec(),
        )
    }

    fn into_card(self, memo: &mut sync::HoursMemo) -> Card {
        let SnapStation(
            id,
            name,
            name_en,
            address,
            lat,
            lng,
            region_code,
            opening_hours,
            amenities,
            capacity,
            status,
            occupancy,
            occupancy_set_at,
            updated_at,
            visits,
        ) = self;
        // Fields a card does not read are left empty.
        let row = station::Model {
            id,
            external_id: None,
            name,
            name_en,
            address,
            lat,
            lng,
            region_code,
            opening_hours,
            amenities,
            capacity,
            status,
            occupancy,
            occupancy_set_at,
            contact_phone: None,
            checkin_code: String::new(),
            checkin_rotated_at: updated_at,
            last_verified_at: None,
            created_at: updated_at,
            updated_at,
        };
        memo.card(&row, visits)
    }
}

fn snapshot_key() -> &'static str {
    "stations:snapshot"
}

/// Where the index came from at startup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexSource {
    Snapshot,
    Database,
}

/// Builds the index at startup: from the Redis snapshot when there is a usable one, else from
/// the database (then writing a snapshot for the next instance, in the background).
pub async fn load_index(state: &AppState) -> Result<(IndexSource, usize), DbErr> {
    if let Some(redis) = snapshot_store(state) {
        if let Some(n) = load_snapshot(state, &redis).await? {
            return Ok((IndexSource::Snapshot, n));
        }
    }
    Ok((IndexSource::Database, rebuild(state).await?))
}

/// Rebuilds the index from the database, then (in the background) leaves a snapshot of it for
/// the next instance to start from.
pub async fn rebuild(state: &AppState) -> Result<usize, DbErr> {
    let loaded = sync::read_all(&state.db).await?;
    let n = sync::install(state, &loaded);
    if let Some(redis) = snapshot_store(state) {
        let state = state.clone();
        tokio::spawn(async move {
            write_snapshot(&state, &redis, &loaded).await;
        });
    }
    Ok(n)
}

fn snapshot_store(state: &AppState) -> Option<RedisCache> {
    state
        .cache
        .redis()
        .filter(|_| state.settings.station_snapshot)
        .cloned()
}

async fn load_snapshot(state: &AppState, redis: &RedisCache) -> Result<Option<usize>, DbErr> {
    let Some(bytes) = redis.get_bulk(snapshot_key(), SNAPSHOT_LIMIT).await else {
        return Ok(None);
    };
    let snap: Snapshot = match serde_json::from_slice(&bytes) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "station snapshot unreadable; loading from the database");
            return Ok(None);
        }
    };
    drop(bytes);
    let db_seq = sync::max_seq(&state.db).await?;
    let behind = db_seq - snap.seq;
    let same_feed = station_change::Entity::find_by_id(snap.seq as i32)
        .one(&state.db)
        .await?
        .is_some_and(|c| c.changed_at == snap.seq_at);
    if snap.format != SNAPSHOT_FORMAT || !same_feed || !(0..=SNAPSHOT_MAX_BEHIND).contains(&behind)
    {
        tracing::info!(
            behind,
            same_feed,
            "station snapshot not usable; loading from the database"
        );
        return Ok(None);
    }
    let mut memo = sync::HoursMemo::new(state);
    let cards: Vec<Card> = snap
        .stations
        .into_iter()
        .map(|s| s.into_card(&mut memo))
        .collect();
    state.feed.reset();
    state.stations.replace_all(cards, snap.seq);
    sync::catch_up(state).await?;
    Ok(Some(state.stations.len()))
}

/// Writes the snapshot of what the index was just built from, unless another instance is
/// writing one (a rolling restart starts several at once).
async fn write_snapshot(state: &AppState, redis: &RedisCache, loaded: &sync::Loaded) -> bool {
    if loaded.seq == 0 || loaded.rows.is_empty() {
        return false;
    }
    let seq_at = match station_change::Entity::find_by_id(loaded.seq as i32)
        .one(&state.db)
        .await
    {
        Ok(Some(c)) => c.changed_at,
        _ => return false,
    };
    let lock = format!("{}{}-lock", state.settings.cache_prefix, snapshot_key());
    let claimed = redis
        .run(|mut c| async move {
            redis::cmd("SET")
                .arg(lock)
                .arg(1)
                .arg("NX")
                .arg("PX")
                .arg(60_000)
                .query_async::<Option<String>>(&mut c)
                .await
        })
        .await
        .flatten()
        .is_some();
    if !claimed {
        return false;
    }
    let empty = Vec::new();
    let snap = Snapshot {
        format: SNAPSHOT_FORMAT,
        seq: loaded.seq,
        seq_at,
        stations: loaded
            .rows
            .iter()
            .map(|r| SnapStation::new(r, loaded.visits.get(&r.id).unwrap_or(&empty)))
            .collect(),
    };
    let bytes = match serde_json::to_vec(&snap) {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "station snapshot not written");
            return false;
        }
    };
    drop(snap);
    let size = bytes.len();
    let done = redis
        .set_bulk(snapshot_key(), bytes, SNAPSHOT_TTL, SNAPSHOT_LIMIT)
        .await;
    if done {
        tracing::info!(
            stations = loaded.rows.len(),
            bytes = size,
            "station snapshot written"
        );
    }
    done
}

/// Writes a snapshot of the database's stations now (tests, and tools that rebuilt the data).
pub async fn snapshot_now(state: &AppState) -> Result<bool, DbErr> {
    let Some(redis) = state.cache.redis() else {
        return Ok(false);
    };
    let loaded = sync::read_all(&state.db).await?;
    Ok(write_snapshot(state, redis, &loaded).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_parse() {
        let id = Uuid::now_v7();
        assert_eq!(parse_message(&format!("42:{id}")), Some((42, id)));
        assert_eq!(parse_message("x:y"), None);
        assert_eq!(parse_message("42"), None);
    }

    #[test]
    fn steps_and_gaps() {
        let feed = FeedState::default();
        let index = StationIndex::default();
        index.advance_seq(5);
        assert_eq!(feed.step(&index, 5), Step::Seen);
        assert_eq!(feed.step(&index, 6), Step::Apply);
        assert_eq!(feed.step(&index, 8), Step::Behind);
        // The database showed 6 and 8; 7 may still commit.
        feed.applied_batch(&index, &BTreeSet::from([6, 8]));
        assert_eq!(index.seq(), 8);
        assert_eq!(feed.open_gaps(), vec![7]);
        assert_eq!(feed.step(&index, 7), Step::Apply);
        feed.applied(&index, 7);
        assert!(feed.open_gaps().is_empty());
        assert_eq!(feed.step(&index, 7), Step::Seen);
        // Only the next change moves the position.
        feed.applied(&index, 10);
        assert_eq!(index.seq(), 8);
        feed.applied(&index, 9);
        assert_eq!(index.seq(), 9);
    }
}
