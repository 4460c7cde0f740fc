//! A station's day (Asia/Shanghai): what was given, who came, help and points.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::access;
use super::days;
use super::domain::ServiceType;
use super::dto::{CheckInListEntry, DaySummary, ServiceCount, SummaryQuery};
use crate::auth::phone::mask;
use crate::auth::AuthUser;
use crate::entity::{
    check_in, help_event, help_request, occupancy_sample, redemption, service_log, user,
};
use crate::error::ApiResult;
use crate::state::AppState;

/// The check-in list is for the counter, not an export.
const CHECK_IN_LIST_MAX: u64 = 500;

pub async fn day(
    state: &AppState,
    user: &AuthUser,
    station_id: Uuid,
    q: &SummaryQuery,
) -> ApiResult<DaySummary> {
    let station = access::readable(state, user, station_id).await?;
    let day = match q.date.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(raw) => {
            days::parse_day("date", raw).map_err(|e| crate::error::ApiError::validation(vec![e]))?
        }
        None => days::today(Utc::now()),
    };
    let (start, end) = days::bounds(day);
    let db = &state.db;
    let services = services(db, station.id, start, end).await?;
    let check_ins = check_in::Entity::find()
        .filter(check_in::Column::StationId.eq(station.id))
        .filter(check_in::Column::CreatedAt.gte(start))
        .filter(check_in::Column::CreatedAt.lt(end));
    let check_in_count = check_ins.clone().count(db).await? as i64;
    let visitors: Vec<Uuid> = check_ins
        .clone()
        .select_only()
        .column(check_in::Column::RiderId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let served: Vec<Option<Uuid>> = live_logs(station.id, start, end)
        .select_only()
        .column(service_log::Column::RiderId)
        .filter(service_log::Column::RiderId.is_not_null())
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let riders: HashSet<Uuid> = visitors
        .into_iter()
        .chain(served.into_iter().flatten())
        .collect();
    let peak: Option<Option<i32>> = occupancy_sample::Entity::find()
        .select_only()
        .column_as(Expr::col(occupancy_sample::Column::Occupancy).max(), "peak")
        .filter(occupancy_sample::Column::StationId.eq(station.id))
        .filter(occupancy_sample::Column::At.gte(start))
        .filter(occupancy_sample::Column::At.lt(end))
        .into_tuple()
        .one(db)
        .await?;
    let help_opened = help_request::Entity::find()
        .filter(help_request::Column::StationId.eq(station.id))
        .filter(help_request::Column::CreatedAt.gte(start))
        .filter(help_request::Column::CreatedAt.lt(end))
        .count(db)
        .await? as i64;
    let help_resolved = help_event::Entity::find()
        .filter(help_event::Column::Kind.eq("resolved"))
        .filter(help_event::Column::At.gte(start))
        .filter(help_event::Column::At.lt(end))
        .filter(
            help_event::Column::RequestId.in_subquery(
                Query::select()
                    .column(help_request::Column::Id)
                    .from(help_request::Entity)
                    .and_where(help_request::Column::StationId.eq(station.id))
                    .to_owned(),
            ),
        )
        .count(db)
        .await? as i64;
    let redeemed: Option<(Option<i64>, i64)> = redemption::Entity::find()
        .select_only()
        .column_as(
            Expr::col(redemption::Column::Cost).sum().cast_as("BIGINT"),
            "points",
        )
        .column_as(Expr::col(redemption::Column::Id).count(), "n")
        .filter(redemption::Column::StationId.eq(station.id))
        .filter(redemption::Column::CreatedAt.gte(start))
        .filter(redemption::Column::CreatedAt.lt(end))
        .into_tuple()
        .one(db)
        .await?;
    let (points_redeemed, redemptions) = redeemed.map_or((0, 0), |(p, n)| (p.unwrap_or(0), n));
    let check_in_list = if access::sees_riders(user) {
        Some(check_in_list(state, station.id, start, end).await?)
    } else {
        None
    };
    Ok(DaySummary {
        station_id: station.id,
        date: day.format("%Y-%m-%d").to_string(),
        services_total: services.iter().map(|s| s.quantity).sum(),
        services,
        check_ins: check_in_count,
        unique_riders: riders.len() as i64,
        peak_occupancy: peak.flatten().unwrap_or(0),
        help_opened,
        help_resolved,
        points_redeemed,
        redemptions,
        check_in_list,
    })
}

fn live_logs(
    station_id: Uuid,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> sea_orm::Select<service_log::Entity> {
    service_log::Entity::find()
        .filter(service_log::Column::StationId.eq(station_id))
        .filter(service_log::Column::OccurredAt.gte(start))
        .filter(service_log::Column::OccurredAt.lt(end))
        .filter(service_log::Column::VoidedAt.is_null())
}

/// Quantities and entries by type, in the console's order.
async fn services<C: ConnectionTrait>(
    db: &C,
    station_id: Uuid,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> ApiResult<Vec<ServiceCount>> {
    let rows: Vec<(String, Option<i64>, i64)> = live_logs(station_id, start, end)
        .select_only()
        .column(service_log::Column::ServiceType)
        .column_as(
            Expr::col(service_log::Column::Quantity)
                .sum()
                .cast_as("BIGINT"),
            "quantity",
        )
        .column_as(Expr::col(service_log::Column::Id).count(), "entries")
        .group_by(service_log::Column::ServiceType)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: Vec<ServiceCount> = rows
        .into_iter()
        .filter_map(|(code, quantity, entries)| {
            Some(ServiceCount {
                service_type: ServiceType::parse(&code)?,
                quantity: quantity.unwrap_or(0),
                entries,
            })
        })
        .collect();
    out.sort_by_key(|c| ServiceType::ALL.iter().position(|t| *t == c.service_type));
    Ok(out)
}

async fn check_in_list(
    state: &AppState,
    station_id: Uuid,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> ApiResult<Vec<CheckInListEntry>> {
    let visits = check_in::Entity::find()
        .filter(check_in::Column::StationId.eq(station_id))
        .filter(check_in::Column::CreatedAt.gte(start))
        .filter(check_in::Column::CreatedAt.lt(end))
        .order_by_desc(check_in::Column::CreatedAt)
        .limit(CHECK_IN_LIST_MAX)
        .all(&state.db)
        .await?;
    let ids: HashSet<Uuid> = visits.iter().map(|v| v.rider_id).collect();
    let riders: std::collections::HashMap<Uuid, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(visits
        .into_iter()
        .filter_map(|v| {
            let u = riders.get(&v.rider_id)?;
            let phone = state.phones.decrypt(&u.phone_enc).unwrap_or_default();
            Some(CheckInListEntry {
                at: v.created_at,
                rider: mask(&phone),
                display_name: u.display_name.clone(),
            })
        })
        .collect())
}
