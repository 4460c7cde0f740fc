//! Several app instances on one database. A write through one reaches nearby on the others:
//! within a second over the Redis feed; within a few seconds by polling the database without
//! Redis or while it is unreachable or hung; after missed messages through the sequence
//! numbers and the version counter. A new instance can start from the Redis snapshot.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, Set, TransactionTrait};
use serde_json::{json, Value};
use uuid::Uuid;
use warmnew::auth::Role;
use warmnew::config::Settings;
use warmnew::entity::station;
use warmnew::stations::feed::{self, IndexSource};
use warmnew::stations::sync;

use crate::helpers::*;

const LAT: f64 = 31.2304;
const LNG: f64 = 121.4737;

/// Tests of the Redis feed itself need a live Redis; without one they say so and pass.
fn live_redis(test: &str) -> bool {
    if std::env::var("TEST_REDIS_URL").is_ok() {
        return true;
    }
    eprintln!("note: {test} skipped: it needs a live Redis (set TEST_REDIS_URL)");
    false
}

/// No database polling at all: only the Redis feed can deliver a change.
fn feed_only(s: &mut Settings) {
    s.station_poll_ms = 60_000;
    s.station_fallback_poll_ms = 60_000;
}

fn without_redis(s: &mut Settings) {
    s.redis_url = None;
}

async fn admin(app: &TestApp) -> String {
    token(&app.user_with_role(Role::Admin, None).await).to_string()
}

/// Creates a station a few metres from the test point; returns its id.
async fn create(app: &TestApp, admin: &str, name: &str, offset: f64) -> String {
    let body = json!({
        "name": name,
        "address": format!("{name} 门口"),
        "lat": LAT + offset,
        "lng": LNG + offset,
        "region_code": "310106",
        "opening_hours": "24/7",
        "amenities": ["drinking_water"],
        "capacity": 12,
    });
    let res = app.post("/api/v1/stations", Some(admin), body).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "create on {}: {body}", backend());
    body["id"].as_str().expect("id").to_string()
}

async fn patch(app: &TestApp, admin: &str, id: &str, body: Value) {
    let res = app
        .patch(&format!("/api/v1/stations/{id}"), Some(admin), body)
        .await;
    assert_eq!(res.status(), 200, "patch on {}", backend());
}

async fn nearby(app: &TestApp) -> Vec<Value> {
    let path = format!("/api/v1/stations/nearby?lat={LAT}&lng={LNG}&radius_m=2000&limit=50");
    let res = app.get(&path, None).await;
    assert_eq!(res.status(), 200, "nearby on {}", backend());
    let body: Value = res.json().await.unwrap();
    body["items"].as_array().expect("items").clone()
}

async fn detail(app: &TestApp, id: &str) -> Value {
    let res = app.get(&format!("/api/v1/stations/{id}"), None).await;
    assert_eq!(res.status(), 200, "detail on {}", backend());
    res.json().await.unwrap()
}

fn item<'a>(items: &'a [Value], id: &str) -> Option<&'a Value> {
    items.iter().find(|i| i["id"] == id)
}

fn occupancy_is(items: &[Value], id: &str, n: i64) -> bool {
    item(items, id).is_some_and(|i| i["occupancy"] == n)
}

