//! `ApiJson<T>`: a JSON body extractor whose every failure is a precise problem+json:
//! 413 over 64 KiB, 415 without a JSON content type, 400 for broken JSON, 422 naming the
//! field for wrong types, unknown or missing fields.

use actix_web::{dev::Payload, http::header, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::{DeserializeOwned, Deserializer, Visitor};

use super::MAX_JSON_BYTES;
use crate::error::{ApiError, Code, FieldError};

pub struct ApiJson<T>(pub T);

impl<T> ApiJson<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let essence = v
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            })
            .unwrap_or(false);
        let declared_len = super::body::declared_length(req);
        let payload = payload.take();
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::new(
                    Code::UnsupportedMediaType,
                    "send the body as application/json",
                ));
            }
            let body = super::body::read_capped(declared_len, payload, MAX_JSON_BYTES).await?;
            parse(&body).map(ApiJson)
        })
    }
}

/// Parses a JSON body, turning serde's error into field-level problems.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::new(
            Code::MalformedJson,
            "the request body is empty; send a JSON object",
        ));
    }
    // Syntax first, so `[1,2` is reported as broken JSON rather than as a wrong type.
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(body) {
        return Err(ApiError::new(
            Code::MalformedJson,
            format!("the body is not valid JSON: {e}"),
        ));
    }
    let normalised = whole_floats_as_integers(body);
    let body = normalised.as_deref().unwrap_or(body);
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(ObjectBody(de)).map_err(|err| {
        let path = err.path().to_string();
        // The syntax was checked above, so whatever fails here is the shape (a wrong type, an
        // unknown or missing field) even when serde_json files it as a syntax error, as it does
        // for a number where an enum's string belongs.
        let inner = err.into_inner();
        let message = without_values(&strip_position(&inner.to_string()));
        let (field, code) = if let Some(name) = backticked(&message, "unknown field `") {
            // The path already ends at the unknown key.
            let field = if path.ends_with(&name) {
                path
            } else {
                join(&path, &name)
            };
            (field, "unknown_field")
        } else if let Some(name) = backticked(&message, "missing field `") {
            (join(&path, &name), "required")
        } else if let Some(name) = backticked(&message, "duplicate field `") {
            (join(&path, &name), "duplicate_field")
        } else {
            (
                if path == "." {
                    "body".to_string()
                } else {
                    path
                },
                "invalid_type",
            )
        };
        ApiError::validation(vec![FieldError::new(field, code, message)])
    })
}

/// JSON Schema counts `2.0` as an integer, and so do clients generated from our document:
/// whole numbers written with a fraction are read as integers, so an integer field takes them.
/// None when there is nothing to change.
fn whole_floats_as_integers(body: &[u8]) -> Option<Vec<u8>> {
    if !body.iter().any(|b| matches!(b, b'.' | b'e' | b'E')) {
        return None;
    }
    let mut value: serde_json::Value = serde_json::from_slice(body).ok()?;
    if !whole_to_integer(&mut value) {
        return None;
    }
    serde_json::to_vec(&value).ok()
}

fn whole_to_integer(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    // Beyond 2^53 a float no longer says which integer it meant.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() <= EXACT => {
                *value = Value::from(f as i64);
                true
            }
            _ => false,
        },
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, item| whole_to_integer(item) | changed),
        Value::Object(map) => map
            .values_mut()
            .fold(false, |changed, item| whole_to_integer(item) | changed),
        _ => false,
    }
}

/// Reads a struct body only from a JSON object. serde would also read a struct from an array,
/// matching fields by position (`["13812345678", "pw", "name"]`), which no client should rely on.
struct ObjectBody<'a, 'de>(&'a mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>);

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, serde_json::Error> {
            self.0.$method($($arg,)* visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for ObjectBody<'_, 'de> {
    type Error = serde_json::Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        self.0.deserialize_map(visitor)
    }

    forward! {
        deserialize_any(); deserialize_bool(); deserialize_i8(); deserialize_i16(); deserialize_i32();
        deserialize_i64(); deserialize_i128(); deserialize_u8(); deserialize_u16(); deserialize_u32();
        deserialize_u64(); deserialize_u128(); deserialize_f32(); deserialize_f64(); deserialize_char();
        deserialize_str(); deserialize_string(); deserialize_bytes(); deserialize_byte_buf();
        deserialize_option(); deserialize_unit(); deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str); deserialize_seq(); deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize); deserialize_map();
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier(); deserialize_ignored_any();
    }
}

