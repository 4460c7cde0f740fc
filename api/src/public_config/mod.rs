//! Settings the PWA needs before login (map tiles).

use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_config);
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicConfig {
    /// Leaflet tile URL template, or null when no tile server is configured (the map then
    /// shows stations on a plain background).
    pub map_tile_url: Option<String>,
    pub map_attribution: Option<String>,
}

/// Public client configuration.
#[utoipa::path(tag = "config", responses((status = 200, body = PublicConfig)))]
#[get("/config")]
async fn get_config(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=300"))
        .json(PublicConfig {
            map_tile_url: state.settings.map_tile_url.clone(),
            map_attribution: state.settings.map_attribution.clone(),
        })
}
