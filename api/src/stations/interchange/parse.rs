//! Reading an import file into rows: CSV (header-named columns) or a GeoJSON FeatureCollection.
//! Only types are checked here; the station rules are `import`'s.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::{csv_unescape, EXPORT_ONLY};
use crate::error::{ApiError, ApiResult, Code, FieldError};

/// A row as read from the file, before validation. Type problems found while reading
/// (a number that is not one) are kept in `errors`. For the optional fields the outer `None`
/// means the file has no such column or property: an update then keeps the current value,
/// while a blank one clears it.
#[derive(Debug, Default)]
pub(super) struct RawRow {
    pub(super) row: u64,
    pub(super) external_id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) name_en: Option<Option<String>>,
    pub(super) address: Option<String>,
    pub(super) lat: Option<f64>,
    pub(super) lng: Option<f64>,
    pub(super) region_code: Option<String>,
    pub(super) opening_hours: Option<String>,
    pub(super) amenities: Option<Vec<String>>,
    pub(super) capacity: Option<i64>,
    /// Absent or blank keeps the current status (new stations open).
    pub(super) status: Option<String>,
    pub(super) contact_phone: Option<Option<String>>,
    pub(super) errors: Vec<FieldError>,
}

const IMPORT_FIELDS: [&str; 12] = [
    "external_id",
    "name",
    "name_en",
    "address",
    "lat",
    "lng",
    "region_code",
    "opening_hours",
    "amenities",
    "capacity",
    "status",
    "contact_phone",
];
const CSV_REQUIRED: [&str; 8] = [
    "external_id",
    "name",
    "address",
    "lat",
    "lng",
    "region_code",
    "opening_hours",
    "capacity",
];

fn blank_to_none(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn split_amenities(s: &str) -> Vec<String> {
    s.split([';', ','])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

fn not_a_number(field: &str) -> FieldError {
    FieldError::new(field, "not_a_number", format!("{field} must be a number"))
}

fn invalid_type(field: &str, expected: &str) -> FieldError {
    FieldError::new(field, "invalid_type", format!("{field} must be {expected}"))
}

// --- CSV ---

pub(super) fn parse_csv(bytes: &[u8]) -> ApiResult<(Vec<RawRow>, Vec<String>)> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        ApiError::field(
            "file",
            "invalid_encoding",
            "the CSV is not UTF-8; in Excel choose \"CSV UTF-8\" when saving",
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            ApiError::new(
                Code::MalformedRequest,
                format!("unreadable CSV header: {e}"),
            )
        })?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let missing: Vec<FieldError> = CSV_REQUIRED
        .iter()
        .filter(|c| !headers.iter().any(|h| h == *c))
        .map(|c| {
            FieldError::new(
                *c,
                "missing_column",
                format!("the CSV header has no {c} column"),
            )
        })
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::validation(missing));
    }
    let mut seen = HashSet::new();
    let mut ignored: Vec<String> = Vec::new();
    for h in &headers {
        if !seen.insert(h.clone()) {
            return Err(ApiError::field(
                h,
                "duplicate_column",
                format!("the CSV header has {h} twice"),
            ));
        }
        if !IMPORT_FIELDS.contains(&h.as_str()) && !EXPORT_ONLY.contains(&h.as_str()) {
            ignored.push(h.clone());
        }
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row_no = i as u64 + 2;
        let record = record.map_err(|e| {
            ApiError::new(
                Code::MalformedRequest,
                format!("unreadable CSV at row {row_no}: {e}"),
            )
        })?;
        // Skip rows that are entirely empty (a trailing blank line from a spreadsheet).
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut raw = RawRow {
            row: row_no,
            ..Default::default()
        };
        if record.len() != headers.len() {
            raw.errors.push(FieldError::new(
                "row",
                "wrong_field_count",
                format!(
                    "has {} fields but the header has {}",
                    record.len(),
                    headers.len()
                ),
            ));
        }
        for (h, cell) in headers.iter().zip(record.iter()) {
            let cell = csv_unescape(cell);
            let value = blank_to_none(cell);
            match h.as_str() {
                "external_id" => raw.external_id = value,
                "name" => raw.name = value,
                "name_en" => raw.name_en = Some(value),
                "address" => raw.address = value,
                "region_code" => raw.region_code = value,
                "opening_hours" => raw.opening_hours = value,
                "status" => raw.status = value,
                "contact_phone" => raw.contact_phone = Some(value),
                "amenities" => raw.amenities = Some(split_amenities(cell)),
                "lat" | "lng" => {
                    let n = match value.map(|v| v.parse::<f64>()) {
                        None => None,
                        Some(Ok(n)) => Some(n),
                        Some(Err(_)) => {
                            raw.errors.push(not_a_number(h));
                            continue;
                        }
                    };
                    if h == "lat" {
                        raw.lat = n;
                    } else {
                        raw.lng = n;
                    }
                }
                "capacity" => match value.map(|v| v.parse::<i64>()) {
                    None => {}
                    Some(Ok(n)) => raw.capacity = Some(n),
                    Some(Err(_)) => raw.errors.push(FieldError::new(
                        "capacity",
                        "not_a_number",
                        "capacity must be a whole number",
                    )),
                },
                _ => {}
            }
        }
        rows.push(raw);
    }
    Ok((rows, ignored))
}

// --- GeoJSON ---

/// A string property; numbers are accepted as their text (ids are often numeric elsewhere).
fn prop_string(
    props: &Map<String, Value>,
    key: &str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match props.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => blank_to_none(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            errors.push(invalid_type(key, "a string"));
            None
        }
    }
}

