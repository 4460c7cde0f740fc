//! The closed set of service types and the rules for one logged entry, as plain values.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldError;

macro_rules! service_types {
    ($($variant:ident = ($code:literal, $zh:literal, $en:literal, $icon:literal, $amenity:literal)),+ $(,)?) => {
        /// What an operator logs (DESIGN §4): the amenity codes plus services that are acts.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum ServiceType { $($variant),+ }

        impl ServiceType {
            /// In the order the console shows them: the most given first.
            pub const ALL: &'static [ServiceType] = &[$(ServiceType::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $(ServiceType::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some(ServiceType::$variant),)+ _ => None }
            }

            pub fn label_zh(self) -> &'static str {
                match self { $(ServiceType::$variant => $zh),+ }
            }

            pub fn label_en(self) -> &'static str {
                match self { $(ServiceType::$variant => $en),+ }
            }

            pub fn icon(self) -> &'static str {
                match self { $(ServiceType::$variant => $icon),+ }
            }

            /// Whether the code is also a station amenity.
            pub fn is_amenity(self) -> bool {
                match self { $(ServiceType::$variant => $amenity),+ }
            }
        }
    };
}

service_types! {
    HotWater = ("hot_water", "热水", "Hot water", "water", false),
    PhoneCharging = ("phone_charging", "手机充电", "Phone charging", "charge", true),
    DrinkingWater = ("drinking_water", "饮用水", "Drinking water", "water", true),
    MealHeating = ("meal_heating", "热饭", "Meal heating", "microwave", false),
    Microwave = ("microwave", "微波炉", "Microwave", "microwave", true),
    Toilet = ("toilet", "如厕", "Toilet", "toilet", true),
    RestArea = ("rest_area", "休息", "Rest", "rest", true),
    CoolingRest = ("cooling_rest", "纳凉休息", "Cooling rest", "snow", false),
    AirConditioning = ("air_conditioning", "空调", "Air conditioning", "snow", true),
    Heating = ("heating", "取暖", "Heating", "fire", true),
    BatterySwap = ("battery_swap", "换电", "Battery swap", "battery", true),
    Repair = ("repair", "车辆维修", "Repair", "wrench", false),
    RepairTools = ("repair_tools", "借用工具", "Repair tools", "wrench", true),
    FirstAid = ("first_aid", "急救用品", "First-aid kit", "firstaid", true),
    FirstAidGiven = ("first_aid_given", "急救处置", "First aid given", "firstaid", false),
    Medicine = ("medicine", "常用药品", "Medicine", "pill", true),
    Umbrella = ("umbrella", "借伞", "Umbrella", "umbrella", true),
    Wifi = ("wifi", "无线网络", "Wi-Fi", "wifi", true),
    Shower = ("shower", "淋浴", "Shower", "shower", true),
    LegalAid = ("legal_aid", "法律援助", "Legal aid", "law", true),
    LegalConsult = ("legal_consult", "法律咨询", "Legal consultation", "law", false),
    Counselling = ("counselling", "心理疏导", "Counselling", "heart", true),
    CounsellingSession = ("counselling_session", "心理咨询", "Counselling session", "heart", false),
    Library = ("library", "阅读", "Library", "book", true),
    Other = ("other", "其他", "Other", "dots", false),
}

impl std::fmt::Display for ServiceType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

pub const MAX_QUANTITY: i64 = 50;
pub const MAX_BATCH: usize = 200;
pub const NOTE_MAX: usize = 200;
pub const VOID_REASON_MAX: usize = 200;
/// How far back an entry may be dated (an outbox that was offline for days).
pub const BACKDATE_DAYS: i64 = 7;
/// How long an operator may void their own entry.
pub const VOID_WINDOW_HOURS: i64 = 24;
/// Clock skew allowed for `occurred_at` from a phone whose clock runs a little fast.
const FUTURE_SKEW_SECS: i64 = 120;

