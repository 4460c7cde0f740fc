//! HTTP plumbing shared by every feature: body/query/path extraction with problem+json errors,
//! the 404/405 fallback and request ids.

pub mod body;
pub mod catch_panic;
pub mod client_addr;
pub mod fallback;
pub mod head;
pub mod idempotency;
pub mod json;
pub mod openapi_errors;
pub mod paging;
pub mod public_url;
pub mod request_id;
pub mod security_headers;

pub use client_addr::ClientAddr;
pub use json::ApiJson;

use actix_web::{error::PathError, error::QueryPayloadError, web, HttpRequest};

use crate::error::{ApiError, Code};

/// Largest JSON body accepted anywhere (DESIGN §6).
pub const MAX_JSON_BYTES: usize = 64 * 1024;

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, _req: &HttpRequest| {
        let detail = match &err {
            QueryPayloadError::Deserialize(e) => e.to_string(),
            other => other.to_string(),
        };
        ApiError::new(
            Code::MalformedRequest,
            format!("invalid query string: {detail}"),
        )
        .into()
    })
}

pub fn path_config() -> web::PathConfig {
    // A malformed id names nothing that exists, unless the "id" is a literal segment of a
    // resource that lacks this method (`PATCH /stations/nearby`): that is a 405, as anywhere.
    web::PathConfig::default().error_handler(|_err: PathError, req: &HttpRequest| {
        let allow = req
            .app_data::<web::Data<fallback::RouteTable>>()
            .and_then(|table| table.allowed(req.path()))
            .filter(|allow| !allow.split(", ").any(|m| m == req.method().as_str()));
        match allow {
            Some(allow) => {
                let mut err = ApiError::new(
                    Code::MethodNotAllowed,
                    format!("{} is not allowed here; use {allow}", req.method()),
                );
                err.allow = Some(allow.into());
                err.into()
            }
            None => ApiError::not_found().into(),
        }
    })
}
