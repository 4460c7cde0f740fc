//! `AuthUser` (a valid bearer token is required) and `MaybeAuthUser` (anonymous is fine, but a
//! malformed or expired token is still an error, never silently anonymous).

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::Role;
use crate::entity::{refresh_token, user};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: Uuid,
    pub role: Role,
    pub station_id: Option<Uuid>,
    pub region_code: Option<String>,
}

impl AuthUser {
    /// The role guard: 403 unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> ApiResult<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            Err(ApiError::forbidden(format!(
                "requires role {}",
                names.join(" or ")
            )))
        }
    }
}

pub struct MaybeAuthUser(pub Option<AuthUser>);

pub(super) fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthorized("malformed Authorization header"))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim().to_string()))
        }
        _ => Err(ApiError::unauthorized(
            "use Authorization: Bearer <access token>",
        )),
    }
}

/// Signature, issuer, audience and times (`exp`, `nbf`, `iat`); no database.
pub(super) fn verify_claims(state: &AppState, token: &str) -> ApiResult<super::jwt::Claims> {
    state.jwt.verify(token).map_err(|e| {
        let detail = match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                "the access token has expired; refresh it"
            }
            _ => "the access token is invalid",
        };
        ApiError::unauthorized(detail)
    })
}

async fn authenticate(state: web::Data<AppState>, token: String) -> ApiResult<AuthUser> {
    let claims = verify_claims(&state, &token)?;
    // The row decides: a deleted user, a bumped token_version or a changed role voids old tokens.
    let row = user::Entity::find_by_id(claims.sub).one(&state.db).await?;
    let session_ended = match claims.sid {
        Some(sid) => session_revoked(&state, sid).await?,
        None => false,
    };
    match row {
        Some(u)
            if !session_ended
                && u.token_version == claims.token_version
                && u.role == claims.role.as_str() =>
        {
            Ok(AuthUser {
                id: u.id,
                role: claims.role,
                station_id: u.station_id,
                region_code: u.region_code,
            })
        }
        _ => Err(ApiError::unauthorized(
            "the access token is no longer valid; log in again",
        )),
    }
}

/// Whether the session (refresh-token family) was logged out or revoked after reuse: its
/// access tokens end with it, not when they expire.
async fn session_revoked(state: &AppState, sid: Uuid) -> ApiResult<bool> {
    let revoked = refresh_token::Entity::find()
        .select_only()
        .column(refresh_token::Column::Id)
        .filter(refresh_token::Column::FamilyId.eq(sid))
        .filter(refresh_token::Column::RevokedAt.is_not_null())
        .limit(1)
        .into_tuple::<Uuid>()
        .one(&state.db)
        .await?;
    Ok(revoked.is_some())
}

/// The caller, if a token was sent: `None` without one, an error for a bad one.
fn optional_user(req: &HttpRequest) -> LocalBoxFuture<'static, ApiResult<Option<AuthUser>>> {
    let token = bearer(req);
    let state = req.app_data::<web::Data<AppState>>().cloned();
    Box::pin(async move {
        let state = state.ok_or_else(|| ApiError::internal("auth", "application state missing"))?;
        match token? {
            Some(token) => authenticate(state, token).await.map(Some),
            None => Ok(None),
        }
    })
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = optional_user(req);
        Box::pin(async move {
            user.await?
                .ok_or_else(|| ApiError::unauthorized("log in first: missing bearer token"))
        })
    }
}

impl FromRequest for MaybeAuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = optional_user(req);
        Box::pin(async move { user.await.map(MaybeAuthUser) })
    }
}
