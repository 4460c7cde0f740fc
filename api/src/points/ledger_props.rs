//! Property test of the ledger on a real (in-memory SQLite) database: over random sequences of
//! earning and spending by two riders, each balance is the sum of that rider's entries, never
//! negative, a source pays each rider once, and spends beyond the balance are refused with it.

use chrono::Utc;
use proptest::prelude::*;
use sea_orm::TransactionTrait;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::ledger::{self, Reason};
use crate::entity::{points_ledger, user};
use crate::error::Code;

#[derive(Debug, Clone)]
enum Op {
    /// Rider, points, which of a few sources (repeats must not pay again).
    Earn(usize, i64, u8),
    Spend(usize, i64),
    /// Zero or negative costs are refused outright.
    BadSpend(usize, i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..2usize, 1..=60i64, 0..6u8).prop_map(|(r, d, s)| Op::Earn(r, d, s)),
        4 => (0..2usize, 1..=120i64).prop_map(|(r, c)| Op::Spend(r, c)),
        1 => (0..2usize, -50..=0i64).prop_map(|(r, c)| Op::BadSpend(r, c)),
    ]
}

async fn database() -> DatabaseConnection {
    let db = crate::db::connect("sqlite::memory:")
        .await
        .expect("connect");
    crate::db::migrate(&db).await.expect("migrate");
    db
}

async fn rider(db: &DatabaseConnection, n: usize) -> Uuid {
    let now = Utc::now();
    let id = Uuid::now_v7();
    user::ActiveModel {
        id: Set(id),
        role: Set("rider".into()),
        phone_enc: Set(format!("enc-{n}")),
        phone_hash: Set(format!("hash-{id}")),
        password_hash: Set("x".into()),
        display_name: Set(format!("rider {n}")),
        locale: Set("zh-CN".into()),
        station_id: Set(None),
        region_code: Set(None),
        token_version: Set(0),
        star_opt_in: Set(false),
        disabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .expect("insert rider");
    id
}

async fn entries_sum(db: &DatabaseConnection, rider: Uuid) -> (i64, usize) {
    let rows = points_ledger::Entity::find()
        .filter(points_ledger::Column::RiderId.eq(rider))
        .all(db)
        .await
        .expect("entries");
    (rows.iter().map(|r| r.delta).sum(), rows.len())
}

async fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let db = database().await;
    let riders = [rider(&db, 0).await, rider(&db, 1).await];
    let mut model: [Vec<i64>; 2] = [Vec::new(), Vec::new()];
    let mut paid: [std::collections::HashSet<u8>; 2] = Default::default();
    for (step, op) in ops.into_iter().enumerate() {
        let r = match op {
            Op::Earn(r, delta, source) => {
                let did = ledger::award(
                    &db,
                    riders[r],
                    delta,
                    Reason::Lesson,
                    &format!("lesson:s{source}"),
                )
                .await
                .expect("award");
                let first = paid[r].insert(source);
                prop_assert_eq!(did, first, "award pays once per rider and source");
                if first {
                    model[r].push(delta);
                }
                r
            }
            Op::Spend(r, cost) => {
                let before: i64 = model[r].iter().sum();
                let txn = db.begin().await.expect("begin");
                let res = ledger::spend(
                    &txn,
                    riders[r],
                    cost,
                    Reason::Redemption,
                    &format!("redemption:{step}"),
                )
                .await;
                match res {
                    Ok(after) => {
                        txn.commit().await.expect("commit");
                        prop_assert!(before >= cost, "spent {} with only {}", cost, before);
                        prop_assert_eq!(after, before - cost);
                        model[r].push(-cost);
                    }
                    Err(e) => {
                        txn.rollback().await.expect("rollback");
                        prop_assert!(before < cost, "refused {} with {}", cost, before);
                        prop_assert_eq!(e.code, Code::InsufficientPoints);
                        prop_assert_eq!(
                            e.extensions.get("balance").and_then(|b| b.as_i64()),
                            Some(before)
                        );
                    }
                }
                r
            }
            Op::BadSpend(r, cost) => {
                let txn = db.begin().await.expect("begin");
                let res = ledger::spend(
                    &txn,
                    riders[r],
                    cost,
                    Reason::Redemption,
                    &format!("redemption:{step}"),
                )
                .await;
                txn.rollback().await.expect("rollback");
                let err = res.err();
                prop_assert_eq!(err.map(|e| e.code), Some(Code::ValidationFailed));
                r
            }
        };
        let balance = ledger::balance(&db, riders[r]).await.expect("balance");
        let (sum, count) = entries_sum(&db, riders[r]).await;
        prop_assert_eq!(balance, sum, "balance is the sum of the entries");
        prop_assert_eq!(balance, model[r].iter().sum::<i64>());
        prop_assert_eq!(count, model[r].len(), "refused operations wrote nothing");
        prop_assert!(balance >= 0, "balance went negative: {}", balance);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn balance_is_the_sum_and_never_negative(ops in prop::collection::vec(op(), 1..40)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(run(ops))?;
    }
}
