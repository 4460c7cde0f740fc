//! Quiz attempts: grading, paying once (also under 20 parallel passes), progress, bad input.

use serde_json::{json, Value};

use super::*;
use crate::helpers::{assert_problem, error_code, error_fields, token};

#[tokio::test]
async fn attempts_are_graded_and_pay_once() {
    let app = spawn_with_fixtures().await;
    let rider = app.rider_token().await;

    let r = attempt_ok(
        &app,
        &rider,
        HELMET,
        answers(&[("q1", "a"), ("q2", "b"), ("q3", "d")]),
    )
    .await;
    assert_eq!(
        r,
        json!({"score": 0, "passed": false, "correct": 0, "total": 3,
               "wrong_question_ids": ["q1", "q2", "q3"], "points_awarded": 0,
               "already_awarded": false, "balance": 0})
    );
    // Answers in any order; one wrong still passes a pass mark of 60.
    let r = attempt_ok(
        &app,
        &rider,
        HELMET,
        answers(&[("q3", "c"), ("q2", "b"), ("q1", "b")]),
    )
    .await;
    assert_eq!(
        r,
        json!({"score": 67, "passed": true, "correct": 2, "total": 3,
               "wrong_question_ids": ["q2"], "points_awarded": 10,
               "already_awarded": false, "balance": 10})
    );
    let r = attempt_ok(&app, &rider, HELMET, helmet_right()).await;
    assert_eq!((&r["score"], &r["passed"]), (&json!(100), &json!(true)));
    assert_eq!(r["wrong_question_ids"], json!([]));
    assert_eq!(
        (&r["points_awarded"], &r["already_awarded"], &r["balance"]),
        (&json!(0), &json!(true), &json!(10))
    );
    // The English version is the same lesson: no second payment.
    let mut en = helmet_right();
    en["locale"] = json!("en");
    let r = attempt_ok(&app, &rider, HELMET, en).await;
    assert_eq!(
        (&r["points_awarded"], &r["already_awarded"]),
        (&json!(0), &json!(true))
    );
    let r = attempt_ok(
        &app,
        &rider,
        HELMET,
        answers(&[("q1", "a"), ("q2", "a"), ("q3", "a")]),
    )
    .await;
    assert_eq!(
        (&r["passed"], &r["already_awarded"], &r["balance"]),
        (&json!(false), &json!(true), &json!(10))
    );

    assert_eq!(lesson_payments(&app).await.len(), 1);
    assert_eq!(attempt_rows(&app).await, 5);

    let progress = get_json(&app, "/api/v1/me/progress?locale=en", Some(&rider), 200).await;
    let items = progress["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{progress}");
    let item = &items[0];
    assert_eq!(item["slug"], HELMET);
    assert_eq!(item["title"], "Test lesson: wear your helmet right");
    assert_eq!(
        (
            &item["passed"],
            &item["best_score"],
            &item["attempts"],
            &item["points_awarded"]
        ),
        (&json!(true), &json!(100), &json!(5), &json!(10))
    );
    assert!(item["first_passed_at"].is_string());
    assert_eq!(progress["completed"], 1);
    assert!(progress["total_published"].as_i64().unwrap() >= 14);
}

#[tokio::test]
async fn each_rider_is_paid_once_for_each_lesson() {
    let app = spawn_with_fixtures().await;
    let a = app.rider_token().await;
    let b = app.rider_token().await;
    let r = attempt_ok(&app, &a, HELMET, helmet_right()).await;
    assert_eq!(r["points_awarded"], 10);
    let r = attempt_ok(&app, &b, HELMET, helmet_right()).await;
    assert_eq!(
        (&r["points_awarded"], &r["balance"]),
        (&json!(10), &json!(10))
    );
    // Pass mark 100: one wrong fails; then the full marks pay 5 more.
    let r = attempt_ok(&app, &a, ZH_ONLY, answers(&[("q1", "b"), ("q2", "a")])).await;
    assert_eq!(
        (&r["score"], &r["passed"], &r["points_awarded"]),
        (&json!(50), &json!(false), &json!(0))
    );
    let r = attempt_ok(&app, &a, ZH_ONLY, answers(&[("q1", "b"), ("q2", "b")])).await;
    assert_eq!(
        (&r["points_awarded"], &r["balance"]),
        (&json!(5), &json!(15))
    );
    assert_eq!(lesson_payments(&app).await.len(), 3);
    let progress = get_json(&app, "/api/v1/me/progress", Some(&a), 200).await;
    assert_eq!(progress["completed"], 2);
    let b_progress = get_json(&app, "/api/v1/me/progress", Some(&b), 200).await;
    assert_eq!(b_progress["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn twenty_parallel_passes_pay_exactly_once() {
    let app = spawn_with_fixtures().await;
    let rider = app.rider_token().await;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let client = app.client.clone();
            let url = app.url(&format!("/api/v1/lessons/{HELMET}/attempts"));
            let rider = rider.clone();
            tokio::spawn(async move {
                let res = client
                    .post(url)
                    .bearer_auth(rider)
                    .json(&helmet_right())
                    .send()
                    .await
                    .unwrap();
                (res.status().as_u16(), res.json::<Value>().await.unwrap())
            })
        })
        .collect();
    let mut paid = 0;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, 200, "on {}: {body}", crate::helpers::backend());
        assert_eq!(body["passed"], true);
        assert_eq!(body["balance"], 10, "{body}");
        if body["points_awarded"].as_i64().unwrap() > 0 {
            paid += 1;
            assert_eq!(body["already_awarded"], false);
        } else {
            assert_eq!(body["already_awarded"], true);
        }
    }
    assert_eq!(
        paid,
        1,
        "exactly one response pays on {}",
        crate::helpers::backend()
    );
    let payments = lesson_payments(&app).await;
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0].delta, 10);
    assert_eq!(attempt_rows(&app).await, 20);
    let progress = get_json(&app, "/api/v1/me/progress", Some(&rider), 200).await;
    let item = &progress["items"][0];
    assert_eq!(
        (&item["attempts"], &item["points_awarded"]),
        (&json!(20), &json!(10))
    );
}

