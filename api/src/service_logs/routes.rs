use actix_web::{get, post, web, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::domain::ServiceType;
use super::dto::*;
use super::{access, riders, service, summary};
use crate::audit;
use crate::auth::AuthUser;
use crate::error::{ApiResult, Problem};
use crate::http::{idempotency, ApiJson};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(service_types)
        .service(create_logs)
        .service(list_logs)
        .service(void_log)
        .service(day_summary)
        .service(identify_rider)
        .service(my_services);
}

/// The service types an operator can log, in the console's order, with labels and icons.
#[utoipa::path(tag = "service-logs", responses((status = 200, body = ServiceTypeList)))]
#[get("/service-types")]
async fn service_types() -> HttpResponse {
    let items = ServiceType::ALL
        .iter()
        .map(|&t| ServiceTypeDto {
            code: t,
            label_zh: t.label_zh(),
            label_en: t.label_en(),
            icon: t.icon(),
            amenity: t.is_amenity(),
        })
        .collect();
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .json(ServiceTypeList { items })
}

/// Log services given at the station (its operator, or admin): one entry or a batch of up to
/// 200, all stored or none. Send an `Idempotency-Key`: a repeat with the same body gets the
/// first answer again (`Idempotent-Replayed: true`), the same key with another body is 409.
#[utoipa::path(tag = "service-logs", security(("bearer" = [])), params(("id" = Uuid, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "1–100 visible ASCII characters, fixed when the batch is formed")),
    request_body = ServiceLogBody,
    responses((status = 201, description = "Logged (or the replay of an earlier answer)", body = ServiceLogBatch),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not your station", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`idempotency_key_mismatch`, or the station is closed for good", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An entry is invalid (named `[i].field` in `errors`)", body = Problem, content_type = "application/problem+json")))]
#[post("/stations/{id}/service-logs")]
async fn create_logs(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    req: HttpRequest,
    body: ApiJson<serde_json::Value>,
) -> ApiResult<HttpResponse> {
    let key = idempotency::header_value(&req);
    let answer = service::create(&state, &user, id.into_inner(), body.into_inner(), key).await?;
    let mut res = HttpResponse::build(answer.status);
    if answer.replayed {
        res.insert_header((idempotency::REPLAYED_HEADER, "true"));
    }
    Ok(res.json(answer.body))
}

/// The station's service log, newest first (its operator, staff of its region, admin).
#[utoipa::path(tag = "service-logs", security(("bearer" = [])), params(("id" = Uuid, Path), ServiceLogQuery),
    responses((status = 200, body = ServiceLogPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/stations/{id}/service-logs")]
async fn list_logs(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    q: web::Query<ServiceLogQuery>,
) -> ApiResult<web::Json<ServiceLogPage>> {
    let id = id.into_inner();
    let page = service::list(&state, &user, id, &q).await?;
    audit::read(&state, &user, &req, Some(id)).await;
    Ok(web::Json(page))
}

/// Void an entry (a correction): operators their own within 24 hours, admins any. The entry
/// stays, marked void with the reason and who voided it.
#[utoipa::path(tag = "service-logs", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("log_id" = Uuid, Path)), request_body = VoidRequest,
    responses((status = 200, body = ServiceLogDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not your entry or station", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already void, or older than 24 hours", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/stations/{id}/service-logs/{log_id}/void")]
async fn void_log(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: ApiJson<VoidRequest>,
) -> ApiResult<web::Json<ServiceLogDto>> {
    let (station, log) = path.into_inner();
    Ok(web::Json(
        service::void(&state, &user, station, log, body.into_inner()).await?,
    ))
}

/// One station's day (Asia/Shanghai): services by type, check-ins, riders, peak occupancy,
/// help opened and resolved, points redeemed; the check-in list for its operator and admins.
#[utoipa::path(tag = "service-logs", security(("bearer" = [])), params(("id" = Uuid, Path), SummaryQuery),
    responses((status = 200, body = DaySummary),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/stations/{id}/summary")]
async fn day_summary(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    req: HttpRequest,
    q: web::Query<SummaryQuery>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let dto = summary::day(&state, &user, id, &q).await?;
    // Only its operator and admins get the list naming riders.
    if access::sees_riders(&user) {
        audit::read(&state, &user, &req, Some(id)).await;
    }
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(dto))
}

/// Identify a rider by the code they show (the one-time code of their points screen, which
/// stays unused): services at this station may name them for 24 hours.
#[utoipa::path(tag = "service-logs", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = IdentifyRequest,
    responses((status = 201, body = IdentifiedRider),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No live code like this", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not six digits (`code`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json")))]
#[post("/stations/{id}/rider-identifications")]
async fn identify_rider(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    req: HttpRequest,
    body: ApiJson<IdentifyRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let dto = riders::identify(&state, &user, id, body.into_inner()).await?;
    audit::allowed(&state, &user, &req, Some(id), 201).await;
    Ok(HttpResponse::Created().json(dto))
}

/// Services I received at stations (riders), newest first.
#[utoipa::path(tag = "service-logs", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = ReceivedServicePage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/me/services")]
async fn my_services(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<PageQuery>,
) -> ApiResult<web::Json<ReceivedServicePage>> {
    Ok(web::Json(riders::received(&state, &user, &q).await?))
}
