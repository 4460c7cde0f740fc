//! `GET /me/export`: everything stored about the rider, in one document (PIPL portability).
//! Values only the rider gave or that describe them; other people appear by role, not by id.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::dto::{
    ExportCheckIn, ExportDto, ExportHelpEvent, ExportHelpRequest, ExportLessonAttempt,
    ExportLessonProgress, ExportPointsEntry, ExportRedemption, ExportRedemptionCode, SessionDto,
};
use crate::entity::{
    check_in, help_event, help_request, lesson_attempt, lesson_progress, points_ledger, redemption,
    redemption_code, refresh_token,
};
use crate::error::ApiResult;
use crate::state::AppState;

pub async fn export(state: &AppState, id: Uuid) -> ApiResult<ExportDto> {
    let row = super::service::load(state, id).await?;
    let user = super::service::to_dto(state, &row);
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
        lesson_attempts: export_attempts(state, id).await?,
        redemption_codes: export_redemption_codes(state, id).await?,
        redemptions: export_redemptions(state, id).await?,
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
    let ids: Vec<Uuid> = rows.iter().map(|h| h.id).collect();
    let mut timelines: HashMap<Uuid, Vec<ExportHelpEvent>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let events = help_event::Entity::find()
            .filter(help_event::Column::RequestId.is_in(chunk.to_vec()))
            .order_by_asc(help_event::Column::At)
            .all(&state.db)
            .await?;
        for e in events {
            timelines
                .entry(e.request_id)
                .or_default()
                .push(ExportHelpEvent {
                    at: e.at,
                    actor_role: e.actor_role,
                    kind: e.kind,
                    from_status: e.from_status,
                    to_status: e.to_status,
                    tier: e.tier,
                    note: e.note,
                });
        }
    }
    Ok(rows
        .into_iter()
        .map(|h| ExportHelpRequest {
            timeline: timelines.remove(&h.id).unwrap_or_default(),
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

async fn export_attempts(state: &AppState, id: Uuid) -> ApiResult<Vec<ExportLessonAttempt>> {
    let rows = lesson_attempt::Entity::find()
        .filter(lesson_attempt::Column::RiderId.eq(id))
        .order_by_asc(lesson_attempt::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|a| ExportLessonAttempt {
            slug: a.slug,
            locale: a.locale,
            version: a.version,
            score: a.score,
            passed: a.passed,
            answers: serde_json::from_str(&a.answers_json).unwrap_or(serde_json::Value::Null),
            at: a.created_at,
        })
        .collect())
}

/// The codes themselves are stored only as hashes; their lifetimes are what we hold.
async fn export_redemption_codes(
    state: &AppState,
    id: Uuid,
) -> ApiResult<Vec<ExportRedemptionCode>> {
    let rows = redemption_code::Entity::find()
        .filter(redemption_code::Column::RiderId.eq(id))
        .order_by_asc(redemption_code::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| ExportRedemptionCode {
            created_at: c.created_at,
            expires_at: c.expires_at,
            used_at: c.used_at,
        })
        .collect())
}

async fn export_redemptions(state: &AppState, id: Uuid) -> ApiResult<Vec<ExportRedemption>> {
    let rows = redemption::Entity::find()
        .filter(redemption::Column::RiderId.eq(id))
        .order_by_asc(redemption::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| ExportRedemption {
            reward_id: r.reward_id,
            station_id: r.station_id,
            cost: r.cost,
            at: r.created_at,
        })
        .collect())
}