#[tokio::test]
async fn bad_answers_are_422_and_write_nothing() {
    let app = spawn_with_fixtures().await;
    let rider = app.rider_token().await;
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            answers(&[("q1", "b"), ("q2", "a")]),
            "answers",
            "wrong_length",
        ),
        (answers(&[]), "answers", "wrong_length"),
        (
            answers(&[("q1", "b"), ("q2", "a"), ("q3", "c"), ("q3", "c")]),
            "answers",
            "wrong_length",
        ),
        (
            answers(&[("q1", "b"), ("q1", "a"), ("q3", "c")]),
            "answers[1].question_id",
            "duplicate",
        ),
        (
            answers(&[("q1", "b"), ("q9", "a"), ("q3", "c")]),
            "answers[1].question_id",
            "unknown_question",
        ),
        // q2 has two options: a and b.
        (
            answers(&[("q1", "b"), ("q2", "c"), ("q3", "c")]),
            "answers[1].option_id",
            "unknown_option",
        ),
        (
            answers(&[("q1", "b"), ("q2", "a"), ("q3", "e")]),
            "answers[2].option_id",
            "unknown_option",
        ),
        (
            answers(&[("q1", "B"), ("q2", "a"), ("q3", "c")]),
            "answers[0].option_id",
            "unknown_option",
        ),
        (
            json!({"answers": [{"question_id": "q1"}]}),
            "answers[0].option_id",
            "required",
        ),
        (json!({"answers": "b,a,c"}), "answers", "invalid_type"),
        (json!({}), "answers", "required"),
    ];
    for (body, field, code) in cases {
        let res = attempt(&app, &rider, HELMET, body.clone()).await;
        let p = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_code(&p, field), code, "{body} -> {p}");
    }
    let mut extra = helmet_right();
    extra["points"] = json!(100);
    let p = assert_problem(
        attempt(&app, &rider, HELMET, extra).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&p), ["points"]);
    let mut bad_locale = helmet_right();
    bad_locale["locale"] = json!("fr");
    let p = assert_problem(
        attempt(&app, &rider, HELMET, bad_locale).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&p), ["locale"]);

    assert_eq!(attempt_rows(&app).await, 0);
    assert_eq!(progress_rows(&app).await, 0);
    assert!(lesson_payments(&app).await.is_empty());
}

#[tokio::test]
async fn only_riders_answer_published_lessons_of_the_current_version() {
    let app = spawn_with_fixtures().await;
    let rider = app.rider_token().await;
    let admin = app.admin_token().await;

    assert_problem(
        attempt(&app, &rider, "no-such-lesson", helmet_right()).await,
        404,
        "not_found",
    )
    .await;
    // A draft exists for admins only.
    let res = app
        .post(
            "/api/v1/lessons",
            Some(&admin),
            lesson_body("fixture-draft", "zh-CN"),
        )
        .await;
    assert_eq!(res.status(), 201);
    let draft = answers(&[("q1", "b"), ("q2", "c")]);
    assert_problem(
        attempt(&app, &rider, "fixture-draft", draft.clone()).await,
        404,
        "not_found",
    )
    .await;

    assert_problem(
        attempt(&app, &admin, HELMET, helmet_right()).await,
        403,
        "forbidden",
    )
    .await;
    let staff = app
        .user_with_role(warmnew::auth::Role::Staff, Some("310106"))
        .await;
    assert_problem(
        attempt(&app, token(&staff), HELMET, helmet_right()).await,
        403,
        "forbidden",
    )
    .await;
    let res = app
        .post(
            &format!("/api/v1/lessons/{HELMET}/attempts"),
            None,
            helmet_right(),
        )
        .await;
    assert_problem(res, 401, "unauthorized").await;

    let mut stale = helmet_right();
    stale["version"] = json!(7);
    let p = assert_problem(attempt(&app, &rider, HELMET, stale).await, 409, "conflict").await;
    assert_eq!(p["current_version"], 1);
    let mut current = helmet_right();
    current["version"] = json!(1);
    attempt_ok(&app, &rider, HELMET, current).await;
    assert_eq!(attempt_rows(&app).await, 1);

    let p = assert_problem(
        app.get("/api/v1/me/progress", Some(&admin)).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(p["status"], 403);
    assert_problem(
        app.get("/api/v1/me/progress", None).await,
        401,
        "unauthorized",
    )
    .await;
}
