//! Help requests (诉求): state machine, routing to tiers, SLA worker, live events, Open311.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod events;

/// Routes under `/api/v1`.
pub fn configure(_cfg: &mut ServiceConfig) {}

/// Open311 GeoReport v2, outside `/api/v1` where Open311 clients expect a base URL.
pub fn configure_open311(_cfg: &mut ServiceConfig) {}
