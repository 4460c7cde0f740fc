//! Riders and the services they receive: identification by the rider's own code (their
//! consent), and "services I received".

use std::collections::HashMap;
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::access;
use super::domain::ServiceType;
use super::dto::{
    IdentifiedRider, IdentifyRequest, PageQuery, ReceivedService, ReceivedServicePage,
};
use crate::auth::phone::mask;
use crate::auth::{AuthUser, Role};
use crate::entity::{redemption_code, rider_identification, service_log, station, user};
use crate::error::{ApiError, ApiResult, Violations};
use crate::points::codes;
use crate::state::AppState;

/// How long an identification lets services be attached to the rider at the station.
pub const VALID_HOURS: i64 = 24;
/// Wrong codes an operator may enter per window: six digits must not be guessable.
const MISSES_PER_WINDOW: u64 = 20;
const MISS_WINDOW: StdDuration = StdDuration::from_secs(600);

/// `POST /stations/{id}/rider-identifications`: the rider shows the code of their points
/// screen (the same one-time code as for redemption, which stays unused). Showing it is the
/// rider's consent to have services at this station attached to them for 24 hours.
pub async fn identify(
    state: &AppState,
    user: &AuthUser,
    station_id: Uuid,
    req: IdentifyRequest,
) -> ApiResult<IdentifiedRider> {
    let station = access::writable(state, user, station_id).await?;
    let code = codes::parse(&req.code).map_err(|e| ApiError::validation(vec![e]))?;
    let miss_key = format!("identify-miss:{}", user.id);
    let (misses, left) = state.cache.peek_window(&miss_key).await;
    if misses >= MISSES_PER_WINDOW {
        return Err(ApiError::rate_limited(left));
    }
    let now = Utc::now();
    let live = redemption_code::Entity::find()
        .filter(redemption_code::Column::CodeHash.eq(codes::hash(state, &code)))
        .filter(redemption_code::Column::UsedAt.is_null())
        .filter(redemption_code::Column::ExpiresAt.gt(now))
        .one(&state.db)
        .await?;
    let rider = match live {
        Some(c) => {
            user::Entity::find_by_id(c.rider_id)
                .filter(user::Column::Role.eq(Role::Rider.as_str()))
                .one(&state.db)
                .await?
        }
        None => None,
    };
    let Some(rider) = rider else {
        state.cache.incr_window(&miss_key, MISS_WINDOW).await;
        return Err(ApiError::not_found());
    };
    let valid_until = now + Duration::hours(VALID_HOURS);
    rider_identification::ActiveModel {
        id: Set(Uuid::now_v7()),
        station_id: Set(station),
        rider_id: Set(rider.id),
        operator_id: Set(Some(user.id)),
        created_at: Set(now),
        valid_until: Set(valid_until),
    }
    .insert(&state.db)
    .await?;
    tracing::info!(station_id = %station, "rider identified");
    let phone = state.phones.decrypt(&rider.phone_enc).unwrap_or_default();
    Ok(IdentifiedRider {
        rider_id: rider.id,
        display_name: rider.display_name,
        phone_masked: mask(&phone),
        valid_until,
    })
}

/// `GET /me/services`: what the rider was given, newest first (void entries left out).
pub async fn received(
    state: &AppState,
    user: &AuthUser,
    q: &PageQuery,
) -> ApiResult<ReceivedServicePage> {
    user.require(&[Role::Rider])?;
    let mut v = Violations::default();
    let (page, per_page) =
        crate::http::paging::page_params(&mut v, q.page.as_deref(), q.per_page.as_deref());
    v.finish()?;
    let pages = service_log::Entity::find()
        .filter(service_log::Column::RiderId.eq(user.id))
        .filter(service_log::Column::VoidedAt.is_null())
        .order_by_desc(service_log::Column::OccurredAt)
        .order_by_desc(service_log::Column::Id)
        .paginate(&state.db, per_page);
    let total = pages.num_items().await?;
    let rows = pages.fetch_page(page - 1).await?;
    Ok(ReceivedServicePage {
        items: with_station_names(state, rows).await?,
        page,
        per_page,
        total,
    })
}

/// Every service the rider received, for `GET /me/export`.
pub async fn export(state: &AppState, rider_id: Uuid) -> ApiResult<Vec<ReceivedService>> {
    let rows = service_log::Entity::find()
        .filter(service_log::Column::RiderId.eq(rider_id))
        .filter(service_log::Column::VoidedAt.is_null())
        .order_by_asc(service_log::Column::OccurredAt)
        .all(&state.db)
        .await?;
    with_station_names(state, rows).await
}

async fn with_station_names(
    state: &AppState,
    rows: Vec<service_log::Model>,
) -> ApiResult<Vec<ReceivedService>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.station_id).collect();
    let names: HashMap<Uuid, String> = station::Entity::find()
        .filter(station::Column::Id.is_in(ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| ReceivedService {
            id: r.id,
            station_name: names.get(&r.station_id).cloned().unwrap_or_default(),
            station_id: r.station_id,
            service_type: ServiceType::parse(&r.service_type).unwrap_or(ServiceType::Other),
            quantity: r.quantity,
            occurred_at: r.occurred_at,
        })
        .collect())
}
