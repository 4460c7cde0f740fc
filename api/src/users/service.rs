//! Rules for the user's own account.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use uuid::Uuid;

use super::dto::{parse_display_name, UpdateMeRequest, UserDto};
use crate::entity::user;
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

/// Deletes the account and (by cascade) its sessions; outstanding access tokens fail at once
/// because their user row is gone.
pub async fn delete(state: &AppState, id: Uuid) -> ApiResult<()> {
    let res = user::Entity::delete_by_id(id).exec(&state.db).await?;
    if res.rows_affected == 0 {
        return Err(ApiError::not_found());
    }
    crate::db::scrub_after_erase(&state.db).await?;
    Ok(())
}
