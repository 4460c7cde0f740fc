use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::domain::{Amenity, StationStatus};
use super::hours::Openness;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct Point {
    pub lat: f64,
    pub lng: f64,
}

/// Query of `GET /stations/nearby`. Values are parsed by hand so each bad one is named.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NearbyParams {
    /// Latitude of the caller (never stored or logged).
    #[param(value_type = f64, example = 31.2235, minimum = -90, maximum = 90)]
    pub lat: Option<String>,
    #[param(value_type = f64, example = 121.4452, minimum = -180, maximum = 180)]
    pub lng: Option<String>,
    /// Search radius in metres, 1–20000 (default 3000).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 20000)]
    pub radius_m: Option<String>,
    /// 1–50 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 50)]
    pub limit: Option<String>,
    /// Comma-separated amenity codes; every one must be present.
    #[param(example = "drinking_water,phone_charging")]
    pub amenities: Option<String>,
    /// Only stations open right now.
    #[param(value_type = Option<bool>)]
    pub open_now: Option<String>,
    /// Datum of `lat`/`lng`: `wgs84` (default) or `gcj02` (Chinese map apps).
    #[param(value_type = Option<String>, example = "gcj02")]
    pub coord: Option<String>,
}

/// A station as nearby lists it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StationCardDto {
    pub id: Uuid,
    #[schema(example = "静安寺街道暖新驿站")]
    pub name: String,
    pub name_en: Option<String>,
    pub address: String,
    /// WGS-84.
    pub lat: f64,
    pub lng: f64,
    /// The same place in GCJ-02, for Amap / Baidu / Tencent maps.
    pub gcj02: Point,
    /// Great-circle distance from the query point, metres.
    pub distance_m: u32,
    /// Open for riders now: the hours say open and the operator has not closed it.
    pub open_now: bool,
    /// What the opening hours alone say now; `unknown` for an open end (`08:00+`) or a
    /// comment-only rule, which then have no `closes_at` / `opens_at`.
    pub hours_state: Openness,
    /// When an open station next closes (hours), if it does.
    pub closes_at: Option<DateTime<Utc>>,
    /// When a closed station next opens (hours), if known.
    pub opens_at: Option<DateTime<Utc>>,
    pub status: StationStatus,
    pub occupancy: i32,
    pub capacity: i32,
    pub amenities: Vec<Amenity>,
    #[schema(example = "Mo-Su 07:00-22:00; PH 09:00-18:00")]
    pub opening_hours: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NearbyResponse {
    pub items: Vec<StationCardDto>,
}

/// Everything public about one station.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StationDetailDto {
    pub id: Uuid,
    pub external_id: Option<String>,
    pub name: String,
    pub name_en: Option<String>,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub gcj02: Point,
    pub region_code: String,
    pub open_now: bool,
    pub hours_state: Openness,
    /// Null when the station is not serving (temporarily closed) or its hours do not say.
    pub closes_at: Option<DateTime<Utc>>,
    pub opens_at: Option<DateTime<Utc>>,
    pub status: StationStatus,
    pub occupancy: i32,
    pub capacity: i32,
    pub amenities: Vec<Amenity>,
    pub opening_hours: String,
    /// The station's public contact number.
    pub contact_phone: Option<String>,
    /// When an operator last confirmed or changed the station's information.
    pub last_verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Region code; includes every station below it (a district includes its streets).
    pub region: Option<String>,
    /// Search in name and address.
    pub q: Option<String>,
    /// Page number from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// 1–100 (default 20).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StationPage {
    pub items: Vec<StationDetailDto>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

/// A new station (admin).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStation {
    #[schema(min_length = 1, max_length = 80)]
    pub name: String,
    #[schema(max_length = 120)]
    pub name_en: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub address: String,
    /// WGS-84.
    #[schema(minimum = -90, maximum = 90)]
    pub lat: f64,
    #[schema(minimum = -180, maximum = 180)]
    pub lng: f64,
    #[schema(max_length = 12)]
    pub region_code: String,
    #[schema(example = "24/7", min_length = 1, max_length = 255)]
    pub opening_hours: String,
    pub amenities: Vec<String>,
    #[schema(minimum = 0, maximum = 10000)]
    pub capacity: i32,
    pub status: Option<StationStatus>,
    #[schema(min_length = 5, max_length = 32)]
    pub contact_phone: Option<String>,
    /// Stable id from an external system, for imports.
    #[schema(max_length = 64)]
    pub external_id: Option<String>,
}

/// A change to a station. Operators may send only status, occupancy, capacity, opening_hours
/// and amenities (for their own station); `{}` confirms the information is current.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchStation {
    pub status: Option<StationStatus>,
    #[schema(minimum = 0, maximum = 10000)]
    pub occupancy: Option<i32>,
    #[schema(minimum = 0, maximum = 10000)]
    pub capacity: Option<i32>,
    #[schema(min_length = 1, max_length = 255)]
    pub opening_hours: Option<String>,
    pub amenities: Option<Vec<String>>,
    #[schema(min_length = 1, max_length = 80)]
    pub name: Option<String>,
    #[schema(max_length = 120)]
    pub name_en: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub address: Option<String>,
    #[schema(minimum = -90, maximum = 90)]
    pub lat: Option<f64>,
    #[schema(minimum = -180, maximum = 180)]
    pub lng: Option<f64>,
    #[schema(max_length = 12)]
    pub region_code: Option<String>,
    #[schema(min_length = 5, max_length = 32)]
    pub contact_phone: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CheckinCodeDto {
    /// Six characters, for typing when the camera cannot scan.
    #[schema(example = "K7P4QX")]
    pub code: String,
    /// The QR code (an SVG document) encoding `checkin_url`.
    pub qr_svg: String,
    pub checkin_url: String,
    pub rotated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInRequest {
    pub code: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CheckInDto {
    pub id: Uuid,
    pub station_id: Uuid,
    pub created_at: DateTime<Utc>,
    /// True when this repeats a check-in from the last 30 minutes (no new visit counted).
    pub replay: bool,
    /// Points this check-in earned: paid for the first visit to a station each day, else 0.
    #[schema(example = 5)]
    pub points_awarded: i64,
}
