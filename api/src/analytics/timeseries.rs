//! `GET /analytics/timeseries`: one metric over time, zero-filled, by day, week or hour.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

use super::dto::{SeriesPoint, Timeseries};
use super::period::Period;
use super::rollups;
use super::scope::Area;
use super::{help_stats, suppress};
use crate::entity::{
    check_in, daily_station_stat, daily_station_visitor, lesson_progress, service_log, station,
};
use crate::error::{ApiResult, FieldError, Violations};
use crate::service_logs::days;
use crate::state::AppState;

pub const METRICS: [&str; 6] = [
    "check_ins",
    "services",
    "unique_riders",
    "help_opened",
    "help_resolved",
    "lesson_completions",
];
/// Hourly series read raw rows, so their range is kept short.
pub const MAX_HOURLY_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Hour,
    Day,
    Week,
}

impl Interval {
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Hour => "hour",
            Interval::Day => "day",
            Interval::Week => "week",
        }
    }
}

pub fn parse(
    v: &mut Violations,
    metric: Option<&str>,
    interval: Option<&str>,
    period: &Period,
) -> (String, Interval) {
    let metric = metric.map(str::trim).unwrap_or("check_ins");
    if !METRICS.contains(&metric) {
        v.push(FieldError::new(
            "metric",
            "unknown_metric",
            format!("metric must be one of {}", METRICS.join(", ")),
        ));
    }
    let interval = match interval.map(str::trim).unwrap_or("day") {
        "day" => Interval::Day,
        "week" => Interval::Week,
        "hour" => Interval::Hour,
        _ => {
            v.push(FieldError::new(
                "interval",
                "unknown_interval",
                "interval must be hour, day or week",
            ));
            Interval::Day
        }
    };
    if interval == Interval::Hour && period.days() > MAX_HOURLY_DAYS {
        v.push(FieldError::new(
            "interval",
            "range_too_long",
            format!("hourly series cover at most {MAX_HOURLY_DAYS} days"),
        ));
    }
    (metric.to_string(), interval)
}

/// Bucket starts covering the period (weeks start on Monday, clipped to the period).
fn buckets(period: &Period, interval: Interval) -> Vec<DateTime<Utc>> {
    let (start, end) = period.bounds();
    let mut out = Vec::new();
    match interval {
        Interval::Hour => {
            let mut t = start;
            while t < end {
                out.push(t);
                t += Duration::hours(1);
            }
        }
        Interval::Day => {
            let mut d = period.from;
            while d <= period.to {
                out.push(days::bounds(d).0);
                d += Duration::days(1);
            }
        }
        Interval::Week => {
            out.push(start);
            let mut d = period.from
                + Duration::days(7 - i64::from(period.from.weekday().num_days_from_monday()));
            while d <= period.to {
                out.push(days::bounds(d).0);
                d += Duration::days(7);
            }
        }
    }
    out
}

/// Index of the bucket holding `t` (buckets are sorted).
fn bucket_of(starts: &[DateTime<Utc>], t: DateTime<Utc>) -> Option<usize> {
    match starts.partition_point(|s| *s <= t) {
        0 => None,
        i => Some(i - 1),
    }
}

fn day_start(label: &str) -> Option<DateTime<Utc>> {
    NaiveDate::parse_from_str(label, "%Y-%m-%d")
        .ok()
        .map(|d| days::bounds(d).0)
}

fn stations_in(area: &Area) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(station::Column::Id)
        .from(station::Entity)
        .and_where(area.on(station::Column::RegionCode))
        .to_owned()
}

