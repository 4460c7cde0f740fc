//! Operational endpoints outside the API: liveness, readiness and Prometheus metrics.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::cache::CacheHealth;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(healthz).service(readyz).service(metrics);
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

#[derive(Serialize, ToSchema, PartialEq, Eq, Clone, Copy, Debug)]
#[serde(rename_all = "lowercase")]
pub enum DatabaseHealth {
    Ok,
    Down,
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    /// `ready`, `not_ready` (database down) or `shutting_down`.
    pub status: &'static str,
    pub database: DatabaseHealth,
    /// `ok`, `degraded` (Redis configured but unreachable; in-process fallback) or `disabled`.
    pub cache: CacheHealth,
}

/// The process is alive.
#[utoipa::path(tag = "ops", responses((status = 200, body = Health)))]
#[get("/healthz")]
async fn healthz() -> web::Json<Health> {
    web::Json(Health { status: "ok" })
}

/// Ready to take traffic: the database answers. A degraded cache is still ready.
#[utoipa::path(tag = "ops", responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
#[get("/readyz")]
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let ping = tokio::time::timeout(std::time::Duration::from_secs(2), state.db.ping()).await;
    let database = if matches!(ping, Ok(Ok(()))) {
        DatabaseHealth::Ok
    } else {
        DatabaseHealth::Down
    };
    let cache = state.cache.health().await;
    let (status, mut res) = if state.lifecycle.is_shutting_down() {
        ("shutting_down", HttpResponse::ServiceUnavailable())
    } else if database == DatabaseHealth::Down {
        ("not_ready", HttpResponse::ServiceUnavailable())
    } else {
        ("ready", HttpResponse::Ok())
    };
    res.insert_header(("Cache-Control", "no-store"))
        .json(Readiness {
            status,
            database,
            cache,
        })
}

/// Prometheus text exposition of the request counters and latencies (compressed when asked).
#[utoipa::path(tag = "ops",
    responses((status = 200, description = "Prometheus text format 0.0.4", content_type = "text/plain", body = String)))]
#[get("/metrics")]
async fn metrics(registry: web::Data<prometheus::Registry>) -> HttpResponse {
    let mut text = Vec::new();
    use prometheus::Encoder;
    if let Err(e) = prometheus::TextEncoder::new().encode(&registry.gather(), &mut text) {
        tracing::warn!(error = %e, "metrics not encodable");
    }
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .content_type(prometheus::TEXT_FORMAT)
        .body(text)
}
