//! Lesson cards and lesson pages: locales and fallback, safe HTML, no answers, caching.

use serde_json::Value;

use super::*;
use crate::helpers::{assert_problem, error_code, header};

fn card<'a>(list: &'a Value, slug: &str) -> &'a Value {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == slug)
        .unwrap_or_else(|| panic!("no card {slug} in {list}"))
}

#[tokio::test]
async fn cards_come_in_the_asked_locale_or_the_other() {
    let app = spawn_with_fixtures().await;
    let res = app.get("/api/v1/lessons?locale=en", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(&res, "cache-control").as_deref(),
        Some("public, max-age=60")
    );
    let list: Value = res.json().await.unwrap();
    let items = list["items"].as_array().unwrap();
    // The fixtures sort first (order 1, 2), the built-in lessons follow by slug.
    assert_eq!(items[0]["slug"], HELMET);
    assert_eq!(items[1]["slug"], ZH_ONLY);
    assert!(
        items.len() >= 14,
        "built-in lessons missing: {}",
        items.len()
    );
    let slugs: Vec<&str> = items.iter().map(|c| c["slug"].as_str().unwrap()).collect();
    let mut unique = slugs.clone();
    unique.dedup();
    assert_eq!(slugs, unique, "one card per lesson");
    let helmet = card(&list, HELMET);
    assert_eq!(helmet["locale"], "en");
    assert_eq!(helmet["title"], "Test lesson: wear your helmet right");
    assert_eq!(
        (
            &helmet["points"],
            &helmet["minutes"],
            &helmet["cover"],
            &helmet["version"]
        ),
        (
            &Value::from(10),
            &Value::from(2),
            &Value::from("⛑️"),
            &Value::from(1)
        )
    );
    assert!(
        helmet.get("progress").is_none(),
        "anonymous cards carry no progress"
    );
    assert_eq!(card(&list, ZH_ONLY)["locale"], "zh-CN");
    assert_no_answers(&list);

    let zh = get_json(&app, "/api/v1/lessons", None, 200).await;
    assert_eq!(card(&zh, HELMET)["locale"], "zh-CN");
    assert_eq!(card(&zh, HELMET)["title"], "测试课：头盔要戴好");
}

#[tokio::test]
async fn cards_filter_by_category_and_reject_unknown_values() {
    let app = spawn_with_fixtures().await;
    let list = get_json(&app, "/api/v1/lessons?category=policy&locale=en", None, 200).await;
    let items = list["items"].as_array().unwrap();
    assert!(items.iter().all(|c| c["category"] == "policy"), "{list}");
    assert!(items.iter().any(|c| c["slug"] == ZH_ONLY));
    assert!(!items.iter().any(|c| c["slug"] == HELMET));

    let res = app.get("/api/v1/lessons?category=weather", None).await;
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_code(&p, "category"), "invalid_category");
    let res = app.get("/api/v1/lessons?locale=fr", None).await;
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_code(&p, "locale"), "invalid_locale");
    let res = app
        .get(&format!("/api/v1/lessons/{HELMET}?locale=de"), None)
        .await;
    assert_problem(res, 422, "validation_failed").await;
}

