use actix_web::{post, web, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{LoginRequest, RefreshRequest, RegisterRequest, TokenResponse};
use super::service;
use super::AuthUser;
use crate::error::{ApiResult, Problem};
use crate::http::{ApiJson, ClientAddr};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(register)
        .service(login)
        .service(refresh)
        .service(logout)
        .service(logout_all);
    super::codes::configure(cfg);
}

/// Create a rider account and sign in.
#[utoipa::path(tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Phone already registered (`phone_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid phone, weak password, bad display name", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many registrations from this address; see Retry-After", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Password hashing is saturated; see Retry-After", body = Problem, content_type = "application/problem+json")))]
#[post("/auth/register")]
async fn register(
    state: web::Data<AppState>,
    addr: ClientAddr,
    body: ApiJson<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let tokens = service::register(&state, body.into_inner(), &addr).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(tokens))
}

/// Sign in with phone and password. Throttled per phone and per client address.
#[utoipa::path(tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse),
        (status = 401, description = "Wrong phone or password (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts; see Retry-After", body = Problem, content_type = "application/problem+json")))]
#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let ip = client_ip(&req, state.settings.trust_forwarded_for);
    let tokens = service::login(&state, body.into_inner(), &ip).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(tokens))
}

/// Exchange a refresh token for new tokens. Each refresh token works once; reusing one
/// revokes the whole session.
#[utoipa::path(tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse),
        (status = 401, description = "Invalid, expired, revoked or reused (`refresh_token_reused`)", body = Problem, content_type = "application/problem+json")))]
#[post("/auth/refresh")]
async fn refresh(
    state: web::Data<AppState>,
    body: ApiJson<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let tokens = service::refresh(&state, &body.into_inner().refresh_token).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(tokens))
}

/// End the session the refresh token belongs to.
#[utoipa::path(tag = "auth", request_body = RefreshRequest,
    responses((status = 204, description = "Signed out"), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/auth/logout")]
async fn logout(
    state: web::Data<AppState>,
    body: ApiJson<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    service::logout(&state, &body.into_inner().refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// End every session of the caller, on every device: refresh tokens are revoked and the
/// access tokens already issued stop working on their next use.
#[utoipa::path(tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Signed out everywhere"),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
#[post("/auth/logout-all")]
async fn logout_all(state: web::Data<AppState>, user: AuthUser) -> ApiResult<HttpResponse> {
    service::logout_all(&state, user.id).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub(crate) fn client_ip(req: &HttpRequest, trust_forwarded_for: bool) -> String {
    ClientAddr::of(req, trust_forwarded_for).0
}
