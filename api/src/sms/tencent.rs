//! Tencent Cloud SMS: `SendSms` (API 2021-01-11) signed with TC3-HMAC-SHA256.
//! <https://cloud.tencent.com/document/api/382/55981>, signing: <https://cloud.tencent.com/document/api/213/30654>.

use std::time::Duration;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{CodePurpose, SmsError, SmsSender, SmsSettings};
use crate::auth::phone::Phone;

const SERVICE: &str = "sms";
const ACTION: &str = "SendSms";
const VERSION: &str = "2021-01-11";
const CONTENT_TYPE: &str = "application/json; charset=utf-8";
const ALGORITHM: &str = "TC3-HMAC-SHA256";

pub struct TencentSmsSender {
    client: reqwest::Client,
    endpoint: String,
    secret_id: String,
    secret_key: SecretString,
    sdk_app_id: String,
    sign_name: String,
    login_template_id: String,
    reset_template_id: String,
    region: String,
    ttl_minutes: String,
}

impl TencentSmsSender {
    pub fn new(cfg: &SmsSettings, code_ttl_secs: i64) -> Self {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(cfg.timeout_ms))
            .build()
            .unwrap_or_default();
        Self {
            client,
            endpoint: cfg.endpoint.clone(),
            secret_id: cfg.secret_id.clone(),
            secret_key: cfg.secret_key.clone(),
            sdk_app_id: cfg.sdk_app_id.clone(),
            sign_name: cfg.sign_name.clone(),
            login_template_id: cfg.login_template_id.clone(),
            reset_template_id: cfg.reset_template_id.clone(),
            region: cfg.region.clone(),
            ttl_minutes: (code_ttl_secs / 60).max(1).to_string(),
        }
    }

    fn payload(&self, phone: &Phone, code: &str, purpose: CodePurpose) -> String {
        let template = match purpose {
            CodePurpose::Login => &self.login_template_id,
            CodePurpose::ResetPassword => &self.reset_template_id,
        };
        json!({
            "PhoneNumberSet": [format!("+86{}", phone.as_str())],
            "SmsSdkAppId": self.sdk_app_id,
            "SignName": self.sign_name,
            "TemplateId": template,
            "TemplateParamSet": [code, self.ttl_minutes],
        })
        .to_string()
    }
}

#[async_trait]
impl SmsSender for TencentSmsSender {
    async fn send(&self, phone: &Phone, code: &str, purpose: CodePurpose) -> Result<(), SmsError> {
        let url = reqwest::Url::parse(&self.endpoint)
            .map_err(|e| SmsError::Transport(format!("endpoint: {e}")))?;
        let host =
            host_header(&url).ok_or_else(|| SmsError::Transport("endpoint has no host".into()))?;
        let payload = self.payload(phone, code, purpose);
        let timestamp = chrono::Utc::now().timestamp();
        let authorization = authorization(
            &self.secret_id,
            self.secret_key.expose_secret(),
            SERVICE,
            &host,
            timestamp,
            &payload,
        );
        let res = self
            .client
            .post(url)
            .header("Authorization", authorization)
            .header("Content-Type", CONTENT_TYPE)
            .header("X-TC-Action", ACTION)
            .header("X-TC-Version", VERSION)
            .header("X-TC-Timestamp", timestamp.to_string())
            .header("X-TC-Region", &self.region)
            .body(payload)
            .send()
            .await
            // Without the URL: reqwest's error text would otherwise carry nothing personal, but
            // keep it to the kind of failure.
            .map_err(|e| SmsError::Transport(e.without_url().to_string()))?;
        let status = res.status();
        if !status.is_success() {
            return Err(SmsError::Transport(format!("HTTP {status}")));
        }
        let body: Envelope = res
            .json()
            .await
            .map_err(|e| SmsError::Transport(format!("unreadable answer: {e}")))?;
        outcome(body.response)
    }
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "Response")]
    response: ResponseBody,
}

#[derive(Deserialize)]
struct ResponseBody {
    #[serde(rename = "Error")]
    error: Option<TcStatus>,
    #[serde(rename = "SendStatusSet", default)]
    send_status_set: Vec<TcStatus>,
}

#[derive(Deserialize)]
struct TcStatus {
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message", default)]
    message: String,
}

fn outcome(body: ResponseBody) -> Result<(), SmsError> {
    if let Some(err) = body.error {
        return Err(SmsError::Refused {
            code: err.code,
            message: err.message,
        });
    }
    match body.send_status_set.into_iter().next() {
        Some(s) if s.code == "Ok" => Ok(()),
        Some(s) => Err(SmsError::Refused {
            code: s.code,
            message: s.message,
        }),
        None => Err(SmsError::Refused {
            code: "NoSendStatus".into(),
            message: "the answer had no SendStatusSet".into(),
        }),
    }
}

