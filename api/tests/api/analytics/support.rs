//! The help tests' small city plus ways to act in it: riders checking in, the rollup.

use serde_json::Value;

pub use crate::help::support::world;
use crate::helpers::*;
use crate::points::support as points;

/// GET an analytics path, asserting 200; returns the JSON.
pub async fn get_ok(app: &TestApp, token: &str, path: &str) -> Value {
    let res = app.get(path, Some(token)).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{path} on {}: {text}", backend());
    serde_json::from_str(&text).unwrap()
}

/// `n` fresh riders check in at `station`; returns their tokens.
pub async fn visitors(app: &TestApp, station: &str, operator: &str, n: usize) -> Vec<String> {
    let code = points::checkin_code(app, station, operator).await;
    let mut out = Vec::new();
    for _ in 0..n {
        let rider = app.rider_token().await;
        let res = points::check_in(app, station, &rider, &code).await;
        assert_eq!(res.status(), 201);
        out.push(rider);
    }
    out
}

/// Rebuilds the rollups now (what the background job does every two minutes).
pub async fn rollup(app: &TestApp) {
    assert!(
        warmnew::analytics::rollup::run_once(&app.state, chrono::Utc::now())
            .await
            .expect("rollup")
    );
}
