//! Admin writes: create (draft), publish, replace with versions, the source with answers,
//! validation, locale agreement, and Markdown that can never become live HTML.

use reqwest::Method;
use serde_json::{json, Value};

use super::*;
use crate::helpers::{assert_problem, error_code, error_fields, header};

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.request(Method::PUT, path, Some(token), Some(body))
        .await
}

async fn lesson_rows(app: &TestApp, slug: &str) -> Vec<warmnew::entity::lesson::Model> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    warmnew::entity::lesson::Entity::find()
        .filter(warmnew::entity::lesson::Column::Slug.eq(slug))
        .all(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_new_lesson_is_a_draft_until_published() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let rider = app.rider_token().await;

    let res = app
        .post(
            "/api/v1/lessons",
            Some(&admin),
            lesson_body("new-one", "zh-CN"),
        )
        .await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(
        (
            &created["version"],
            &created["published"],
            &created["order"]
        ),
        (&json!(1), &json!(false), &json!(100))
    );
    assert_eq!(
        created["quiz"][1]["answer"], 2,
        "the admin's view has the answers"
    );

    // Riders and anonymous callers do not see drafts; admins do, uncached.
    assert_problem(
        app.get("/api/v1/lessons/new-one", Some(&rider)).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get("/api/v1/lessons/new-one", None).await,
        404,
        "not_found",
    )
    .await;
    let list = get_json(&app, "/api/v1/lessons", None, 200).await;
    assert!(!list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["slug"] == "new-one"));
    let res = app.get("/api/v1/lessons/new-one", Some(&admin)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(&res, "cache-control").as_deref(),
        Some("private, no-store")
    );
    let list = get_json(&app, "/api/v1/lessons", Some(&admin), 200).await;
    let card = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "new-one")
        .cloned();
    assert_eq!(card.expect("admins list drafts")["published"], false);

    let res = app
        .post("/api/v1/lessons/new-one/publish", Some(&admin), json!({}))
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body,
        json!({"slug": "new-one", "published": true, "locales": ["zh-CN"]})
    );
    let page = get_json(&app, "/api/v1/lessons/new-one", Some(&rider), 200).await;
    assert_eq!(page["title"], "草稿课程");
    let r = attempt_ok(
        &app,
        &rider,
        "new-one",
        answers(&[("q1", "b"), ("q2", "c")]),
    )
    .await;
    assert_eq!(r["points_awarded"], 8);

    app.post("/api/v1/lessons/new-one/unpublish", Some(&admin), json!({}))
        .await;
    assert_problem(
        app.get("/api/v1/lessons/new-one", Some(&rider)).await,
        404,
        "not_found",
    )
    .await;
    // Earned points and progress stay.
    let progress = get_json(&app, "/api/v1/me/progress", Some(&rider), 200).await;
    assert_eq!(progress["items"][0]["points_awarded"], 8);
    assert_eq!(
        progress["completed"], 0,
        "no longer published, no longer counted"
    );

    assert_problem(
        app.post("/api/v1/lessons/nope/publish", Some(&admin), json!({}))
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn only_admins_write_or_read_sources() {
    let app = spawn_with_fixtures().await;
    let rider = app.rider_token().await;
    let staff = crate::helpers::token(
        &app.user_with_role(warmnew::auth::Role::Staff, Some("310106"))
            .await,
    )
    .to_string();
    for token in [&rider, &staff] {
        let res = app
            .post(
                "/api/v1/lessons",
                Some(token),
                lesson_body("x-lesson", "en"),
            )
            .await;
        assert_problem(res, 403, "forbidden").await;
        let res = put(
            &app,
            token,
            &format!("/api/v1/lessons/{HELMET}/en"),
            lesson_body(HELMET, "en"),
        )
        .await;
        assert_problem(res, 403, "forbidden").await;
        let res = app
            .post(
                &format!("/api/v1/lessons/{HELMET}/unpublish"),
                Some(token),
                json!({}),
            )
            .await;
        assert_problem(res, 403, "forbidden").await;
        let res = app
            .get(&format!("/api/v1/lessons/{HELMET}/source"), Some(token))
            .await;
        assert_problem(res, 403, "forbidden").await;
    }
    assert_problem(
        app.post("/api/v1/lessons", None, lesson_body("x-lesson", "en"))
            .await,
        401,
        "unauthorized",
    )
    .await;
    assert!(lesson_rows(&app, "x-lesson").await.is_empty());
    assert!(lesson_rows(&app, HELMET).await.iter().all(|r| r.published));

    let admin = app.admin_token().await;
    let src = get_json(
        &app,
        &format!("/api/v1/lessons/{HELMET}/source?locale=en"),
        Some(&admin),
        200,
    )
    .await;
    assert_eq!(src["quiz"][0]["answer"], 1);
    assert_eq!(src["order"], 1);
    assert!(src["body_md"]
        .as_str()
        .unwrap()
        .starts_with("## Why a helmet"));
    assert_problem(
        app.get(
            &format!("/api/v1/lessons/{ZH_ONLY}/source?locale=en"),
            Some(&admin),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn invalid_lessons_are_422_naming_each_field() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let mut body = lesson_body("Bad Slug", "fr");
    body["title"] = json!("题".repeat(61));
    body["category"] = json!("weather");
    body["minutes"] = json!(0);
    body["cover"] = json!("no");
    body["points"] = json!(101);
    body["pass_mark"] = json!(0);
    body["quiz"][0]["answer"] = json!(2);
    body["quiz"][1]["id"] = json!("q1");
    let p = assert_problem(
        app.post("/api/v1/lessons", Some(&admin), body).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&p),
        [
            "category",
            "cover",
            "locale",
            "minutes",
            "pass_mark",
            "points",
            "quiz[0].answer",
            "quiz[1].id",
            "slug",
            "title"
        ]
    );
    let mut one = lesson_body("ok-slug", "en");
    one["quiz"] = json!([{"id": "q1", "prompt": "?", "options": ["a", "b"], "answer": 0}]);
    let p = assert_problem(
        app.post("/api/v1/lessons", Some(&admin), one).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_code(&p, "quiz"), "wrong_length");
    let mut six = lesson_body("ok-slug", "en");
    six["quiz"][0]["options"] = json!(["1", "2", "3", "4", "5"]);
    let p = assert_problem(
        app.post("/api/v1/lessons", Some(&admin), six).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_code(&p, "quiz[0].options"), "wrong_length");
    let mut unknown = lesson_body("ok-slug", "en");
    unknown["quiz"][0]["correct"] = json!(1);
    let p = assert_problem(
        app.post("/api/v1/lessons", Some(&admin), unknown).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_code(&p, "quiz[0].correct"), "unknown_field");
    let mut long = lesson_body("ok-slug", "en");
    long["body_md"] = json!("长".repeat(8001));
    let p = assert_problem(
        app.post("/api/v1/lessons", Some(&admin), long).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_code(&p, "body_md"), "too_long");
    assert!(lesson_rows(&app, "ok-slug").await.is_empty());
}

#[tokio::test]
async fn both_locales_must_agree() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    assert_eq!(
        app.post(
            "/api/v1/lessons",
            Some(&admin),
            lesson_body("pair", "zh-CN")
        )
        .await
        .status(),
        201
    );
    let res = app
        .post(
            "/api/v1/lessons",
            Some(&admin),
            lesson_body("pair", "zh-CN"),
        )
        .await;
    assert_problem(res, 409, "conflict").await;

    let mut en = lesson_body("pair", "en");
    en["points"] = json!(9);
    en["quiz"][0]["answer"] = json!(0);
    let p = assert_problem(
        app.post("/api/v1/lessons", Some(&admin), en).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_code(&p, "points"), "locale_mismatch");
    assert_eq!(error_code(&p, "quiz[0].answer"), "locale_mismatch");
    assert_eq!(lesson_rows(&app, "pair").await.len(), 1);

    let res = app
        .post("/api/v1/lessons", Some(&admin), lesson_body("pair", "en"))
        .await;
    assert_eq!(res.status(), 201);
    app.post("/api/v1/lessons/pair/publish", Some(&admin), json!({}))
        .await;
    let page = get_json(&app, "/api/v1/lessons/pair?locale=en", None, 200).await;
    assert_eq!(page["available_locales"], json!(["zh-CN", "en"]));
}

#[tokio::test]
async fn replacing_a_locale_bumps_its_version_and_shares_lesson_fields() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    app.post(
        "/api/v1/lessons",
        Some(&admin),
        lesson_body("edit-me", "zh-CN"),
    )
    .await;
    app.post(
        "/api/v1/lessons",
        Some(&admin),
        lesson_body("edit-me", "en"),
    )
    .await;

    let mut en = lesson_body("edit-me", "en");
    en["title"] = json!("Edited");
    en["points"] = json!(12);
    let res = put(&app, &admin, "/api/v1/lessons/edit-me/en", en.clone()).await;
    assert_eq!(res.status(), 200);
    let src: Value = res.json().await.unwrap();
    assert_eq!(
        (&src["title"], &src["version"], &src["points"]),
        (&json!("Edited"), &json!(2), &json!(12))
    );
    assert_eq!(
        src["published"], false,
        "an absent `published` keeps the flag"
    );
    // Points belong to the lesson: the Chinese version follows, as a new version.
    let zh = get_json(&app, "/api/v1/lessons/edit-me/source", Some(&admin), 200).await;
    assert_eq!(
        (&zh["points"], &zh["version"], &zh["title"]),
        (&json!(12), &json!(2), &json!("草稿课程"))
    );

    // The same content again is not a new version.
    let src: Value = put(&app, &admin, "/api/v1/lessons/edit-me/en", en.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(src["version"], 2);
    en["published"] = json!(true);
    let src: Value = put(&app, &admin, "/api/v1/lessons/edit-me/en", en.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (&src["version"], &src["published"]),
        (&json!(2), &json!(true))
    );

    // The quiz's answers must stay the same in both locales.
    let mut changed = en.clone();
    changed["quiz"][1]["answer"] = json!(0);
    let p = assert_problem(
        put(&app, &admin, "/api/v1/lessons/edit-me/en", changed).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_code(&p, "quiz[1].answer"), "locale_mismatch");
    let p = assert_problem(
        put(&app, &admin, "/api/v1/lessons/edit-me/zh-CN", en.clone()).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_code(&p, "locale"), "path_mismatch");
    assert_problem(
        put(
            &app,
            &admin,
            "/api/v1/lessons/missing/en",
            lesson_body("missing", "en"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let rows = lesson_rows(&app, "edit-me").await;
    assert!(rows.iter().all(|r| r.version == 2), "nothing half-written");
}

#[tokio::test]
async fn markdown_never_becomes_live_html() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    for (md, code) in [
        ("Hi <script>alert(1)</script>", "raw_html"),
        ("<img src=x onerror=alert(1)>", "raw_html"),
        ("[prize](javascript:alert(1))", "unsafe_link"),
        ("![x](https://evil.example/pixel.png)", "image_not_allowed"),
    ] {
        let mut body = lesson_body("unsafe", "en");
        body["body_md"] = json!(md);
        let p = assert_problem(
            app.post("/api/v1/lessons", Some(&admin), body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_code(&p, "body_md"), code, "{md}");
    }
    assert!(lesson_rows(&app, "unsafe").await.is_empty());

    // A row that got past validation some other way (an older release, a manual fix) is
    // still rendered inert.
    let mut body = lesson_body("legacy", "en");
    body["published"] = json!(true);
    assert_eq!(
        app.post("/api/v1/lessons", Some(&admin), body)
            .await
            .status(),
        201
    );
    {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let row = lesson_rows(&app, "legacy").await.remove(0);
        let mut active: warmnew::entity::lesson::ActiveModel = row.into();
        active.body_md = Set("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> [go](javascript:alert(1)) [ok](https://12351.org)".into());
        active.content_hash = Set("legacy-edited".into());
        active.update(&app.state.db).await.unwrap();
    }
    let page = get_json(&app, "/api/v1/lessons/legacy?locale=en", None, 200).await;
    let html = page["body_html"].as_str().unwrap();
    assert!(
        !html.contains("<script") && !html.contains("<img") && !html.contains("javascript:"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(
        html.contains("<a href=\"https://12351.org\">ok</a>"),
        "{html}"
    );
    assert!(html.contains("go"), "the link text stays: {html}");
}
