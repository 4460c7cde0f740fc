//! One error type for the whole API, rendered as RFC 9457 problem+json with a stable `code`.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use utoipa::ToSchema;

/// Stable error codes. Clients switch on these; never rename one. Every one is listed in the
/// OpenAPI document (`Problem.code`), and the PWA has words for each in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sea_orm::EnumIter)]
pub enum Code {
    MalformedRequest,
    MalformedJson,
    UnsupportedMediaType,
    ValidationFailed,
    Unauthorized,
    InvalidCredentials,
    InvalidRefreshToken,
    RefreshTokenReused,
    AccountDisabled,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PhoneTaken,
    InvalidCheckinCode,
    TransitionNotAllowed,
    IdempotencyKeyMismatch,
    InsufficientPoints,
    RedemptionCodeUsed,
    RedemptionCodeExpired,
    OutOfStock,
    StationClosed,
    VoidWindowPassed,
    AlreadyVoid,
    IdempotencyInFlight,
    PayloadTooLarge,
    RequestTimeout,
    RateLimited,
    InvalidCode,
    SmsUnavailable,
    ServiceUnavailable,
    Internal,
}

impl Code {
    /// The single table of code -> (status, name).
    fn spec(self) -> (StatusCode, &'static str) {
        use Code::*;
        match self {
            MalformedRequest => (StatusCode::BAD_REQUEST, "malformed_request"),
            MalformedJson => (StatusCode::BAD_REQUEST, "malformed_json"),
            UnsupportedMediaType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
            ValidationFailed => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            InvalidRefreshToken => (StatusCode::UNAUTHORIZED, "invalid_refresh_token"),
            RefreshTokenReused => (StatusCode::UNAUTHORIZED, "refresh_token_reused"),
            AccountDisabled => (StatusCode::FORBIDDEN, "account_disabled"),
            Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            NotFound => (StatusCode::NOT_FOUND, "not_found"),
            MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Conflict => (StatusCode::CONFLICT, "conflict"),
            PhoneTaken => (StatusCode::CONFLICT, "phone_taken"),
            InvalidCheckinCode => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_checkin_code"),
            TransitionNotAllowed => (StatusCode::CONFLICT, "transition_not_allowed"),
            IdempotencyKeyMismatch => (StatusCode::CONFLICT, "idempotency_key_mismatch"),
            InsufficientPoints => (StatusCode::CONFLICT, "insufficient_points"),
            RedemptionCodeUsed => (StatusCode::CONFLICT, "redemption_code_used"),
            RedemptionCodeExpired => (StatusCode::CONFLICT, "redemption_code_expired"),
            OutOfStock => (StatusCode::CONFLICT, "out_of_stock"),
            StationClosed => (StatusCode::CONFLICT, "station_closed"),
            VoidWindowPassed => (StatusCode::CONFLICT, "void_window_passed"),
            AlreadyVoid => (StatusCode::CONFLICT, "already_void"),
            IdempotencyInFlight => (StatusCode::CONFLICT, "idempotency_in_flight"),
            PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            RequestTimeout => (StatusCode::REQUEST_TIMEOUT, "request_timeout"),
            RateLimited => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            InvalidCode => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code"),
            SmsUnavailable => (StatusCode::SERVICE_UNAVAILABLE, "sms_unavailable"),
            ServiceUnavailable => (StatusCode::SERVICE_UNAVAILABLE, "service_unavailable"),
            Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
        }
    }

    pub fn status(self) -> StatusCode {
        self.spec().0
    }

    pub fn as_str(self) -> &'static str {
        self.spec().1
    }
}

/// One problem with one input field.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name (dotted path for nested fields).
    pub field: String,
    /// Machine-readable reason, e.g. `too_long`, `invalid_phone`, `unknown_field`.
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// RFC 9457 problem details, as every error response of this API is shaped.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[schema(example = "about:blank")]
    pub r#type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable, machine-readable error code (one of the listed values).
    #[schema(example = "validation_failed", schema_with = code_schema)]
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Extension members (RFC 9457 §3.2), e.g. `allowed_actions` or `balance`.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

