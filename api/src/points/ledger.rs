//! The append-only points ledger: a rider's balance is the sum of their entries, each entry has
//! a source unique per rider (so a lesson or a day's check-in pays each rider once), and spending
//! never takes the balance below zero.

use chrono::Utc;
use sea_orm::sea_query::{Alias, Expr, Func, OnConflict, SimpleExpr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, QueryFilter,
    QuerySelect,
};
use uuid::Uuid;

use crate::entity::{points_ledger, user};
use crate::error::{ApiError, ApiResult, Code};

/// Why points moved; stored as text, shown to the rider in their history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Lesson,
    CheckIn,
    HazardReport,
    Redemption,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Lesson => "lesson",
            Reason::CheckIn => "check_in",
            Reason::HazardReport => "hazard_report",
            Reason::Redemption => "redemption",
        }
    }
}

/// Pays `delta` (> 0) points once per rider and `source`. Returns whether this call paid: a second call
/// with the same source — also a concurrent one — writes nothing and returns false.
pub async fn award<C: ConnectionTrait>(
    conn: &C,
    rider_id: Uuid,
    delta: i64,
    reason: Reason,
    source: &str,
) -> Result<bool, DbErr> {
    debug_assert!(
        delta > 0,
        "awards are positive; spending goes through spend()"
    );
    let row = points_ledger::ActiveModel {
        id: Set(Uuid::now_v7()),
        rider_id: Set(rider_id),
        delta: Set(delta),
        reason: Set(reason.as_str().to_string()),
        source: Set(source.to_string()),
        created_at: Set(Utc::now()),
    };
    let inserted = points_ledger::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                points_ledger::Column::RiderId,
                points_ledger::Column::Source,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(inserted == 1)
}

/// The rider's balance: the sum of their entries.
pub async fn balance<C: ConnectionTrait>(conn: &C, rider_id: Uuid) -> Result<i64, DbErr> {
    // SUM(bigint) is numeric on PostgreSQL: cast back so both backends decode an i64.
    let sum: SimpleExpr = Func::coalesce([
        Expr::col(points_ledger::Column::Delta).sum(),
        Expr::val(0i64),
    ])
    .into();
    let total: Option<i64> = points_ledger::Entity::find()
        .select_only()
        .column_as(sum.cast_as(Alias::new("BIGINT")), "total")
        .filter(points_ledger::Column::RiderId.eq(rider_id))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(total.unwrap_or(0))
}

/// Spends `cost` (> 0) points inside the caller's transaction, once per rider and `source`. The rider's
/// row is locked first (PostgreSQL; SQLite has one writer), so two spends cannot both see the
/// old balance. Not enough points → 409 `insufficient_points` with the `balance`.
pub async fn spend<C: ConnectionTrait>(
    txn: &C,
    rider_id: Uuid,
    cost: i64,
    reason: Reason,
    source: &str,
) -> ApiResult<i64> {
    if cost <= 0 {
        return Err(ApiError::field("cost", "not_positive", "cost must be > 0"));
    }
    user::Entity::find_by_id(rider_id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let before = balance(txn, rider_id).await?;
    if before < cost {
        return Err(ApiError::new(
            Code::InsufficientPoints,
            format!("this needs {cost} points; the balance is {before}"),
        )
        .with("balance", before)
        .with("cost", cost));
    }
    let row = points_ledger::ActiveModel {
        id: Set(Uuid::now_v7()),
        rider_id: Set(rider_id),
        delta: Set(-cost),
        reason: Set(reason.as_str().to_string()),
        source: Set(source.to_string()),
        created_at: Set(Utc::now()),
    };
    points_ledger::Entity::insert(row)
        .exec_without_returning(txn)
        .await
        .map_err(|e| ApiError::on_unique(e, Code::Conflict, "this was already paid for"))?;
    Ok(before - cost)
}
