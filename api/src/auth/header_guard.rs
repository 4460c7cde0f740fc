//! A credential that is sent must be good, also on routes that need none: a malformed header
//! or a forged, expired or not-yet-valid token is 401 everywhere, never quietly anonymous, so a
//! client learns at once that its session is broken. Routes that use the caller check the
//! account row as well (`extract::authenticate`); this guard needs no database.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use super::extract::{bearer, verify_claims};
use crate::state::AppState;

/// Sign-in and refresh are where a stale session is repaired; they read no access token.
const EXEMPT_PREFIX: &str = "/api/v1/auth/";

pub async fn reject_bad_credentials(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if !req.path().starts_with(EXEMPT_PREFIX) {
        let verdict = match bearer(req.request()) {
            Ok(None) => Ok(()),
            Ok(Some(token)) => match req.app_data::<web::Data<AppState>>() {
                Some(state) => verify_claims(state, &token).map(|_| ()),
                None => Ok(()),
            },
            Err(e) => Err(e),
        };
        if let Err(err) = verdict {
            let (http, _) = req.into_parts();
            return Ok(ServiceResponse::from_err(err, http).map_into_right_body());
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}
