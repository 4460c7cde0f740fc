//! No double spend under concurrency: 20 redemptions at once, on SQLite and on PostgreSQL.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use warmnew::entity::{points_ledger, redemption, redemption_code};

use super::support::*;
use crate::helpers::*;

const PARALLEL: usize = 20;

fn count(results: &[(u16, serde_json::Value)], status: u16, code: Option<&str>) -> usize {
    results
        .iter()
        .filter(|(s, body)| *s == status && code.is_none_or(|c| body["code"] == c))
        .count()
}

#[tokio::test]
async fn one_rider_many_codes_at_once_never_goes_below_zero() {
    let app = spawn().await;
    let s = setup(&app).await;
    let r = rider(&app).await;
    give(&app, r.id, 100).await;
    let cost = 30;
    // Several rewards, so the spends do not queue on one reward's row: only the ledger's lock
    // on the rider keeps them apart.
    let mut offers = Vec::new();
    for name in ["充电宝借用", "矿泉水", "头盔清洁", "雨衣"] {
        offers.push(reward(&app, &s.admin, reward_body(name, cost, None, None)).await);
    }
    let mut codes = Vec::new();
    for _ in 0..PARALLEL {
        codes.push(issued_code(&app, r.id).await);
    }
    let results = all_at_once(
        codes
            .iter()
            .enumerate()
            .map(|(i, c)| redeem(&app, &s.station, &s.operator, c, &offers[i % offers.len()])),
    )
    .await;

    let ok = count(&results, 201, None);
    assert_eq!(ok, (100 / cost) as usize, "on {}: {results:?}", backend());
    assert_eq!(
        count(&results, 409, Some("insufficient_points")),
        PARALLEL - ok
    );
    for (status, body) in &results {
        if *status == 409 {
            assert!(body["balance"].as_i64().unwrap() >= 0);
        }
    }
    let mut after: Vec<i64> = results
        .iter()
        .filter(|(s, _)| *s == 201)
        .map(|(_, b)| b["balance_after"].as_i64().unwrap())
        .collect();
    after.sort();
    assert_eq!(after, [10, 40, 70], "each spend saw the one before it");
    assert_eq!(balance(&app, &r.token).await, 100 - cost * ok as i64);
    let entries = points_ledger::Entity::find()
        .filter(points_ledger::Column::RiderId.eq(r.id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(entries.iter().map(|e| e.delta).sum::<i64>(), 10);
    assert_eq!(entries.len(), 1 + ok);
    assert_eq!(rows(&app, redemption::Entity).await, ok as u64);
    let used = redemption_code::Entity::find()
        .filter(redemption_code::Column::UsedAt.is_not_null())
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        used.len(),
        ok,
        "refused redemptions left their codes unused"
    );
}

#[tokio::test]
async fn the_same_code_twenty_times_at_once_is_redeemed_once() {
    let app = spawn().await;
    let s = setup(&app).await;
    let r = rider(&app).await;
    give(&app, r.id, 1000).await;
    let meal = reward(
        &app,
        &s.admin,
        reward_body("热饭券", 50, Some(&s.station), Some(100)),
    )
    .await;
    let code = new_code(&app, &r.token).await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let results =
        all_at_once((0..PARALLEL).map(|_| redeem(&app, &s.station, &s.operator, &code, &meal)))
            .await;

    assert_eq!(
        count(&results, 201, None),
        1,
        "on {}: {results:?}",
        backend()
    );
    assert_eq!(
        count(&results, 409, Some("redemption_code_used")),
        PARALLEL - 1
    );
    assert_eq!(balance(&app, &r.token).await, 950);
    assert_eq!(stock(&app, &meal).await, Some(99));
    assert_eq!(rows(&app, redemption::Entity).await, 1);
}

#[tokio::test]
async fn the_last_one_in_stock_goes_to_exactly_one_of_twenty_riders() {
    let app = spawn().await;
    let s = setup(&app).await;
    let cut = reward(
        &app,
        &s.admin,
        reward_body("理发券", 100, Some(&s.station), Some(1)),
    )
    .await;
    let mut codes = Vec::new();
    let mut riders = Vec::new();
    for _ in 0..PARALLEL {
        let r = rider(&app).await;
        give(&app, r.id, 150).await;
        codes.push(
            new_code(&app, &r.token).await["code"]
                .as_str()
                .unwrap()
                .to_string(),
        );
        riders.push(r);
    }
    let results = all_at_once(
        codes
            .iter()
            .map(|c| redeem(&app, &s.station, &s.operator, c, &cut)),
    )
    .await;

    assert_eq!(
        count(&results, 201, None),
        1,
        "on {}: {results:?}",
        backend()
    );
    assert_eq!(count(&results, 409, Some("out_of_stock")), PARALLEL - 1);
    assert_eq!(stock(&app, &cut).await, Some(0));
    let mut balances = Vec::new();
    for r in &riders {
        balances.push(balance(&app, &r.token).await);
    }
    balances.sort();
    let mut expected = vec![150; PARALLEL];
    expected[0] = 50;
    assert_eq!(balances, expected, "exactly one rider paid");
    assert_eq!(rows(&app, redemption::Entity).await, 1);
}
