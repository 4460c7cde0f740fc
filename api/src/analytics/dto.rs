//! HTTP shapes of the city dashboard. Rider counts below [`super::SUPPRESS_BELOW`] are null.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::service_logs::domain::ServiceType;

/// `from` / `to` (YYYY-MM-DD, Asia/Shanghai, inclusive; default the last 30 days, at most 366)
/// and `region` (a code inside the caller's scope; default the caller's own region).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    #[param(example = "2026-11-01")]
    pub from: Option<String>,
    #[param(example = "2026-11-30")]
    pub to: Option<String>,
    #[param(example = "310106")]
    pub region: Option<String>,
    /// `json` (default) or `csv` where the answer is a table.
    #[param(value_type = Option<String>, example = "csv")]
    pub format: Option<String>,
}

/// A count in the period and in the period of equal length before it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Trend {
    /// Null when suppressed (fewer than 5 riders).
    pub value: Option<i64>,
    pub previous: Option<i64>,
    /// (value − previous) / previous; null when previous is 0 or a side is suppressed.
    pub change: Option<f64>,
}

/// A rate (0–1) as the 12345 hotlines define it, with its parts, and the previous period's.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RateTrend {
    pub numerator: i64,
    pub denominator: i64,
    /// Null when the denominator is 0.
    pub value: Option<f64>,
    pub previous: Option<f64>,
    /// value − previous (rate points); null when either is null.
    pub change: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StationCounts {
    pub total: i64,
    pub open: i64,
    pub full: i64,
    pub temporarily_closed: i64,
    pub closed_permanently: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ServiceTotal {
    pub service_type: ServiceType,
    pub quantity: i64,
    pub previous: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HelpOverview {
    pub opened: Trend,
    pub resolved: Trend,
    /// Median minutes from filing to acceptance (requests accepted).
    pub median_minutes_to_accept: Option<f64>,
    /// Median minutes from filing to resolution (requests resolved).
    pub median_minutes_to_resolve: Option<f64>,
    /// 响应率: answered (accepted, or rejected with a reason) within the deadline / all received.
    pub response_rate: RateTrend,
    /// 解决率: resolved / all finished (resolved, closed, rejected, cancelled).
    pub resolution_rate: RateTrend,
    /// 满意率: rated 4 or 5 / rated.
    pub satisfaction_rate: RateTrend,
    /// Requests whose deadline passed at least once / all received.
    pub sla_breach_rate: RateTrend,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Overview {
    /// The region asked for; null for the whole platform (admins).
    pub region_code: Option<String>,
    pub from: String,
    pub to: String,
    pub previous_from: String,
    pub previous_to: String,
    /// When the daily rollups were last rebuilt (station numbers are as of then).
    pub as_of: Option<DateTime<Utc>>,
    pub stations: StationCounts,
    pub check_ins: Trend,
    pub unique_riders: Trend,
    pub services_total: Trend,
    pub services: Vec<ServiceTotal>,
    pub help: HelpOverview,
    /// Lessons first passed by riders seen at the region's stations (everyone for admins).
    pub lesson_completions: Trend,
    /// Check-in points paid at the region's stations.
    pub points_earned: Trend,
    /// Points spent on rewards at the region's stations.
    pub points_spent: Trend,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimeseriesQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub region: Option<String>,
    /// `check_ins`, `services`, `unique_riders`, `help_opened`, `help_resolved` or
    /// `lesson_completions`.
    #[param(example = "check_ins")]
    pub metric: Option<String>,
    /// `day` (default), `week` (weeks start on Monday) or `hour` (ranges of at most 7 days).
    #[param(example = "day")]
    pub interval: Option<String>,
    #[param(value_type = Option<String>, example = "csv")]
    pub format: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SeriesPoint {
    /// Start of the bucket.
    pub start: DateTime<Utc>,
    /// Null when suppressed (unique riders below 5).
    pub value: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Timeseries {
    pub metric: String,
    pub interval: String,
    pub region_code: Option<String>,
    pub points: Vec<SeriesPoint>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StationStatsQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub region: Option<String>,
    /// `check_ins` (default), `services`, `peak_occupancy`, `help_handled`, `name` or
    /// `last_verified_at`.
    pub sort: Option<String>,
    /// `desc` (default) or `asc`.
    pub order: Option<String>,
    #[param(value_type = Option<u64>, minimum = 1)]
    pub page: Option<String>,
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
    #[param(value_type = Option<String>, example = "csv")]
    pub format: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StationStats {
    pub station_id: Uuid,
    pub name: String,
    pub region_code: String,
    pub status: String,
    pub lat: f64,
    pub lng: f64,
    pub check_ins: i64,
    /// Rider-days (a rider counted once a day per station); null below 5.
    pub visitors: Option<i64>,
    pub services: i64,
    pub peak_occupancy: i64,
    /// Help requests of the station resolved in the period.
    pub help_handled: i64,
    pub last_verified_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StationStatsPage {
    pub items: Vec<StationStats>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HelpGroup {
    /// The category or tier.
    pub key: String,
    pub received: i64,
    pub responded_in_time: i64,
    pub resolved: i64,
    pub finished: i64,
    pub rated: i64,
    pub satisfied: i64,
    pub breached: i64,
    pub response_rate: Option<f64>,
    pub resolution_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    pub median_minutes_to_accept: Option<f64>,
    pub median_minutes_to_resolve: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HelpStats {
    pub region_code: Option<String>,
    pub from: String,
    pub to: String,
    pub total: HelpGroup,
    pub by_category: Vec<HelpGroup>,
    /// By the tier that holds each request now.
    pub by_tier: Vec<HelpGroup>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LessonStats {
    pub slug: String,
    pub title: String,
    pub attempts: i64,
    pub passed: i64,
    /// Riders who passed it for the first time in the period; null below 5.
    pub completions: Option<i64>,
    pub pass_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LessonStatsList {
    pub region_code: Option<String>,
    pub from: String,
    pub to: String,
    pub items: Vec<LessonStats>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub region: Option<String>,
    /// The service circle in minutes, 5–60 (default 15).
    #[param(value_type = Option<u32>, minimum = 5, maximum = 60)]
    pub minutes: Option<String>,
    /// How many next sites to suggest, 0–20 (default 5).
    #[param(value_type = Option<u32>, minimum = 0, maximum = 20)]
    pub suggestions: Option<String>,
}
