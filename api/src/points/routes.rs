use actix_web::{get, patch, post, put, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::dto::*;
use super::{codes, history, redeem, rewards, stars};
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::error::{ApiResult, Problem};
use crate::http::{ApiJson, ClientAddr};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(my_points)
        .service(list_rewards)
        .service(create_reward)
        .service(patch_reward)
        .service(create_code)
        .service(redeem_code)
        .service(get_star_setting)
        .service(put_star_setting)
        .service(star_riders);
}

/// The rider's balance and points history, newest first.
#[utoipa::path(tag = "points", security(("bearer" = [])), params(PointsParams),
    responses((status = 200, body = PointsPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only riders have points", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/me/points")]
async fn my_points(
    state: web::Data<AppState>,
    user: AuthUser,
    params: web::Query<PointsParams>,
) -> ApiResult<HttpResponse> {
    let page = history::page(&state, &user, &params).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(page))
}

/// The rewards catalogue (public): active rewards, cheapest first; admins also see inactive
/// ones. With `station_id`: what that station can hand out (its own and the any-station ones).
#[utoipa::path(tag = "points", params(RewardParams),
    responses((status = 200, body = RewardList),
        (status = 401, description = "A token was sent but is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/rewards")]
async fn list_rewards(
    state: web::Data<AppState>,
    user: MaybeAuthUser,
    params: web::Query<RewardParams>,
) -> ApiResult<web::Json<RewardList>> {
    Ok(web::Json(
        rewards::list(&state, user.0.as_ref(), &params).await?,
    ))
}

/// Add a reward (admin).
#[utoipa::path(tag = "points", security(("bearer" = [])), request_body = NewReward,
    responses((status = 201, body = RewardDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "E.g. cost ≤ 0, stock < 0, unknown station_id", body = Problem, content_type = "application/problem+json")))]
#[post("/rewards")]
async fn create_reward(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<NewReward>,
) -> ApiResult<HttpResponse> {
    let dto = rewards::create(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(dto))
}

/// Change a reward (admin): price, stock, station, or retire it with `active: false`.
#[utoipa::path(tag = "points", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = PatchReward,
    responses((status = 200, body = RewardDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[patch("/rewards/{id}")]
async fn patch_reward(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<PatchReward>,
) -> ApiResult<web::Json<RewardDto>> {
    Ok(web::Json(
        rewards::patch(&state, &user, id.into_inner(), body.into_inner()).await?,
    ))
}

/// A one-time code for the rider to show at a station (QR and six digits, valid 5 minutes).
/// The balance is checked when the code is redeemed, not now.
#[utoipa::path(tag = "points", security(("bearer" = [])),
    responses((status = 201, body = RedemptionCodeDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only riders redeem", body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json")))]
#[post("/me/redemption-codes")]
async fn create_code(
    state: web::Data<AppState>,
    user: AuthUser,
    addr: ClientAddr,
) -> ApiResult<HttpResponse> {
    let dto = codes::create(&state, &user, &addr).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(dto))
}

/// Redeem a rider's code for a reward (the station's operator, or admin). The code is used,
/// the stock and the rider's balance go down, all at once or not at all.
#[utoipa::path(tag = "points", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = RedeemRequest,
    responses((status = 201, body = RedemptionDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not your station", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown code, or a reward not offered here", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`redemption_code_used`, `redemption_code_expired`, `out_of_stock`, or `insufficient_points` (with `balance`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many unknown codes", body = Problem, content_type = "application/problem+json")))]
#[post("/stations/{id}/redemptions")]
async fn redeem_code(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<RedeemRequest>,
) -> ApiResult<HttpResponse> {
    let dto = redeem::redeem(&state, &user, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(dto))
}

/// Whether the rider appears among the star riders (off unless they opt in).
#[utoipa::path(tag = "points", security(("bearer" = [])),
    responses((status = 200, body = StarRiderSetting),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/me/star-rider")]
async fn get_star_setting(
    state: web::Data<AppState>,
    user: AuthUser,
) -> ApiResult<web::Json<StarRiderSetting>> {
    Ok(web::Json(stars::setting(&state, &user).await?))
}

/// Opt in to (or out of) the star riders: only the display name and a masked phone are shown.
#[utoipa::path(tag = "points", security(("bearer" = [])), request_body = StarRiderSetting,
    responses((status = 200, body = StarRiderSetting),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/me/star-rider")]
async fn put_star_setting(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<StarRiderSetting>,
) -> ApiResult<web::Json<StarRiderSetting>> {
    Ok(web::Json(
        stars::set(&state, &user, body.into_inner().opt_in).await?,
    ))
}

/// The month's star riders of a district (典型选树, public): the top 10 by points earned,
/// among riders who opted in; a rider belongs to the district they checked in at most.
#[utoipa::path(tag = "points", params(StarRiderParams),
    responses((status = 200, body = StarRiderList),
        (status = 422, description = "Missing or unknown district, or a bad month", body = Problem, content_type = "application/problem+json")))]
#[get("/star-riders")]
async fn star_riders(
    state: web::Data<AppState>,
    params: web::Query<StarRiderParams>,
) -> ApiResult<web::Json<StarRiderList>> {
    Ok(web::Json(stars::list(&state, &params).await?))
}
