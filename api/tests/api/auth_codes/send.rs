use serde_json::{json, Value};

use super::stand_in::{app_with_sms, Mode, StandIn};
use super::{ask, code_row};
use crate::helpers::{assert_problem, error_fields, header, random_phone, spawn_with};

#[tokio::test]
async fn the_answer_is_the_same_for_registered_and_unknown_phones() {
    let (app, sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let (registered, _) = app.register_rider().await;
    let unknown = random_phone();
    let a = ask(&app, &registered, "login").await;
    let b = ask(&app, &unknown, "login").await;
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (202, 202));
    assert_eq!(header(&a, "cache-control"), header(&b, "cache-control"));
    let (a, b): (Value, Value) = (a.json().await.unwrap(), b.json().await.unwrap());
    assert_eq!(a, b);
    assert_eq!(a, json!({"expires_in": 300, "resend_after": 60}));
    // Both got a real code: a code login registers the unknown phone.
    let sent: Vec<String> = sms.messages().into_iter().map(|m| m.phone).collect();
    assert_eq!(sent, [format!("+86{registered}"), format!("+86{unknown}")]);
    // Reset codes too, for either.
    let c = ask(&app, &random_phone(), "reset_password").await;
    assert_eq!(c.status(), 202);
    let last = sms.messages().pop().unwrap();
    assert_eq!(
        (last.template.as_str(), last.minutes.as_str()),
        ("100002", "5")
    );
    assert_eq!(sms.bad_signatures(), 0);
}

#[tokio::test]
async fn bad_input_names_the_field() {
    let (app, _sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let res = ask(&app, "12345", "login").await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&body), ["phone"]);
    let res = ask(&app, &random_phone(), "signup").await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&body), ["purpose"]);
}

#[tokio::test]
async fn codes_are_stored_as_a_keyed_hash_only() {
    let (app, sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let phone = random_phone();
    assert_eq!(ask(&app, &phone, "login").await.status(), 202);
    let code = sms.last_code(&phone);
    assert_eq!(code.len(), 6);
    let row = code_row(&app, &phone, "login").await.expect("row");
    assert_eq!(row.code_hash.len(), 64);
    assert!(!row.code_hash.contains(&code));
    assert!(!row.phone_hash.contains(&phone));
    // Not a plain digest either: SHA-256 of the code alone is not what is stored.
    use sha2::Digest;
    assert_ne!(
        row.code_hash,
        hex::encode(sha2::Sha256::digest(code.as_bytes()))
    );
    assert_eq!((row.attempts, row.used_at), (0, None));
}

#[tokio::test]
async fn one_code_a_minute_per_phone_registered_or_not() {
    let (app, _sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let (registered, _) = app.register_rider().await;
    for phone in [registered, random_phone()] {
        assert_eq!(ask(&app, &phone, "login").await.status(), 202);
        // The purpose does not matter: the limit is the phone's.
        let res = ask(&app, &phone, "reset_password").await;
        let retry: u64 = header(&res, "retry-after").unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry), "{retry}");
        assert_problem(res, 429, "rate_limited").await;
    }
}

#[tokio::test]
async fn at_most_five_codes_an_hour_per_phone() {
    let (app, _sms) = app_with_sms(Mode::Deliver, |_| {}).await;
    let phone = random_phone();
    for _ in 0..5 {
        assert_eq!(ask(&app, &phone, "login").await.status(), 202);
        super::forget_resend_gap(&app, &phone).await;
    }
    let res = ask(&app, &phone, "login").await;
    let retry: u64 = header(&res, "retry-after").unwrap().parse().unwrap();
    assert!(retry > 60 && retry <= 3600, "{retry}");
    assert_problem(res, 429, "rate_limited").await;
}

#[tokio::test]
async fn the_client_address_has_its_own_limit() {
    let (app, _sms) = app_with_sms(Mode::Deliver, |s| s.auth.code_max_per_ip_hour = 3).await;
    for _ in 0..3 {
        assert_eq!(ask(&app, &random_phone(), "login").await.status(), 202);
    }
    let res = ask(&app, &random_phone(), "login").await;
    assert!(header(&res, "retry-after").is_some());
    assert_problem(res, 429, "rate_limited").await;
}

#[tokio::test]
async fn a_provider_error_is_503_and_leaves_no_usable_code() {
    let (app, sms) = app_with_sms(Mode::Fail, |_| {}).await;
    let phone = random_phone();
    let res = ask(&app, &phone, "login").await;
    assert_eq!(header(&res, "retry-after").as_deref(), Some("60"));
    assert_problem(res, 503, "sms_unavailable").await;
    assert!(sms.messages().is_empty());
    assert!(code_row(&app, &phone, "login").await.is_none());
}

#[tokio::test]
async fn the_stand_in_checks_the_signature() {
    // Signed with another key than the stand-in holds: Tencent would refuse it, and so we fail.
    let sms = StandIn::start(Mode::Deliver).await;
    let url = sms.url.clone();
    let app =
        spawn_with(|s| super::stand_in::use_stand_in(s, &url, "some-other-secret-key-000")).await;
    let res = ask(&app, &random_phone(), "login").await;
    assert_problem(res, 503, "sms_unavailable").await;
    assert_eq!(sms.bad_signatures(), 1);
    assert!(sms.messages().is_empty());
}
