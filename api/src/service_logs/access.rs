//! Who may write and read a station's service logs, checked in the station query itself.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::{AuthUser, Role};
use crate::entity::station;
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;
use crate::stations::domain::StationStatus;
use crate::stations::service::load_managed;

/// The station if the caller may log services there: its operator or an admin; not a station
/// closed for good. For its operator the in-process index answers (it holds every station not
/// closed for good), so the one-tap path costs no query here.
pub async fn writable(state: &AppState, user: &AuthUser, id: Uuid) -> ApiResult<Uuid> {
    if user.role == Role::Operator
        && user.station_id == Some(id)
        && state.stations.get(&id).is_some()
    {
        return Ok(id);
    }
    let row = load_managed(state, user, id).await?;
    if row.status == StationStatus::ClosedPermanently.as_str() {
        return Err(ApiError::new(
            Code::StationClosed,
            "this station is closed permanently; nothing more can be logged there",
        ));
    }
    Ok(row.id)
}

/// The station if the caller may read its logs: its operator, staff whose region holds it,
/// admins. Stations are public, so a station outside the caller's reach is 403, a missing one
/// 404.
pub async fn readable(state: &AppState, user: &AuthUser, id: Uuid) -> ApiResult<station::Model> {
    user.require(&[Role::Operator, Role::Staff, Role::Admin])?;
    let mut q = station::Entity::find_by_id(id);
    match user.role {
        Role::Operator if user.station_id != Some(id) => return Err(not_yours(state, id).await),
        Role::Staff => match user.region_code.as_deref().filter(|c| !c.is_empty()) {
            // GB/T 2260 codes nest by prefix: a district's code starts every street's in it.
            Some(code) => q = q.filter(station::Column::RegionCode.starts_with(code)),
            None => return Err(not_yours(state, id).await),
        },
        _ => {}
    }
    match q.one(&state.db).await? {
        Some(row) => Ok(row),
        None => Err(not_yours(state, id).await),
    }
}

async fn not_yours(state: &AppState, id: Uuid) -> ApiError {
    match station::Entity::find_by_id(id).one(&state.db).await {
        Ok(Some(_)) => ApiError::forbidden("this station is outside your station or region"),
        Ok(None) => ApiError::not_found(),
        Err(e) => e.into(),
    }
}

/// Whether the caller may see who was served (names, check-in list): the station's own
/// operator and admins, not region staff.
pub fn sees_riders(user: &AuthUser) -> bool {
    matches!(user.role, Role::Operator | Role::Admin)
}