pub async fn series(
    state: &AppState,
    area: &Area,
    period: &Period,
    metric: &str,
    interval: Interval,
) -> ApiResult<Timeseries> {
    let db = &state.db;
    let starts = buckets(period, interval);
    let mut values = vec![0i64; starts.len()];
    let mut add = |t: DateTime<Utc>, n: i64| {
        if let Some(i) = bucket_of(&starts, t) {
            values[i] += n;
        }
    };
    let (from, to) = period.labels();
    let (start, end) = period.bounds();
    match (metric, interval) {
        ("check_ins" | "services", Interval::Day | Interval::Week) => {
            let col = if metric == "check_ins" {
                daily_station_stat::Column::CheckIns
            } else {
                daily_station_stat::Column::Services
            };
            let rows: Vec<(String, Option<i64>)> = daily_station_stat::Entity::find()
                .select_only()
                .column(daily_station_stat::Column::Day)
                .column_as(Expr::col(col).sum().cast_as("BIGINT"), "n")
                .filter(area.on(daily_station_stat::Column::RegionCode))
                .filter(daily_station_stat::Column::Day.between(from, to))
                .group_by(daily_station_stat::Column::Day)
                .into_tuple()
                .all(db)
                .await?;
            for (day, n) in rows {
                if let Some(t) = day_start(&day) {
                    add(t, n.unwrap_or(0));
                }
            }
        }
        ("check_ins" | "unique_riders", Interval::Hour) => {
            let rows: Vec<(DateTime<Utc>, uuid::Uuid)> = check_in::Entity::find()
                .select_only()
                .column(check_in::Column::CreatedAt)
                .column(check_in::Column::RiderId)
                .filter(check_in::Column::StationId.in_subquery(stations_in(area)))
                .filter(check_in::Column::CreatedAt.gte(start))
                .filter(check_in::Column::CreatedAt.lt(end))
                .into_tuple()
                .all(db)
                .await?;
            if metric == "check_ins" {
                rows.iter().for_each(|(t, _)| add(*t, 1));
            } else {
                let mut seen: HashMap<usize, std::collections::HashSet<uuid::Uuid>> =
                    HashMap::new();
                for (t, rider) in rows {
                    if let Some(i) = bucket_of(&starts, t) {
                        seen.entry(i).or_default().insert(rider);
                    }
                }
                for (i, riders) in seen {
                    values[i] = riders.len() as i64;
                }
            }
        }
        ("services", Interval::Hour) => {
            let rows: Vec<(DateTime<Utc>, i32)> = service_log::Entity::find()
                .select_only()
                .column(service_log::Column::OccurredAt)
                .column(service_log::Column::Quantity)
                .filter(service_log::Column::StationId.in_subquery(stations_in(area)))
                .filter(service_log::Column::OccurredAt.gte(start))
                .filter(service_log::Column::OccurredAt.lt(end))
                .filter(service_log::Column::VoidedAt.is_null())
                .into_tuple()
                .all(db)
                .await?;
            rows.into_iter().for_each(|(t, q)| add(t, i64::from(q)));
        }
        ("unique_riders", _) => {
            // Distinct per bucket: one count per bucket over the rollup of visitors.
            for (i, s) in starts.iter().enumerate() {
                let e = starts.get(i + 1).copied().unwrap_or(end);
                let first = days::today(*s).to_string();
                let last = days::today(e - Duration::seconds(1)).to_string();
                let n = daily_station_visitor::Entity::find()
                    .select_only()
                    .column(daily_station_visitor::Column::RiderId)
                    .distinct()
                    .filter(area.on(daily_station_visitor::Column::RegionCode))
                    .filter(daily_station_visitor::Column::Day.between(first, last))
                    .count(db)
                    .await?;
                values[i] = n as i64;
            }
        }
        ("help_opened" | "help_resolved", _) => {
            for c in help_stats::cases(db, area, period).await? {
                let t = if metric == "help_opened" {
                    Some(c.created_at)
                } else {
                    c.resolved_at
                };
                if let Some(t) = t {
                    add(t, 1);
                }
            }
        }
        _ => {
            let mut q = lesson_progress::Entity::find()
                .select_only()
                .column(lesson_progress::Column::FirstPassedAt)
                .filter(lesson_progress::Column::FirstPassedAt.gte(start))
                .filter(lesson_progress::Column::FirstPassedAt.lt(end));
            if let Some(riders) = rollups::riders_seen(area, period) {
                q = q.filter(lesson_progress::Column::RiderId.in_subquery(riders));
            }
            let rows: Vec<Option<DateTime<Utc>>> = q.into_tuple().all(db).await?;
            rows.into_iter().flatten().for_each(|t| add(t, 1));
        }
    }
    let private = matches!(metric, "unique_riders" | "lesson_completions");
    Ok(Timeseries {
        metric: metric.to_string(),
        interval: interval.as_str().to_string(),
        region_code: area.code.clone(),
        points: starts
            .into_iter()
            .zip(values)
            .map(|(start, v)| SeriesPoint {
                start,
                value: if private { suppress(v) } else { Some(v) },
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_and_are_clipped_to_the_period() {
        // 2026-12-02 is a Wednesday.
        let p = Period {
            from: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 12, 15).unwrap(),
        };
        let b = buckets(&p, Interval::Week);
        let labels: Vec<String> = b.iter().map(|t| days::today(*t).to_string()).collect();
        assert_eq!(labels, ["2026-12-02", "2026-12-07", "2026-12-14"]);
        assert_eq!(buckets(&p, Interval::Day).len(), 14);
        let one = Period {
            from: p.from,
            to: p.from,
        };
        assert_eq!(buckets(&one, Interval::Hour).len(), 24);
        assert_eq!(bucket_of(&b, b[1] + Duration::hours(3)), Some(1));
        assert_eq!(bucket_of(&b, b[0] - Duration::hours(1)), None);
    }
}
