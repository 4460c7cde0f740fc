use actix_web::{get, post, web, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::dto::*;
use super::service::{self, HelpFilter};
use crate::audit;
use crate::auth::AuthUser;
use crate::error::{ApiResult, Problem};
use crate::http::idempotency;
use crate::http::{ApiJson, ClientAddr};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_requests)
        .service(create_request)
        .service(get_request)
        .service(transition)
        .service(feedback);
}

/// Ask for help (riders). Routed to the nearest station within 3 km, else to the street or
/// district; some categories go straight to the district. Send an `Idempotency-Key` so a
/// retry after a lost answer does not file the request twice: a repeat with the same body
/// gets the first answer again (with `Idempotent-Replayed: true`).
#[utoipa::path(tag = "help", security(("bearer" = [])), request_body = NewHelpRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "1–100 visible ASCII characters, unique per request you mean to make")),
    responses((status = 201, description = "Filed (or the replay of an earlier answer)", body = HelpRequestDetail),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only riders ask for help", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid field (named in `errors`), or `idempotency_key_mismatch`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this rider or address (never for an SOS); see Retry-After", body = Problem, content_type = "application/problem+json")))]
#[post("/help-requests")]
async fn create_request(
    state: web::Data<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    req: HttpRequest,
    body: ApiJson<NewHelpRequest>,
) -> ApiResult<HttpResponse> {
    super::flood::count_address(&state, &addr, body.0.urgency).await?;
    let key = idempotency::header_value(&req);
    let (status, dto, replayed) = service::create(&state, &user, body.into_inner(), key).await?;
    let mut res = HttpResponse::build(status);
    if replayed {
        res.insert_header((idempotency::REPLAYED_HEADER, "true"));
    }
    Ok(res.json(dto))
}

/// Help requests the caller may see: a rider their own (newest first); an operator their
/// station's, staff their region's, admins all (soonest deadline first).
#[utoipa::path(tag = "help", security(("bearer" = [])), params(HelpListParams),
    responses((status = 200, body = HelpRequestPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/help-requests")]
async fn list_requests(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    params: web::Query<HelpListParams>,
) -> ApiResult<HttpResponse> {
    let filter = HelpFilter::parse(&params)?;
    let page = service::list(&state, &user, filter).await?;
    audit::read(&state, &user, &req, None).await;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(page))
}

/// One help request with its timeline (404 unless the caller may see it).
#[utoipa::path(tag = "help", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = HelpRequestDetail),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/help-requests/{id}")]
async fn get_request(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let dto = service::get(&state, &user, id).await?;
    audit::read(&state, &user, &req, Some(id)).await;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(dto))
}

/// Move a request along. Handlers (`accept`, `start`, `resolve`, `reject` with a note,
/// `escalate`) act while it is at their tier or below: an operator at the station, street
/// staff up to the street, district staff up to the district, city staff and admins at any.
/// The rider may `cancel` before it is resolved and `reopen` it once within 7 days of its
/// resolution. Refusals carry `allowed_actions`.
#[utoipa::path(tag = "help", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = TransitionRequest,
    responses((status = 200, body = HelpRequestDetail),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Possible now, but not for you (`allowed_actions` says what is)", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`transition_not_allowed` from the current status (with `allowed_actions`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown action, note too long, or a rejection without a note", body = Problem, content_type = "application/problem+json")))]
#[post("/help-requests/{id}/transitions")]
async fn transition(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<TransitionRequest>,
) -> ApiResult<HttpResponse> {
    let dto = service::transition(&state, &user, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(dto))
}

/// Rate a resolved request (its rider, once): closes it.
#[utoipa::path(tag = "help", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = FeedbackRequest,
    responses((status = 200, body = HelpRequestDetail),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`transition_not_allowed`: not resolved, or already rated", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/help-requests/{id}/feedback")]
async fn feedback(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<FeedbackRequest>,
) -> ApiResult<HttpResponse> {
    let dto = service::feedback(&state, &user, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(dto))
}
