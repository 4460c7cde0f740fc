//! Redeeming a rider's code for a reward at a station: the code is used, the stock and the
//! balance go down and the redemption is recorded in one transaction, or nothing happens.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, ExprTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use uuid::Uuid;

use super::dto::{RedeemRequest, RedemptionDto, RedemptionRider};
use super::ledger::{self, Reason};
use super::{codes, rewards};
use crate::auth::phone::mask;
use crate::auth::AuthUser;
use crate::entity::{redemption, redemption_code, reward, user};
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;
use crate::stations::service::load_managed;

/// Wrong codes an operator may enter per window: six digits must not be guessable by trying.
const MISSES_PER_WINDOW: u64 = 20;
const MISS_WINDOW: StdDuration = StdDuration::from_secs(600);
/// How far back a used or expired code is still reported as such rather than unknown.
const RECENT_HOURS: i64 = 24;

pub async fn redeem(
    state: &AppState,
    user: &AuthUser,
    station_id: Uuid,
    req: RedeemRequest,
) -> ApiResult<RedemptionDto> {
    let station = load_managed(state, user, station_id).await?;
    let code = codes::parse(&req.code).map_err(|e| ApiError::validation(vec![e]))?;
    let miss_key = format!("redeem-miss:{}", user.id);
    let (misses, left) = state.cache.peek_window(&miss_key).await;
    if misses >= MISSES_PER_WINDOW {
        return Err(ApiError::rate_limited(left));
    }
    let code_hash = codes::hash(state, &code);
    let now = Utc::now();
    let txn = state.db.begin().await?;
    match redeem_in(
        &txn,
        state,
        user,
        station.id,
        &code_hash,
        req.reward_id,
        now,
    )
    .await
    {
        Ok(dto) => {
            txn.commit().await?;
            tracing::info!(station_id = %station.id, reward_id = %dto.reward.id, "reward redeemed");
            Ok(dto)
        }
        Err(Failure::UnknownCode) => {
            txn.rollback().await?;
            state.cache.incr_window(&miss_key, MISS_WINDOW).await;
            Err(ApiError::not_found())
        }
        Err(Failure::Api(e)) => {
            txn.rollback().await?;
            Err(e)
        }
    }
}

enum Failure {
    UnknownCode,
    Api(ApiError),
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Api(e)
    }
}

impl From<sea_orm::DbErr> for Failure {
    fn from(e: sea_orm::DbErr) -> Self {
        Failure::Api(e.into())
    }
}

/// The code the operator means: the live one with this hash, else the latest recent one (to say
/// whether it was used or has expired).
async fn find_code(
    txn: &DatabaseTransaction,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<redemption_code::Model, Failure> {
    let mut rows = redemption_code::Entity::find()
        .filter(redemption_code::Column::CodeHash.eq(code_hash))
        .filter(redemption_code::Column::CreatedAt.gt(now - Duration::hours(RECENT_HOURS)))
        .order_by_desc(redemption_code::Column::CreatedAt)
        .all(txn)
        .await?;
    let live = rows
        .iter()
        .position(|c| c.used_at.is_none() && c.expires_at > now);
    match live.or((!rows.is_empty()).then_some(0)) {
        Some(i) => Ok(rows.swap_remove(i)),
        None => Err(Failure::UnknownCode),
    }
}

async fn redeem_in(
    txn: &DatabaseTransaction,
    state: &AppState,
    user: &AuthUser,
    station_id: Uuid,
    code_hash: &str,
    reward_id: Uuid,
    now: DateTime<Utc>,
) -> Result<RedemptionDto, Failure> {
    let code = find_code(txn, code_hash, now).await?;
    if code.used_at.is_some() {
        return Err(ApiError::new(
            Code::RedemptionCodeUsed,
            "this code was already used; ask the rider for a new one",
        )
        .into());
    }
    if code.expires_at <= now {
        return Err(ApiError::new(
            Code::RedemptionCodeExpired,
            "this code has expired; ask the rider for a new one",
        )
        .into());
    }
    // Only one of any number of concurrent redemptions can flip the code to used.
    let marked = redemption_code::Entity::update_many()
        .col_expr(redemption_code::Column::UsedAt, Expr::value(now))
        .filter(redemption_code::Column::Id.eq(code.id))
        .filter(redemption_code::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    if marked.rows_affected != 1 {
        return Err(ApiError::new(Code::RedemptionCodeUsed, "this code was just used").into());
    }

    // Stock goes down only while some is left (NULL stock stays NULL: unlimited); the update
    // also holds the reward's row until commit, so concurrent redemptions queue here.
    let for_here = Condition::all()
        .add(reward::Column::Id.eq(reward_id))
        .add(reward::Column::Active.eq(true))
        .add(
            Condition::any()
                .add(reward::Column::StationId.is_null())
                .add(reward::Column::StationId.eq(station_id)),
        );
    let taken = reward::Entity::update_many()
        .col_expr(
            reward::Column::Stock,
            Expr::col(reward::Column::Stock).sub(1),
        )
        .filter(for_here.clone())
        .filter(
            Condition::any()
                .add(reward::Column::Stock.is_null())
                .add(reward::Column::Stock.gt(0)),
        )
        .exec(txn)
        .await?;
    let reward = reward::Entity::find()
        .filter(for_here)
        .one(txn)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if taken.rows_affected != 1 {
        return Err(ApiError::new(Code::OutOfStock, "this reward is out of stock").into());
    }

    let balance_after = ledger::spend(
        txn,
        code.rider_id,
        reward.cost,
        Reason::Redemption,
        &format!("redemption:{}", code.id),
    )
    .await?;
    let row = redemption::ActiveModel {
        id: Set(Uuid::now_v7()),
        code_id: Set(code.id),
        rider_id: Set(code.rider_id),
        reward_id: Set(reward.id),
        station_id: Set(station_id),
        operator_id: Set(Some(user.id)),
        cost: Set(reward.cost),
        created_at: Set(now),
    }
    .insert(txn)
    .await
    .map_err(|e| ApiError::on_unique(e, Code::RedemptionCodeUsed, "this code was just used"))?;

    let rider = user::Entity::find_by_id(code.rider_id)
        .one(txn)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let phone = state.phones.decrypt(&rider.phone_enc).unwrap_or_default();
    let names = rewards::station_names(txn, reward.station_id).await?;
    let station_name = reward.station_id.and_then(|s| names.get(&s).cloned());
    Ok(RedemptionDto {
        id: row.id,
        stock_after: reward.stock,
        reward: rewards::to_dto(&reward, station_name),
        cost: reward.cost,
        rider: RedemptionRider {
            display_name: rider.display_name,
            phone_masked: mask(&phone),
        },
        balance_after,
        redeemed_at: now,
    })
}
