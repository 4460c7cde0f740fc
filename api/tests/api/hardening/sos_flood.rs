//! One rider, fifty SOS taps at once: one request, never a refusal. Other requests are
//! limited per rider with 429 + Retry-After, and the limit never blocks an SOS.

use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::{assert_problem, header, spawn_with, token};

#[actix_web::test]
async fn sos_repeats_fold_and_other_requests_are_limited() {
    let app = spawn_with(|s| s.help.max_requests_per_rider_per_hour = 3).await;
    let (_, tokens) = app.register_rider().await;
    let rider = token(&tokens).to_string();
    let sos = json!({"category": "medical", "urgency": "sos", "description": "胸口疼",
        "lat": 31.2235, "lng": 121.4452});
    let answers =
        join_all((0..50).map(|_| app.post("/api/v1/help-requests", Some(&rider), sos.clone())))
            .await;
    let mut ids = std::collections::HashSet::new();
    for res in answers {
        assert!(
            res.status().is_success(),
            "an SOS is never refused: {}",
            res.status()
        );
        let body: serde_json::Value = res.json().await.unwrap();
        ids.insert(body["id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 1, "fifty taps, one emergency");

    let normal = json!({"category": "other", "description": "想咨询一下"});
    for _ in 0..3 {
        let res = app
            .post("/api/v1/help-requests", Some(&rider), normal.clone())
            .await;
        assert_eq!(res.status(), 201);
    }
    let res = app
        .post("/api/v1/help-requests", Some(&rider), normal.clone())
        .await;
    assert!(header(&res, "retry-after").is_some());
    assert_problem(res, 429, "rate_limited").await;
    // Still folded, still answered.
    let res = app.post("/api/v1/help-requests", Some(&rider), sos).await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(ids.contains(body["id"].as_str().unwrap()));
}
