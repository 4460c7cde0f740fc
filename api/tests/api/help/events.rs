//! GET /api/v1/events: live help-request events over SSE, scoped per user, across instances.

use std::time::Duration;

use chrono::Utc;
use reqwest::Response;
use serde_json::Value;
use uuid::Uuid;
use warmnew::help::events::{publish, HelpSignal, MAX_STREAMS_PER_USER};

use crate::helpers::{assert_problem, backend, header, spawn, spawn_with, TestApp};

/// A safety net for reads that should succeed quickly; never a synchronisation sleep.
const WAIT: Duration = Duration::from_secs(5);

/// One SSE frame (a comment-only frame has `comment` set).
#[derive(Debug, Default)]
pub struct Frame {
    pub event: Option<String>,
    pub id: Option<String>,
    pub data: Option<String>,
    pub retry: Option<String>,
    pub comment: Option<String>,
}

impl Frame {
    pub fn json(&self) -> Value {
        serde_json::from_str(self.data.as_deref().expect("data")).expect("json data")
    }
}

/// A client reading an open event stream frame by frame.
pub struct Sse {
    res: Response,
    buf: String,
}

impl Sse {
    /// Opens the stream as `token`, asserting the SSE headers.
    pub async fn open(app: &TestApp, token: &str) -> Sse {
        let res = app.get("/api/v1/events", Some(token)).await;
        assert_eq!(res.status(), 200, "events on {}", backend());
        assert_eq!(
            header(&res, "content-type").as_deref(),
            Some("text/event-stream")
        );
        assert_eq!(header(&res, "cache-control").as_deref(), Some("no-cache"));
        assert_eq!(header(&res, "x-accel-buffering").as_deref(), Some("no"));
        let mut sse = Sse {
            res,
            buf: String::new(),
        };
        let first = sse.frame().await.expect("first frame");
        assert_eq!(first.retry.as_deref(), Some("3000"), "{first:?}");
        sse
    }

    /// The next frame; `None` when the server ended the stream. Panics after `WAIT`.
    pub async fn frame(&mut self) -> Option<Frame> {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let raw: String = self.buf.drain(..end + 2).collect();
                return Some(parse(&raw));
            }
            let chunk = tokio::time::timeout(WAIT, self.res.chunk())
                .await
                .unwrap_or_else(|_| panic!("no frame within {WAIT:?} on {}", backend()))
                .expect("read stream");
            match chunk {
                Some(bytes) => self
                    .buf
                    .push_str(std::str::from_utf8(&bytes).expect("utf-8")),
                None => return None,
            }
        }
    }

    /// The next `help_request` event's data (pings and other frames skipped).
    pub async fn event(&mut self) -> Value {
        loop {
            let f = self.frame().await.expect("stream ended");
            if f.event.as_deref() == Some("help_request") {
                assert!(
                    f.id.as_deref().is_some_and(|id| id.parse::<Uuid>().is_ok()),
                    "{f:?}"
                );
                return f.json();
            }
        }
    }

    /// Reads events until one for `request_id` in `status`; returns every event read.
    pub async fn until(&mut self, request_id: &str, status: &str) -> Vec<Value> {
        let mut seen = Vec::new();
        loop {
            let e = self.event().await;
            let hit = e["request_id"] == request_id && e["status"] == status;
            seen.push(e);
            if hit {
                return seen;
            }
        }
    }
}

fn parse(raw: &str) -> Frame {
    let mut f = Frame::default();
    for line in raw.lines().filter(|l| !l.is_empty()) {
        if let Some(c) = line.strip_prefix(':') {
            f.comment = Some(c.trim().to_string());
            continue;
        }
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value).to_string();
        match name {
            "event" => f.event = Some(value),
            "id" => f.id = Some(value),
            "data" => f.data = Some(value),
            "retry" => f.retry = Some(value),
            other => panic!("unexpected SSE field {other:?} in {raw:?}"),
        }
    }
    f
}

/// A signal as the help service would publish it.
pub fn signal(
    rider: Uuid,
    station: Option<Uuid>,
    street: Option<&str>,
    status: &str,
) -> HelpSignal {
    HelpSignal {
        request_id: Uuid::now_v7(),
        rider_id: rider,
        station_id: station,
        street_code: street.map(str::to_string),
        district_code: street.map(|s| s[..6].to_string()),
        city_code: street.map(|s| s[..4].to_string()),
        kind: "status_changed".into(),
        status: status.into(),
        tier: "station".into(),
        at: Utc::now(),
    }
}

