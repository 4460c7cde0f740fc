//! Reads of the daily rollups for an area and a period.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use super::period::Period;
use super::scope::Area;
use crate::entity::{
    daily_service_stat, daily_station_stat, daily_station_visitor, lesson_progress,
};

/// Four `SUM(...)` columns as the database returns them (NULL over no rows).
type FourSums = (Option<i64>, Option<i64>, Option<i64>, Option<i64>);

#[derive(Debug, Default, Clone, Copy)]
pub struct Sums {
    pub check_ins: i64,
    pub services: i64,
    pub points_earned: i64,
    pub points_redeemed: i64,
}

pub async fn sums<C: ConnectionTrait>(db: &C, area: &Area, p: &Period) -> Result<Sums, DbErr> {
    use daily_station_stat::Column as C;
    let (from, to) = p.labels();
    let sum = |c: C| Expr::col(c).sum().cast_as("BIGINT");
    let row: Option<FourSums> = daily_station_stat::Entity::find()
        .select_only()
        .column_as(sum(C::CheckIns), "check_ins")
        .column_as(sum(C::Services), "services")
        .column_as(sum(C::PointsEarned), "points_earned")
        .column_as(sum(C::PointsRedeemed), "points_redeemed")
        .filter(area.on(C::RegionCode))
        .filter(C::Day.between(from, to))
        .into_tuple()
        .one(db)
        .await?;
    let (a, b, c, d) = row.unwrap_or_default();
    Ok(Sums {
        check_ins: a.unwrap_or(0),
        services: b.unwrap_or(0),
        points_earned: c.unwrap_or(0),
        points_redeemed: d.unwrap_or(0),
    })
}

/// Distinct riders who checked in at the area's stations in the period.
pub async fn unique_riders<C: ConnectionTrait>(
    db: &C,
    area: &Area,
    p: &Period,
) -> Result<i64, DbErr> {
    use daily_station_visitor::Column as C;
    let (from, to) = p.labels();
    let n = daily_station_visitor::Entity::find()
        .select_only()
        .column(C::RiderId)
        .distinct()
        .filter(area.on(C::RegionCode))
        .filter(C::Day.between(from, to))
        .count(db)
        .await?;
    Ok(n as i64)
}

pub async fn services_by_type<C: ConnectionTrait>(
    db: &C,
    area: &Area,
    p: &Period,
) -> Result<HashMap<String, i64>, DbErr> {
    use daily_service_stat::Column as C;
    let (from, to) = p.labels();
    let rows: Vec<(String, Option<i64>)> = daily_service_stat::Entity::find()
        .select_only()
        .column(C::ServiceType)
        .column_as(Expr::col(C::Quantity).sum().cast_as("BIGINT"), "quantity")
        .filter(area.on(C::RegionCode))
        .filter(C::Day.between(from, to))
        .group_by(C::ServiceType)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(k, q)| (k, q.unwrap_or(0))).collect())
}

/// The area's riders: those seen at its stations in the period (lessons and points follow the
/// rider, who has no region of their own).
pub fn riders_seen(area: &Area, p: &Period) -> Option<sea_orm::sea_query::SelectStatement> {
    let code = area.code.as_ref()?;
    let (from, to) = p.labels();
    Some(
        Query::select()
            .distinct()
            .column(daily_station_visitor::Column::RiderId)
            .from(daily_station_visitor::Entity)
            .and_where(daily_station_visitor::Column::RegionCode.starts_with(code.as_str()))
            .and_where(daily_station_visitor::Column::Day.between(from, to))
            .to_owned(),
    )
}

/// Lessons passed for the first time in the period by the area's riders.
pub async fn lesson_completions<C: ConnectionTrait>(
    db: &C,
    area: &Area,
    p: &Period,
) -> Result<i64, DbErr> {
    use lesson_progress::Column as C;
    let (start, end) = p.bounds();
    let mut q = lesson_progress::Entity::find()
        .filter(C::FirstPassedAt.gte(start))
        .filter(C::FirstPassedAt.lt(end));
    if let Some(riders) = riders_seen(area, p) {
        q = q.filter(C::RiderId.in_subquery(riders));
    }
    Ok(q.count(db).await? as i64)
}
