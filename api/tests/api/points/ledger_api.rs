//! GET /me/points and the points a check-in pays.

use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use warmnew::auth::Role;
use warmnew::entity::{check_in, points_ledger};

use super::support::*;
use crate::helpers::*;

#[tokio::test]
async fn history_is_newest_first_with_the_balance_labels_and_pages() {
    let app = spawn().await;
    let s = setup(&app).await;
    let r = rider(&app).await;
    let empty = points(&app, &r.token, "").await;
    assert_eq!(
        (empty["balance"].as_i64(), empty["total"].as_u64()),
        (Some(0), Some(0))
    );
    let code = checkin_code(&app, &s.station, &s.operator).await;
    assert_eq!(
        check_in(&app, &s.station, &r.token, &code).await.status(),
        201
    );
    warmnew::points::ledger::award(
        &app.state.db,
        r.id,
        20,
        warmnew::points::ledger::Reason::Lesson,
        "lesson:heat-stroke-first-aid",
    )
    .await
    .unwrap();
    give(&app, r.id, 7).await;

    let all = points(&app, &r.token, "").await;
    assert_eq!(all["balance"], 32, "on {}: {all}", backend());
    assert_eq!(
        (all["total"].as_u64(), all["page"].as_u64()),
        (Some(3), Some(1))
    );
    let items = all["items"].as_array().unwrap();
    let deltas: Vec<i64> = items.iter().map(|i| i["delta"].as_i64().unwrap()).collect();
    assert_eq!(deltas, [7, 20, 5], "newest first");
    assert_eq!(items[1]["reason"], "lesson");
    assert_eq!(items[1]["source_label"], "heat-stroke-first-aid");
    assert_eq!(items[2]["reason"], "check_in");
    assert_eq!(items[2]["source_label"], "静安寺街道暖新驿站");
    let times: Vec<_> = items.iter().map(|i| ts(&i["created_at"])).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");

    let second = points(&app, &r.token, "?page=2&per_page=2").await;
    assert_eq!(
        (second["page"].as_u64(), second["per_page"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(second["total"], 3);
    assert_eq!(second["balance"], 32);
    let ids: Vec<&Value> = second["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["id"])
        .collect();
    assert_eq!(ids, [&items[2]["id"]]);

    // Someone else's history is not in mine.
    let other = rider(&app).await;
    give(&app, other.id, 100).await;
    assert_eq!(points(&app, &r.token, "").await["total"], 3);
}

#[tokio::test]
async fn bad_paging_is_422_naming_the_field_and_only_riders_have_points() {
    let app = spawn().await;
    let r = rider(&app).await;
    for (query, field) in [
        ("?per_page=0", "per_page"),
        ("?per_page=101", "per_page"),
        ("?page=0", "page"),
        ("?page=abc", "page"),
        ("?per_page=-1", "per_page"),
    ] {
        let res = app
            .get(&format!("/api/v1/me/points{query}"), Some(&r.token))
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), [field], "{query}");
    }
    assert_problem(
        app.get("/api/v1/me/points", None).await,
        401,
        "unauthorized",
    )
    .await;
    let staff = token(&app.user_with_role(Role::Staff, Some("310106")).await).to_string();
    assert_problem(
        app.get("/api/v1/me/points", Some(&staff)).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_check_in_pays_once_per_station_per_day_and_per_rider() {
    let app = spawn().await;
    let s = setup(&app).await;
    let other = app
        .create_station(
            &s.admin,
            station_body("南京西路街道暖新驿站", 31.2296, 121.4578),
        )
        .await;
    let other_id = other["id"].as_str().unwrap().to_string();
    let other_op = app.operator_of(&other_id).await;
    let code = checkin_code(&app, &s.station, &s.operator).await;
    let other_code = checkin_code(&app, &other_id, &other_op).await;
    let r = rider(&app).await;

    let first = check_in(&app, &s.station, &r.token, &code).await;
    assert_eq!(first.status(), 201);
    assert_eq!(first.json::<Value>().await.unwrap()["points_awarded"], 5);
    let replay = check_in(&app, &s.station, &r.token, &code).await;
    assert_eq!(replay.status(), 200);
    assert_eq!(replay.json::<Value>().await.unwrap()["points_awarded"], 0);

    // A new visit later the same day counts as a visit but pays nothing more. (Moving the first
    // visit back past the 30-minute replay window; if that crosses midnight in Shanghai, the
    // day changes and the second visit pays, which the assertion allows for.)
    let earlier = Utc::now() - Duration::minutes(40);
    check_in::Entity::update_many()
        .col_expr(check_in::Column::CreatedAt, Expr::value(earlier))
        .filter(check_in::Column::RiderId.eq(r.id))
        .exec(&app.state.db)
        .await
        .unwrap();
    let later = check_in(&app, &s.station, &r.token, &code).await;
    assert_eq!(later.status(), 201, "a new visit");
    let paid_again = later.json::<Value>().await.unwrap()["points_awarded"].clone();
    let same_day = warmnew::points::visits::source(s.station.parse().unwrap(), Utc::now())
        == warmnew::points::visits::source(s.station.parse().unwrap(), earlier);
    assert_eq!(paid_again, if same_day { 0 } else { 5 });

    let elsewhere = check_in(&app, &other_id, &r.token, &other_code).await;
    assert_eq!(
        elsewhere.json::<Value>().await.unwrap()["points_awarded"],
        5
    );
    // Another rider at the same station the same day is paid too.
    let r2 = rider(&app).await;
    let theirs = check_in(&app, &s.station, &r2.token, &code).await;
    assert_eq!(theirs.json::<Value>().await.unwrap()["points_awarded"], 5);

    let expected = if same_day { 10 } else { 15 };
    assert_eq!(balance(&app, &r.token).await, expected, "on {}", backend());
    assert_eq!(balance(&app, &r2.token).await, 5);
    let entries = points_ledger::Entity::find()
        .filter(points_ledger::Column::RiderId.eq(r.id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(entries
        .iter()
        .all(|e| e.reason == "check_in" && e.delta == 5));
}
