use actix_web::{get, web, HttpResponse};
use sea_orm::{EntityTrait, QueryOrder};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{RegionDto, RegionList};
use crate::entity::region;
use std::time::Duration;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_regions);
}

/// All regions as a flat list (city, districts, streets), parents before children.
#[utoipa::path(tag = "regions", responses((status = 200, body = RegionList)))]
#[get("/regions")]
async fn list_regions(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    // Reference data read on every app start: serve it from the cache, not the database
    // (on SQLite's single connection the query would cap this endpoint at a few hundred/s).
    let json = match state.cache.get(REGIONS_CACHE_KEY).await {
        Some(json) => json,
        None => {
            let items: Vec<RegionDto> = region::Entity::find()
                .order_by_asc(region::Column::Code)
                .all(&state.db)
                .await?
                .into_iter()
                .map(RegionDto::from)
                .collect();
            let json = serde_json::to_string(&RegionList { items })
                .map_err(|e| ApiError::internal("regions json", e))?;
            state
                .cache
                .set(REGIONS_CACHE_KEY, &json, Duration::from_secs(600))
                .await;
            json
        }
    };
    // Let phones and proxies keep it for an hour.
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .content_type("application/json")
        .body(json))
}

/// Dropped by whatever changes the regions table (the embedded seed runs before serving).
pub const REGIONS_CACHE_KEY: &str = "regions:v1";
