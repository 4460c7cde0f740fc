//! The caller's network address, for per-address limits: the peer, or the proxy's
//! `X-Forwarded-For` when `trust_forwarded_for` says a trusted proxy sets it.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl ClientAddr {
    pub fn of(req: &HttpRequest, trust_forwarded_for: bool) -> Self {
        let info = req.connection_info();
        let addr = if trust_forwarded_for {
            info.realip_remote_addr()
        } else {
            info.peer_addr()
        };
        Self(addr.unwrap_or("unknown").to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromRequest for ClientAddr {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trust = req
            .app_data::<web::Data<AppState>>()
            .is_some_and(|s| s.settings.trust_forwarded_for);
        ready(Ok(Self::of(req, trust)))
    }
}
