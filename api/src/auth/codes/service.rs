//! Asking for a code, logging in with one, resetting the password with one.

use std::time::Duration;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use super::dto::{CodeLoginRequest, CodeRequest, CodeSent, PasswordResetRequest};
use super::store;
use crate::auth::password::{self, Password};
use crate::auth::phone::Phone;
use crate::auth::service::{create_user, end_all_sessions, start_session, NewUser};
use crate::auth::{refresh, throttle, Role};
use crate::entity::user;
use crate::error::{ApiError, ApiResult, Code, FieldError, Violations};
use crate::sms::CodePurpose;
use crate::state::AppState;
use crate::users::dto::{parse_display_name, Locale};

const HOUR: Duration = Duration::from_secs(3600);

/// Sends a code. Never looks the phone up: registered or not, the work and the answer are the
/// same (a code login registers a new rider, so unknown phones get a real code too).
pub async fn request_code(
    state: &AppState,
    req: CodeRequest,
    client_ip: &str,
) -> ApiResult<CodeSent> {
    let phone = Phone::parse(&req.phone).map_err(|e| ApiError::validation(vec![e]))?;
    let cfg = &state.settings.auth;
    let phone_hash = state.phones.lookup_hash(&phone);
    // Address first, so someone spraying numbers does not also use up their owners' quota.
    state
        .cache
        .limit(
            &format!("code:ip:{client_ip}"),
            cfg.code_max_per_ip_hour,
            HOUR,
        )
        .await?;
    state
        .cache
        .limit(
            &format!("code:phone:{phone_hash}:gap"),
            1,
            Duration::from_secs(cfg.code_min_interval_secs),
        )
        .await?;
    state
        .cache
        .limit(
            &format!("code:phone:{phone_hash}:hour"),
            cfg.code_max_per_phone_hour,
            HOUR,
        )
        .await?;
    let code = store::generate();
    let code_hash = store::issue(state, &phone_hash, req.purpose, &code).await?;
    if let Err(err) = state.sms.send(&phone, &code, req.purpose).await {
        // A code nobody received must not stay usable (the provider may have half-delivered it).
        store::withdraw(state, &phone_hash, req.purpose, &code_hash).await?;
        tracing::warn!(error = %err, purpose = req.purpose.as_str(), "one-time code not sent");
        return Err(ApiError {
            retry_after: Some(std::cmp::max(cfg.code_min_interval_secs, 1)),
            ..ApiError::new(
                Code::SmsUnavailable,
                "the text message could not be sent; try again shortly or log in with your password",
            )
        });
    }
    tracing::info!(purpose = req.purpose.as_str(), "one-time code sent");
    Ok(CodeSent {
        expires_in: cfg.code_ttl_secs,
        resend_after: cfg.code_min_interval_secs,
    })
}

fn parse_code(input: &str) -> Result<String, FieldError> {
    let code = input.trim();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code.to_string())
    } else {
        Err(FieldError::new(
            "code",
            "invalid_format",
            "must be the 6 digits from the text message",
        ))
    }
}

/// Counts code checks per client address with the password login's limit.
async fn limit_checks(state: &AppState, client_ip: &str) -> ApiResult<()> {
    let cfg = &state.settings.auth;
    state
        .cache
        .limit(
            &format!("code-check:ip:{client_ip}"),
            cfg.login_max_attempts_per_ip,
            Duration::from_secs(cfg.login_window_secs),
        )
        .await
}

async fn find_user(state: &AppState, phone_hash: &str) -> ApiResult<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::PhoneHash.eq(phone_hash))
        .one(&state.db)
        .await?)
}