/// The `Host` header reqwest sends for `url` (the port only when it is not the default).
pub fn host_header(url: &reqwest::Url) -> Option<String> {
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn hmac(key: &[u8], msg: &str) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("hmac takes any key length");
    mac.update(msg.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Step 1: the canonical request of a POST with a JSON body, signing content-type and host.
pub fn canonical_request(host: &str, payload: &str) -> String {
    format!(
        "POST\n/\n\ncontent-type:{CONTENT_TYPE}\nhost:{host}\n\ncontent-type;host\n{}",
        sha256_hex(payload.as_bytes())
    )
}

fn utc_date(timestamp: i64) -> String {
    chrono::DateTime::from_timestamp(timestamp, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string()
}

/// Step 2: the string to sign; the date is the UTC date of the timestamp.
pub fn string_to_sign(timestamp: i64, service: &str, canonical: &str) -> String {
    format!(
        "{ALGORITHM}\n{timestamp}\n{}/{service}/tc3_request\n{}",
        utc_date(timestamp),
        sha256_hex(canonical.as_bytes())
    )
}

/// Step 3: HMAC chain TC3+key -> date -> service -> "tc3_request", then the string to sign.
pub fn signature(secret_key: &str, timestamp: i64, service: &str, to_sign: &str) -> String {
    let date = hmac(format!("TC3{secret_key}").as_bytes(), &utc_date(timestamp));
    let service_key = hmac(&date, service);
    let signing = hmac(&service_key, "tc3_request");
    hex::encode(hmac(&signing, to_sign))
}

/// Step 4: the Authorization header value.
pub fn authorization(
    secret_id: &str,
    secret_key: &str,
    service: &str,
    host: &str,
    timestamp: i64,
    payload: &str,
) -> String {
    let to_sign = string_to_sign(timestamp, service, &canonical_request(host, payload));
    format!(
        "{ALGORITHM} Credential={secret_id}/{}/{service}/tc3_request, SignedHeaders=content-type;host, Signature={}",
        utc_date(timestamp),
        signature(secret_key, timestamp, service, &to_sign)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // Tencent's worked example (CVM DescribeInstances, 2019-02-25): every intermediate value
    // below is printed in the signing document linked at the top of this file.
    const PAYLOAD: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    const TS: i64 = 1551113065;

    #[test]
    fn signer_matches_tencents_documented_example() {
        assert_eq!(
            sha256_hex(PAYLOAD.as_bytes()),
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        let canonical = canonical_request("cvm.tencentcloudapi.com", PAYLOAD);
        assert_eq!(
            canonical,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        let to_sign = string_to_sign(TS, "cvm", &canonical);
        assert_eq!(
            to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", TS, "cvm", &to_sign),
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        let auth = authorization(
            "AKIDEXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            "cvm",
            "cvm.tencentcloudapi.com",
            TS,
            PAYLOAD,
        );
        assert_eq!(
            auth,
            "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
    }

    #[test]
    fn date_is_utc_not_beijing() {
        // 2019-02-26 00:44:25 in Beijing is still the 25th in UTC.
        assert_eq!(utc_date(TS), "2019-02-25");
    }

    #[test]
    fn host_header_keeps_only_non_default_ports() {
        let u = reqwest::Url::parse("https://sms.tencentcloudapi.com/").unwrap();
        assert_eq!(host_header(&u).unwrap(), "sms.tencentcloudapi.com");
        let u = reqwest::Url::parse("http://127.0.0.1:4567/").unwrap();
        assert_eq!(host_header(&u).unwrap(), "127.0.0.1:4567");
    }

    #[test]
    fn answers_are_read_like_tencent_writes_them() {
        let ok: Envelope = serde_json::from_str(
            r#"{"Response":{"SendStatusSet":[{"SerialNo":"2028:1","PhoneNumber":"+8613800000001","Fee":1,"SessionContext":"","Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"a0aabda6"}}"#,
        )
        .unwrap();
        assert!(outcome(ok.response).is_ok());
        let err: Envelope = serde_json::from_str(
            r#"{"Response":{"Error":{"Code":"FailedOperation.SignatureIncorrectOrUnapproved","Message":"sign unapproved"},"RequestId":"b1"}}"#,
        )
        .unwrap();
        let e = outcome(err.response).unwrap_err().to_string();
        assert!(
            e.contains("FailedOperation.SignatureIncorrectOrUnapproved"),
            "{e}"
        );
        let limited: Envelope = serde_json::from_str(
            r#"{"Response":{"SendStatusSet":[{"Code":"LimitExceeded.PhoneNumberDailyLimit","Message":"daily limit"}],"RequestId":"c2"}}"#,
        )
        .unwrap();
        assert!(outcome(limited.response).is_err());
    }
}
