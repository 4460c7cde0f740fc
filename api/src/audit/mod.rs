//! The audit log (PIPL, issue 13): staff, operator and admin reads of rider data, and every
//! denied access by a known caller — who, what, when, outcome; ids and codes, never a personal
//! value. Handlers record the reads they answer (`service::allowed`); the `denied` middleware
//! records refusals. Admins read it at `GET /admin/audit-log`.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod dto;
pub mod middleware;
pub mod routes;
pub mod service;

pub use service::{allowed, read};

/// Routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(routes::configure);
}