/// Logs in with a code; an unknown phone becomes a new rider.
pub async fn login(
    state: &AppState,
    req: CodeLoginRequest,
    client_ip: &str,
) -> ApiResult<(crate::auth::dto::TokenResponse, bool)> {
    let mut v = Violations::default();
    let phone = v.check(Phone::parse(&req.phone));
    let code = v.check(parse_code(&req.code));
    let display_name = match &req.display_name {
        Some(name) => v.check(parse_display_name(name)),
        None => None,
    };
    v.finish()?;
    let (Some(phone), Some(code)) = (phone, code) else {
        return Err(ApiError::internal("code login", "validated fields missing"));
    };
    limit_checks(state, client_ip).await?;
    let phone_hash = state.phones.lookup_hash(&phone);
    store::consume(state, &phone_hash, CodePurpose::Login, &code).await?;
    let (user, created) = match find_user(state, &phone_hash).await? {
        Some(user) => (user, false),
        None => (
            new_rider(state, phone, display_name, req.locale).await?,
            true,
        ),
    };
    throttle::record_success(&state.cache, &phone_hash).await;
    tracing::info!(user_id = %user.id, created, "login by code");
    Ok((
        start_session(state, &state.db, &user, Uuid::now_v7()).await?,
        created,
    ))
}

/// A rider account with an unguessable password nobody knows (they set one by reset).
async fn new_rider(
    state: &AppState,
    phone: Phone,
    display_name: Option<String>,
    locale: Option<Locale>,
) -> ApiResult<user::Model> {
    let random = refresh::generate();
    let password = Password::parse(&random, Some(phone.as_str()))
        .map_err(|e| ApiError::internal("code login", e.message))?;
    let new = NewUser {
        phone,
        password,
        display_name: display_name.unwrap_or_else(|| "骑手".to_string()),
        role: Role::Rider,
        station_id: None,
        region_code: None,
    };
    let mut user = create_user(state, new).await?;
    if let Some(locale) = locale.filter(|l| *l != Locale::ZhCn) {
        user::Entity::update_many()
            .col_expr(user::Column::Locale, Expr::value(locale.as_str()))
            .filter(user::Column::Id.eq(user.id))
            .exec(&state.db)
            .await?;
        user.locale = locale.as_str().to_string();
    }
    Ok(user)
}

/// Sets a new password with a code, ends every other session and starts a new one.
pub async fn reset_password(
    state: &AppState,
    req: PasswordResetRequest,
    client_ip: &str,
) -> ApiResult<crate::auth::dto::TokenResponse> {
    let mut v = Violations::default();
    let phone = v.check(Phone::parse(&req.phone));
    let code = v.check(parse_code(&req.code));
    // The register rules name the field `password`; here it is `new_password`.
    let password = v.check(
        Password::parse(&req.new_password, phone.as_ref().map(Phone::as_str)).map_err(|mut e| {
            e.field = "new_password".into();
            e
        }),
    );
    v.finish()?;
    let (Some(phone), Some(code), Some(password)) = (phone, code, password) else {
        return Err(ApiError::internal(
            "password reset",
            "validated fields missing",
        ));
    };
    limit_checks(state, client_ip).await?;
    let phone_hash = state.phones.lookup_hash(&phone);
    store::consume(state, &phone_hash, CodePurpose::ResetPassword, &code).await?;
    // No account: the same failure as a wrong code, and nothing is created.
    let Some(found) = find_user(state, &phone_hash).await? else {
        return Err(store::invalid_code());
    };
    let password_hash = password::hash(&state.passwords, &password, &state.settings.auth).await?;
    let now = Utc::now();
    let txn = state.db.begin().await?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(found.id))
        .exec(&txn)
        .await?;
    // Every other session, and every access token issued before the reset, ends here.
    end_all_sessions(&txn, found.id).await?;
    let Some(user) = user::Entity::find_by_id(found.id).one(&txn).await? else {
        return Err(store::invalid_code());
    };
    let tokens = start_session(state, &txn, &user, Uuid::now_v7()).await?;
    txn.commit().await?;
    throttle::record_success(&state.cache, &phone_hash).await;
    tracing::info!(user_id = %user.id, "password reset by code; other sessions revoked");
    Ok(tokens)
}