fn parse_feature(index: usize, feature: &Value, ignored: &mut HashSet<String>) -> RawRow {
    let mut raw = RawRow {
        row: index as u64,
        ..Default::default()
    };
    let Some(obj) = feature.as_object() else {
        raw.errors
            .push(invalid_type("feature", "a GeoJSON Feature object"));
        return raw;
    };
    if obj.get("type").and_then(Value::as_str) != Some("Feature") {
        raw.errors.push(FieldError::new(
            "type",
            "invalid_type",
            "type must be \"Feature\"",
        ));
    }
    // Geometry: a Point with [longitude, latitude].
    match obj.get("geometry") {
        Some(Value::Object(g)) if g.get("type").and_then(Value::as_str) == Some("Point") => {
            match g.get("coordinates").and_then(Value::as_array) {
                Some(c) if c.len() >= 2 => match (c[0].as_f64(), c[1].as_f64()) {
                    (Some(lng), Some(lat)) => {
                        raw.lng = Some(lng);
                        raw.lat = Some(lat);
                    }
                    _ => raw.errors.push(FieldError::new(
                        "geometry.coordinates",
                        "not_a_number",
                        "coordinates must be numbers [longitude, latitude]",
                    )),
                },
                _ => raw.errors.push(FieldError::new(
                    "geometry.coordinates",
                    "required",
                    "a Point needs coordinates [longitude, latitude]",
                )),
            }
        }
        None | Some(Value::Null) => raw.errors.push(FieldError::new(
            "geometry",
            "required",
            "each station needs a Point geometry",
        )),
        Some(_) => raw.errors.push(FieldError::new(
            "geometry",
            "invalid_geometry",
            "geometry must be a Point [longitude, latitude]",
        )),
    }
    let empty = Map::new();
    let props = match obj.get("properties") {
        Some(Value::Object(p)) => p,
        None | Some(Value::Null) => &empty,
        Some(_) => {
            raw.errors.push(invalid_type("properties", "an object"));
            &empty
        }
    };
    for key in props.keys() {
        if !IMPORT_FIELDS.contains(&key.as_str()) && !EXPORT_ONLY.contains(&key.as_str()) {
            ignored.insert(key.clone());
        }
    }
    let mut errors = Vec::new();
    raw.external_id = prop_string(props, "external_id", &mut errors);
    raw.name = prop_string(props, "name", &mut errors);
    let optional = |key: &str, errors: &mut Vec<FieldError>| {
        props
            .contains_key(key)
            .then(|| prop_string(props, key, errors))
    };
    raw.name_en = optional("name_en", &mut errors);
    raw.address = prop_string(props, "address", &mut errors);
    raw.region_code = prop_string(props, "region_code", &mut errors);
    raw.opening_hours = prop_string(props, "opening_hours", &mut errors);
    raw.status = prop_string(props, "status", &mut errors);
    raw.contact_phone = optional("contact_phone", &mut errors);
    raw.amenities = match props.get("amenities") {
        None => None,
        Some(Value::Null) => Some(Vec::new()),
        Some(Value::String(s)) => Some(split_amenities(s)),
        Some(Value::Array(items)) => {
            let codes: Option<Vec<String>> = items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect();
            if codes.is_none() {
                errors.push(invalid_type("amenities", "an array of amenity codes"));
            }
            codes
        }
        Some(_) => {
            errors.push(invalid_type("amenities", "an array of amenity codes"));
            None
        }
    };
    raw.capacity = match props.get("capacity") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_i64() {
            Some(n) => Some(n),
            None => {
                errors.push(FieldError::new(
                    "capacity",
                    "not_a_number",
                    "capacity must be a whole number",
                ));
                None
            }
        },
        Some(Value::String(s)) => match s.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(FieldError::new(
                    "capacity",
                    "not_a_number",
                    "capacity must be a whole number",
                ));
                None
            }
        },
        Some(_) => {
            errors.push(not_a_number("capacity"));
            None
        }
    };
    raw.errors.extend(errors);
    raw
}

pub(super) fn parse_geojson(bytes: &[u8]) -> ApiResult<(Vec<RawRow>, Vec<String>)> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            Code::MalformedJson,
            format!("the file is not valid JSON: {e}"),
        )
    })?;
    let features = match (
        doc.get("type").and_then(Value::as_str),
        doc.get("features").and_then(Value::as_array),
    ) {
        (Some("FeatureCollection"), Some(f)) => f,
        _ => {
            return Err(ApiError::field(
                "type",
                "not_a_feature_collection",
                "the file must be a GeoJSON FeatureCollection with a features array",
            ))
        }
    };
    let mut ignored = HashSet::new();
    let rows = features
        .iter()
        .enumerate()
        .map(|(i, f)| parse_feature(i, f, &mut ignored))
        .collect();
    let mut ignored: Vec<String> = ignored.into_iter().collect();
    ignored.sort();
    Ok((rows, ignored))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_without_a_required_column_is_rejected_whole() {
        let err = parse_csv(b"external_id,name\nx,y\n").err().unwrap();
        assert_eq!(err.code, Code::ValidationFailed);
        assert!(err.errors.iter().any(|e| e.field == "opening_hours"));
        let err = parse_csv(&[0xff, 0xfe, b'a']).err().unwrap();
        assert_eq!(err.errors[0].code, "invalid_encoding");
    }
}
