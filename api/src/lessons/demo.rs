//! Demo progress for the demo rider: two lessons passed (and paid through the ledger), one
//! attempt that failed. Written only once; later runs leave the rider's progress alone.

use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use super::content::OPTION_IDS;
use super::dto::AttemptAnswer;
use super::{attempts, grading, store};
use crate::auth::phone::Phone;
use crate::entity::{lesson, lesson_progress, user};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub const DEMO_RIDER_PHONE: &str = "13800000001";

pub async fn seed(state: &AppState) -> ApiResult<()> {
    let phone =
        Phone::parse(DEMO_RIDER_PHONE).map_err(|e| ApiError::internal("demo phone", e.message))?;
    let Some(rider) = user::Entity::find()
        .filter(user::Column::PhoneHash.eq(state.phones.lookup_hash(&phone)))
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    let started = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::RiderId.eq(rider.id))
        .count(&state.db)
        .await?;
    if started > 0 {
        return Ok(());
    }
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::Published.eq(true))
        .filter(lesson::Column::Locale.eq("zh-CN"))
        .order_by_asc(lesson::Column::Position)
        .order_by_asc(lesson::Column::Slug)
        .all(&state.db)
        .await?;
    if lessons.len() < 3 {
        tracing::warn!(
            lessons = lessons.len(),
            "too few lessons for the demo progress"
        );
        return Ok(());
    }
    let txn = state.db.begin().await?;
    for (i, row) in lessons.iter().take(3).enumerate() {
        let quiz = store::quiz_of(row)?;
        // The first two answered right, the third all wrong.
        let answers: Vec<AttemptAnswer> = quiz
            .iter()
            .map(|q| {
                let pick = if i < 2 {
                    q.answer
                } else {
                    (q.answer + 1) % q.options.len()
                };
                AttemptAnswer {
                    question_id: q.id.clone(),
                    option_id: OPTION_IDS[pick].to_string(),
                }
            })
            .collect();
        let graded = grading::grade(&quiz, row.pass_mark, &answers)
            .map_err(|_| ApiError::internal("demo lessons", "demo answers did not grade"))?;
        attempts::record(&txn, rider.id, row, &graded).await?;
    }
    txn.commit().await?;
    tracing::info!("demo lesson progress created");
    Ok(())
}
