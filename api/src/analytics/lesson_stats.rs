//! `GET /analytics/lessons`: attempts, passes and first completions per lesson, by the area's
//! riders (those seen at its stations in the period).

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::dto::{LessonStats, LessonStatsList};
use super::period::Period;
use super::rollups::riders_seen;
use super::scope::Area;
use super::{help_stats::ratio, suppress};
use crate::entity::{lesson, lesson_attempt, lesson_progress};
use crate::error::ApiResult;
use crate::state::AppState;

pub async fn stats(state: &AppState, area: &Area, period: &Period) -> ApiResult<LessonStatsList> {
    let db = &state.db;
    let (start, end) = period.bounds();
    let mut attempts = lesson_attempt::Entity::find()
        .select_only()
        .column(lesson_attempt::Column::Slug)
        .column(lesson_attempt::Column::Passed)
        .filter(lesson_attempt::Column::CreatedAt.gte(start))
        .filter(lesson_attempt::Column::CreatedAt.lt(end));
    let mut firsts = lesson_progress::Entity::find()
        .select_only()
        .column(lesson_progress::Column::Slug)
        .column(lesson_progress::Column::RiderId)
        .column(lesson_progress::Column::FirstPassedAt)
        .filter(lesson_progress::Column::FirstPassedAt.gte(start))
        .filter(lesson_progress::Column::FirstPassedAt.lt(end));
    if let Some(riders) = riders_seen(area, period) {
        attempts = attempts.filter(lesson_attempt::Column::RiderId.in_subquery(riders.clone()));
        firsts = firsts.filter(lesson_progress::Column::RiderId.in_subquery(riders));
    }
    let attempts: Vec<(String, bool)> = attempts.into_tuple().all(db).await?;
    let firsts: Vec<(String, Uuid, Option<DateTime<Utc>>)> = firsts.into_tuple().all(db).await?;
    let titles: BTreeMap<String, String> = lesson::Entity::find()
        .filter(lesson::Column::Locale.eq("zh-CN"))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.slug, l.title))
        .collect();
    let mut by: BTreeMap<String, (i64, i64, HashSet<Uuid>)> = titles
        .keys()
        .map(|s| (s.clone(), (0, 0, HashSet::new())))
        .collect();
    for (slug, passed) in attempts {
        let e = by.entry(slug).or_default();
        e.0 += 1;
        e.1 += i64::from(passed);
    }
    for (slug, rider, _) in firsts {
        by.entry(slug).or_default().2.insert(rider);
    }
    Ok(LessonStatsList {
        region_code: area.code.clone(),
        from: period.from.to_string(),
        to: period.to.to_string(),
        items: by
            .into_iter()
            .map(|(slug, (attempts, passed, riders))| LessonStats {
                title: titles.get(&slug).cloned().unwrap_or_else(|| slug.clone()),
                slug,
                attempts,
                passed,
                completions: suppress(riders.len() as i64),
                pass_rate: ratio(passed, attempts),
            })
            .collect(),
    })
}