/// `Problem.code` as an enum of every code, so clients can check they know them all.
fn code_schema() -> utoipa::openapi::Object {
    use sea_orm::Iterable;
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some("Stable, machine-readable error code."))
        .enum_values(Some(Code::iter().map(|c| c.as_str())))
        .examples([serde_json::json!("validation_failed")])
        .build()
}

#[derive(Debug)]
pub struct ApiError {
    pub code: Code,
    pub detail: String,
    pub errors: Vec<FieldError>,
    pub retry_after: Option<u64>,
    /// The limit that refused the call (quota, window in seconds), for the `RateLimit-Policy`
    /// and `RateLimit` headers. Boxed like `allow`: both are rare, and `ApiError` travels in
    /// every `Result`.
    pub rate_limit: Option<Box<(u64, u64)>>,
    pub allow: Option<Box<str>>,
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: Code, detail: impl Into<String>) -> Self {
        Self {
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
            rate_limit: None,
            allow: None,
            extensions: serde_json::Map::new(),
        }
    }

    /// Adds a problem extension member, such as the actions allowed now or the balance.
    pub fn with(mut self, key: &str, value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
        self.extensions.insert(key.to_string(), value);
        self
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        let detail = format!("invalid fields: {}", fields.join(", "));
        Self {
            errors,
            ..Self::new(Code::ValidationFailed, detail)
        }
    }

    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError::new(field, code, message)])
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(Code::Unauthorized, detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(Code::Forbidden, detail)
    }

    pub fn not_found() -> Self {
        Self::new(Code::NotFound, "the resource does not exist")
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after.max(1)),
            ..Self::new(Code::RateLimited, "too many attempts; try again later")
        }
    }

    /// 429 for a spent limit of `quota` calls per `window_secs`, `retry_after` seconds before
    /// the window ends.
    pub fn over_limit(quota: u64, window_secs: u64, retry_after: u64) -> Self {
        Self {
            rate_limit: Some(Box::new((quota, window_secs))),
            ..Self::rate_limited(retry_after)
        }
    }

    pub fn unavailable(detail: impl Into<String>, retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(Code::ServiceUnavailable, detail)
        }
    }

    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        // The cause goes to the log, never to the client.
        tracing::error!(error = %err, "{context}");
        Self::new(Code::Internal, "an unexpected error occurred")
    }

    /// Maps a unique-constraint violation to the given conflict code; anything else is internal.
    pub fn on_unique(err: DbErr, code: Code, detail: &str) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Self::new(code, detail),
            _ => Self::from(err),
        }
    }

    pub fn problem(&self) -> Problem {
        let (status, name) = self.code.spec();
        Problem {
            r#type: "about:blank".into(),
            // RFC 9457 §4.2.1: with `about:blank` the title is the status phrase; `code` and
            // `detail` say what went wrong.
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: self.detail.clone(),
            code: name.into(),
            errors: self.errors.clone(),
            extensions: self.extensions.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.detail)
    }
}

impl std::error::Error for ApiError {}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        if is_database_unavailable(&err) {
            tracing::warn!(error = %err, "database unavailable");
            return Self::unavailable("the database is unavailable", 5);
        }
        if is_query_cancelled(&err) {
            tracing::warn!("database statement timed out");
            return Self::unavailable("the database is too slow right now", 5);
        }
        Self::internal("database error", err)
    }
}

fn sqlx_error(err: &DbErr) -> Option<&sea_orm::sqlx::Error> {
    match err {
        DbErr::Query(sea_orm::RuntimeErr::SqlxError(e))
        | DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e))
        | DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e)) => Some(e),
        _ => None,
    }
}

/// The database is down, restarting or dropped our session: a retry later will do, so 503,
/// not 500. A connection lost mid-statement reaches us as a query error (I/O, or PostgreSQL's
/// 57P01 when a backend is terminated), not as a connection error.
fn is_database_unavailable(err: &DbErr) -> bool {
    if matches!(err, DbErr::ConnectionAcquire(_) | DbErr::Conn(_)) {
        return true;
    }
    use sea_orm::sqlx::Error as E;
    match sqlx_error(err) {
        Some(E::Io(_) | E::Tls(_) | E::PoolTimedOut | E::PoolClosed | E::WorkerCrashed) => true,
        Some(E::Database(d)) => d.code().is_some_and(|c| is_unavailable_sqlstate(&c)),
        _ => false,
    }
}

