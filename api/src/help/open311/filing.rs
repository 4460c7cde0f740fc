//! `POST /requests`: the body in any of the shapes stock clients send, and the fields the
//! service needs, checked with the spec's names.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{web, HttpRequest};
use serde_json::Value;

use super::dto::Open311NewRequest;
use super::multipart;
use super::query::unknown;
use crate::error::{ApiError, ApiResult, Code, FieldError, Violations};
use crate::help::domain::HelpCategory;
use crate::help::service::Filing;
use crate::http::{body, MAX_JSON_BYTES};
use crate::state::AppState;

/// Multipart bodies may carry a photo (`media`), which is read and dropped.
const MAX_MULTIPART_BYTES: usize = 4 * 1024 * 1024;

/// The body's fields as text: form-encoded (the spec), multipart, or a JSON object.
pub async fn read_form(
    req: &HttpRequest,
    payload: web::Payload,
) -> ApiResult<HashMap<String, String>> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let essence = content_type
        .split(';')
        .next()
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let is_json = essence == "application/json" || essence.ends_with("+json");
    if essence == "multipart/form-data" {
        let boundary = multipart::boundary(&content_type).ok_or_else(|| {
            ApiError::new(Code::MalformedRequest, "multipart body without a boundary")
        })?;
        let bytes =
            body::read_capped(body::declared_length(req), payload, MAX_MULTIPART_BYTES).await?;
        return multipart::fields(&bytes, &boundary).map_err(|e| {
            ApiError::new(
                Code::MalformedRequest,
                format!("malformed multipart body: {e}"),
            )
        });
    }
    if essence != "application/x-www-form-urlencoded" && !is_json {
        return Err(ApiError::new(
            Code::UnsupportedMediaType,
            "send the body as application/x-www-form-urlencoded, multipart/form-data or application/json",
        ));
    }
    let bytes = body::read_capped(body::declared_length(req), payload, MAX_JSON_BYTES).await?;
    if is_json {
        let object: serde_json::Map<String, Value> = crate::http::json::parse(&bytes)?;
        let mut fields = HashMap::new();
        for (k, v) in object {
            let text = match v {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Null => continue,
                // Only the fields read below must be text; the rest are ignored anyway.
                _ if FIELDS.contains(&k.as_str()) => {
                    return Err(ApiError::field(
                        &k,
                        "invalid_type",
                        "must be a string or number",
                    ));
                }
                _ => continue,
            };
            fields.insert(k, text);
        }
        Ok(fields)
    } else {
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| ApiError::new(Code::MalformedRequest, "the form body is not UTF-8"))?;
        web::Query::<Vec<(String, String)>>::from_query(text)
            .map(|q| q.into_inner().into_iter().collect())
            .map_err(|e| ApiError::new(Code::MalformedRequest, format!("malformed form body: {e}")))
    }
}

const FIELDS: [&str; 11] = [
    "service_code",
    "description",
    "lat",
    "long",
    "address_string",
    "address_id",
    "api_key",
    "first_name",
    "last_name",
    "phone",
    "email",
];

/// Reads the fields the service uses; the service checks the rest (length, ranges). A
/// location is required, as the spec has it.
pub fn new_request(form: &HashMap<String, String>) -> ApiResult<Open311NewRequest> {
    let mut v = Violations::default();
    let text = |k: &str| form.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    let owned = |k: &str| text(k).map(str::to_string);
    let service_code = match text("service_code") {
        None => {
            v.push(FieldError::new(
                "service_code",
                "required",
                "choose a service",
            ));
            String::new()
        }
        Some(c) if HelpCategory::parse(c).is_none() => {
            v.push(unknown("service_code", vec![c]));
            String::new()
        }
        Some(c) => c.to_string(),
    };
    if text("description").is_none() {
        v.push(FieldError::new(
            "description",
            "required",
            "must not be empty",
        ));
    }
    let mut coord = |k: &str| match text(k).map(str::parse::<f64>) {
        None => None,
        Some(Ok(x)) if x.is_finite() => Some(x),
        Some(_) => {
            v.push(FieldError::new(
                k,
                "invalid_number",
                format!("{k} must be a number"),
            ));
            None
        }
    };
    let (lat, long) = (coord("lat"), coord("long"));
    let (address_string, address_id) = (owned("address_string"), owned("address_id"));
    for (field, value) in [
        ("address_string", &address_string),
        ("address_id", &address_id),
    ] {
        if value.as_ref().is_some_and(|a| a.chars().count() > 200) {
            v.push(FieldError::new(
                field,
                "too_long",
                "must be at most 200 characters",
            ));
        }
    }
    let located = text("lat").is_some() || text("long").is_some();
    if !located && address_string.is_none() && address_id.is_none() {
        v.push(FieldError::new(
            "lat",
            "required",
            "give a location: lat and long, address_string or address_id",
        ));
    }
    v.finish()?;
    Ok(Open311NewRequest {
        service_code,
        description: form.get("description").cloned().unwrap_or_default(),
        lat,
        long,
        address_string,
        address_id,
        api_key: owned("api_key"),
        first_name: owned("first_name"),
        last_name: owned("last_name"),
        phone: owned("phone"),
        email: owned("email"),
    })
}

