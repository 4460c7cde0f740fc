//! Request and response shapes of the points API (their names are the OpenAPI schema names).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Query of `GET /me/points`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PointsParams {
    /// Page number from 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// 1–100 (default 20).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

/// One earning (positive) or spending (negative) of points.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PointsEntry {
    pub id: Uuid,
    #[schema(example = 5)]
    pub delta: i64,
    /// `lesson`, `check_in`, `hazard_report` or `redemption`.
    #[schema(example = "check_in")]
    pub reason: String,
    /// A human hint at the source: the lesson, the station, the reward.
    #[schema(example = "静安寺街道暖新驿站")]
    pub source_label: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The rider's balance and their ledger, newest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PointsPage {
    pub balance: i64,
    pub items: Vec<PointsEntry>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

/// Query of `GET /rewards`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RewardParams {
    /// Only what can be redeemed at this station: its own rewards and the any-station ones.
    #[param(value_type = Option<Uuid>)]
    pub station_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RewardDto {
    pub id: Uuid,
    #[schema(example = "热饭券")]
    pub name: String,
    #[schema(example = "Hot meal voucher")]
    pub name_en: Option<String>,
    #[schema(example = "🍱")]
    pub emoji: String,
    #[schema(example = 50)]
    pub cost: i64,
    /// The one station it is redeemable at; null: any station.
    pub station_id: Option<Uuid>,
    pub station_name: Option<String>,
    /// Left in stock; null: unlimited.
    pub stock: Option<i32>,
    pub active: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RewardList {
    pub items: Vec<RewardDto>,
}

/// A new reward (admin).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReward {
    /// At most 40 characters.
    #[schema(example = "热饭券")]
    pub name: String,
    pub name_en: Option<String>,
    #[schema(example = "🍱")]
    pub emoji: String,
    /// Points, > 0.
    #[schema(example = 50)]
    pub cost: i64,
    /// Null or absent: redeemable at any station.
    pub station_id: Option<Uuid>,
    /// ≥ 0; null or absent: unlimited.
    pub stock: Option<i32>,
    /// Default true.
    pub active: Option<bool>,
}

/// Present-and-null is kept apart from absent, so a PATCH can clear a nullable field.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A change to a reward (admin); absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchReward {
    pub name: Option<String>,
    /// Null clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub name_en: Option<Option<String>>,
    pub emoji: Option<String>,
    pub cost: Option<i64>,
    /// Null: any station.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub station_id: Option<Option<Uuid>>,
    /// Null: unlimited.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i32>)]
    pub stock: Option<Option<i32>>,
    pub active: Option<bool>,
}

/// A one-time code the rider shows at a station (QR, or the six digits read out).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RedemptionCodeDto {
    #[schema(example = "048213")]
    pub code: String,
    /// Five minutes from now.
    pub expires_at: DateTime<Utc>,
    /// The QR code (an SVG document) encoding `warmnew:redeem:<code>`.
    pub qr_svg: String,
    /// The rider's balance now; it is checked again at redemption.
    pub balance: i64,
}

/// The operator redeems a rider's code for a reward.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemRequest {
    /// The six digits, or the scanned `warmnew:redeem:<code>`.
    #[schema(example = "048213")]
    pub code: String,
    pub reward_id: Uuid,
}

/// Who redeemed, as the operator may see them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RedemptionRider {
    pub display_name: String,
    #[schema(example = "138****1234")]
    pub phone_masked: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RedemptionDto {
    pub id: Uuid,
    pub reward: RewardDto,
    pub cost: i64,
    pub rider: RedemptionRider,
    /// The rider's balance after paying.
    pub balance_after: i64,
    /// The reward's stock after this one; null: unlimited.
    pub stock_after: Option<i32>,
    pub redeemed_at: DateTime<Utc>,
}

/// Whether the rider may appear among the month's star riders (default: no).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StarRiderSetting {
    pub opt_in: bool,
}

/// Query of `GET /star-riders`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StarRiderParams {
    /// District code (GB/T 2260), e.g. 310106 for 静安区.
    /// Required: read as optional only to answer its absence with a named 422.
    #[param(value_type = String, required = true, example = "310106")]
    pub district: Option<String>,
    /// `YYYY-MM`; default: the current month in Asia/Shanghai.
    #[param(value_type = Option<String>, example = "2026-11")]
    pub month: Option<String>,
}

/// One star rider: never more than a display name and a masked phone.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StarRider {
    pub rank: u32,
    pub display_name: String,
    #[schema(example = "138****1234")]
    pub phone_masked: String,
    /// Points earned in the month.
    pub points: i64,
}

/// The month's top riders of a district (by points earned), among those who opted in.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StarRiderList {
    #[schema(example = "2026-11")]
    pub month: String,
    #[schema(example = "310106")]
    pub district_code: String,
    #[schema(example = "静安区")]
    pub district_name: String,
    pub items: Vec<StarRider>,
}