/// Asks `app`'s nearby until `seen` holds or `limit` has passed; returns how long it took.
async fn time_until(
    app: &TestApp,
    limit: Duration,
    seen: impl Fn(&[Value]) -> bool,
) -> Option<Duration> {
    let start = Instant::now();
    loop {
        if seen(&nearby(app).await) {
            return Some(start.elapsed());
        }
        if start.elapsed() > limit {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Waits (bounded) until the instance is subscribed to the Redis feed.
async fn until_live(app: &TestApp) {
    let start = Instant::now();
    while !app.state.feed.is_live() {
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "the Redis feed did not come up"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// A change straight to the database and its feed, published nowhere (a writer that crashed
/// after commit, or a message lost on the way); returns its sequence number.
async fn write_unannounced(app: &TestApp, id: &str, occupancy: i32) -> i64 {
    let id: Uuid = id.parse().unwrap();
    let row = station::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("station row");
    let mut active: station::ActiveModel = row.into();
    let now = Utc::now();
    active.occupancy = Set(occupancy);
    active.occupancy_set_at = Set(Some(now));
    active.updated_at = Set(now);
    let txn = app.state.db.begin().await.unwrap();
    active.update(&txn).await.unwrap();
    let seq = sync::record_change(&txn, id).await.unwrap();
    txn.commit().await.unwrap();
    seq
}

async fn redis_cmd(app: &TestApp, cmd: redis::Cmd) {
    let redis = app.state.cache.redis().expect("redis configured");
    redis
        .run(|mut c| async move { cmd.query_async::<()>(&mut c).await })
        .await
        .expect("redis answered");
}

#[tokio::test]
async fn a_write_through_one_instance_reaches_nearby_on_another_within_a_second() {
    if !live_redis("a_write_through_one_instance_reaches_nearby_on_another_within_a_second") {
        return;
    }
    let a = spawn_with(feed_only).await;
    let b = a.spawn_peer(feed_only).await;
    until_live(&a).await;
    until_live(&b).await;
    let admin = admin(&a).await;

    let id = create(&a, &admin, "人民广场暖新驿站", 0.001).await;
    let created = time_until(&b, Duration::from_secs(1), |items| {
        item(items, &id).is_some()
    })
    .await
    .expect("a station created through A did not reach B within 1 s");
    assert_eq!(detail(&b, &id).await["status"], "open");

    patch(&a, &admin, &id, json!({"status": "full", "occupancy": 7})).await;
    let patched = time_until(&b, Duration::from_secs(1), |items| {
        item(items, &id).is_some_and(|i| i["status"] == "full" && i["occupancy"] == 7)
    })
    .await
    .expect("a change through A did not reach B's nearby within 1 s");
    // B's cached detail (shared in Redis) was dropped with the write.
    assert_eq!(detail(&b, &id).await["status"], "full");
    eprintln!("A -> B over the Redis feed: create {created:?}, patch {patched:?}");
}

#[tokio::test]
async fn without_redis_instances_keep_in_step_by_polling_the_database() {
    let a = spawn_with(without_redis).await;
    let b = a.spawn_peer(|_| {}).await;
    assert!(b.state.cache.redis().is_none());
    let admin = admin(&a).await;
    let id = create(&a, &admin, "外滩暖新驿站", 0.002).await;
    let created = time_until(&b, Duration::from_secs(3), |items| {
        item(items, &id).is_some()
    })
    .await
    .expect("B did not find the new station by polling");
    patch(&a, &admin, &id, json!({"occupancy": 5})).await;
    let patched = time_until(&b, Duration::from_secs(3), |i| occupancy_is(i, &id, 5))
        .await
        .expect("B did not find the change by polling");
    eprintln!(
        "A -> B by polling on {}: create {created:?}, patch {patched:?}",
        backend()
    );
}

/// Both instances configured with a Redis that does not work: requests answer promptly and
/// the same, /readyz says degraded, and writes still spread by database polling.
async fn instances_stay_in_step_with_a_broken_redis(url: String) {
    let broken = |s: &mut Settings| {
        s.redis_url = Some(url.clone());
        // Polled more often than the default (1 s) to keep the test short.
        s.station_fallback_poll_ms = 300;
    };
    let a = spawn_with(broken).await;
    let b = a.spawn_peer(broken).await;
    let flow = async {
        let admin = admin(&a).await;
        let id = create(&a, &admin, "静安寺暖新驿站", 0.001).await;
        create(&a, &admin, "南京西路暖新驿站", 0.003).await;
        time_until(&b, Duration::from_secs(3), |items| items.len() == 2)
            .await
            .expect("B did not find the stations by polling");
        assert_eq!(nearby(&a).await, nearby(&b).await, "the same items");
        let (da, db) = (detail(&a, &id).await, detail(&b, &id).await);
        assert_eq!(da["name"], db["name"]);
        assert_eq!(da["updated_at"], db["updated_at"]);

        let ready: Value = b.get("/readyz", None).await.json().await.unwrap();
        assert_eq!(ready["status"], "ready");
        assert_eq!(ready["cache"], "degraded");
        assert!(!b.state.feed.is_live());

        patch(&a, &admin, &id, json!({"occupancy": 3})).await;
        time_until(&b, Duration::from_secs(3), |i| occupancy_is(i, &id, 3))
            .await
            .expect("B did not find the change by polling");
        assert_eq!(detail(&b, &id).await["occupancy"], 3);
    };
    tokio::time::timeout(Duration::from_secs(8), flow)
        .await
        .expect("requests hung on a broken Redis");
}

#[tokio::test]
async fn an_unreachable_redis_costs_freshness_not_errors() {
    // Nothing listens on port 1: every connection is refused at once.
    instances_stay_in_step_with_a_broken_redis("redis://127.0.0.1:1".into()).await;
}

#[tokio::test]
async fn a_hung_redis_costs_freshness_not_errors() {
    // Accepts connections and never answers: every attempt has to time out.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    instances_stay_in_step_with_a_broken_redis(format!("redis://127.0.0.1:{port}")).await;
}

#[tokio::test]
async fn a_skipped_sequence_number_makes_an_instance_resync() {
    if !live_redis("a_skipped_sequence_number_makes_an_instance_resync") {
        return;
    }
    let a = spawn_with(feed_only).await;
    let b = a.spawn_peer(feed_only).await;
    until_live(&a).await;
    until_live(&b).await;
    let admin = admin(&a).await;
    let first = create(&a, &admin, "徐家汇暖新驿站", 0.001).await;
    let second = create(&a, &admin, "淮海中路暖新驿站", 0.002).await;
    time_until(&b, Duration::from_secs(1), |items| items.len() == 2)
        .await
        .expect("B did not get the stations");

    // The message for the first change is lost; the second one's number shows the gap.
    write_unannounced(&a, &first, 4).await;
    let seq = write_unannounced(&a, &second, 6).await;
    assert!(!occupancy_is(&nearby(&b).await, &first, 4));
    feed::publish(&a.state, seq, second.parse().unwrap()).await;
    time_until(&b, Duration::from_secs(1), |i| {
        occupancy_is(i, &first, 4) && occupancy_is(i, &second, 6)
    })
    .await
    .expect("B did not resync after a skipped sequence number");
}

#[tokio::test]
async fn the_version_counter_reveals_missed_messages() {
    if !live_redis("the_version_counter_reveals_missed_messages") {
        return;
    }
    // The database is read only when something says a change was missed.
    let checked = |s: &mut Settings| {
        s.station_poll_ms = 60_000;
        s.station_fallback_poll_ms = 100;
    };
    let a = spawn_with(checked).await;
    let b = a.spawn_peer(checked).await;
    until_live(&b).await;
    let admin = admin(&a).await;
    let id = create(&a, &admin, "陆家嘴暖新驿站", 0.001).await;
    time_until(&b, Duration::from_secs(1), |items| {
        item(items, &id).is_some()
    })
    .await
    .expect("B did not get the station");

    let seq = write_unannounced(&a, &id, 9).await;
    let key = format!("{}stations:version", a.state.settings.cache_prefix);
    redis_cmd(&a, redis::cmd("SET").arg(key).arg(seq).to_owned()).await;
    time_until(&b, Duration::from_secs(1), |i| occupancy_is(i, &id, 9))
        .await
        .expect("B did not resync after the version counter moved past it");
}

#[tokio::test]
async fn an_unannounced_write_is_found_by_the_poller() {
    let a = spawn_with(without_redis).await;
    let b = a.spawn_peer(|s| s.station_fallback_poll_ms = 200).await;
    let admin = admin(&a).await;
    let id = create(&a, &admin, "五角场暖新驿站", 0.001).await;
    time_until(&b, Duration::from_secs(2), |items| {
        item(items, &id).is_some()
    })
    .await
    .expect("B did not get the station");
    write_unannounced(&a, &id, 2).await;
    time_until(&b, Duration::from_secs(2), |i| occupancy_is(i, &id, 2))
        .await
        .expect("B's poller did not find the unannounced change");
}

#[tokio::test]
async fn a_new_instance_starts_from_the_snapshot_and_catches_up() {
    if !live_redis("a_new_instance_starts_from_the_snapshot_and_catches_up") {
        return;
    }
    let a = spawn().await;
    let admin = admin(&a).await;
    let mut ids = Vec::new();
    for (n, name) in ["中山公园暖新驿站", "静安公园暖新驿站", "襄阳公园暖新驿站"]
        .iter()
        .enumerate()
    {
        ids.push(create(&a, &admin, name, 0.001 * (n + 1) as f64).await);
    }
    assert!(feed::snapshot_now(&a.state).await.unwrap());
    // One change after the snapshot: the new instance catches up with it.
    patch(&a, &admin, &ids[0], json!({"status": "full"})).await;

    let b = a.spawn_peer(|_| {}).await;
    assert_eq!(nearby(&a).await, nearby(&b).await);
    assert_eq!(
        feed::load_index(&b.state).await.unwrap(),
        (IndexSource::Snapshot, 3)
    );
    let items = nearby(&b).await;
    assert_eq!(item(&items, &ids[0]).unwrap()["status"], "full");
    assert_eq!(nearby(&a).await, items);

    // Another database behind the same Redis prefix does not take it.
    let prefix = a.state.settings.cache_prefix.clone();
    let other = spawn_with(|s| s.cache_prefix = prefix).await;
    assert_eq!(
        feed::load_index(&other.state).await.unwrap(),
        (IndexSource::Database, 0)
    );
    assert!(nearby(&other).await.is_empty());
}

#[tokio::test]
async fn background_tasks_end_with_the_app() {
    let app = spawn().await;
    let feed = Arc::downgrade(&app.state.feed);
    app.handle.shutdown().await;
    drop(app);
    let start = Instant::now();
    while feed.upgrade().is_some() {
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "a background task still holds the app's state"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn background_tasks_end_when_the_state_is_dropped() {
    let conn = warmnew::db::connect("sqlite::memory:").await.unwrap();
    let state = warmnew::startup::prepare_with(Settings::for_tests(), conn)
        .await
        .unwrap();
    let feed = Arc::downgrade(&state.feed);
    drop(state);
    let start = Instant::now();
    while feed.upgrade().is_some() {
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "a background task outlived the app's state"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
