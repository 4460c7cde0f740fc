use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::dto::*;
use super::{checkin, service};
use crate::auth::AuthUser;
use crate::error::{ApiResult, Problem};
use crate::http::{ApiJson, ClientAddr};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    // `nearby` before `{id}` so the literal path wins.
    cfg.service(nearby)
        .service(list_stations)
        .service(create_station)
        .configure(super::interchange_routes::configure)
        .service(get_station)
        .service(patch_station)
        .service(delete_station)
        .service(get_checkin_code)
        .service(rotate_checkin_code)
        .service(poster)
        .service(check_in);
}

/// The nearest stations, nearest first (public; the caller's position is neither stored nor logged).
#[utoipa::path(tag = "stations", params(NearbyParams),
    responses((status = 200, body = NearbyResponse),
        (status = 422, description = "A parameter is missing or out of range (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
#[get("/stations/nearby")]
async fn nearby(
    state: web::Data<AppState>,
    params: web::Query<NearbyParams>,
) -> ApiResult<HttpResponse> {
    let body = service::nearby(&state, &params)?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .content_type("application/json")
        .body(body))
}

/// Stations by region and text search, paginated.
#[utoipa::path(tag = "stations", params(ListParams),
    responses((status = 200, body = StationPage), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/stations")]
async fn list_stations(
    state: web::Data<AppState>,
    params: web::Query<ListParams>,
) -> ApiResult<web::Json<StationPage>> {
    Ok(web::Json(service::list(&state, &params).await?))
}

/// One station (public).
#[utoipa::path(tag = "stations", params(("id" = Uuid, Path)),
    responses((status = 200, body = StationDetailDto), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/stations/{id}")]
async fn get_station(state: web::Data<AppState>, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let json = service::detail(&state, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(json))
}

/// Create a station (admin).
#[utoipa::path(tag = "stations", security(("bearer" = [])), request_body = CreateStation,
    responses((status = 201, body = StationDetailDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "external_id already used", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/stations")]
async fn create_station(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<CreateStation>,
) -> ApiResult<HttpResponse> {
    let dto = service::create(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(dto))
}

/// Change a station. Its operator may change status, occupancy, capacity, hours and amenities;
/// an empty body confirms the information is current. Admins may change everything.
#[utoipa::path(tag = "stations", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = PatchStation,
    responses((status = 200, body = StationDetailDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not your station, or a field only admins may change", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[patch("/stations/{id}")]
async fn patch_station(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<PatchStation>,
) -> ApiResult<web::Json<StationDetailDto>> {
    Ok(web::Json(
        service::patch(&state, &user, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Close a station permanently (admin). It leaves nearby; its record stays.
#[utoipa::path(tag = "stations", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Closed permanently"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[delete("/stations/{id}")]
async fn delete_station(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    service::delete(&state, &user, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

fn base_url(state: &AppState, req: &HttpRequest) -> String {
    crate::http::public_url::base_url(&state.settings, req)
}

/// The station's current check-in code and its QR (the station's operator, or admin).
#[utoipa::path(tag = "stations", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = CheckinCodeDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/stations/{id}/checkin-code")]
async fn get_checkin_code(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let dto = checkin::get_code(&state, &user, id.into_inner(), &base_url(&state, &req)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(dto))
}

/// Replace the check-in code; the old one stops working at once.
#[utoipa::path(tag = "stations", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = CheckinCodeDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[post("/stations/{id}/checkin-code/rotate")]
async fn rotate_checkin_code(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let dto = checkin::rotate(&state, &user, id.into_inner(), &base_url(&state, &req)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(dto))
}

/// The printable A4 check-in poster (zh-CN + en) with the QR and the code (the station's
/// operator, or admin).
#[utoipa::path(tag = "stations", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "A self-contained HTML page to print", content_type = "text/html", body = String),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/stations/{id}/poster")]
async fn poster(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let row = service::load_managed(&state, &user, id.into_inner()).await?;
    let code = checkin::dto(&row, &base_url(&state, &req))?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .content_type("text/html; charset=utf-8")
        .body(super::poster::html(&row, &code)))
}

/// Check in at a station with its code (riders). A repeat within 30 minutes is a 200 replay.
#[utoipa::path(tag = "stations", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = CheckInRequest,
    responses((status = 201, description = "Checked in", body = CheckInDto),
        (status = 200, description = "Already checked in within 30 minutes (replay)", body = CheckInDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only riders check in", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong or old code (`invalid_checkin_code`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json")))]
#[post("/stations/{id}/check-ins")]
async fn check_in(
    state: web::Data<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    id: web::Path<Uuid>,
    body: ApiJson<CheckInRequest>,
) -> ApiResult<HttpResponse> {
    let code = body.into_inner().code;
    let (dto, created) = checkin::check_in(&state, &user, &addr, id.into_inner(), &code).await?;
    Ok(if created {
        HttpResponse::Created().json(dto)
    } else {
        HttpResponse::Ok().json(dto)
    })
}
