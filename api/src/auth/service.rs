//! Registration, login, refresh-token rotation and logout.

use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use super::dto::{LoginRequest, RegisterRequest, TokenResponse};
use super::password::{self, Password, DUMMY_HASH};
use super::phone::Phone;
use super::{refresh, throttle, Role};
use crate::entity::{refresh_token, user};
use crate::error::{ApiError, ApiResult, Code, Violations};
use crate::http::ClientAddr;
use crate::state::AppState;
use crate::users::dto::{parse_display_name, Locale};
use crate::users::service::to_dto;

/// A new account as the CLI, demo seed and registration create it.
pub struct NewUser {
    pub phone: Phone,
    pub password: Password,
    pub display_name: String,
    pub role: Role,
    pub station_id: Option<Uuid>,
    pub region_code: Option<String>,
}

pub async fn create_user(state: &AppState, new: NewUser) -> ApiResult<user::Model> {
    let phone_hash = state.phones.lookup_hash(&new.phone);
    let exists = user::Entity::find()
        .filter(user::Column::PhoneHash.eq(&phone_hash))
        .one(&state.db)
        .await?;
    if exists.is_some() {
        return Err(ApiError::new(
            Code::PhoneTaken,
            "this phone number is already registered; log in instead",
        ));
    }
    let password_hash =
        password::hash(&state.passwords, &new.password, &state.settings.auth).await?;
    let now = Utc::now();
    let model = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        role: Set(new.role.as_str().into()),
        phone_enc: Set(state.phones.encrypt(&new.phone)),
        phone_hash: Set(phone_hash),
        password_hash: Set(password_hash),
        display_name: Set(new.display_name),
        locale: Set(Locale::ZhCn.as_str().into()),
        station_id: Set(new.station_id),
        region_code: Set(new.region_code),
        token_version: Set(0),
        star_opt_in: Set(false),
        disabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    model.insert(&state.db).await.map_err(|e| {
        ApiError::on_unique(
            e,
            Code::PhoneTaken,
            "this phone number is already registered; log in instead",
        )
    })
}

pub async fn register(
    state: &AppState,
    req: RegisterRequest,
    addr: &ClientAddr,
) -> ApiResult<TokenResponse> {
    state
        .cache
        .limit(
            &format!("register:ip:{}", addr.as_str()),
            state.settings.limits.register_per_hour,
            std::time::Duration::from_secs(3600),
        )
        .await?;
    let mut v = Violations::default();
    let phone = v.check(Phone::parse(&req.phone));
    let password = v.check(Password::parse(
        &req.password,
        phone.as_ref().map(Phone::as_str),
    ));
    let display_name = v.check(parse_display_name(&req.display_name));
    v.finish()?;
    let (Some(phone), Some(password), Some(display_name)) = (phone, password, display_name) else {
        return Err(ApiError::internal("register", "validated fields missing"));
    };
    let new = NewUser {
        phone,
        password,
        display_name,
        role: Role::Rider,
        station_id: None,
        region_code: None,
    };
    let user = create_user(state, new).await?;
    tracing::info!(user_id = %user.id, "rider registered");
    start_session(state, &state.db, &user, Uuid::now_v7()).await
}

pub async fn login(
    state: &AppState,
    req: LoginRequest,
    client_ip: &str,
) -> ApiResult<TokenResponse> {
    let phone = Phone::parse(&req.phone).map_err(|e| ApiError::validation(vec![e]))?;
    if req.password.is_empty() || req.password.chars().count() > password::MAX_LEN {
        return Err(ApiError::new(
            Code::InvalidCredentials,
            "wrong phone number or password",
        ));
    }
    let phone_hash = state.phones.lookup_hash(&phone);
    let cfg = &state.settings.auth;
    throttle::before_attempt(&state.cache, cfg, &phone_hash, client_ip).await?;
    let found = user::Entity::find()
        .filter(user::Column::PhoneHash.eq(&phone_hash))
        .one(&state.db)
        .await?;
    let stored = found
        .as_ref()
        .map(|u| u.password_hash.as_str())
        .unwrap_or(DUMMY_HASH.as_str());
    let ok = password::verify(&state.passwords, &req.password, stored).await? && found.is_some();
    match found {
        Some(user) if ok => {
            throttle::record_success(&state.cache, &phone_hash).await;
            tracing::info!(user_id = %user.id, "login");
            start_session(state, &state.db, &user, Uuid::now_v7()).await
        }
        _ => {
            // The attempt already holds its slot in the phone's count (throttle.rs).
            tracing::info!("login failed");
            Err(ApiError::new(
                Code::InvalidCredentials,
                "wrong phone number or password",
            ))
        }
    }
}

