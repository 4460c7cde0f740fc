use actix_web::{delete, get, patch, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{ExportDto, UpdateMeRequest, UserDto};
use super::service;
use crate::auth::AuthUser;
use crate::error::{ApiResult, Problem};
use crate::http::ApiJson;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_me)
        .service(patch_me)
        .service(export_me)
        .service(delete_me);
}

/// The signed-in user's profile. Operators also see `station_id`, staff `region_code`.
#[utoipa::path(tag = "me", security(("bearer" = [])),
    responses((status = 200, body = UserDto), (status = 401, body = Problem, content_type = "application/problem+json")))]
#[get("/me")]
async fn get_me(state: web::Data<AppState>, user: AuthUser) -> ApiResult<web::Json<UserDto>> {
    Ok(web::Json(service::me(&state, user.id).await?))
}

/// Change the display name or language; no other field may be changed here.
#[utoipa::path(tag = "me", security(("bearer" = [])), request_body = UpdateMeRequest,
    responses((status = 200, body = UserDto),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[patch("/me")]
async fn patch_me(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<UpdateMeRequest>,
) -> ApiResult<web::Json<UserDto>> {
    Ok(web::Json(
        service::update(&state, user.id, body.into_inner()).await?,
    ))
}

/// Download everything stored about the signed-in user.
#[utoipa::path(tag = "me", security(("bearer" = [])),
    responses((status = 200, body = ExportDto), (status = 401, body = Problem, content_type = "application/problem+json")))]
#[get("/me/export")]
async fn export_me(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    let export = super::export::export(&state, user.id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"warmnew-my-data.json\"",
        ))
        .insert_header(("Cache-Control", "no-store"))
        .json(export))
}

/// Delete the account and all its sessions.
#[utoipa::path(tag = "me", security(("bearer" = [])),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem, content_type = "application/problem+json")))]
#[delete("/me")]
async fn delete_me(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    service::delete(&state, user.id).await?;
    Ok(HttpResponse::NoContent().finish())
}