fn name_part(v: &mut Violations, field: &str, value: Option<&String>) -> Option<String> {
    let value = value?;
    if value.chars().count() > 40 || value.chars().any(char::is_control) {
        v.push(FieldError::new(
            field,
            "invalid_name",
            "at most 40 characters, no control characters",
        ));
        return None;
    }
    Some(value.clone())
}

/// What a key holder's filing records about its caller, checked; contact encrypted.
pub fn caller_filing(state: &AppState, new: &Open311NewRequest) -> ApiResult<Filing> {
    let mut v = Violations::default();
    let first = name_part(&mut v, "first_name", new.first_name.as_ref());
    let last = name_part(&mut v, "last_name", new.last_name.as_ref());
    let phone = new.phone.as_deref().map(str::trim);
    if let Some(p) = phone {
        let ok = (5..=32).contains(&p.len())
            && p.chars()
                .enumerate()
                .all(|(i, c)| c.is_ascii_digit() || c == '-' || c == ' ' || (i == 0 && c == '+'));
        if !ok {
            v.push(FieldError::new(
                "phone",
                "invalid_phone",
                "digits, spaces and dashes only (5–32 characters)",
            ));
        }
    }
    let email = new.email.as_deref().map(str::trim);
    if let Some(e) = email {
        let ok = e.len() <= 254
            && e.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty() && host.contains('.') && !e.chars().any(char::is_whitespace)
            });
        if !ok {
            v.push(FieldError::new(
                "email",
                "invalid_email",
                "not an e-mail address",
            ));
        }
    }
    v.finish()?;
    // Chinese order: family name first, no space.
    let name = match (last, first) {
        (Some(l), Some(f)) => Some(format!("{l}{f}")),
        (l, f) => l.or(f),
    };
    Ok(Filing {
        source: Some("open311"),
        address_text: address_text(new),
        caller_name: name,
        caller_phone_enc: phone.map(|p| state.phones.encrypt_text(p)),
        caller_email_enc: email.map(|e| state.phones.encrypt_text(e)),
    })
}

/// The location in words, when the caller gave one.
pub fn address_text(new: &Open311NewRequest) -> Option<String> {
    new.address_string
        .clone()
        .or_else(|| new.address_id.clone())
}

/// The service names the API's fields; Open311 clients sent Open311's.
pub fn open311_names(mut e: ApiError) -> ApiError {
    for f in &mut e.errors {
        f.field = match f.field.as_str() {
            "lng" => "long".into(),
            "category" => "service_code".into(),
            other => other.to_string(),
        };
    }
    if !e.errors.is_empty() {
        let names: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        e.detail = format!("invalid fields: {}", names.join(", "));
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields() {
        let form = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<HashMap<_, _>>()
        };
        let ok = new_request(&form(&[
            ("service_code", "medical"),
            ("description", "中暑"),
            ("lat", "31.2"),
            ("long", "121.4"),
            ("email", "ignored@example.com"),
        ]))
        .unwrap();
        assert_eq!((ok.lat, ok.long), (Some(31.2), Some(121.4)));
        let e = new_request(&form(&[("service_code", "pothole"), ("lat", "north")])).unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["service_code", "description", "lat"]);
        // A location is required: coordinates, or an address in words.
        let e =
            new_request(&form(&[("service_code", "medical"), ("description", "x")])).unwrap_err();
        assert_eq!(
            (e.errors[0].field.as_str(), e.errors[0].code.as_str()),
            ("lat", "required")
        );
        let ok = new_request(&form(&[
            ("service_code", "hazard_report"),
            ("description", "井盖缺失"),
            ("address_string", "华山路 1 号"),
        ]))
        .unwrap();
        assert_eq!(address_text(&ok).as_deref(), Some("华山路 1 号"));
        assert!(new_request(&form(&[
            ("service_code", "hazard_report"),
            ("description", "x"),
            ("address_id", "A-1"),
        ]))
        .is_ok());
    }
}
