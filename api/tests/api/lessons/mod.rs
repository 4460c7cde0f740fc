//! lessons API tests: listing and locales, grading and paying once, progress, admin writes,
//! the built-in set and demo data, the import command.

mod admin;
mod attempts;
mod builtin;
mod cli_import;
mod listing;

use reqwest::Response;
use serde_json::{json, Value};

use crate::helpers::{backend, spawn, TestApp};

/// Published in zh-CN and en; answers b, a, c; 10 points; pass mark 60.
pub const HELMET: &str = "fixture-helmet";
/// Published in zh-CN only; answers b, b; 5 points; pass mark 100.
pub const ZH_ONLY: &str = "fixture-zh-only";

pub fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lessons")
}

/// A test app with the fixture lessons imported next to the built-in ones.
pub async fn spawn_with_fixtures() -> TestApp {
    let app = spawn().await;
    let files = warmnew::lessons::source::read_dir(&fixtures_dir()).expect("read fixtures");
    let report = warmnew::lessons::store::import(&app.state.db, &files)
        .await
        .expect("import fixtures");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.written.len(), 3);
    app
}

pub fn answers(pairs: &[(&str, &str)]) -> Value {
    let list: Vec<Value> = pairs
        .iter()
        .map(|(q, o)| json!({"question_id": q, "option_id": o}))
        .collect();
    json!({ "answers": list })
}

/// The right answers to HELMET.
pub fn helmet_right() -> Value {
    answers(&[("q1", "b"), ("q2", "a"), ("q3", "c")])
}

pub async fn attempt(app: &TestApp, token: &str, slug: &str, body: Value) -> Response {
    app.post(
        &format!("/api/v1/lessons/{slug}/attempts"),
        Some(token),
        body,
    )
    .await
}

/// POST an attempt, asserting 200; returns the result.
pub async fn attempt_ok(app: &TestApp, token: &str, slug: &str, body: Value) -> Value {
    let res = attempt(app, token, slug, body).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "attempt on {}: {body}", backend());
    body
}

/// GET a JSON document, asserting the status; returns the body.
pub async fn get_json(app: &TestApp, path: &str, token: Option<&str>, status: u16) -> Value {
    let res = app.get(path, token).await;
    let got = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "GET {path} on {}: {body}", backend());
    body
}

/// Fails if any key anywhere in the document could carry a right answer.
pub fn assert_no_answers(doc: &Value) {
    fn walk(v: &Value, path: &str) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    let key = k.to_ascii_lowercase();
                    assert!(
                        !key.contains("answer")
                            && !key.contains("correct_option")
                            && !key.contains("right"),
                        "{path}.{k} in a public response"
                    );
                    walk(v, &format!("{path}.{k}"));
                }
            }
            Value::Array(items) => items
                .iter()
                .enumerate()
                .for_each(|(i, v)| walk(v, &format!("{path}[{i}]"))),
            _ => {}
        }
    }
    walk(doc, "$");
    assert!(!doc.to_string().contains("\"answer\""), "{doc}");
}

pub async fn attempt_rows(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    warmnew::entity::lesson_attempt::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

pub async fn progress_rows(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    warmnew::entity::lesson_progress::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

/// Ledger entries paid for lessons (to anyone).
pub async fn lesson_payments(app: &TestApp) -> Vec<warmnew::entity::points_ledger::Model> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    warmnew::entity::points_ledger::Entity::find()
        .filter(warmnew::entity::points_ledger::Column::Reason.eq("lesson"))
        .all(&app.state.db)
        .await
        .unwrap()
}

/// A valid admin body for a new lesson.
pub fn lesson_body(slug: &str, locale: &str) -> Value {
    json!({
        "slug": slug,
        "locale": locale,
        "title": if locale == "en" { "Draft lesson" } else { "草稿课程" },
        "summary": "summary",
        "category": "skills",
        "minutes": 3,
        "cover": "🛵",
        "points": 8,
        "pass_mark": 50,
        "body_md": "## Part one\n\nRead **this**. Call [110](tel:110).",
        "quiz": [
            {"id": "q1", "prompt": "One?", "options": ["x", "y"], "answer": 1},
            {"id": "q2", "prompt": "Two?", "options": ["x", "y", "z"], "answer": 2}
        ]
    })
}