pub fn parse_type(field: &str, code: &str) -> Result<ServiceType, FieldError> {
    ServiceType::parse(code.trim()).ok_or_else(|| {
        FieldError::new(
            field,
            "unknown_service_type",
            "unknown service type; see GET /api/v1/service-types",
        )
    })
}

pub fn parse_quantity(field: &str, quantity: Option<i64>) -> Result<i32, FieldError> {
    match quantity.unwrap_or(1) {
        q @ 1..=MAX_QUANTITY => Ok(q as i32),
        _ => Err(FieldError::new(
            field,
            "out_of_range",
            format!("quantity must be between 1 and {MAX_QUANTITY}"),
        )),
    }
}

/// When it happened: now if not given; RFC 3339, at most 7 days back, not in the future.
pub fn parse_occurred_at(
    field: &str,
    raw: Option<&str>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, FieldError> {
    let Some(raw) = raw else { return Ok(now) };
    let at = DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            FieldError::new(
                field,
                "invalid_datetime",
                "occurred_at must be an RFC 3339 time, e.g. 2026-12-04T09:30:00+08:00",
            )
        })?;
    if at > now + Duration::seconds(FUTURE_SKEW_SECS) {
        return Err(FieldError::new(
            field,
            "in_the_future",
            "occurred_at must not be in the future",
        ));
    }
    if at < now - Duration::days(BACKDATE_DAYS) {
        return Err(FieldError::new(
            field,
            "too_old",
            format!("occurred_at may be at most {BACKDATE_DAYS} days back"),
        ));
    }
    Ok(at)
}

/// Optional bounded text: trimmed, empty means none, no control characters.
pub fn optional_text(
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => crate::stations::domain::text(field, s, max).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_set_has_every_amenity_and_every_act_of_design_4() {
        use crate::stations::domain::Amenity;
        for a in Amenity::ALL {
            let t = ServiceType::parse(a.code()).unwrap_or_else(|| panic!("{}", a.code()));
            assert!(t.is_amenity(), "{a:?}");
        }
        let acts = [
            "meal_heating",
            "hot_water",
            "cooling_rest",
            "first_aid_given",
            "legal_consult",
            "counselling_session",
            "repair",
            "other",
        ];
        for code in acts {
            assert!(!ServiceType::parse(code)
                .unwrap_or_else(|| panic!("{code}"))
                .is_amenity());
        }
        assert_eq!(ServiceType::ALL.len(), Amenity::ALL.len() + acts.len());
        for t in ServiceType::ALL {
            assert_eq!(serde_json::to_value(t).unwrap(), t.code());
        }
    }

    #[test]
    fn quantity_is_1_to_50_defaulting_to_1() {
        assert_eq!(parse_quantity("q", None).unwrap(), 1);
        assert_eq!(parse_quantity("q", Some(50)).unwrap(), 50);
        for bad in [0, -1, 51, i64::MAX] {
            assert_eq!(
                parse_quantity("q", Some(bad)).unwrap_err().code,
                "out_of_range"
            );
        }
    }

    #[test]
    fn occurred_at_is_within_the_last_7_days() {
        let now = DateTime::parse_from_rfc3339("2026-12-04T10:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(parse_occurred_at("t", None, now).unwrap(), now);
        let ok = parse_occurred_at("t", Some("2026-12-04T17:59:00+08:00"), now).unwrap();
        assert_eq!(ok, now - Duration::minutes(1));
        assert!(parse_occurred_at("t", Some("2026-11-27T10:00:01Z"), now).is_ok());
        let code = |raw| parse_occurred_at("t", Some(raw), now).unwrap_err().code;
        assert_eq!(code("2026-11-27T09:59:59Z"), "too_old");
        assert_eq!(code("2026-12-04T10:05:00Z"), "in_the_future");
        assert_eq!(code("yesterday"), "invalid_datetime");
        assert_eq!(code("-262143-01-01T00:00:00Z"), "invalid_datetime");
    }
}
