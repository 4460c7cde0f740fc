//! Rules for the user's own account.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::dto::{
    parse_display_name, ExportCheckIn, ExportDto, ExportHelpRequest, ExportLessonProgress,
    ExportPointsEntry, SessionDto, UpdateMeRequest, UserDto,
};
use crate::entity::{check_in, help_request, lesson_progress, points_ledger, refresh_token, user};
use crate::error::{ApiError, ApiResult, Violations};
use crate::state::AppState;

pub async fn load(state: &AppState, id: Uuid) -> ApiResult<user::Model> {
    user::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)
}

pub fn to_dto(state: &AppState, m: &user::Model) -> UserDto {
    let phone = state.phones.decrypt(&m.phone_enc).unwrap_or_default();
    UserDto::from_model(m, phone)
}

pub async fn me(state: &AppState, id: Uuid) -> ApiResult<UserDto> {
    Ok(to_dto(state, &load(state, id).await?))
}

pub async fn update(state: &AppState, id: Uuid, req: UpdateMeRequest) -> ApiResult<UserDto> {
    let mut v = Violations::default();
    let name = req
        .display_name
        .as_deref()
        .and_then(|n| v.check(parse_display_name(n)));
    v.finish()?;
    let current = load(state, id).await?;
    if name.is_none() && req.locale.is_none() {
        return Ok(to_dto(state, &current));
    }
    let mut active: user::ActiveModel = current.into();
    if let Some(name) = name {
        active.display_name = Set(name);
    }
    if let Some(locale) = req.locale {
        active.locale = Set(locale.as_str().to_string());
    }
    active.updated_at = Set(Utc::now());
    let saved = active.update(&state.db).await?;
    Ok(to_dto(state, &saved))
}

pub async fn export(state: &AppState, id: Uuid) -> ApiResult<ExportDto> {
    let row = load(state, id).await?;
    let user = to_dto(state, &row);
    let sessions = refresh_token::Entity::find()
        .filter(refresh_token::Column::UserId.eq(id))
        .order_by_asc(refresh_token::Column::CreatedAt)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|t| SessionDto {
            created_at: t.created_at,
            expires_at: t.expires_at,
            used_at: t.used_at,
            revoked_at: t.revoked_at,
        })
        .collect();
    Ok(ExportDto {
        exported_at: Utc::now(),
        user,
        sessions,
        star_opt_in: row.star_opt_in,
        check_ins: export_check_ins(state, id).await?,
        help_requests: export_help_requests(state, id).await?,
        points: export_points(state, id).await?,
        lesson_progress: export_progress(state, id).await?,
        services_received: crate::service_logs::riders::export(state, id).await?,
    })
}

async fn export_check_ins(state: &AppState, id: Uuid) -> ApiResult<Vec<ExportCheckIn>> {
    let rows = check_in::Entity::find()
        .filter(check_in::Column::RiderId.eq(id))
        .order_by_asc(check_in::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| ExportCheckIn {
            station_id: c.station_id,
            at: c.created_at,
        })
        .collect())
}

async fn export_help_requests(state: &AppState, id: Uuid) -> ApiResult<Vec<ExportHelpRequest>> {
    let rows = help_request::Entity::find()
        .filter(help_request::Column::RiderId.eq(id))
        .order_by_asc(help_request::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|h| ExportHelpRequest {
            id: h.id,
            category: h.category,
            urgency: h.urgency,
            status: h.status,
            description: h.description,
            lat: h.lat,
            lng: h.lng,
            station_id: h.station_id,
            created_at: h.created_at,
            resolved_at: h.resolved_at,
            rating: h.rating,
            feedback_comment: h.feedback_comment,
        })
        .collect())
}

async fn export_points(state: &AppState, id: Uuid) -> ApiResult<Vec<ExportPointsEntry>> {
    let rows = points_ledger::Entity::find()
        .filter(points_ledger::Column::RiderId.eq(id))
        .order_by_asc(points_ledger::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|p| ExportPointsEntry {
            delta: p.delta,
            reason: p.reason,
            source: p.source,
            at: p.created_at,
        })
        .collect())
}

async fn export_progress(state: &AppState, id: Uuid) -> ApiResult<Vec<ExportLessonProgress>> {
    let rows = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::RiderId.eq(id))
        .order_by_asc(lesson_progress::Column::Slug)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|p| ExportLessonProgress {
            slug: p.slug,
            best_score: p.best_score,
            passed: p.passed,
            attempts: p.attempts,
            points_awarded: p.points_awarded,
            first_passed_at: p.first_passed_at,
        })
        .collect())
}

/// Deletes the account and (by cascade) its sessions; outstanding access tokens fail at once
/// because their user row is gone.
pub async fn delete(state: &AppState, id: Uuid) -> ApiResult<()> {
    let res = user::Entity::delete_by_id(id).exec(&state.db).await?;
    if res.rows_affected == 0 {
        return Err(ApiError::not_found());
    }
    Ok(())
}
