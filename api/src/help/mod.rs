//! Help requests (诉求): state machine, routing to tiers, SLA worker, live events, Open311.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod demo;
pub mod domain;
pub mod dto;
pub mod events;
pub mod events_routes;
pub mod flood;
pub mod open311;
pub mod retention;
pub mod routes;
pub mod routing;
pub mod service;
pub mod sla;

/// Routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(routes::configure);
    // GET /events (live updates); owned by events_routes.rs.
    cfg.configure(events_routes::configure);
}

/// Open311 GeoReport v2, outside `/api/v1` where Open311 clients expect a base URL.
pub fn configure_open311(cfg: &mut ServiceConfig) {
    cfg.service(utoipa_actix_web::scope::scope("/open311/v2").configure(open311::configure))
        .configure(open311::configure_root);
}
