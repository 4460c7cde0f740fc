use actix_web::{post, web, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{CodeLoginRequest, CodeRequest, CodeSent, PasswordResetRequest};
use super::service;
use crate::auth::dto::TokenResponse;
use crate::auth::routes::client_ip;
use crate::error::{ApiResult, Problem};
use crate::http::ApiJson;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(request_code)
        .service(login_with_code)
        .service(reset_password);
}

/// Text a one-time code (6 digits, valid 5 minutes) for logging in or resetting the password.
/// The answer is the same whether or not the phone has an account. Limited per phone (one a
/// minute, 5 an hour) and per client address (20 an hour). If the SMS provider fails the answer
/// is 503 `sms_unavailable` with Retry-After, and the unsent code is void.
#[utoipa::path(tag = "auth", request_body = CodeRequest,
    responses((status = 202, body = CodeSent),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid phone or purpose", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many codes; see Retry-After", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The SMS could not be sent (`sms_unavailable`); see Retry-After", body = Problem, content_type = "application/problem+json")))]
#[post("/auth/codes")]
async fn request_code(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<CodeRequest>,
) -> ApiResult<HttpResponse> {
    let ip = client_ip(&req, state.settings.trust_forwarded_for);
    let sent = service::request_code(&state, body.into_inner(), &ip).await?;
    Ok(HttpResponse::Accepted()
        .insert_header(("Cache-Control", "no-store"))
        .json(sent))
}

/// Log in with a code from `POST /auth/codes` (purpose `login`). A phone without an account
/// gets a new rider account (`display_name` and `locale` are used only then). A wrong, expired,
/// used or exhausted code (5 tries) is `invalid_code`, whatever the cause.
#[utoipa::path(tag = "auth", request_body = CodeLoginRequest,
    responses((status = 200, body = TokenResponse),
        (status = 422, description = "Invalid fields, or `invalid_code`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts; see Retry-After", body = Problem, content_type = "application/problem+json")))]
#[post("/auth/login/code")]
async fn login_with_code(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<CodeLoginRequest>,
) -> ApiResult<HttpResponse> {
    let ip = client_ip(&req, state.settings.trust_forwarded_for);
    let (tokens, _created) = service::login(&state, body.into_inner(), &ip).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(tokens))
}

/// Set a new password with a code (purpose `reset_password`). Every other session of the
/// account ends; the answer is a new one. A phone without an account fails like a wrong code.
#[utoipa::path(tag = "auth", request_body = PasswordResetRequest,
    responses((status = 200, body = TokenResponse),
        (status = 422, description = "Invalid fields or weak password, or `invalid_code`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts; see Retry-After", body = Problem, content_type = "application/problem+json")))]
#[post("/auth/password-reset")]
async fn reset_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    let ip = client_ip(&req, state.settings.trust_forwarded_for);
    let tokens = service::reset_password(&state, body.into_inner(), &ip).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(tokens))
}
