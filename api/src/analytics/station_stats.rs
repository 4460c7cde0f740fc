//! `GET /analytics/stations`: every station of the area with its numbers for the period.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::dto::StationStats;
use super::period::Period;
use super::scope::Area;
use super::suppress;
use crate::entity::{daily_station_stat, help_request, station};
use crate::error::{ApiResult, FieldError, Violations};
use crate::state::AppState;

/// A station and four `SUM`/`MAX` columns (NULL over no rows).
type StationSums = (Uuid, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

pub const SORTS: [&str; 6] = [
    "check_ins",
    "services",
    "peak_occupancy",
    "help_handled",
    "name",
    "last_verified_at",
];

pub fn parse_sort(v: &mut Violations, sort: Option<&str>, order: Option<&str>) -> (String, bool) {
    let sort = sort
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("check_ins");
    if !SORTS.contains(&sort) {
        v.push(FieldError::new(
            "sort",
            "unknown_sort",
            format!("sort must be one of {}", SORTS.join(", ")),
        ));
    }
    let desc = match order
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("desc")
    {
        "desc" => true,
        "asc" => false,
        _ => {
            v.push(FieldError::new(
                "order",
                "unknown_order",
                "order must be asc or desc",
            ));
            true
        }
    };
    (sort.to_string(), desc)
}

pub async fn rows(
    state: &AppState,
    area: &Area,
    period: &Period,
    sort: &str,
    desc: bool,
) -> ApiResult<Vec<StationStats>> {
    use daily_station_stat::Column as C;
    let db = &state.db;
    let (from, to) = period.labels();
    let sum = |c: C| Expr::col(c).sum().cast_as("BIGINT");
    let stats: Vec<StationSums> = daily_station_stat::Entity::find()
        .select_only()
        .column(C::StationId)
        .column_as(sum(C::CheckIns), "check_ins")
        .column_as(sum(C::Visitors), "visitors")
        .column_as(sum(C::Services), "services")
        .column_as(Expr::col(C::PeakOccupancy).max().cast_as("BIGINT"), "peak")
        .filter(area.on(C::RegionCode))
        .filter(C::Day.between(from, to))
        .group_by(C::StationId)
        .into_tuple()
        .all(db)
        .await?;
    let stats: HashMap<Uuid, (i64, i64, i64, i64)> = stats
        .into_iter()
        .map(|(id, a, b, c, d)| {
            (
                id,
                (
                    a.unwrap_or(0),
                    b.unwrap_or(0),
                    c.unwrap_or(0),
                    d.unwrap_or(0),
                ),
            )
        })
        .collect();
    let (start, end) = period.bounds();
    let handled: Vec<(Option<Uuid>, i64)> = help_request::Entity::find()
        .select_only()
        .column(help_request::Column::StationId)
        .column_as(Expr::col(help_request::Column::Id).count(), "n")
        .filter(area.on_help())
        .filter(help_request::Column::StationId.is_not_null())
        .filter(help_request::Column::ResolvedAt.gte(start))
        .filter(help_request::Column::ResolvedAt.lt(end))
        .group_by(help_request::Column::StationId)
        .into_tuple()
        .all(db)
        .await?;
    let handled: HashMap<Uuid, i64> = handled
        .into_iter()
        .filter_map(|(id, n)| id.map(|id| (id, n)))
        .collect();
    let stations = station::Entity::find()
        .filter(area.on(station::Column::RegionCode))
        .all(db)
        .await?;
    let mut out: Vec<StationStats> = stations
        .into_iter()
        .map(|s| {
            let (check_ins, visitors, services, peak) =
                stats.get(&s.id).copied().unwrap_or_default();
            StationStats {
                check_ins,
                visitors: suppress(visitors),
                services,
                peak_occupancy: peak,
                help_handled: handled.get(&s.id).copied().unwrap_or(0),
                station_id: s.id,
                name: s.name,
                region_code: s.region_code,
                status: s.status,
                lat: s.lat,
                lng: s.lng,
                last_verified_at: s.last_verified_at,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        let ord = match sort {
            "services" => a.services.cmp(&b.services),
            "peak_occupancy" => a.peak_occupancy.cmp(&b.peak_occupancy),
            "help_handled" => a.help_handled.cmp(&b.help_handled),
            "name" => a.name.cmp(&b.name),
            "last_verified_at" => a.last_verified_at.cmp(&b.last_verified_at),
            _ => a.check_ins.cmp(&b.check_ins),
        };
        let ord = if desc { ord.reverse() } else { ord };
        ord.then_with(|| a.station_id.cmp(&b.station_id))
    });
    Ok(out)
}
