//! Live help-request events for `GET /api/v1/events` (SSE): fanned out through Redis pub/sub
//! when Redis is configured, in-process otherwise. The database stays the record; an event is
//! only a nudge to re-read.
//!
//! Every signal goes to this instance's hub at once, and (when Redis is configured) is also
//! PUBLISHed with this instance's id; each instance's subscriber forwards what the others
//! published into its own hub and skips its own messages. Local delivery therefore never waits
//! for, or depends on, Redis: with Redis down an instance's own streams still see its changes,
//! and Redis only adds what other instances did.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

use crate::cache::pubsub::{self, Subscriber};
use crate::state::AppState;

/// Room for bursts; a stream further behind than this is told to re-read (`resync`).
const HUB_CAPACITY: usize = 1024;
/// Open streams one user may hold on one instance (tabs, devices).
pub const MAX_STREAMS_PER_USER: usize = 5;

/// Something happened to a help request. Carries the request's routing keys so each open
/// stream can decide, without a query, whether its user may see it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HelpSignal {
    pub request_id: Uuid,
    pub rider_id: Uuid,
    pub station_id: Option<Uuid>,
    pub street_code: Option<String>,
    pub district_code: Option<String>,
    pub city_code: Option<String>,
    /// `created`, `status_changed`, `escalated`, `feedback`, `assigned`.
    pub kind: String,
    pub status: String,
    pub tier: String,
    pub at: DateTime<Utc>,
}

/// One signal as it travels between instances.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope {
    /// The publishing instance (its own subscriber skips it).
    pub origin: Uuid,
    /// The event's id, the same on every instance (the SSE `id:`).
    pub id: Uuid,
    pub signal: HelpSignal,
}

/// What a stream receives from the hub.
#[derive(Debug, Clone)]
pub enum Live {
    Signal(Arc<Envelope>),
    /// Events from other instances may have been missed (the Redis subscription was down):
    /// clients should re-read.
    Resync,
}

/// This instance's fan-out point, and the count of open streams per user.
pub struct EventHub {
    tx: broadcast::Sender<Live>,
    instance: Uuid,
    streams: Mutex<HashMap<Uuid, usize>>,
    /// Subscribed to the other instances' events.
    live: watch::Sender<bool>,
}

impl Default for EventHub {
    fn default() -> Self {
        Self {
            tx: broadcast::channel(HUB_CAPACITY).0,
            instance: Uuid::now_v7(),
            streams: Mutex::new(HashMap::new()),
            live: watch::channel(false).0,
        }
    }
}

impl EventHub {
    pub fn subscribe(&self) -> broadcast::Receiver<Live> {
        self.tx.subscribe()
    }

    fn deliver(&self, live: Live) {
        // No receivers is not an error: nobody is watching.
        let _ = self.tx.send(live);
    }

    /// Takes one of the user's stream slots; `None` when they already hold the maximum.
    pub fn open_stream(self: &Arc<Self>, user: Uuid) -> Option<StreamSlot> {
        let mut streams = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        let n = streams.entry(user).or_default();
        if *n >= MAX_STREAMS_PER_USER {
            return None;
        }
        *n += 1;
        Some(StreamSlot {
            hub: Arc::clone(self),
            user,
        })
    }

    /// Whether this instance receives the other instances' events now.
    pub fn is_live(&self) -> bool {
        *self.live.borrow()
    }

    /// Waits (bounded) until subscribed to the other instances' events; for startup and tests.
    pub async fn wait_live(&self, limit: Duration) -> bool {
        let mut rx = self.live.subscribe();
        tokio::time::timeout(limit, rx.wait_for(|live| *live))
            .await
            .is_ok_and(|r| r.is_ok())
    }
}

/// An open stream's claim on one of its user's slots, given back when the stream is dropped.
pub struct StreamSlot {
    hub: Arc<EventHub>,
    user: Uuid,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut streams = self.hub.streams.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = streams.get_mut(&self.user) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                streams.remove(&self.user);
            }
        }
    }
}

fn channel(state: &AppState) -> String {
    format!("{}help:events", state.settings.cache_prefix)
}

/// Publishes after the change committed. Never fails the request: live updates are best effort,
/// and Redis is waited on at most its response timeout (not at all while it is known down).
pub async fn publish(state: &AppState, signal: HelpSignal) {
    let envelope = Arc::new(Envelope {
        origin: state.events.instance,
        id: Uuid::now_v7(),
        signal,
    });
    state.events.deliver(Live::Signal(Arc::clone(&envelope)));
    let Some(redis) = state.cache.redis() else {
        return;
    };
    let message = match serde_json::to_string(&*envelope) {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(error = %e, "help event not serialisable");
            return;
        }
    };
    let channel = channel(state);
    let sent = redis
        .run(|mut c| async move {
            redis::cmd("PUBLISH")
                .arg(channel)
                .arg(message)
                .query_async::<i64>(&mut c)
                .await
        })
        .await;
    if sent.is_none() {
        tracing::debug!("help event not published to other instances");
    }
}

/// Starts the Redis subscriber that brings the other instances' events into this hub (only
/// when Redis is configured). Ends on shutdown or when the app is dropped.
pub fn spawn(state: &AppState) {
    if let Some(redis) = state.cache.redis().cloned() {
        let (sub_state, stop) = state.for_background();
        let channel = channel(&sub_state);
        tokio::spawn(pubsub::run(redis, channel, stop, Forwarder(sub_state)));
    }
}

