//! Redemption codes and redeeming them at a station: the happy path, every refusal (which must
//! write nothing), who may redeem where, and the rate limits.

use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use warmnew::auth::Role;
use warmnew::entity::{points_ledger, redemption, redemption_code};

use super::support::*;
use crate::helpers::*;

#[tokio::test]
async fn an_operator_redeems_a_code_once_and_the_rider_pays() {
    let app = spawn().await;
    let s = setup(&app).await;
    let r = rider(&app).await;
    give(&app, r.id, 100).await;
    let meal = reward(
        &app,
        &s.admin,
        reward_body("热饭券", 30, Some(&s.station), Some(5)),
    )
    .await;

    let code = new_code(&app, &r.token).await;
    let digits = code["code"].as_str().unwrap();
    assert!(
        digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    let left = ts(&code["expires_at"]) - Utc::now();
    assert!(
        left > Duration::seconds(290) && left <= Duration::seconds(300),
        "{left}"
    );
    assert!(code["qr_svg"].as_str().unwrap().contains("<svg"));
    assert_eq!(code["balance"], 100);
    // Only a keyed hash is stored.
    let stored = redemption_code::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].code_hash.contains(digits) && stored[0].code_hash.len() == 64);

    let res = redeem(&app, &s.station, &s.operator, digits, &meal).await;
    assert_eq!(res.status(), 201, "on {}", backend());
    let done: Value = res.json().await.unwrap();
    assert_eq!(done["cost"], 30);
    assert_eq!(done["balance_after"], 70);
    assert_eq!(done["stock_after"], 4);
    assert_eq!(done["reward"]["id"], meal["id"]);
    assert_eq!(done["reward"]["stock"], 4);
    assert_eq!(done["rider"]["display_name"], "测试骑手");
    assert_eq!(
        done["rider"]["phone_masked"],
        format!("{}****{}", &r.phone[..3], &r.phone[7..])
    );
    assert_eq!(
        done["rider"].as_object().unwrap().len(),
        2,
        "only the name and the masked phone: {done}"
    );
    assert!(!done.to_string().contains(&r.phone));

    let again = redeem(&app, &s.station, &s.operator, digits, &meal).await;
    assert_problem(again, 409, "redemption_code_used").await;

    let history = points(&app, &r.token, "").await;
    assert_eq!(history["balance"], 70);
    assert_eq!(history["items"][0]["delta"], -30);
    assert_eq!(history["items"][0]["reason"], "redemption");
    assert_eq!(history["items"][0]["source_label"], "🍱 热饭券");
    assert_eq!(stock(&app, &meal).await, Some(4));
    assert_eq!(rows(&app, redemption::Entity).await, 1);

    // The scanned QR payload works as well as the digits; an admin may redeem anywhere.
    let code = new_code(&app, &r.token).await;
    let scanned = format!("warmnew:redeem:{}", code["code"].as_str().unwrap());
    let res = redeem(&app, &s.station, &s.admin, &scanned, &meal).await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.json::<Value>().await.unwrap()["balance_after"], 40);
}

#[tokio::test]
async fn refusals_are_clear_and_write_nothing() {
    let app = spawn().await;
    let s = setup(&app).await;
    let other = app
        .create_station(&s.admin, station_body("别处驿站", 31.3, 121.5))
        .await;
    let other_id = other["id"].as_str().unwrap().to_string();
    let other_op = app.operator_of(&other_id).await;
    let r = rider(&app).await;
    give(&app, r.id, 40).await;
    let pricey = reward(&app, &s.admin, reward_body("雨衣", 120, None, Some(3))).await;
    let cheap = reward(&app, &s.admin, reward_body("矿泉水", 20, None, None)).await;
    let theirs = reward(
        &app,
        &s.admin,
        reward_body("别处的券", 10, Some(&other_id), None),
    )
    .await;
    let gone = reward(&app, &s.admin, reward_body("发完了", 10, None, Some(0))).await;
    let retired = reward(
        &app,
        &s.admin,
        json!({"name": "旧的", "emoji": "🎁", "cost": 10, "active": false}),
    )
    .await;
    let code = new_code(&app, &r.token).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let ledger_rows = rows(&app, points_ledger::Entity).await;

    // Not enough points: 409 with the balance; the code stays usable.
    let res = redeem(&app, &s.station, &s.operator, &code, &pricey).await;
    let problem = assert_problem(res, 409, "insufficient_points").await;
    assert_eq!(problem["balance"], 40);
    // Not offered here, retired, or not a reward at all: 404.
    for reward in [&theirs, &retired, &json!({"id": uuid::Uuid::now_v7()})] {
        let res = redeem(&app, &s.station, &s.operator, &code, reward).await;
        assert_problem(res, 404, "not_found").await;
    }
    assert_problem(
        redeem(&app, &s.station, &s.operator, &code, &gone).await,
        409,
        "out_of_stock",
    )
    .await;
    // Another station's operator, a rider, staff: 403; an unknown station: 404.
    assert_problem(
        redeem(&app, &s.station, &other_op, &code, &cheap).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        redeem(&app, &s.station, &r.token, &code, &cheap).await,
        403,
        "forbidden",
    )
    .await;
    let staff = token(&app.user_with_role(Role::Staff, Some("310106")).await).to_string();
    assert_problem(
        redeem(&app, &s.station, &staff, &code, &cheap).await,
        403,
        "forbidden",
    )
    .await;
    let nowhere = uuid::Uuid::now_v7().to_string();
    assert_problem(
        redeem(&app, &nowhere, &s.admin, &code, &cheap).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        redeem(&app, &s.station, "", &code, &cheap).await,
        401,
        "unauthorized",
    )
    .await;
    // Malformed input: 422 naming the field.
    for bad in ["12345", "1234567", "abcdef", ""] {
        let problem = assert_problem(
            redeem(&app, &s.station, &s.operator, bad, &cheap).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), ["code"], "{bad:?}");
    }
    let res = app
        .post(
            &format!("/api/v1/stations/{}/redemptions", s.station),
            Some(&s.operator),
            json!({"code": code}),
        )
        .await;
    assert_eq!(
        error_fields(&assert_problem(res, 422, "validation_failed").await),
        ["reward_id"]
    );
    // An unknown code: 404.
    let unknown = if code == "000000" { "000001" } else { "000000" };
    assert_problem(
        redeem(&app, &s.station, &s.operator, unknown, &cheap).await,
        404,
        "not_found",
    )
    .await;

    // Nothing was written by any of that.
    assert_eq!(rows(&app, redemption::Entity).await, 0);
    assert_eq!(rows(&app, points_ledger::Entity).await, ledger_rows);
    assert_eq!(balance(&app, &r.token).await, 40);
    assert_eq!(
        (stock(&app, &pricey).await, stock(&app, &gone).await),
        (Some(3), Some(0))
    );
    let codes = redemption_code::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(codes.iter().all(|c| c.used_at.is_none()), "{codes:?}");

    // The same code still works for what the rider can afford.
    let res = redeem(&app, &s.station, &s.operator, &code, &cheap).await;
    assert_eq!(res.status(), 201, "on {}", backend());

    // An expired code: 409, nothing written.
    let late = new_code(&app, &r.token).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    redemption_code::Entity::update_many()
        .col_expr(
            redemption_code::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::seconds(1)),
        )
        .filter(redemption_code::Column::UsedAt.is_null())
        .exec(&app.state.db)
        .await
        .unwrap();
    assert_problem(
        redeem(&app, &s.station, &s.operator, &late, &cheap).await,
        409,
        "redemption_code_expired",
    )
    .await;
    assert_eq!(balance(&app, &r.token).await, 20);
    assert_eq!(rows(&app, redemption::Entity).await, 1);
}