/// Rotates a refresh token. Presenting one that was already used revokes its whole family:
/// whoever holds the newer token (possibly a thief) is logged out too.
pub async fn refresh(state: &AppState, token: &str) -> ApiResult<TokenResponse> {
    let hash = refresh::hash(token);
    let now = Utc::now();
    let txn = state.db.begin().await?;
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(&hash))
        .one(&txn)
        .await?
    else {
        return Err(invalid_refresh());
    };
    if row.revoked_at.is_some() || row.expires_at <= now {
        return Err(invalid_refresh());
    }
    // Claim the token atomically; zero rows means it was used (now or concurrently).
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 0 {
        drop(txn);
        // Reuse means a copy is loose somewhere: end this session and every access token the
        // user holds (the thief's may belong to a newer rotation).
        revoke_family(state, row.family_id).await?;
        bump_token_version(&state.db, row.user_id).await?;
        tracing::warn!(user_id = %row.user_id, "refresh token reuse; session family revoked");
        return Err(ApiError::new(
            Code::RefreshTokenReused,
            "this refresh token was already used; log in again",
        ));
    }
    let Some(user) = user::Entity::find_by_id(row.user_id).one(&txn).await? else {
        return Err(invalid_refresh());
    };
    let response = start_session(state, &txn, &user, row.family_id).await?;
    txn.commit().await?;
    Ok(response)
}

/// Ends the session the refresh token belongs to. Unknown tokens are accepted silently so
/// logout is idempotent.
pub async fn logout(state: &AppState, token: &str) -> ApiResult<()> {
    let hash = refresh::hash(token);
    let row = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(&hash))
        .one(&state.db)
        .await?;
    if let Some(row) = row {
        revoke_family(state, row.family_id).await?;
    }
    Ok(())
}

/// Ends every session of the user, on every device: all refresh tokens revoked and the
/// token_version bumped, so access tokens already handed out stop working on their next use.
pub async fn logout_all(state: &AppState, user_id: Uuid) -> ApiResult<()> {
    let txn = state.db.begin().await?;
    end_all_sessions(&txn, user_id).await?;
    txn.commit().await?;
    tracing::info!(user_id = %user_id, "logged out everywhere");
    Ok(())
}

/// Revokes the user's refresh tokens and bumps the token version (password reset, logout-all,
/// role or scope changes).
pub(crate) async fn end_all_sessions<C: ConnectionTrait>(db: &C, user_id: Uuid) -> ApiResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    bump_token_version(db, user_id).await
}

async fn bump_token_version<C: ConnectionTrait>(db: &C, user_id: Uuid) -> ApiResult<()> {
    user::Entity::update_many()
        .col_expr(
            user::Column::TokenVersion,
            Expr::col(user::Column::TokenVersion).add(1),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

async fn revoke_family(state: &AppState, family: Uuid) -> ApiResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::FamilyId.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&state.db)
        .await?;
    Ok(())
}

fn invalid_refresh() -> ApiError {
    ApiError::new(
        Code::InvalidRefreshToken,
        "the refresh token is invalid, expired or revoked; log in again",
    )
}

pub(crate) async fn start_session<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    user: &user::Model,
    family: Uuid,
) -> ApiResult<TokenResponse> {
    // Every way in (password, code, reset, refresh) passes here, after the caller proved they
    // hold the account: only they learn that it is disabled.
    if user.disabled_at.is_some() {
        return Err(ApiError::new(
            Code::AccountDisabled,
            "this account has been disabled",
        ));
    }
    let role = Role::parse(&user.role)
        .ok_or_else(|| ApiError::internal("session", "unknown role in database"))?;
    let access_token = state
        .jwt
        .issue(user.id, role, user.token_version, Some(family))
        .map_err(|e| ApiError::internal("jwt", e))?;
    let refresh_token = refresh::generate();
    let now = Utc::now();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.id),
        family_id: Set(family),
        token_hash: Set(refresh::hash(&refresh_token)),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(state.settings.auth.refresh_ttl_days)),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(TokenResponse {
        access_token,
        refresh_token,
        token_type: "Bearer".into(),
        expires_in: state.jwt.ttl_secs(),
        user: to_dto(state, user),
    })
}
