//! Station vocabulary: amenities, statuses, coordinates. Parsed once at the edge.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldError;

macro_rules! amenities {
    ($($variant:ident = $code:literal),+ $(,)?) => {
        /// What a station offers (closed set).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Amenity { $($variant),+ }

        impl Amenity {
            pub const ALL: &'static [Amenity] = &[$(Amenity::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $(Amenity::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some(Amenity::$variant),)+ _ => None }
            }
        }
    };
}

amenities! {
    DrinkingWater = "drinking_water",
    PhoneCharging = "phone_charging",
    BatterySwap = "battery_swap",
    Microwave = "microwave",
    Toilet = "toilet",
    RestArea = "rest_area",
    AirConditioning = "air_conditioning",
    Heating = "heating",
    FirstAid = "first_aid",
    Medicine = "medicine",
    Wifi = "wifi",
    RepairTools = "repair_tools",
    Umbrella = "umbrella",
    Shower = "shower",
    LegalAid = "legal_aid",
    Counselling = "counselling",
    Library = "library",
}

impl Amenity {
    pub fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of amenities as a bit mask, for fast "has all of these" checks in the index.
pub fn mask(amenities: &[Amenity]) -> u32 {
    amenities.iter().fold(0, |m, a| m | a.bit())
}

/// Parses codes (deduplicated, sorted); unknown codes are an error naming them.
pub fn parse_amenities<'a>(
    field: &str,
    codes: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<Amenity>, FieldError> {
    let mut out = Vec::new();
    let mut unknown = Vec::new();
    for code in codes.into_iter().map(str::trim).filter(|c| !c.is_empty()) {
        match Amenity::parse(code) {
            Some(a) => out.push(a),
            None => unknown.push(code.to_string()),
        }
    }
    if !unknown.is_empty() {
        return Err(FieldError::new(
            field,
            "unknown_amenity",
            format!("unknown amenity: {}", unknown.join(", ")),
        ));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The stored form: sorted codes joined by commas.
pub fn amenities_to_db(amenities: &[Amenity]) -> String {
    amenities
        .iter()
        .map(|a| a.code())
        .collect::<Vec<_>>()
        .join(",")
}

pub fn amenities_from_db(stored: &str) -> Vec<Amenity> {
    parse_amenities("amenities", stored.split(',')).unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StationStatus {
    Open,
    Full,
    TemporarilyClosed,
    ClosedPermanently,
}

impl StationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StationStatus::Open => "open",
            StationStatus::Full => "full",
            StationStatus::TemporarilyClosed => "temporarily_closed",
            StationStatus::ClosedPermanently => "closed_permanently",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(StationStatus::Open),
            "full" => Some(StationStatus::Full),
            "temporarily_closed" => Some(StationStatus::TemporarilyClosed),
            "closed_permanently" => Some(StationStatus::ClosedPermanently),
            _ => None,
        }
    }

    /// Whether riders can be served at all (hours permitting).
    pub fn is_serving(self) -> bool {
        matches!(self, StationStatus::Open | StationStatus::Full)
    }
}

/// WGS-84 latitude/longitude, range-checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLng {
    pub lat: f64,
    pub lng: f64,
}

impl LatLng {
    pub fn parse(lat: f64, lng: f64) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            errors.push(FieldError::new(
                "lat",
                "out_of_range",
                "latitude must be between -90 and 90",
            ));
        }
        if !lng.is_finite() || !(-180.0..=180.0).contains(&lng) {
            errors.push(FieldError::new(
                "lng",
                "out_of_range",
                "longitude must be between -180 and 180",
            ));
        }
        if errors.is_empty() {
            Ok(Self { lat, lng })
        } else {
            Err(errors)
        }
    }

    /// To GCJ-02, the datum Chinese map apps use (identity outside China).
    pub fn to_gcj02(self) -> LatLng {
        let c = gcj02::gcj02::wgs84_to_gcj02((self.lng, self.lat).into());
        LatLng { lat: c.y, lng: c.x }
    }

    /// From GCJ-02 back to WGS-84 (iterative inverse, ~1e-6°).
    pub fn from_gcj02(self) -> LatLng {
        let c = gcj02::gcj02::gcj02_to_wgs84((self.lng, self.lat).into());
        LatLng { lat: c.y, lng: c.x }
    }
}

/// Mean Earth radius (IUGG), metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres.
pub fn haversine_m(a: LatLng, b: LatLng) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lng - a.lng).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Bounded free text: trimmed, non-empty unless optional, at most `max` characters, no control characters.
pub fn text(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(FieldError::new(field, "required", "must not be empty"));
    }
    if v.chars().count() > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("must be at most {max} characters"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            "invalid_characters",
            "must not contain control characters",
        ));
    }
    Ok(v.to_string())
}

/// A station's public contact number: digits, spaces, dashes, an optional leading +.
pub fn contact_phone(value: &str) -> Result<String, FieldError> {
    let v = value.trim();
    let ok = (5..=32).contains(&v.len())
        && v.chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || c == '-' || c == ' ' || (i == 0 && c == '+'));
    if ok {
        Ok(v.to_string())
    } else {
        Err(FieldError::new(
            "contact_phone",
            "invalid_phone",
            "digits, spaces and dashes only (5–32 characters)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amenities_parse_sort_and_reject_unknown() {
        let a = parse_amenities("amenities", ["wifi", "drinking_water", "wifi"]).unwrap();
        assert_eq!(a, vec![Amenity::DrinkingWater, Amenity::Wifi]);
        assert_eq!(amenities_to_db(&a), "drinking_water,wifi");
        assert_eq!(amenities_from_db("drinking_water,wifi"), a);
        let e = parse_amenities("amenities", ["wifi", "jacuzzi"]).unwrap_err();
        assert!(e.message.contains("jacuzzi"));
        assert_eq!(Amenity::ALL.len(), 17);
        assert_ne!(mask(&[Amenity::Library]), 0);
    }

    #[test]
    fn coordinates() {
        assert!(LatLng::parse(31.2, 121.4).is_ok());
        assert_eq!(LatLng::parse(91.0, 181.0).unwrap_err().len(), 2);
        assert!(LatLng::parse(f64::NAN, 0.0).is_err());
    }

    #[test]
    fn gcj02_round_trip_and_known_offset() {
        let wgs = LatLng {
            lat: 31.2304,
            lng: 121.4737,
        };
        let gcj = wgs.to_gcj02();
        // In Shanghai GCJ-02 sits a few hundred metres off WGS-84.
        let offset = haversine_m(wgs, gcj);
        assert!((300.0..800.0).contains(&offset), "{offset}");
        let back = gcj.from_gcj02();
        assert!(haversine_m(wgs, back) < 0.5);
    }

    #[test]
    fn haversine_known_distance() {
        // People's Square to the Bund: about 1.3 km.
        let d = haversine_m(
            LatLng {
                lat: 31.2304,
                lng: 121.4737,
            },
            LatLng {
                lat: 31.2400,
                lng: 121.4900,
            },
        );
        assert!((1800.0..1950.0).contains(&d), "{d}");
    }
}
