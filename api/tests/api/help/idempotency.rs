//! `Idempotency-Key` on POST /help-requests: replays, mismatches, per-user keys, concurrent
//! duplicates.

use serde_json::{json, Value};

use super::support::*;
use crate::helpers::*;

async fn post_keyed(app: &TestApp, token: &str, key: &str, body: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/help-requests"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .header("Idempotency-Key", key)
        .body(body.to_string())
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_repeat_replays_the_first_answer() {
    let w = world().await;
    let body = at_station("vehicle_breakdown", &w.s1).to_string();
    let first = post_keyed(&w.app, &w.rider1, "order-42-flat-tyre", &body).await;
    assert_eq!(first.status(), 201);
    assert_eq!(header(&first, "idempotent-replayed"), None);
    let first: Value = first.json().await.unwrap();
    let after_first = counts(&w.app).await;
    assert_eq!(after_first, (1, 1, 1));

    // The same body, written differently (key order, spacing, the default urgency spelled out).
    let mut same: Value = serde_json::from_str(&body).unwrap();
    same["urgency"] = json!("normal");
    let reordered = format!(
        "{{ \"station_id\": {}, \"urgency\": \"normal\", \"description\": {}, \"category\": \"vehicle_breakdown\" }}",
        same["station_id"], same["description"]
    );
    for text in [body.clone(), reordered] {
        let again = post_keyed(&w.app, &w.rider1, "order-42-flat-tyre", &text).await;
        assert_eq!(again.status(), 201);
        assert_eq!(
            header(&again, "idempotent-replayed").as_deref(),
            Some("true")
        );
        let again: Value = again.json().await.unwrap();
        assert_eq!(again, first, "the very same answer");
    }
    assert_eq!(counts(&w.app).await, after_first, "nothing new was written");
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused() {
    let w = world().await;
    let body = at_station("vehicle_breakdown", &w.s1);
    post_keyed(&w.app, &w.rider1, "k-1", &body.to_string()).await;
    let before = counts(&w.app).await;
    let mut other = body.clone();
    other["description"] = json!("另一件事");
    let res = post_keyed(&w.app, &w.rider1, "k-1", &other.to_string()).await;
    assert_problem(res, 409, "idempotency_key_mismatch").await;
    assert_eq!(counts(&w.app).await, before);
}

#[tokio::test]
async fn keys_belong_to_their_user_and_no_key_means_no_dedup() {
    let w = world().await;
    let body = at_station("other", &w.s1).to_string();
    let a: Value = post_keyed(&w.app, &w.rider1, "same-key", &body)
        .await
        .json()
        .await
        .unwrap();
    let res = post_keyed(&w.app, &w.rider2, "same-key", &body).await;
    assert_eq!(res.status(), 201);
    assert_eq!(header(&res, "idempotent-replayed"), None);
    let b: Value = res.json().await.unwrap();
    assert_ne!(a["id"], b["id"]);
    create(&w.app, &w.rider1, at_station("other", &w.s1)).await;
    create(&w.app, &w.rider1, at_station("other", &w.s1)).await;
    assert_eq!(counts(&w.app).await.0, 4);
}

#[tokio::test]
async fn bad_keys_are_named() {
    let w = world().await;
    let body = at_station("other", &w.s1).to_string();
    let long = "k".repeat(101);
    for key in ["", "two words", long.as_str()] {
        let res = post_keyed(&w.app, &w.rider1, key, &body).await;
        let p = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(
            error_code(&p, "Idempotency-Key"),
            "invalid_idempotency_key",
            "{key:?}"
        );
    }
    // Not ASCII at all.
    let res = w
        .app
        .client
        .post(w.app.url("/api/v1/help-requests"))
        .bearer_auth(&w.rider1)
        .header("content-type", "application/json")
        .header(
            "Idempotency-Key",
            reqwest::header::HeaderValue::from_bytes("键".as_bytes()).unwrap(),
        )
        .body(body.clone())
        .send()
        .await
        .unwrap();
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&p), ["Idempotency-Key"]);
    assert_eq!(counts(&w.app).await, (0, 0, 0));
    assert_eq!(
        post_keyed(&w.app, &w.rider1, &"k".repeat(100), &body)
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn concurrent_duplicates_file_one_request() {
    let w = world().await;
    let body = at_station("traffic_accident", &w.s1).to_string();
    let sends = (0..8).map(|_| post_keyed(&w.app, &w.rider1, "tap-tap-tap", &body));
    let answers = futures_util::future::join_all(sends).await;
    let mut ids = Vec::new();
    let mut replays = 0;
    for res in answers {
        assert_eq!(res.status(), 201, "on {}", backend());
        if header(&res, "idempotent-replayed").is_some() {
            replays += 1;
        }
        let v: Value = res.json().await.unwrap();
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one request for all eight: {ids:?}");
    assert_eq!(replays, 7);
    assert_eq!(counts(&w.app).await, (1, 1, 1));
}

#[tokio::test]
async fn a_repeat_is_answered_as_before_even_when_the_world_changed() {
    let w = world().await;
    let body = at_station("other", &w.s1).to_string();
    let first: Value = post_keyed(&w.app, &w.rider1, "before-closing", &body)
        .await
        .json()
        .await
        .unwrap();
    let res = w
        .app
        .delete(&format!("/api/v1/stations/{}", w.s1), Some(&w.admin))
        .await;
    assert_eq!(res.status(), 204);
    let again = post_keyed(&w.app, &w.rider1, "before-closing", &body).await;
    assert_eq!(
        header(&again, "idempotent-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    // A new request at the closed station is refused.
    let res = post_keyed(&w.app, &w.rider1, "after-closing", &body).await;
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_code(&p, "station_id"), "station_closed");
    assert_eq!(counts(&w.app).await, (1, 1, 1));
}
