//! Who reads and who files through Open311.

use chrono::Utc;
use hmac::{Hmac, Mac};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, Set};
use secrecy::ExposeSecret;
use sha2::Sha256;
use uuid::Uuid;

use crate::auth::phone::keyed_hex;
use crate::auth::{AuthUser, MaybeAuthUser, Role};
use crate::entity::{help_request, user};
use crate::error::{ApiError, ApiResult};
use crate::help::domain::HelpCategory;
use crate::help::service::Scope;
use crate::state::AppState;

/// What anyone may read without a key or a token: the civic reports riders make as
/// "mobile grid reporters" (流动网格员). Wage arrears, disputes, medical and the rest are
/// private to the rider and their handlers.
pub const PUBLIC_CATEGORIES: [HelpCategory; 2] =
    [HelpCategory::HazardReport, HelpCategory::Suggestion];

/// Who reads, and so which requests they see and how precisely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader {
    /// No key, no token: the public categories, coarsened further.
    Public,
    /// An `api_key` holder (a hotline, a partner): every request.
    Key,
    /// A bearer token: what the API shows its holder (a rider their own, staff their region…).
    User(Scope),
}

impl Reader {
    /// A wrong key is refused even with a token, so a typo is not silently narrowed.
    pub fn of(state: &AppState, user: MaybeAuthUser, api_key: Option<&str>) -> ApiResult<Reader> {
        if let Some(key) = api_key.filter(|k| !k.is_empty()) {
            return if key_matches(state, key) {
                Ok(Reader::Key)
            } else {
                Err(ApiError::unauthorized("the api_key is not valid"))
            };
        }
        Ok(match user.0 {
            Some(user) => Reader::User(Scope::of(&user)),
            None => Reader::Public,
        })
    }

    pub fn condition(&self) -> Condition {
        match self {
            Reader::Public => Condition::all().add(
                help_request::Column::Category.is_in(PUBLIC_CATEGORIES.iter().map(|c| c.as_str())),
            ),
            Reader::Key => Condition::all(),
            Reader::User(scope) => scope.condition(),
        }
    }
}

/// Compares in constant time: both sides are MACed first (so lengths do not show) and every
/// configured key is checked.
pub fn key_matches(state: &AppState, given: &str) -> bool {
    let mac = |k: &str| {
        Hmac::<Sha256>::new_from_slice(b"warmnew open311 api key").map(|mut m| {
            m.update(k.as_bytes());
            m.finalize()
        })
    };
    let Ok(given) = mac(given) else {
        return false;
    };
    state
        .settings
        .open311_api_keys
        .iter()
        .fold(false, |found, key| {
            found | mac(key.expose_secret()).is_ok_and(|k| k == given)
        })
}

/// The account key-holder filings are kept under (help requests belong to an account). It
/// cannot log in: its lookup hash is no phone's and its password hash no password's.
pub const PARTNER_ACCOUNT: Uuid = Uuid::from_u128(0x0000_0311_0000_7000_8000_0000_0000_0001);

/// The partner account as the help service sees a caller, created on first use.
pub async fn partner(state: &AppState) -> ApiResult<AuthUser> {
    let as_rider = AuthUser {
        id: PARTNER_ACCOUNT,
        role: Role::Rider,
        station_id: None,
        region_code: None,
    };
    let exists = user::Entity::find()
        .filter(user::Column::Id.eq(PARTNER_ACCOUNT))
        .one(&state.db)
        .await?
        .is_some();
    if exists {
        return Ok(as_rider);
    }
    let now = Utc::now();
    let label = b"warmnew/open311-partner-account";
    let model = user::ActiveModel {
        id: Set(PARTNER_ACCOUNT),
        role: Set(Role::Rider.as_str().into()),
        phone_enc: Set(state.phones.encrypt_text("open311")),
        phone_hash: Set(keyed_hex(label, label)),
        password_hash: Set("!".into()),
        display_name: Set("Open311 热线/合作方".into()),
        locale: Set("zh-CN".into()),
        station_id: Set(None),
        region_code: Set(None),
        token_version: Set(0),
        star_opt_in: Set(false),
        disabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    // Another instance may have created it meanwhile: a unique violation is success.
    match model.insert(&state.db).await {
        Ok(_) => Ok(as_rider),
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            Ok(as_rider)
        }
        Err(e) => Err(e.into()),
    }
}
