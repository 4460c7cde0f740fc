use actix_web::{get, web, HttpResponse};
use sea_orm::{EntityTrait, QueryOrder};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{RegionDto, RegionList};
use crate::entity::region;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_regions);
}

/// All regions as a flat list (city, districts, streets), parents before children.
#[utoipa::path(tag = "regions", responses((status = 200, body = RegionList)))]
#[get("/regions")]
async fn list_regions(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let items: Vec<RegionDto> = region::Entity::find()
        .order_by_asc(region::Column::Code)
        .all(&state.db)
        .await?
        .into_iter()
        .map(RegionDto::from)
        .collect();
    // Reference data: let phones and proxies keep it for an hour.
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .json(RegionList { items }))
}