#[tokio::test]
async fn codes_are_for_riders_and_rate_limited() {
    let app = spawn().await;
    let s = setup(&app).await;
    let r = rider(&app).await;
    let path = "/api/v1/me/redemption-codes";
    assert_problem(
        app.post(path, Some(&s.operator), json!({})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.post(path, None, json!({})).await, 401, "unauthorized").await;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..10 {
        seen.insert(
            new_code(&app, &r.token).await["code"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(seen.len(), 10, "live codes never repeat");
    let res = app.post(path, Some(&r.token), json!({})).await;
    assert!(header(&res, "retry-after").is_some_and(|s| s.parse::<u64>().unwrap() > 0));
    assert_problem(res, 429, "rate_limited").await;
    assert_eq!(rows(&app, redemption_code::Entity).await, 10);
    // Another rider is not affected.
    let other = rider(&app).await;
    new_code(&app, &other.token).await;
}

#[tokio::test]
async fn guessing_codes_is_throttled_per_operator() {
    let app = spawn().await;
    let s = setup(&app).await;
    let r = rider(&app).await;
    give(&app, r.id, 100).await;
    let water = reward(&app, &s.admin, reward_body("矿泉水", 20, None, None)).await;
    let code = new_code(&app, &r.token).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let mut misses = 0;
    let mut guess = 0u32;
    while misses < 20 {
        let g = format!("{guess:06}");
        guess += 1;
        if g == code {
            continue;
        }
        assert_problem(
            redeem(&app, &s.station, &s.operator, &g, &water).await,
            404,
            "not_found",
        )
        .await;
        misses += 1;
    }
    // Even the right code is refused now, and nothing was redeemed.
    assert_problem(
        redeem(&app, &s.station, &s.operator, &code, &water).await,
        429,
        "rate_limited",
    )
    .await;
    assert_eq!(balance(&app, &r.token).await, 100);
    // The admin is a different caller and is not throttled.
    assert_eq!(
        redeem(&app, &s.station, &s.admin, &code, &water)
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn deleting_accounts_keeps_the_books_straight() {
    let app = spawn().await;
    let s = setup(&app).await;
    let r = rider(&app).await;
    give(&app, r.id, 100).await;
    let water = reward(&app, &s.admin, reward_body("矿泉水", 20, None, None)).await;
    let code = new_code(&app, &r.token).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        redeem(&app, &s.station, &s.operator, &code, &water)
            .await
            .status(),
        201
    );
    new_code(&app, &r.token).await;

    // The operator leaves: the redemption stays, without them.
    assert_eq!(
        app.delete("/api/v1/me", Some(&s.operator)).await.status(),
        204
    );
    let kept = redemption::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].operator_id, None);
    // The rider leaves: their codes, redemptions and points go with them.
    assert_eq!(app.delete("/api/v1/me", Some(&r.token)).await.status(), 204);
    assert_eq!(rows(&app, redemption::Entity).await, 0);
    assert_eq!(rows(&app, redemption_code::Entity).await, 0);
    assert_eq!(rows(&app, points_ledger::Entity).await, 0);
}