#[tokio::test]
async fn a_lesson_page_has_safe_html_and_a_quiz_without_answers() {
    let app = spawn_with_fixtures().await;
    let res = app
        .get(&format!("/api/v1/lessons/{HELMET}?locale=en"), None)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(&res, "cache-control").as_deref(),
        Some("public, max-age=300")
    );
    let etag = header(&res, "etag").expect("etag");
    let lesson: Value = res.json().await.unwrap();
    assert_eq!(lesson["locale"], "en");
    assert_eq!(lesson["pass_mark"], 60);
    assert_eq!(
        lesson["available_locales"],
        serde_json::json!(["zh-CN", "en"])
    );
    let html = lesson["body_html"].as_str().unwrap();
    assert!(html.contains("<h2>Why a helmet</h2>"), "{html}");
    assert!(html.contains("<strong>Head injuries</strong>"));
    assert!(html.contains(r#"<a href="tel:12351">12351</a>"#));
    let questions = lesson["quiz"]["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 3);
    assert_eq!(questions[0]["id"], "q1");
    assert_eq!(questions[0]["prompt"], "How should the chin strap be?");
    let ids: Vec<&str> = questions[2]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(questions[2]["options"][2]["text"], "Every ride");
    assert_no_answers(&lesson);

    // Revalidation: the same version answers 304.
    let res = app
        .client
        .get(app.url(&format!("/api/v1/lessons/{HELMET}?locale=en")))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    let zh = app.get(&format!("/api/v1/lessons/{HELMET}"), None).await;
    assert_ne!(
        header(&zh, "etag"),
        Some(etag),
        "each locale has its own validator"
    );

    // No English version: the Chinese one, saying so.
    let only = get_json(
        &app,
        &format!("/api/v1/lessons/{ZH_ONLY}?locale=en"),
        None,
        200,
    )
    .await;
    assert_eq!(only["locale"], "zh-CN");
    assert_eq!(only["available_locales"], serde_json::json!(["zh-CN"]));
}

#[tokio::test]
async fn unknown_lessons_are_404() {
    let app = spawn_with_fixtures().await;
    for path in [
        "/api/v1/lessons/no-such-lesson",
        "/api/v1/lessons/Not_A_Slug",
        "/api/v1/lessons/%E8%AF%BE",
    ] {
        assert_problem(app.get(path, None).await, 404, "not_found").await;
    }
}

#[tokio::test]
async fn no_public_response_carries_an_answer() {
    let app = spawn_with_fixtures().await;
    let rider = app.rider_token().await;
    for locale in ["zh-CN", "en"] {
        let list = get_json(
            &app,
            &format!("/api/v1/lessons?locale={locale}"),
            Some(&rider),
            200,
        )
        .await;
        assert_no_answers(&list);
        for card in list["items"].as_array().unwrap() {
            let slug = card["slug"].as_str().unwrap();
            let page = get_json(
                &app,
                &format!("/api/v1/lessons/{slug}?locale={locale}"),
                None,
                200,
            )
            .await;
            assert_no_answers(&page);
            assert!(!page["quiz"]["questions"].as_array().unwrap().is_empty());
        }
    }
    let result = attempt_ok(
        &app,
        &rider,
        HELMET,
        answers(&[("q1", "a"), ("q2", "a"), ("q3", "a")]),
    )
    .await;
    assert_no_answers(&result);
    let progress = get_json(&app, "/api/v1/me/progress", Some(&rider), 200).await;
    assert_no_answers(&progress);
}

#[tokio::test]
async fn riders_see_their_progress_on_each_card() {
    let app = spawn_with_fixtures().await;
    let rider = app.rider_token().await;
    let res = app.get("/api/v1/lessons", Some(&rider)).await;
    assert_eq!(
        header(&res, "cache-control").as_deref(),
        Some("private, no-cache")
    );
    let list: Value = res.json().await.unwrap();
    assert_eq!(
        card(&list, HELMET)["progress"],
        serde_json::json!({"passed": false, "best_score": 0, "attempts": 0, "points_awarded": 0})
    );
    attempt_ok(&app, &rider, HELMET, helmet_right()).await;
    attempt_ok(
        &app,
        &rider,
        HELMET,
        answers(&[("q1", "a"), ("q2", "a"), ("q3", "a")]),
    )
    .await;
    let list = get_json(&app, "/api/v1/lessons", Some(&rider), 200).await;
    assert_eq!(
        card(&list, HELMET)["progress"],
        serde_json::json!({"passed": true, "best_score": 100, "attempts": 2, "points_awarded": 10})
    );
    assert_eq!(card(&list, ZH_ONLY)["progress"]["attempts"], 0);
    // Another rider's progress is their own.
    let other = app.rider_token().await;
    let list = get_json(&app, "/api/v1/lessons", Some(&other), 200).await;
    assert_eq!(card(&list, HELMET)["progress"]["attempts"], 0);
}
