use actix_web::{get, put, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::domain::HolidayYear;
use super::store;
use crate::auth::{AuthUser, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::ApiJson;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_holidays).service(put_holidays);
}

/// The public-holiday calendar opening hours' `PH` is evaluated against: each year's 13
/// statutory days and the notice they come from (public).
#[utoipa::path(tag = "holidays", responses((status = 200, body = Vec<HolidayYear>)))]
#[get("/holidays")]
async fn list_holidays(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let years = store::all(&state.db).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=300"))
        .json(years))
}

/// Import or correct one year (admin), e.g. when the State Council publishes next year's
/// notice. Checked against the rules (13 days: 元旦 1, 春节 4 from 除夕, 清明 1, 劳动节 2,
/// 端午 1, 中秋 1, 国庆 3); every station's hours are re-evaluated at once.
#[utoipa::path(tag = "holidays", security(("bearer" = [])),
    params(("year" = i32, Path, minimum = 2025, maximum = 2100)), request_body = HolidayYear,
    responses((status = 200, body = HolidayYear),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule is broken (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
#[put("/holidays/{year}")]
async fn put_holidays(
    state: web::Data<AppState>,
    user: AuthUser,
    year: web::Path<i32>,
    body: ApiJson<HolidayYear>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let body = body.into_inner();
    if body.year != *year {
        return Err(ApiError::field(
            "year",
            "mismatch",
            "the body's year must be the path's",
        ));
    }
    let saved = import(&state, body).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Validates, writes and applies one year (the API and the CLI).
pub async fn import(state: &AppState, year: HolidayYear) -> ApiResult<HolidayYear> {
    let year = year.validate().map_err(ApiError::validation)?;
    store::save(&state.db, &year).await?;
    store::follow(state).await?;
    tracing::info!(year = year.year, "public holidays imported");
    Ok(year)
}
