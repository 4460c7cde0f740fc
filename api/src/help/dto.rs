//! Help-request bodies and answers as the API shows them (separate from the entities).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::domain::{
    HelpAction, HelpActorRole, HelpCategory, HelpEventKind, HelpStatus, HelpStep, HelpTier,
    HelpUrgency,
};

/// The datum of `lat`/`lng`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CoordDatum {
    /// GPS (WGS-84), the default.
    #[default]
    Wgs84,
    /// Chinese map apps (Amap, Tencent): converted to WGS-84 before use.
    Gcj02,
}

/// A new help request (riders). The location is optional and stored coarsened to ~100 m.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHelpRequest {
    pub category: HelpCategory,
    /// Default `normal`.
    #[serde(default)]
    pub urgency: HelpUrgency,
    /// What happened and what is needed; 1–2000 characters.
    #[schema(
        example = "今天送餐时电动车在华山路爆胎，附近找不到修车点，急需帮助。",
        min_length = 1,
        max_length = 2000
    )]
    pub description: String,
    /// Where the rider is (both or neither of lat/lng).
    #[schema(example = 31.2235, minimum = -90, maximum = 90)]
    pub lat: Option<f64>,
    #[schema(example = 121.4452, minimum = -180, maximum = 180)]
    pub lng: Option<f64>,
    /// Datum of `lat`/`lng` (default `wgs84`).
    pub coord: Option<CoordDatum>,
    /// The station the rider is at or asks; otherwise the nearest within 3 km is used.
    pub station_id: Option<Uuid>,
}

/// One help request in a list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HelpRequestSummary {
    pub id: Uuid,
    pub category: HelpCategory,
    pub urgency: HelpUrgency,
    pub status: HelpStatus,
    /// Who handles it now.
    pub tier: HelpTier,
    pub station_id: Option<Uuid>,
    pub station_name: Option<String>,
    /// The most specific region known (street, else district, else city).
    #[schema(example = "310106013")]
    pub region_code: String,
    pub region_name: Option<String>,
    /// The current step's deadline (to accept, or to resolve); null once finished.
    pub due_at: Option<DateTime<Utc>>,
    pub accept_due_at: Option<DateTime<Utc>>,
    pub resolve_due_at: Option<DateTime<Utc>>,
    /// `due_at` has passed.
    pub overdue: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub reopen_count: i32,
    /// Until when the rider may still reopen it (only while they may).
    pub reopen_until: Option<DateTime<Utc>>,
    /// The rider's rating (1–5), once given.
    pub rating: Option<i32>,
    /// What the caller may do now: actions of `POST /transitions`, and `feedback` when the
    /// caller may rate it (`POST /feedback`).
    #[schema(example = json!(["accept", "reject", "escalate"]))]
    pub allowed_actions: Vec<String>,
    /// The description's first 80 characters.
    pub description_preview: String,
    /// Where it is, in words for the screens: the region and the nearest station.
    pub place: HelpPlace,
}

/// One entry of the timeline. What happened is data, for the app to say in its reader's
/// language; `note` is only ever a person's own words (a handler's, the rider's). Entries of
/// the system (`actor_role: system`) have no note: a missed deadline (`sla_breached`) says
/// which one (`step`, `due_at`), an escalation (`escalated`) where from (`from_tier`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HelpEvent {
    pub at: DateTime<Utc>,
    pub actor_role: HelpActorRole,
    pub kind: HelpEventKind,
    pub from_status: Option<HelpStatus>,
    pub to_status: Option<HelpStatus>,
    /// The tier after the event.
    pub tier: Option<HelpTier>,
    /// What the person wrote, as written.
    pub note: Option<String>,
    /// `sla_breached`: the deadline that passed was to accept or to resolve the request.
    #[serde(default)]
    pub step: Option<HelpStep>,
    /// `sla_breached`: that deadline (absent on entries recorded before it was kept).
    #[serde(default)]
    pub due_at: Option<DateTime<Utc>>,
    /// `escalated`: the tier it came from (`tier` is where it went).
    #[serde(default)]
    pub from_tier: Option<HelpTier>,
}

/// The rider's rating, which closed the request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HelpFeedback {
    pub rating: i32,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

/// Who asked, as handlers see them (never the full phone number).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HelpRider {
    pub display_name: String,
    #[schema(example = "138****0001")]
    pub phone_masked: String,
}

/// One help request with its timeline.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HelpRequestDetail {
    #[serde(flatten)]
    pub summary: HelpRequestSummary,
    pub description: String,
    /// Oldest first.
    pub timeline: Vec<HelpEvent>,
    pub feedback: Option<HelpFeedback>,
    /// Only for handlers.
    pub rider: Option<HelpRider>,
    /// WGS-84, coarsened to ~100 m.
    pub lat: Option<f64>,
    pub lng: Option<f64>,
}

/// A request's place as people name it, never as coordinates.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct HelpPlace {
    #[schema(example = "静安寺街道")]
    pub street_name: Option<String>,
    #[schema(example = "静安区")]
    pub district_name: Option<String>,
    /// The request's station, or the nearest station within 3 km of its location.
    #[schema(example = "静安寺街道暖新驿站")]
    pub nearest_station_name: Option<String>,
    /// Rounded to 100 m; absent when the request has no location.
    pub nearest_station_distance_m: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HelpRequestPage {
    pub items: Vec<HelpRequestSummary>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

/// Query of `GET /help-requests`. Values are parsed by hand so each bad one is named.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HelpListParams {
    /// Comma-separated statuses, e.g. `submitted,reopened`.
    pub status: Option<String>,
    /// Comma-separated categories.
    pub category: Option<String>,
    /// Comma-separated tiers.
    pub tier: Option<String>,
    /// Only requests whose current deadline has passed.
    #[param(value_type = Option<bool>)]
    pub overdue: Option<String>,
    /// Page number from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// 1–100 (default 20).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

/// Move a request along: `accept`, `start`, `resolve`, `reject` (needs a note), `escalate`
/// (handlers); `cancel`, `reopen` (the rider).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub action: HelpAction,
    /// Up to 500 characters; required to reject.
    pub note: Option<String>,
}

/// The rider's rating of a resolved request; closes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    /// 1–5.
    #[schema(minimum = 1, maximum = 5)]
    pub rating: i64,
    /// Up to 500 characters.
    pub comment: Option<String>,
}
