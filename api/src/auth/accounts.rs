//! Changes an administrator makes to an account (from the command line): its role and scope,
//! or disabling it. Each ends the account's sessions, so a token never carries powers the
//! account no longer has — effective on the next request, not when the token expires.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use super::phone::Phone;
use super::service::end_all_sessions;
use super::Role;
use crate::entity::user;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The role and scope an account should have from now on.
pub struct Access {
    pub role: Role,
    /// The operator's station (required for operators, dropped for everyone else).
    pub station_id: Option<Uuid>,
    /// The staff member's region (required for staff, dropped for everyone else).
    pub region_code: Option<String>,
}

impl Access {
    fn check(&self) -> ApiResult<()> {
        match self.role {
            Role::Operator if self.station_id.is_none() => {
                Err(ApiError::forbidden("an operator needs a station"))
            }
            Role::Staff if self.region_code.is_none() => {
                Err(ApiError::forbidden("staff need a region"))
            }
            _ => Ok(()),
        }
    }
}

async fn find(state: &AppState, phone: &Phone) -> ApiResult<user::Model> {
    user::Entity::find()
        .filter(user::Column::PhoneHash.eq(state.phones.lookup_hash(phone)))
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// Gives the account a new role and scope and ends its sessions.
pub async fn change_access(state: &AppState, phone: &Phone, access: Access) -> ApiResult<Uuid> {
    access.check()?;
    let found = find(state, phone).await?;
    let (station, region) = match access.role {
        Role::Operator => (access.station_id, None),
        Role::Staff => (None, access.region_code),
        Role::Rider | Role::Admin => (None, None),
    };
    let txn = state.db.begin().await?;
    user::Entity::update_many()
        .col_expr(user::Column::Role, Expr::value(access.role.as_str()))
        .col_expr(user::Column::StationId, Expr::value(station))
        .col_expr(user::Column::RegionCode, Expr::value(region))
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(found.id))
        .exec(&txn)
        .await?;
    end_all_sessions(&txn, found.id).await?;
    txn.commit().await?;
    tracing::info!(user_id = %found.id, role = access.role.as_str(), "access changed; sessions ended");
    Ok(found.id)
}

/// Disables (or re-enables) the account. Disabling ends its sessions; logging in again is
/// refused with `account_disabled` until it is enabled.
pub async fn set_disabled(state: &AppState, phone: &Phone, disabled: bool) -> ApiResult<Uuid> {
    let found = find(state, phone).await?;
    let txn = state.db.begin().await?;
    user::Entity::update_many()
        .col_expr(
            user::Column::DisabledAt,
            Expr::value(disabled.then(Utc::now)),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(found.id))
        .exec(&txn)
        .await?;
    if disabled {
        end_all_sessions(&txn, found.id).await?;
    }
    txn.commit().await?;
    tracing::info!(user_id = %found.id, disabled, "account disabled flag changed");
    Ok(found.id)
}