async fn user_id(app: &TestApp, token: &str) -> Uuid {
    let me: Value = app
        .get("/api/v1/me", Some(token))
        .await
        .json()
        .await
        .unwrap();
    me["id"].as_str().expect("id").parse().unwrap()
}

#[tokio::test]
async fn events_need_a_token() {
    let app = spawn().await;
    let res = app.get("/api/v1/events", None).await;
    assert_problem(res, 401, "unauthorized").await;
    let res = app.get("/api/v1/events", Some("not-a-token")).await;
    assert_problem(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn published_signals_reach_only_their_audience() {
    let app = spawn().await;
    let (rider, other_rider) = (app.rider_token().await, app.rider_token().await);
    let rider_id = user_id(&app, &rider).await;
    let other_id = user_id(&app, &other_rider).await;
    let admin = app.admin_token().await;
    let mut mine = Sse::open(&app, &rider).await;
    let mut theirs = Sse::open(&app, &other_rider).await;
    let mut all = Sse::open(&app, &admin).await;

    let first = signal(rider_id, None, None, "accepted");
    publish(&app.state, first.clone()).await;
    let later = signal(other_id, None, None, "submitted");
    publish(&app.state, later.clone()).await;

    let e = mine.event().await;
    assert_eq!(e["request_id"], first.request_id.to_string());
    assert_eq!(e["status"], "accepted");
    assert_eq!(e["kind"], "status_changed");
    assert_eq!(e["tier"], "station");
    assert!(e["at"].is_string());
    let keys: Vec<&str> = e.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(keys.len(), 5, "only the nudge, no routing keys: {e}");
    // The other rider's first event is their own, later one: the first never reached them.
    assert_eq!(
        theirs.event().await["request_id"],
        later.request_id.to_string()
    );
    assert_eq!(
        all.event().await["request_id"],
        first.request_id.to_string()
    );
    assert_eq!(
        all.event().await["request_id"],
        later.request_id.to_string()
    );
}

#[tokio::test]
async fn streams_ping_and_are_not_compressed() {
    let app = spawn_with(|s| s.events_ping_ms = 50).await;
    let rider = app.rider_token().await;
    let res = app
        .client
        .get(app.url("/api/v1/events"))
        .bearer_auth(&rider)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_ne!(header(&res, "content-encoding").as_deref(), Some("gzip"));
    let mut sse = Sse {
        res,
        buf: String::new(),
    };
    assert_eq!(sse.frame().await.unwrap().retry.as_deref(), Some("3000"));
    let ping = sse.frame().await.unwrap();
    assert_eq!(ping.comment.as_deref(), Some("ping"), "{ping:?}");
    assert!(ping.event.is_none() && ping.data.is_none());
}

#[tokio::test]
async fn streams_per_user_are_bounded_and_freed_on_disconnect() {
    // Quick pings let the server notice a closed connection soon.
    let app = spawn_with(|s| s.events_ping_ms = 20).await;
    let rider = app.rider_token().await;
    let mut open = Vec::new();
    for _ in 0..MAX_STREAMS_PER_USER {
        open.push(Sse::open(&app, &rider).await);
    }
    let res = app.get("/api/v1/events", Some(&rider)).await;
    assert!(header(&res, "retry-after").is_some());
    assert_problem(res, 429, "rate_limited").await;
    // Somebody else is not affected.
    let other = app.rider_token().await;
    let _theirs = Sse::open(&app, &other).await;
    // Closing one frees its slot once the server notices (at the latest on its next ping).
    drop(open.pop());
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let res = app.get("/api/v1/events", Some(&rider)).await;
        if res.status() == 200 {
            break;
        }
        assert_eq!(res.status(), 429);
        assert!(
            tokio::time::Instant::now() < deadline,
            "slot never freed on {}",
            backend()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn streams_end_on_shutdown() {
    let app = spawn().await;
    let rider = app.rider_token().await;
    let mut sse = Sse::open(&app, &rider).await;
    app.handle.begin();
    assert!(
        sse.frame().await.is_none(),
        "stream still open after shutdown"
    );
    let res = app.get("/api/v1/events", Some(&rider)).await;
    assert_problem(res, 503, "service_unavailable").await;
}

#[tokio::test]
async fn redis_unreachable_still_delivers_locally() {
    let app = spawn_with(|s| s.redis_url = Some("redis://127.0.0.1:1".into())).await;
    let rider = app.rider_token().await;
    let rider_id = user_id(&app, &rider).await;
    let mut sse = Sse::open(&app, &rider).await;
    let s = signal(rider_id, None, None, "submitted");
    let started = std::time::Instant::now();
    publish(&app.state, s.clone()).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "publish waited on Redis"
    );
    assert_eq!(sse.event().await["request_id"], s.request_id.to_string());
}

// ---------------------------------------------------------------------------------------------
// Through the API

use super::support::{act_ok, at_station, create, id, world, world_on};

#[tokio::test]
async fn an_accept_reaches_the_owner_and_nobody_outside_the_scope() {
    let w = world().await;
    let app = &w.app;
    let mut owner = Sse::open(app, &w.rider1).await;
    let mut other_rider = Sse::open(app, &w.rider2).await;
    let mut other_op = Sse::open(app, &w.op2).await;
    let mut other_street = Sse::open(app, &w.street2).await;
    let mut own_street = Sse::open(app, &w.street1).await;

    let first = id(&create(app, &w.rider1, at_station("vehicle_breakdown", &w.s1)).await);
    act_ok(app, &w.op1, &first, "accept", None).await;
    let seen = owner.until(&first, "accepted").await;
    assert_eq!(seen[0]["kind"], "created", "{seen:?}");
    assert_eq!(seen.last().unwrap()["kind"], "status_changed");
    assert_eq!(own_street.until(&first, "accepted").await.len(), 2);

    // A later request at the other station: the outsiders' first event is that one, so
    // nothing of the first request reached them.
    let second = id(&create(app, &w.rider2, at_station("vehicle_breakdown", &w.s2)).await);
    for (who, stream) in [
        ("other rider", &mut other_rider),
        ("other station's operator", &mut other_op),
        ("other street's staff", &mut other_street),
    ] {
        let e = stream.event().await;
        assert_eq!(e["request_id"], second, "{who} saw {e}");
    }
}

#[tokio::test]
async fn a_change_on_one_instance_reaches_streams_on_another() {
    if std::env::var("TEST_REDIS_URL").is_err() {
        // Instances only share events through Redis.
        return;
    }
    let w = world().await;
    let peer = w.app.spawn_peer(|_| {}).await;
    assert!(
        peer.state.events.wait_live(WAIT).await,
        "peer never subscribed"
    );
    assert!(w.app.state.events.wait_live(WAIT).await);
    let mut there = Sse::open(&peer, &w.rider1).await;
    let mut here = Sse::open(&w.app, &w.rider1).await;

    let rid = id(&create(&w.app, &w.rider1, at_station("vehicle_breakdown", &w.s1)).await);
    act_ok(&w.app, &w.op1, &rid, "accept", None).await;
    act_ok(&w.app, &w.op1, &rid, "start", None).await;
    let statuses = |events: Vec<Value>| -> Vec<String> {
        events
            .iter()
            .map(|e| e["status"].as_str().unwrap().to_string())
            .collect()
    };
    // Each change once, in order, on both instances: the origin skips its own Redis echo.
    let expected = ["submitted", "accepted", "in_progress"];
    assert_eq!(statuses(there.until(&rid, "in_progress").await), expected);
    assert_eq!(statuses(here.until(&rid, "in_progress").await), expected);
}

#[tokio::test]
async fn with_redis_unreachable_changes_still_reach_local_streams() {
    let app = spawn_with(|s| s.redis_url = Some("redis://127.0.0.1:1".into())).await;
    let w = world_on(app).await;
    let mut owner = Sse::open(&w.app, &w.rider1).await;
    let rid = id(&create(&w.app, &w.rider1, at_station("vehicle_breakdown", &w.s1)).await);
    act_ok(&w.app, &w.op1, &rid, "accept", None).await;
    owner.until(&rid, "accepted").await;
}
