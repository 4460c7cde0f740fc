//! `[sms]` settings: which provider delivers one-time codes and its credentials.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// Who delivers one-time codes. `console` prints them to the log (dev only: in production it
/// refuses to send, so `POST /auth/codes` answers 503 `sms_unavailable`); `tencent` calls
/// Tencent Cloud SMS (`SendSms`, API 2021-01-11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsProvider {
    Console,
    Tencent,
}

/// `[sms]` as read from the file/env (`WARMNEW_SMS__PROVIDER`, `WARMNEW_SMS__SECRET_KEY`, ...).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSmsSettings {
    provider: SmsProvider,
    secret_id: String,
    secret_key: Option<String>,
    sdk_app_id: String,
    sign_name: String,
    login_template_id: String,
    reset_template_id: String,
    endpoint: String,
    region: String,
    timeout_ms: u64,
}

impl Default for RawSmsSettings {
    fn default() -> Self {
        Self {
            provider: SmsProvider::Console,
            secret_id: String::new(),
            secret_key: None,
            sdk_app_id: String::new(),
            sign_name: String::new(),
            login_template_id: String::new(),
            reset_template_id: String::new(),
            endpoint: "https://sms.tencentcloudapi.com/".into(),
            region: "ap-guangzhou".into(),
            timeout_ms: 5000,
        }
    }
}

/// SMS delivery of one-time codes. Templates take two parameters: the code and its lifetime in
/// minutes.
#[derive(Debug, Clone)]
pub struct SmsSettings {
    pub provider: SmsProvider,
    pub secret_id: String,
    pub secret_key: SecretString,
    pub sdk_app_id: String,
    pub sign_name: String,
    pub login_template_id: String,
    pub reset_template_id: String,
    /// `https://sms.tencentcloudapi.com/`; tests point it at a local stand-in.
    pub endpoint: String,
    pub region: String,
    pub timeout_ms: u64,
}

impl From<RawSmsSettings> for SmsSettings {
    fn from(raw: RawSmsSettings) -> Self {
        Self {
            provider: raw.provider,
            secret_id: raw.secret_id,
            secret_key: SecretString::from(raw.secret_key.unwrap_or_default()),
            sdk_app_id: raw.sdk_app_id,
            sign_name: raw.sign_name,
            login_template_id: raw.login_template_id,
            reset_template_id: raw.reset_template_id,
            endpoint: raw.endpoint,
            region: raw.region,
            timeout_ms: raw.timeout_ms,
        }
    }
}

impl Default for SmsSettings {
    fn default() -> Self {
        RawSmsSettings::default().into()
    }
}

impl SmsSettings {
    pub(crate) fn validate(&self, production: bool) -> Result<(), String> {
        if self.timeout_ms == 0 {
            return Err("WARMNEW_SMS__TIMEOUT_MS must be positive".into());
        }
        if self.provider != SmsProvider::Tencent {
            return Ok(());
        }
        let missing: Vec<&str> = [
            ("WARMNEW_SMS__SECRET_ID", self.secret_id.as_str()),
            ("WARMNEW_SMS__SECRET_KEY", self.secret_key.expose_secret()),
            ("WARMNEW_SMS__SDK_APP_ID", self.sdk_app_id.as_str()),
            ("WARMNEW_SMS__SIGN_NAME", self.sign_name.as_str()),
            (
                "WARMNEW_SMS__LOGIN_TEMPLATE_ID",
                self.login_template_id.as_str(),
            ),
            (
                "WARMNEW_SMS__RESET_TEMPLATE_ID",
                self.reset_template_id.as_str(),
            ),
        ]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(name, _)| name)
        .collect();
        if !missing.is_empty() {
            return Err(format!(
                "the tencent SMS provider needs {}",
                missing.join(", ")
            ));
        }
        let scheme_ok = self.endpoint.starts_with("https://")
            || (!production && self.endpoint.starts_with("http://"));
        if !scheme_ok {
            return Err("WARMNEW_SMS__ENDPOINT must be an https:// URL".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tencent() -> SmsSettings {
        SmsSettings {
            provider: SmsProvider::Tencent,
            secret_id: "AKIDx".into(),
            secret_key: SecretString::from("k"),
            sdk_app_id: "1400000001".into(),
            sign_name: "暖新驿站".into(),
            login_template_id: "1".into(),
            reset_template_id: "2".into(),
            ..SmsSettings::default()
        }
    }

    #[test]
    fn console_needs_nothing_and_tencent_names_what_is_missing() {
        assert!(SmsSettings::default().validate(true).is_ok());
        assert!(tencent().validate(true).is_ok());
        let bare = SmsSettings {
            provider: SmsProvider::Tencent,
            ..SmsSettings::default()
        };
        let err = bare.validate(false).unwrap_err();
        assert!(
            err.contains("WARMNEW_SMS__SECRET_KEY") && err.contains("WARMNEW_SMS__SIGN_NAME"),
            "{err}"
        );
    }

    #[test]
    fn production_sends_over_https_only() {
        let local = SmsSettings {
            endpoint: "http://127.0.0.1:9/".into(),
            ..tencent()
        };
        assert!(
            local.validate(false).is_ok(),
            "a dev stand-in may be plain http"
        );
        assert!(local.validate(true).unwrap_err().contains("https"));
    }
}
