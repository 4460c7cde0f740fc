//! Help-request handling as the 12345 hotlines measure it, from the help tables (thousands of
//! rows a day city-wide, not millions): response, resolution and satisfaction rates, medians,
//! breaches, by category and by tier.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::dto::{HelpGroup, HelpStats};
use super::period::Period;
use super::scope::Area;
use crate::entity::{help_event, help_request};

/// One request, reduced to what the rates need.
#[derive(Debug, Clone)]
pub struct Case {
    pub category: String,
    pub tier: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// First answer of a handler: accepted, or rejected with a reason (both are a 响应).
    pub responded_at: Option<DateTime<Utc>>,
    /// A deadline passed before the first answer.
    pub late_accept: bool,
    pub breached: bool,
    pub resolved_at: Option<DateTime<Utc>>,
    pub rating: Option<i32>,
}

const FINISHED: [&str; 4] = ["resolved", "closed", "rejected", "cancelled"];

/// Requests filed in the period in the area, with their first acceptance and breaches.
pub async fn cases<C: ConnectionTrait>(
    db: &C,
    area: &Area,
    period: &Period,
) -> Result<Vec<Case>, DbErr> {
    let (start, end) = period.bounds();
    let rows = help_request::Entity::find()
        .filter(area.on_help())
        .filter(help_request::Column::CreatedAt.gte(start))
        .filter(help_request::Column::CreatedAt.lt(end))
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut events: HashMap<Uuid, [Option<DateTime<Utc>>; 3]> = HashMap::new();
    // In chunks: a long IN list is slow on SQLite and capped on PostgreSQL.
    for chunk in ids.chunks(500) {
        let found = help_event::Entity::find()
            .filter(help_event::Column::RequestId.is_in(chunk.iter().copied()))
            .filter(help_event::Column::Kind.is_in(["accepted", "rejected", "sla_breached"]))
            .order_by_asc(help_event::Column::At)
            .all(db)
            .await?;
        for e in found {
            let slot = events.entry(e.request_id).or_default();
            let i = match e.kind.as_str() {
                "accepted" => 0,
                "rejected" => 1,
                _ => 2,
            };
            slot[i] = slot[i].or(Some(e.at));
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let [accepted_at, rejected_at, breached_at] =
                events.get(&r.id).copied().unwrap_or_default();
            let responded_at = match (accepted_at, rejected_at) {
                (Some(a), Some(r)) => Some(a.min(r)),
                (a, r) => a.or(r),
            };
            Case {
                late_accept: match (responded_at, breached_at) {
                    (Some(a), Some(b)) => b <= a,
                    (None, _) => true,
                    _ => false,
                },
                breached: breached_at.is_some() || r.breach_noted,
                category: r.category,
                tier: r.tier,
                status: r.status,
                created_at: r.created_at,
                accepted_at,
                responded_at,
                resolved_at: r.resolved_at,
                rating: r.rating,
            }
        })
        .collect())
}

pub fn ratio(n: i64, d: i64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    let m = if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    };
    Some((m * 10.0).round() / 10.0)
}

fn minutes(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds() as f64 / 60.0
}

pub fn group(key: &str, cases: &[&Case]) -> HelpGroup {
    let count = |f: &dyn Fn(&Case) -> bool| cases.iter().filter(|c| f(c)).count() as i64;
    let received = cases.len() as i64;
    let responded_in_time = count(&|c| c.responded_at.is_some() && !c.late_accept);
    let resolved = count(&|c| c.resolved_at.is_some());
    let finished = count(&|c| FINISHED.contains(&c.status.as_str()));
    let rated = count(&|c| c.rating.is_some());
    let satisfied = count(&|c| c.rating.is_some_and(|r| r >= 4));
    HelpGroup {
        key: key.to_string(),
        received,
        responded_in_time,
        resolved,
        finished,
        rated,
        satisfied,
        breached: count(&|c| c.breached),
        response_rate: ratio(responded_in_time, received),
        resolution_rate: ratio(resolved, finished),
        satisfaction_rate: ratio(satisfied, rated),
        median_minutes_to_accept: median(
            cases
                .iter()
                .filter_map(|c| c.accepted_at.map(|a| minutes(c.created_at, a)))
                .collect(),
        ),
        median_minutes_to_resolve: median(
            cases
                .iter()
                .filter_map(|c| c.resolved_at.map(|r| minutes(c.created_at, r)))
                .collect(),
        ),
    }
}

fn grouped(cases: &[Case], key: impl Fn(&Case) -> &str) -> Vec<HelpGroup> {
    let mut by: BTreeMap<&str, Vec<&Case>> = BTreeMap::new();
    for c in cases {
        by.entry(key(c)).or_default().push(c);
    }
    by.into_iter().map(|(k, v)| group(k, &v)).collect()
}

pub fn stats(area: &Area, period: &Period, cases: &[Case]) -> HelpStats {
    let all: Vec<&Case> = cases.iter().collect();
    HelpStats {
        region_code: area.code.clone(),
        from: period.from.to_string(),
        to: period.to.to_string(),
        total: group("all", &all),
        by_category: grouped(cases, |c| &c.category),
        by_tier: grouped(cases, |c| &c.tier),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn case(
        status: &str,
        accepted: Option<i64>,
        late: bool,
        resolved: Option<i64>,
        rating: Option<i32>,
    ) -> Case {
        let t0 = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z")
            .unwrap()
            .to_utc();
        Case {
            category: "wage_arrears".into(),
            tier: "district".into(),
            status: status.into(),
            created_at: t0,
            accepted_at: accepted.map(|m| t0 + Duration::minutes(m)),
            responded_at: accepted.map(|m| t0 + Duration::minutes(m)),
            late_accept: late || accepted.is_none(),
            breached: late,
            resolved_at: resolved.map(|m| t0 + Duration::minutes(m)),
            rating,
        }
    }

    #[test]
    fn rates_follow_the_12345_definitions() {
        let cases = [
            case("closed", Some(10), false, Some(100), Some(5)),
            case("closed", Some(30), false, Some(200), Some(3)),
            case("resolved", Some(200), true, Some(300), None),
            case("rejected", Some(20), false, None, None),
            case("submitted", None, false, None, None),
        ];
        let refs: Vec<&Case> = cases.iter().collect();
        let g = group("all", &refs);
        assert_eq!((g.received, g.responded_in_time), (5, 3));
        assert_eq!(g.response_rate, Some(0.6));
        assert_eq!((g.resolved, g.finished), (3, 4));
        assert_eq!(g.resolution_rate, Some(0.75));
        assert_eq!((g.satisfied, g.rated), (1, 2));
        assert_eq!(g.satisfaction_rate, Some(0.5));
        assert_eq!(g.breached, 1);
        assert_eq!(g.median_minutes_to_accept, Some(25.0));
        assert_eq!(g.median_minutes_to_resolve, Some(200.0));
    }

    #[test]
    fn empty_groups_have_no_rates() {
        let g = group("none", &[]);
        assert_eq!((g.response_rate, g.median_minutes_to_accept), (None, None));
    }
}
