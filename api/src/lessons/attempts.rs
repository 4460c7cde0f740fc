//! Quiz attempts: graded on the server; the attempt, the rider's progress and the one-time
//! payment are written in one transaction.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, QuerySelect,
    TransactionTrait,
};
use uuid::Uuid;

use super::content;
use super::dto::{AttemptRequest, AttemptResult};
use super::grading::{self, Graded};
use super::service;
use super::store;
use crate::auth::{AuthUser, Role};
use crate::entity::{lesson, lesson_attempt, lesson_progress, user};
use crate::error::{ApiError, ApiResult, Code};
use crate::points::ledger::{self, Reason};
use crate::state::AppState;

/// Generous for a person, a brake on scripts filling the attempts table.
const ATTEMPTS_PER_MINUTE: u64 = 60;

/// The ledger source that makes a lesson pay a rider once (unique per rider in the ledger).
pub fn ledger_source(slug: &str) -> String {
    format!("lesson:{slug}")
}

pub async fn submit(
    state: &AppState,
    user: &AuthUser,
    slug: &str,
    req: AttemptRequest,
) -> ApiResult<AttemptResult> {
    user.require(&[Role::Rider])?;
    state
        .cache
        .limit(
            &format!("lesson-attempt:{}", user.id),
            ATTEMPTS_PER_MINUTE,
            std::time::Duration::from_secs(60),
        )
        .await?;
    let rows = service::visible_rows(&state.db, slug, false).await?;
    let locale =
        content::parse_locale(req.locale.as_deref()).map_err(|e| ApiError::validation(vec![e]))?;
    let row = service::pick(&rows, locale).ok_or_else(ApiError::not_found)?;
    if let Some(seen) = req.version {
        if seen != row.version {
            return Err(ApiError::new(
                Code::Conflict,
                format!(
                    "the lesson changed (version {} now, {seen} read); reload it and answer again",
                    row.version
                ),
            )
            .with("current_version", row.version));
        }
    }
    let quiz = store::quiz_of(row)?;
    let graded =
        grading::grade(&quiz, row.pass_mark, &req.answers).map_err(ApiError::validation)?;
    let txn = state.db.begin().await?;
    let result = record(&txn, user.id, row, &graded).await?;
    txn.commit().await?;
    tracing::info!(%slug, passed = graded.passed, paid = result.points_awarded > 0, "lesson attempt");
    Ok(result)
}

/// Writes a graded attempt inside the caller's transaction: the attempt row, the progress
/// row, and on a pass the lesson's points, paid at most once per rider (the ledger's unique
/// source decides, so concurrent passes cannot both pay).
pub async fn record<C: ConnectionTrait>(
    txn: &C,
    rider_id: Uuid,
    lesson: &lesson::Model,
    graded: &Graded,
) -> ApiResult<AttemptResult> {
    // One rider's attempts run one at a time (a row lock on PostgreSQL; SQLite has a single
    // writer), so the progress row is read and written without a lost update or a deadlock.
    user::Entity::find_by_id(rider_id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let now = Utc::now();
    let answers: Vec<&str> = graded
        .chosen
        .iter()
        .map(|i| content::OPTION_IDS.get(*i).copied().unwrap_or("?"))
        .collect();
    lesson_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        rider_id: Set(rider_id),
        slug: Set(lesson.slug.clone()),
        locale: Set(lesson.locale.clone()),
        version: Set(lesson.version),
        score: Set(graded.score),
        passed: Set(graded.passed),
        answers_json: Set(serde_json::to_string(&answers).unwrap_or_default()),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;

    let before = lesson_progress::Entity::find_by_id((rider_id, lesson.slug.clone()))
        .one(txn)
        .await?;
    let paid_before = before.as_ref().is_some_and(|p| p.points_awarded > 0);
    let paid_now = graded.passed
        && ledger::award(
            txn,
            rider_id,
            i64::from(lesson.points),
            Reason::Lesson,
            &ledger_source(&lesson.slug),
        )
        .await?;
    let points_awarded = if paid_now { lesson.points } else { 0 };
    upsert_progress(txn, rider_id, lesson, graded, before, points_awarded).await?;
    let balance = ledger::balance(txn, rider_id).await?;
    Ok(AttemptResult {
        score: graded.score,
        passed: graded.passed,
        correct: graded.correct,
        total: graded.total,
        wrong_question_ids: graded.wrong_question_ids.clone(),
        points_awarded,
        already_awarded: paid_before || (graded.passed && !paid_now),
        balance,
    })
}

async fn upsert_progress<C: ConnectionTrait>(
    txn: &C,
    rider_id: Uuid,
    lesson: &lesson::Model,
    graded: &Graded,
    before: Option<lesson_progress::Model>,
    points_awarded: i32,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let first_pass = graded.passed.then_some(now);
    match before {
        None => {
            lesson_progress::ActiveModel {
                rider_id: Set(rider_id),
                slug: Set(lesson.slug.clone()),
                best_score: Set(graded.score),
                passed: Set(graded.passed),
                attempts: Set(1),
                points_awarded: Set(points_awarded),
                first_passed_at: Set(first_pass),
                updated_at: Set(now),
            }
            .insert(txn)
            .await?;
        }
        Some(p) => {
            let mut row: lesson_progress::ActiveModel = p.clone().into();
            row.best_score = Set(p.best_score.max(graded.score));
            row.passed = Set(p.passed || graded.passed);
            row.attempts = Set(p.attempts + 1);
            row.points_awarded = Set(p.points_awarded + points_awarded);
            row.first_passed_at = Set(p.first_passed_at.or(first_pass));
            row.updated_at = Set(now);
            row.update(txn).await?;
        }
    }
    Ok(())
}
