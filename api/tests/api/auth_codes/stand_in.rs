//! A local stand-in for Tencent Cloud SMS: it recomputes the TC3-HMAC-SHA256 signature of
//! every request (written here from the published algorithm, not with the app's signer),
//! answers the way Tencent does, and keeps the codes it was asked to deliver.

use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use warmnew::config::{Settings, SmsProvider};

use crate::helpers::{spawn_with, TestApp};

pub const SECRET_ID: &str = "AKIDstandin0123456789";
pub const SECRET_KEY: &str = "stand-in-secret-key-0123456789";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Deliver (record) every message.
    Deliver,
    /// Answer every message with `FailedOperation.InsufficientBalanceInSmsPackage`.
    Fail,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub phone: String,
    pub code: String,
    pub template: String,
    pub minutes: String,
}

struct Shared {
    mode: Mode,
    messages: Mutex<Vec<Message>>,
    bad_signatures: Mutex<u32>,
}

pub struct StandIn {
    pub url: String,
    shared: Arc<Shared>,
    _server: actix_web::dev::ServerHandle,
}

impl StandIn {
    pub async fn start(mode: Mode) -> StandIn {
        let shared = Arc::new(Shared {
            mode,
            messages: Mutex::new(Vec::new()),
            bad_signatures: Mutex::new(0),
        });
        let data = web::Data::from(shared.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .default_service(web::to(answer))
        })
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", 0))
        .expect("bind stand-in");
        let port = server.addrs()[0].port();
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        StandIn {
            url: format!("http://127.0.0.1:{port}/"),
            shared,
            _server: handle,
        }
    }

    pub fn messages(&self) -> Vec<Message> {
        self.shared.messages.lock().unwrap().clone()
    }

    /// The last code sent to `phone` (as the app writes it, +86 first).
    pub fn last_code(&self, phone: &str) -> String {
        let want = format!("+86{phone}");
        self.messages()
            .into_iter()
            .rev()
            .find(|m| m.phone == want)
            .map(|m| m.code)
            .unwrap_or_else(|| panic!("no message for {want}"))
    }

    pub fn bad_signatures(&self) -> u32 {
        *self.shared.bad_signatures.lock().unwrap()
    }
}

/// Points the app's `[sms]` settings at the stand-in.
pub fn use_stand_in(s: &mut Settings, url: &str, secret_key: &str) {
    s.sms.provider = SmsProvider::Tencent;
    s.sms.endpoint = url.to_string();
    s.sms.secret_id = SECRET_ID.into();
    s.sms.secret_key = secret_key.to_string().into();
    s.sms.sdk_app_id = "1400000001".into();
    s.sms.sign_name = "暖新驿站".into();
    s.sms.login_template_id = "100001".into();
    s.sms.reset_template_id = "100002".into();
    s.sms.region = "ap-guangzhou".into();
}

/// A test app whose SMS goes to a fresh stand-in.
pub async fn app_with_sms(mode: Mode, adjust: impl FnOnce(&mut Settings)) -> (TestApp, StandIn) {
    let stand_in = StandIn::start(mode).await;
    let url = stand_in.url.clone();
    let app = spawn_with(|s| {
        use_stand_in(s, &url, SECRET_KEY);
        adjust(s);
    })
    .await;
    (app, stand_in)
}

fn hmac(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(msg);
    m.finalize().into_bytes().to_vec()
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> &'a str {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// What Tencent's signature check does, from the headers and body that actually arrived.
fn signature_ok(req: &HttpRequest, body: &[u8]) -> bool {
    let auth = header(req, "authorization");
    let Some(rest) = auth.strip_prefix("TC3-HMAC-SHA256 Credential=") else {
        return false;
    };
    let parts: Vec<&str> = rest.split(", ").collect();
    if parts.len() != 3 || parts[1] != "SignedHeaders=content-type;host" {
        return false;
    }
    let credential: Vec<&str> = parts[0].split('/').collect();
    let Some(sent_sig) = parts[2].strip_prefix("Signature=") else {
        return false;
    };
    let timestamp: i64 = header(req, "x-tc-timestamp").parse().unwrap_or(0);
    let date = chrono::DateTime::from_timestamp(timestamp, 0)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string();
    if credential != [SECRET_ID, date.as_str(), "sms", "tc3_request"] {
        return false;
    }
    if (chrono::Utc::now().timestamp() - timestamp).abs() > 300 {
        return false;
    }
    let canonical = format!(
        "POST\n/\n\ncontent-type:{}\nhost:{}\n\ncontent-type;host\n{}",
        header(req, "content-type"),
        header(req, "host"),
        hex::encode(Sha256::digest(body))
    );
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{date}/sms/tc3_request\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let k = hmac(format!("TC3{SECRET_KEY}").as_bytes(), date.as_bytes());
    let k = hmac(&k, b"sms");
    let k = hmac(&k, b"tc3_request");
    hex::encode(hmac(&k, to_sign.as_bytes())) == sent_sig
}

async fn answer(req: HttpRequest, body: web::Bytes, shared: web::Data<Shared>) -> HttpResponse {
    let error = |code: &str, message: &str| {
        HttpResponse::Ok().json(json!({"Response": {
            "Error": {"Code": code, "Message": message}, "RequestId": "stand-in"}}))
    };
    if header(&req, "x-tc-action") != "SendSms" || header(&req, "x-tc-version") != "2021-01-11" {
        return error("InvalidAction", "wrong action or version");
    }
    if header(&req, "x-tc-region").is_empty() {
        return error("MissingParameter", "X-TC-Region");
    }
    if !signature_ok(&req, &body) {
        *shared.bad_signatures.lock().unwrap() += 1;
        return error("AuthFailure.SignatureFailure", "signature mismatch");
    }
    if shared.mode == Mode::Fail {
        return error(
            "FailedOperation.InsufficientBalanceInSmsPackage",
            "package balance is insufficient",
        );
    }
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let s = |x: &Value| x.as_str().unwrap_or("").to_string();
    if s(&v["SmsSdkAppId"]) != "1400000001" || s(&v["SignName"]) != "暖新驿站" {
        return error("InvalidParameterValue", "SmsSdkAppId or SignName");
    }
    let phone = s(&v["PhoneNumberSet"][0]);
    shared.messages.lock().unwrap().push(Message {
        phone: phone.clone(),
        code: s(&v["TemplateParamSet"][0]),
        template: s(&v["TemplateId"]),
        minutes: s(&v["TemplateParamSet"][1]),
    });
    HttpResponse::Ok().json(json!({"Response": {"SendStatusSet": [{
        "SerialNo": "2028:stand-in", "PhoneNumber": phone, "Fee": 1, "SessionContext": "",
        "Code": "Ok", "Message": "send success", "IsoCode": "CN"}], "RequestId": "stand-in"}}))
}
