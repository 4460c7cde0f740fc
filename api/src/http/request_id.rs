//! Request ids and the tracing root span. The span records the route and path but never the
//! query string or headers: queries may carry coordinates, headers carry tokens.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

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

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        if let Ok(res) = outcome {
            span.record("status", res.status().as_u16());
        }
        DefaultRootSpanBuilder::on_request_end(span, outcome);
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
