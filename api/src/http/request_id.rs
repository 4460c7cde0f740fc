//! Request ids and the tracing root span. The span records the route and path but never the
//! query string or headers: queries may carry coordinates, headers carry tokens.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};

use crate::error::ApiError;

pub static REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

pub struct PrivateRootSpan;

impl RootSpanBuilder for PrivateRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request.extensions().get::<RequestId>().copied();
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "unmatched".into());
        tracing::info_span!(
            "http",
            method = %request.method(),
            route = %route,
            request_id = %request_id.map(|r| r.to_string()).unwrap_or_default(),
            status = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    /// Records the status and the error's stable code only. The default builder logs the
    /// error's Display and Debug, which carry details and field messages built from what the
    /// client sent (a phone in the wrong field, complaint text in `category`).
    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (status, error) = match outcome {
            Ok(res) => (res.status(), res.response().error()),
            Err(err) => (err.as_response_error().status_code(), Some(err)),
        };
        span.record("status", status.as_u16());
        if let Some(err) = error {
            let code = err
                .as_error::<ApiError>()
                .map(|e| e.code.as_str())
                .unwrap_or("framework_error");
            span.record("exception.message", code);
        }
        let outcome = if status.is_server_error() {
            "ERROR"
        } else {
            "OK"
        };
        span.record("otel.status_code", outcome);
    }
}

/// Echoes the request id so a rider's bug report can be matched to the log line.
pub fn add_header<B>(mut res: ServiceResponse<B>) -> ServiceResponse<B> {
    let id = res
        .request()
        .extensions()
        .get::<RequestId>()
        .map(|r| r.to_string());
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut().insert(REQUEST_ID_HEADER.clone(), value);
    }
    res
}