/// Connection exceptions (class 08), admin/crash shutdown and "starting up" (57P01–57P03),
/// too many connections (53300).
fn is_unavailable_sqlstate(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
}

/// PostgreSQL's `query_canceled` (57014): `statement_timeout` fired.
fn is_query_cancelled(err: &DbErr) -> bool {
    sqlx_error(err)
        .and_then(|e| e.as_database_error())
        .and_then(|d| d.code())
        .is_some_and(|c| c == "57014")
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        res.content_type("application/problem+json");
        if let (Some(&(quota, window)), Some(left)) = (self.rate_limit.as_deref(), self.retry_after)
        {
            // draft-ietf-httpapi-ratelimit-headers: the policy, and what is left of it now.
            res.insert_header((
                "RateLimit-Policy",
                format!("\"limit\";q={quota};w={window}"),
            ));
            res.insert_header(("RateLimit", format!("\"limit\";r=0;t={left}")));
        }
        if let Some(secs) = self.retry_after {
            res.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        if let Some(allow) = &self.allow {
            res.insert_header((header::ALLOW, allow.to_string()));
        }
        res.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

/// Collects field errors while parsing a request, then fails once with all of them.
#[derive(Default)]
pub struct Violations(Vec<FieldError>);

impl Violations {
    pub fn push(&mut self, err: FieldError) {
        self.0.push(err);
    }

    /// Keeps the parsed value, or records its error and returns None.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }

    pub fn finish(self) -> ApiResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_snake_case() {
        use Code::*;
        let all = [
            MalformedRequest,
            MalformedJson,
            UnsupportedMediaType,
            ValidationFailed,
            Unauthorized,
            InvalidCredentials,
            InvalidRefreshToken,
            RefreshTokenReused,
            AccountDisabled,
            Forbidden,
            NotFound,
            MethodNotAllowed,
            Conflict,
            PhoneTaken,
            InvalidCheckinCode,
            TransitionNotAllowed,
            IdempotencyKeyMismatch,
            InsufficientPoints,
            RedemptionCodeUsed,
            RedemptionCodeExpired,
            OutOfStock,
            StationClosed,
            VoidWindowPassed,
            AlreadyVoid,
            IdempotencyInFlight,
            PayloadTooLarge,
            RateLimited,
            InvalidCode,
            SmsUnavailable,
            ServiceUnavailable,
            Internal,
        ];
        let mut names: Vec<_> = all.iter().map(|c| c.as_str()).collect();
        assert!(names
            .iter()
            .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }

    #[test]
    fn outage_states_are_unavailable_and_query_errors_are_not() {
        for code in ["08006", "08001", "57P01", "57P02", "57P03", "53300"] {
            assert!(is_unavailable_sqlstate(code), "{code}");
        }
        for code in ["57014", "23505", "40001", "42P01"] {
            assert!(!is_unavailable_sqlstate(code), "{code}");
        }
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
        let lost = DbErr::Query(sea_orm::RuntimeErr::SqlxError(std::sync::Arc::new(
            sea_orm::sqlx::Error::Io(io),
        )));
        let api = ApiError::from(lost);
        assert_eq!(api.code, Code::ServiceUnavailable);
        assert_eq!(api.retry_after, Some(5));
        let decode = DbErr::Query(sea_orm::RuntimeErr::SqlxError(std::sync::Arc::new(
            sea_orm::sqlx::Error::RowNotFound,
        )));
        assert_eq!(ApiError::from(decode).code, Code::Internal);
    }

    #[test]
    fn rate_limited_sets_retry_after() {
        let res = ApiError::rate_limited(42).error_response();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(res.headers().get(header::RETRY_AFTER).unwrap(), "42");
    }
}