/// The subscription's side of this hub.
struct Forwarder(AppState);

impl Subscriber for Forwarder {
    fn is_stopping(&self) -> bool {
        self.0.lifecycle.is_shutting_down()
    }

    async fn on_subscribed(&self, again: bool) {
        self.0.events.live.send_replace(true);
        if again {
            tracing::info!("help event feed subscribed again");
        }
        // Whatever other instances published while this one was not listening is lost
        // here: the streams' clients re-read from the database.
        self.0.events.deliver(Live::Resync);
    }

    async fn on_message(&self, payload: &str) {
        forward(&self.0, payload);
    }

    fn on_unreadable(&self, error: &redis::RedisError) {
        tracing::warn!(error = %error, "unreadable help event");
    }

    fn on_ended(&self, lost: bool) {
        self.0.events.live.send_replace(false);
        if lost {
            tracing::warn!("help event feed subscription lost");
        }
    }

    fn on_unavailable(&self, error: &anyhow::Error) {
        tracing::warn!(error = %error, "help event feed unavailable; events stay on this instance");
    }
}

/// Hands another instance's event to this instance's streams.
fn forward(state: &AppState, payload: &str) {
    match serde_json::from_str::<Envelope>(payload) {
        Ok(e) if e.origin == state.events.instance => {}
        Ok(e) => state.events.deliver(Live::Signal(Arc::new(e))),
        Err(_) => tracing::warn!("malformed help event ignored"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{AuthUser, Role};
    use crate::help::service::Scope;

    fn signal(rider: Uuid, station: Option<Uuid>) -> HelpSignal {
        HelpSignal {
            request_id: Uuid::now_v7(),
            rider_id: rider,
            station_id: station,
            street_code: Some("310106013".into()),
            district_code: Some("310106".into()),
            city_code: Some("3101".into()),
            kind: "created".into(),
            status: "submitted".into(),
            tier: "station".into(),
            at: Utc::now(),
        }
    }

    /// What a user with this role, station and region sees.
    fn scope(role: Role, station: Option<Uuid>, region: Option<&str>) -> Scope {
        Scope::of(&AuthUser {
            id: Uuid::now_v7(),
            role,
            station_id: station,
            region_code: region.map(str::to_string),
        })
    }

    fn staff(region: Option<&str>) -> Scope {
        scope(Role::Staff, None, region)
    }

    #[test]
    fn audiences_see_only_their_scope() {
        let (rider, other) = (Uuid::now_v7(), Uuid::now_v7());
        let station = Uuid::now_v7();
        let s = signal(rider, Some(station));
        assert!(Scope::Own(rider).sees(&s));
        assert!(!Scope::Own(other).sees(&s));
        assert!(scope(Role::Operator, Some(station), None).sees(&s));
        assert!(!scope(Role::Operator, Some(other), None).sees(&s));
        assert!(!scope(Role::Operator, None, None).sees(&s));
        for code in ["310106013", "310106", "3101"] {
            assert!(staff(Some(code)).sees(&s), "{code}");
        }
        assert!(!staff(Some("310101")).sees(&s));
        assert!(!staff(None).sees(&s));
        assert!(scope(Role::Admin, None, None).sees(&s));
        // A request without a station is nobody's station's.
        let unrouted = signal(rider, None);
        assert!(!scope(Role::Operator, None, None).sees(&unrouted));
        assert!(!scope(Role::Operator, Some(station), None).sees(&unrouted));
    }

    #[test]
    fn stream_slots_are_bounded_and_given_back() {
        let hub = Arc::new(EventHub::default());
        let user = Uuid::now_v7();
        let slots: Vec<_> = (0..MAX_STREAMS_PER_USER)
            .map(|_| hub.open_stream(user).expect("slot"))
            .collect();
        assert!(hub.open_stream(user).is_none());
        assert!(hub.open_stream(Uuid::now_v7()).is_some(), "per user");
        drop(slots);
        assert!(hub.open_stream(user).is_some());
        assert!(
            hub.streams.lock().unwrap().is_empty(),
            "counts are cleaned up"
        );
    }

    #[tokio::test]
    async fn own_messages_are_skipped_and_others_forwarded() {
        let state = AppState::new(
            sea_orm::DatabaseConnection::default(),
            crate::cache::Cache::new(None, "t:").unwrap(),
            crate::config::Settings::for_tests(),
        );
        let mut rx = state.events.subscribe();
        let s = signal(Uuid::now_v7(), None);
        let own = Envelope {
            origin: state.events.instance,
            id: Uuid::now_v7(),
            signal: s.clone(),
        };
        forward(&state, &serde_json::to_string(&own).unwrap());
        forward(&state, "not json");
        let theirs = Envelope {
            origin: Uuid::now_v7(),
            ..own
        };
        forward(&state, &serde_json::to_string(&theirs).unwrap());
        match rx.try_recv() {
            Ok(Live::Signal(e)) => assert_eq!(e.id, theirs.id),
            other => panic!("expected the other instance's event, got {other:?}"),
        }
        assert!(rx.try_recv().is_err(), "own message delivered twice");
        // Published locally without Redis: delivered once.
        publish(&state, s.clone()).await;
        match rx.try_recv() {
            Ok(Live::Signal(e)) => assert_eq!(e.signal, s),
            other => panic!("expected the published event, got {other:?}"),
        }
        assert!(rx.try_recv().is_err());
    }
}