fn backticked(message: &str, prefix: &str) -> Option<String> {
    let rest = message.split(prefix).nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

fn join(path: &str, name: &str) -> String {
    if path == "." || path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// serde quotes the offending value (`invalid type: integer `13911112222``, `unknown variant
/// `我要投诉``): it would be echoed to the client and into the log, and a value sent in the
/// wrong field may be a phone number or complaint text. Keep the kinds, drop the values.
fn without_values(message: &str) -> String {
    let kind_of = |unexpected: &str| {
        // `integer `1``, `string "x"`, `floating point `1.5``, `map`, `null` → the kind only.
        let cut = unexpected.find(['`', '"']).unwrap_or(unexpected.len());
        unexpected[..cut].trim().to_string()
    };
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (unexpected, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
            let mut out = format!("{prefix}{}", kind_of(unexpected));
            if !expected.is_empty() {
                out.push_str(", expected ");
                out.push_str(expected);
            }
            return out;
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let expected = rest.split_once("`, ").map(|(_, e)| e).unwrap_or("");
        return format!("unknown variant, {expected}")
            .trim_end_matches(", ")
            .to_string();
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        let expected = rest.split_once(", ").map(|(_, e)| e).unwrap_or("");
        return format!("invalid length, {expected}")
            .trim_end_matches(", ")
            .to_string();
    }
    if message.starts_with("unknown field `")
        || message.starts_with("missing field `")
        || message.starts_with("duplicate field `")
    {
        // These name our own fields, which the client sent as keys; keep them.
        return message.to_string();
    }
    // Our own deserializers' messages (closed sets, bounded text) never quote the value; any
    // other message is replaced rather than trusted.
    if message.contains('`') || message.contains('"') {
        return "invalid value".to_string();
    }
    message.to_string()
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        age: u8,
    }

    fn err(body: &str) -> ApiError {
        parse::<Body>(body.as_bytes()).unwrap_err()
    }

    #[test]
    fn whole_floats_read_as_integers() {
        let b = parse::<Body>(br#"{"name":"a.b","age":2.0}"#).unwrap();
        assert_eq!((b.name.as_str(), b.age), ("a.b", 2));
        let e = err(r#"{"name":"a","age":2.5}"#);
        assert_eq!(e.errors[0].code, "invalid_type");
    }

    #[test]
    fn field_level_errors() {
        let e = err(r#"{"name":"a","age":1,"role":"admin"}"#);
        assert_eq!(e.code, Code::ValidationFailed);
        assert_eq!(e.errors[0].field, "role");
        assert_eq!(e.errors[0].code, "unknown_field");
        let e = err(r#"{"name":"a"}"#);
        assert_eq!(
            (e.errors[0].field.as_str(), e.errors[0].code.as_str()),
            ("age", "required")
        );
        let e = err(r#"{"name":"a","age":"x"}"#);
        assert_eq!(
            (e.errors[0].field.as_str(), e.errors[0].code.as_str()),
            ("age", "invalid_type")
        );
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        enum Kind {
            A,
        }
        let e = parse::<std::collections::HashMap<String, Kind>>(br#"{"k": 3}"#).unwrap_err();
        assert_eq!(
            (e.code, e.errors[0].field.as_str()),
            (Code::ValidationFailed, "k")
        );
    }

    #[test]
    fn a_struct_is_read_only_from_an_object() {
        let e = err(r#"["a", 1]"#);
        assert_eq!(
            (e.errors[0].field.as_str(), e.errors[0].code.as_str()),
            ("body", "invalid_type")
        );
        let e = err(r#"{"name":"a","name":"b","age":1}"#);
        assert_eq!(
            (e.errors[0].field.as_str(), e.errors[0].code.as_str()),
            ("name", "duplicate_field")
        );
        assert_eq!(parse::<Vec<u8>>(b"[1, 2]").unwrap(), [1, 2]);
        assert_eq!(parse::<Option<u8>>(b"null").unwrap(), None);
    }

    #[test]
    fn values_are_never_echoed() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        enum Category {
            #[serde(rename = "medical")]
            Medical,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Filing {
            phone: String,
            category: Category,
            lat: f64,
            tags: [u8; 1],
        }
        for (body, secret) in [
            (
                r#"{"phone":13911112222,"category":"medical","lat":1,"tags":[1]}"#,
                "13911112222",
            ),
            (
                r#"{"phone":"x","category":"老板欠薪三个月","lat":1,"tags":[1]}"#,
                "老板欠薪",
            ),
            (
                r#"{"phone":"x","category":"medical","lat":"31.2345","tags":[1]}"#,
                "31.2345",
            ),
            (
                r#"{"phone":"x","category":"medical","lat":1,"tags":[1,13911112222]}"#,
                "13911112222",
            ),
            (
                r#"{"phone":"x","category":"medical","lat":1.5e400,"tags":[1]}"#,
                "1.5e400",
            ),
        ] {
            let e = parse::<Filing>(body.as_bytes()).unwrap_err();
            let shown = format!("{e} {:?}", e.errors);
            assert!(!shown.contains(secret), "{body} → {shown}");
            assert_eq!(e.errors.len(), 1, "{body}");
        }
        let e =
            parse::<Filing>(br#"{"phone":1,"category":"medical","lat":1,"tags":[1]}"#).unwrap_err();
        assert_eq!(
            e.errors[0].message,
            "invalid type: integer, expected a string"
        );
        let e = parse::<Filing>(br#"{"phone":"1","category":"x","lat":1,"tags":[1]}"#).unwrap_err();
        assert_eq!(e.errors[0].message, "unknown variant, expected `medical`");
    }

    #[test]
    fn syntax_errors_are_400() {
        assert_eq!(err(r#"{"name":"#).code, Code::MalformedJson);
        assert_eq!(err("").code, Code::MalformedJson);
        assert_eq!(err("[1,2").code, Code::MalformedJson);
    }
}
