//! Delivering one-time codes by SMS: a small trait with a dev console sender and Tencent Cloud
//! SMS for production. Chosen once from the settings and kept in the app state.

pub mod settings;
pub mod tencent;

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::phone::Phone;
use crate::config::Settings;
pub use settings::{SmsProvider, SmsSettings};

/// What a code is for; each has its own SMS template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodePurpose {
    Login,
    ResetPassword,
}

impl CodePurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::ResetPassword => "reset_password",
        }
    }
}

/// Why a message was not sent. The text is for the log and names no phone or code.
#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    #[error("sms sending is disabled: {0}")]
    Disabled(&'static str),
    #[error("sms provider unreachable: {0}")]
    Transport(String),
    /// Only the provider's code is shown: its message may quote the number.
    #[error("sms provider refused: {code}")]
    Refused { code: String, message: String },
}

#[async_trait]
pub trait SmsSender: Send + Sync {
    /// Sends `code` to `phone`; Ok means the provider accepted the message.
    async fn send(&self, phone: &Phone, code: &str, purpose: CodePurpose) -> Result<(), SmsError>;
}

/// The sender the settings ask for. Production never gets the console sender: codes in a log
/// would let whoever reads the log into any account.
pub fn from_settings(settings: &Settings) -> Arc<dyn SmsSender> {
    match settings.sms.provider {
        SmsProvider::Tencent => Arc::new(tencent::TencentSmsSender::new(
            &settings.sms,
            settings.auth.code_ttl_secs,
        )),
        SmsProvider::Console if settings.is_production() => {
            tracing::warn!(
                "WARMNEW_SMS__PROVIDER is console in production: one-time codes are off"
            );
            Arc::new(Disabled)
        }
        SmsProvider::Console => Arc::new(ConsoleSender),
    }
}

/// Dev only: logs one line with the phone masked and the code, so a developer (or the e2e
/// tests) can read it.
pub struct ConsoleSender;

#[async_trait]
impl SmsSender for ConsoleSender {
    async fn send(&self, phone: &Phone, code: &str, purpose: CodePurpose) -> Result<(), SmsError> {
        tracing::info!(
            purpose = purpose.as_str(),
            "dev sms to {}: code {code}",
            phone.masked()
        );
        Ok(())
    }
}

/// Refuses every message (the console provider in production).
pub struct Disabled;

#[async_trait]
impl SmsSender for Disabled {
    async fn send(&self, _: &Phone, _: &str, _: CodePurpose) -> Result<(), SmsError> {
        Err(SmsError::Disabled("no SMS provider is configured"))
    }
}
