use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::sms::CodePurpose;
use crate::users::dto::Locale;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// Mainland China mobile number.
    #[schema(example = "13812345678")]
    pub phone: String,
    pub purpose: CodePurpose,
}

/// The same answer whether or not the phone has an account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CodeSent {
    /// Seconds the code stays valid.
    #[schema(example = 300)]
    pub expires_in: i64,
    /// Seconds before another code may be asked for this phone.
    #[schema(example = 60)]
    pub resend_after: u64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeLoginRequest {
    #[schema(example = "13812345678")]
    pub phone: String,
    /// The 6 digits from the SMS.
    #[schema(example = "042137", min_length = 6, max_length = 6)]
    pub code: String,
    /// Used only when this login creates the account (default 骑手).
    #[schema(example = "小王", min_length = 1, max_length = 40)]
    #[serde(default)]
    pub display_name: Option<String>,
    /// Used only when this login creates the account (default zh-CN).
    #[serde(default)]
    pub locale: Option<Locale>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[schema(example = "13812345678")]
    pub phone: String,
    #[schema(example = "042137", min_length = 6, max_length = 6)]
    pub code: String,
    /// Same rules as at registration.
    #[schema(example = "ride-safe-2027", min_length = 8, max_length = 128)]
    pub new_password: String,
}
