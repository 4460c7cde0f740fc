//! `GET /api/v1/events`: the signed-in user's live help-request events as Server-Sent Events.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use actix_web::{get, web, HttpResponse};
use bytes::Bytes;
use futures_util::stream;
use serde::Serialize;
use tokio::sync::{broadcast, watch};
use tokio::time::{Instant, Interval};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::events::{Envelope, Live, StreamSlot};
use super::service::Scope;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, Code, Problem};
use crate::state::AppState;

/// Milliseconds a client waits before reconnecting (the stream's first line).
const RETRY_MS: u64 = 3000;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(events);
}

/// The `data:` of one `help_request` event: which request changed and how. Re-read the request
/// for the rest.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpLiveEvent {
    pub request_id: Uuid,
    /// `created`, `status_changed`, `escalated`, `feedback`, `assigned`.
    pub kind: String,
    pub status: String,
    pub tier: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// Live updates of the help requests the caller may see (a rider: their own; an operator: their
/// station's; staff: their region's; admin: all), as Server-Sent Events. Read it with `fetch`
/// and the bearer token. The stream starts with `retry: 3000`, sends a `: ping` comment every
/// 15 s, and one frame per change: `event: help_request`, `id: <event uuid>`, `data:` a
/// `HelpLiveEvent` as JSON. `event: resync` means changes may have been missed: re-read the
/// list. Events are not replayed on reconnect (`Last-Event-ID` is ignored): re-read after
/// reconnecting. At most 5 streams per user.
#[utoipa::path(tag = "help", security(("bearer" = [])),
    responses((status = 200, description = "An endless event stream; each `data:` line is one HelpLiveEvent", body = HelpLiveEvent, content_type = "text/event-stream"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many open streams for this user", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Shutting down", body = Problem, content_type = "application/problem+json")))]
#[get("/events")]
async fn events(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    let stop = state.stop_signal();
    if state.background_should_stop(&stop) {
        return Err(ApiError::unavailable("the server is shutting down", 1));
    }
    let slot = state.events.open_stream(user.id).ok_or_else(|| ApiError {
        retry_after: Some(RETRY_MS / 1000),
        ..ApiError::new(
            Code::RateLimited,
            "too many open event streams; close one first",
        )
    })?;
    let period = Duration::from_millis(state.settings.events_ping_ms);
    let feed = Feed {
        rx: state.events.subscribe(),
        stop,
        ping: tokio::time::interval_at(Instant::now() + period, period),
        audience: Scope::of(&user),
        greeted: false,
        _slot: slot,
    };
    let body = stream::unfold(feed, |mut feed| async move {
        let frame = feed.next().await?;
        Some((Ok::<_, Infallible>(frame), feed))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        // Keeps the compression middleware out: it would hold frames back in its buffer.
        .insert_header(("Content-Encoding", "identity"))
        .streaming(body))
}

/// One open stream's state.
struct Feed {
    rx: broadcast::Receiver<Live>,
    stop: watch::Receiver<bool>,
    ping: Interval,
    audience: Scope,
    greeted: bool,
    _slot: StreamSlot,
}

impl Feed {
    /// The next frame to send; `None` ends the stream (shutdown).
    async fn next(&mut self) -> Option<Bytes> {
        if !self.greeted {
            self.greeted = true;
            return Some(Bytes::from(format!("retry: {RETRY_MS}\n\n")));
        }
        loop {
            if *self.stop.borrow() {
                return None;
            }
            tokio::select! {
                // Closed (the app is gone) ends the stream as well as a stop does.
                _ = self.stop.changed() => return None,
                live = self.rx.recv() => match live {
                    Ok(Live::Signal(e)) if self.audience.sees(&e.signal) => return Some(frame(&e)),
                    Ok(Live::Signal(_)) => {}
                    Ok(Live::Resync) | Err(broadcast::error::RecvError::Lagged(_)) => {
                        return Some(Bytes::from_static(b"event: resync\ndata: {}\n\n"));
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = self.ping.tick() => return Some(Bytes::from_static(b": ping\n\n")),
            }
        }
    }
}

fn frame(e: &Arc<Envelope>) -> Bytes {
    let s = &e.signal;
    let data = HelpLiveEvent {
        request_id: s.request_id,
        kind: s.kind.clone(),
        status: s.status.clone(),
        tier: s.tier.clone(),
        at: s.at,
    };
    let json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".into());
    Bytes::from(format!(
        "event: help_request\nid: {}\ndata: {json}\n\n",
        e.id
    ))
}
