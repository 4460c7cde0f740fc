//! HTTP shapes of service logs, day summaries and rider identification.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::domain::ServiceType;

/// One service type as the console shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceTypeDto {
    pub code: ServiceType,
    #[schema(example = "热水")]
    pub label_zh: &'static str,
    #[schema(example = "Hot water")]
    pub label_en: &'static str,
    /// A short icon name (`water`, `charge`, `microwave`, …).
    #[schema(example = "water")]
    pub icon: &'static str,
    /// Also a station amenity code.
    pub amenity: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceTypeList {
    pub items: Vec<ServiceTypeDto>,
}

/// One service to log. Values are checked by hand so each bad one is named.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewServiceLog {
    #[schema(value_type = ServiceType)]
    pub service_type: String,
    /// 1–50 (default 1).
    #[schema(minimum = 1, maximum = 50)]
    pub quantity: Option<i64>,
    /// A rider identified at this station in the last 24 hours (their code was shown).
    pub rider_id: Option<Uuid>,
    /// When it happened (RFC 3339): at most 7 days back, not in the future; default now.
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub occurred_at: Option<String>,
    /// At most 200 characters.
    #[schema(max_length = 200)]
    pub note: Option<String>,
}

/// The body of `POST /stations/{id}/service-logs`: one entry, or a batch of 1–200.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ServiceLogBody {
    One(NewServiceLog),
    Many(Vec<NewServiceLog>),
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ServiceLogDto {
    pub id: Uuid,
    pub station_id: Uuid,
    pub service_type: ServiceType,
    pub quantity: i32,
    pub rider_id: Option<Uuid>,
    /// The rider's display name (for the station's own screens).
    pub rider_name: Option<String>,
    pub note: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub operator_id: Option<Uuid>,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
    pub voided_by: Option<Uuid>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ServiceLogBatch {
    pub items: Vec<ServiceLogDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceLogPage {
    pub items: Vec<ServiceLogDto>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

/// Query of `GET /stations/{id}/service-logs`. Values are parsed by hand so each bad one is named.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServiceLogQuery {
    /// From this time (RFC 3339) or day (YYYY-MM-DD, Asia/Shanghai), inclusive.
    pub from: Option<String>,
    /// Until this time (RFC 3339, exclusive) or day (YYYY-MM-DD, inclusive).
    pub to: Option<String>,
    /// Only this service type.
    #[param(value_type = Option<ServiceType>)]
    pub r#type: Option<String>,
    /// Also list voided entries (default false).
    #[param(value_type = Option<bool>)]
    pub include_void: Option<String>,
    #[param(value_type = Option<u64>, minimum = 1)]
    pub page: Option<String>,
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidRequest {
    /// Why the entry is wrong (1–200 characters).
    #[schema(max_length = 200, example = "按错了")]
    pub reason: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// The day (YYYY-MM-DD, Asia/Shanghai); default today.
    #[param(example = "2026-12-04")]
    pub date: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ServiceCount {
    pub service_type: ServiceType,
    /// Sum of quantities.
    pub quantity: i64,
    /// Number of entries.
    pub entries: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CheckInListEntry {
    pub at: DateTime<Utc>,
    /// Masked phone, e.g. `138****1234`.
    pub rider: String,
    pub display_name: String,
}

/// One station's day (Asia/Shanghai). Voided entries do not count.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DaySummary {
    pub station_id: Uuid,
    #[schema(example = "2026-12-04")]
    pub date: String,
    pub services: Vec<ServiceCount>,
    pub services_total: i64,
    pub check_ins: i64,
    /// Distinct riders who checked in or were served by name.
    pub unique_riders: i64,
    /// Highest occupancy recorded that day (operator counts and check-ins).
    pub peak_occupancy: i32,
    pub help_opened: i64,
    pub help_resolved: i64,
    pub points_redeemed: i64,
    pub redemptions: i64,
    /// The day's check-ins, newest first (the station's operator and admins only).
    pub check_in_list: Option<Vec<CheckInListEntry>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentifyRequest {
    /// The six digits the rider shows, or the scanned QR (`warmnew:redeem:NNNNNN`).
    #[schema(example = "048213")]
    pub code: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IdentifiedRider {
    pub rider_id: Uuid,
    pub display_name: String,
    pub phone_masked: String,
    /// Services may be attached to this rider here until then.
    pub valid_until: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReceivedService {
    pub id: Uuid,
    pub station_id: Uuid,
    pub station_name: String,
    pub service_type: ServiceType,
    pub quantity: i32,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReceivedServicePage {
    pub items: Vec<ReceivedService>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}
