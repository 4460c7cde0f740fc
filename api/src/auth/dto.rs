use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::users::dto::UserDto;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// Mainland China mobile number.
    #[schema(example = "13812345678")]
    pub phone: String,
    /// At least 8 characters and not a common password.
    #[schema(example = "ride-safe-2026", min_length = 8, max_length = 128)]
    pub password: String,
    #[schema(example = "小王", min_length = 1, max_length = 40)]
    pub display_name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "13812345678")]
    pub phone: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Opaque; single use. Each refresh returns a new one.
    pub refresh_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    pub user: UserDto,
}
