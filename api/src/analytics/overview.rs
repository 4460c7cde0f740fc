//! `GET /analytics/overview`: the headline numbers of an area and period, each against the
//! period of equal length before it.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter, QuerySelect};

use super::dto::*;
use super::help_stats::{self, Case};
use super::period::Period;
use super::rollups;
use super::scope::Area;
use super::{lease, rollup, suppress};
use crate::entity::station;
use crate::error::ApiResult;
use crate::service_logs::domain::ServiceType;
use crate::state::AppState;

fn trend(value: Option<i64>, previous: Option<i64>) -> Trend {
    let change = match (value, previous) {
        (Some(v), Some(p)) if p != 0 => Some(((v - p) as f64 / p as f64 * 1000.0).round() / 1000.0),
        _ => None,
    };
    Trend {
        value,
        previous,
        change,
    }
}

fn count(value: i64, previous: i64) -> Trend {
    trend(Some(value), Some(previous))
}

fn rate(now: (i64, i64), before: (i64, i64)) -> RateTrend {
    let value = help_stats::ratio(now.0, now.1);
    let previous = help_stats::ratio(before.0, before.1);
    RateTrend {
        numerator: now.0,
        denominator: now.1,
        value,
        previous,
        change: value
            .zip(previous)
            .map(|(v, p)| ((v - p) * 1000.0).round() / 1000.0),
    }
}

async fn station_counts(state: &AppState, area: &Area) -> ApiResult<StationCounts> {
    let rows: Vec<(String, i64)> = station::Entity::find()
        .select_only()
        .column(station::Column::Status)
        .column_as(Expr::col(station::Column::Id).count(), "n")
        .filter(area.on(station::Column::RegionCode))
        .group_by(station::Column::Status)
        .into_tuple()
        .all(&state.db)
        .await?;
    let of = |s: &str| rows.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
    Ok(StationCounts {
        total: rows.iter().map(|(_, n)| n).sum(),
        open: of("open"),
        full: of("full"),
        temporarily_closed: of("temporarily_closed"),
        closed_permanently: of("closed_permanently"),
    })
}

fn help_overview(now: &[Case], before: &[Case]) -> HelpOverview {
    let all = |cs: &[Case]| help_stats::group("all", &cs.iter().collect::<Vec<_>>());
    let (g, p) = (all(now), all(before));
    HelpOverview {
        opened: count(g.received, p.received),
        resolved: count(g.resolved, p.resolved),
        median_minutes_to_accept: g.median_minutes_to_accept,
        median_minutes_to_resolve: g.median_minutes_to_resolve,
        response_rate: rate(
            (g.responded_in_time, g.received),
            (p.responded_in_time, p.received),
        ),
        resolution_rate: rate((g.resolved, g.finished), (p.resolved, p.finished)),
        satisfaction_rate: rate((g.satisfied, g.rated), (p.satisfied, p.rated)),
        sla_breach_rate: rate((g.breached, g.received), (p.breached, p.received)),
    }
}

pub async fn overview(state: &AppState, area: &Area, period: &Period) -> ApiResult<Overview> {
    let db = &state.db;
    let prev = period.previous();
    let (now_sums, before_sums) = (
        rollups::sums(db, area, period).await?,
        rollups::sums(db, area, &prev).await?,
    );
    let riders = (
        rollups::unique_riders(db, area, period).await?,
        rollups::unique_riders(db, area, &prev).await?,
    );
    let types_now = rollups::services_by_type(db, area, period).await?;
    let types_before = rollups::services_by_type(db, area, &prev).await?;
    let services = ServiceType::ALL
        .iter()
        .filter_map(|t| {
            let q = types_now.get(t.code()).copied().unwrap_or(0);
            let p = types_before.get(t.code()).copied().unwrap_or(0);
            (q > 0 || p > 0).then_some(ServiceTotal {
                service_type: *t,
                quantity: q,
                previous: p,
            })
        })
        .collect();
    let cases_now = help_stats::cases(db, area, period).await?;
    let cases_before = help_stats::cases(db, area, &prev).await?;
    let lessons = (
        rollups::lesson_completions(db, area, period).await?,
        rollups::lesson_completions(db, area, &prev).await?,
    );
    Ok(Overview {
        region_code: area.code.clone(),
        from: period.from.to_string(),
        to: period.to.to_string(),
        previous_from: prev.from.to_string(),
        previous_to: prev.to.to_string(),
        as_of: lease::last_run(db, rollup::JOB).await?,
        stations: station_counts(state, area).await?,
        check_ins: count(now_sums.check_ins, before_sums.check_ins),
        unique_riders: trend(suppress(riders.0), suppress(riders.1)),
        services_total: count(now_sums.services, before_sums.services),
        services,
        help: help_overview(&cases_now, &cases_before),
        lesson_completions: trend(suppress(lessons.0), suppress(lessons.1)),
        points_earned: count(now_sums.points_earned, before_sums.points_earned),
        points_spent: count(now_sums.points_redeemed, before_sums.points_redeemed),
    })
}
