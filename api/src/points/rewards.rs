//! The rewards catalogue: what points buy, where, and how many are left.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use super::dto::{NewReward, PatchReward, RewardDto, RewardList, RewardParams};
use crate::auth::{AuthUser, Role};
use crate::entity::{reward, station};
use crate::error::{ApiError, ApiResult, FieldError, Violations};
use crate::state::AppState;
use crate::stations::domain::text;

const MAX_COST: i64 = 1_000_000;
const MAX_STOCK: i32 = 1_000_000;

pub fn to_dto(row: &reward::Model, station_name: Option<String>) -> RewardDto {
    RewardDto {
        id: row.id,
        name: row.name.clone(),
        name_en: row.name_en.clone(),
        emoji: row.emoji.clone(),
        cost: row.cost,
        station_id: row.station_id,
        station_name,
        stock: row.stock,
        active: row.active,
    }
}

/// The names of the given stations, in one query.
pub async fn station_names<C: ConnectionTrait>(
    conn: &C,
    ids: impl IntoIterator<Item = Uuid>,
) -> ApiResult<HashMap<Uuid, String>> {
    let mut ids: Vec<Uuid> = ids.into_iter().collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(station::Entity::find()
        .filter(station::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

async fn with_names<C: ConnectionTrait>(
    conn: &C,
    rows: &[reward::Model],
) -> ApiResult<Vec<RewardDto>> {
    let names = station_names(conn, rows.iter().filter_map(|r| r.station_id)).await?;
    Ok(rows
        .iter()
        .map(|r| to_dto(r, r.station_id.and_then(|s| names.get(&s).cloned())))
        .collect())
}

/// Public catalogue: active rewards (admins also see inactive ones), cheapest first.
pub async fn list(
    state: &AppState,
    user: Option<&AuthUser>,
    params: &RewardParams,
) -> ApiResult<RewardList> {
    let mut q = reward::Entity::find();
    if let Some(raw) = params.station_id.as_deref().map(str::trim) {
        let id = Uuid::parse_str(raw).map_err(|_| {
            ApiError::field("station_id", "invalid_uuid", "station_id must be a UUID")
        })?;
        q = q.filter(
            Condition::any()
                .add(reward::Column::StationId.is_null())
                .add(reward::Column::StationId.eq(id)),
        );
    }
    if !user.is_some_and(|u| u.role == Role::Admin) {
        q = q.filter(reward::Column::Active.eq(true));
    }
    let rows = q
        .order_by_asc(reward::Column::Cost)
        .order_by_asc(reward::Column::Name)
        .order_by_asc(reward::Column::Id)
        .all(&state.db)
        .await?;
    Ok(RewardList {
        items: with_names(&state.db, &rows).await?,
    })
}

fn check_cost(v: &mut Violations, cost: i64) {
    if !(1..=MAX_COST).contains(&cost) {
        v.push(FieldError::new(
            "cost",
            "out_of_range",
            format!("cost must be a whole number of points from 1 to {MAX_COST}"),
        ));
    }
}

fn check_stock(v: &mut Violations, stock: Option<i32>) {
    if stock.is_some_and(|s| !(0..=MAX_STOCK).contains(&s)) {
        v.push(FieldError::new(
            "stock",
            "out_of_range",
            format!("stock must be from 0 to {MAX_STOCK}, or null for unlimited"),
        ));
    }
}

fn emoji(value: &str) -> Result<String, FieldError> {
    let e = text("emoji", value, 8)?;
    if e.chars().any(char::is_alphanumeric) {
        return Err(FieldError::new(
            "emoji",
            "not_an_emoji",
            "emoji must be an emoji, e.g. 🍱",
        ));
    }
    Ok(e)
}

async fn check_station(state: &AppState, v: &mut Violations, id: Option<Uuid>) -> ApiResult<()> {
    if let Some(id) = id {
        if station::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .is_none()
        {
            v.push(FieldError::new(
                "station_id",
                "unknown_station",
                format!("no station with id {id}"),
            ));
        }
    }
    Ok(())
}

async fn dto_for(state: &AppState, row: &reward::Model) -> ApiResult<RewardDto> {
    Ok(with_names(&state.db, std::slice::from_ref(row))
        .await?
        .remove(0))
}

pub async fn create(state: &AppState, user: &AuthUser, req: NewReward) -> ApiResult<RewardDto> {
    user.require(&[Role::Admin])?;
    let mut v = Violations::default();
    let name = v.check(text("name", &req.name, 40));
    let name_en = req
        .name_en
        .as_deref()
        .and_then(|n| v.check(text("name_en", n, 80)));
    let emoji = v.check(emoji(&req.emoji));
    check_cost(&mut v, req.cost);
    check_stock(&mut v, req.stock);
    check_station(state, &mut v, req.station_id).await?;
    v.finish()?;
    let (Some(name), Some(emoji)) = (name, emoji) else {
        return Err(ApiError::internal(
            "create reward",
            "validated fields missing",
        ));
    };
    let now = Utc::now();
    let row = reward::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name),
        name_en: Set(name_en),
        emoji: Set(emoji),
        cost: Set(req.cost),
        station_id: Set(req.station_id),
        stock: Set(req.stock),
        active: Set(req.active.unwrap_or(true)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&state.db)
    .await?;
    tracing::info!(reward_id = %row.id, "reward created");
    dto_for(state, &row).await
}

pub async fn patch(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
    req: PatchReward,
) -> ApiResult<RewardDto> {
    user.require(&[Role::Admin])?;
    let row = reward::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let mut v = Violations::default();
    let mut active: reward::ActiveModel = row.into();
    if let Some(name) = req
        .name
        .as_deref()
        .and_then(|n| v.check(text("name", n, 40)))
    {
        active.name = Set(name);
    }
    if let Some(name_en) = req.name_en {
        active.name_en = Set(name_en.and_then(|n| v.check(text("name_en", &n, 80))));
    }
    if let Some(e) = req.emoji.as_deref().and_then(|e| v.check(emoji(e))) {
        active.emoji = Set(e);
    }
    if let Some(cost) = req.cost {
        check_cost(&mut v, cost);
        active.cost = Set(cost);
    }
    if let Some(stock) = req.stock {
        check_stock(&mut v, stock);
        active.stock = Set(stock);
    }
    if let Some(station_id) = req.station_id {
        check_station(state, &mut v, station_id).await?;
        active.station_id = Set(station_id);
    }
    if let Some(on) = req.active {
        active.active = Set(on);
    }
    v.finish()?;
    active.updated_at = Set(Utc::now());
    let saved = active.update(&state.db).await?;
    tracing::info!(reward_id = %id, "reward updated");
    dto_for(state, &saved).await
}
