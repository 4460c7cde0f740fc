//! The SLA worker, driven with an injected clock (no sleeping): breaches climb one tier per
//! deadline, are recorded once at the city, and two instances never escalate a request twice.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use warmnew::help::sla::run_once;

use super::support::*;
use crate::helpers::*;

fn last(d: &Value, n: usize) -> Vec<Value> {
    let t = d["timeline"].as_array().unwrap();
    t[t.len() - n..].to_vec()
}

async fn run(w: &World, now: DateTime<Utc>) -> usize {
    run_once(&w.app.state, now).await.expect("sla run")
}

#[tokio::test]
async fn a_missed_deadline_moves_the_request_one_tier_up_with_a_fresh_window() {
    let w = world().await;
    let d = create(&w.app, &w.rider1, at_station("other", &w.s1)).await;
    let d0 = d.clone();
    let id = id(&d);
    assert_eq!(run(&w, Utc::now()).await, 0, "nothing is due yet");

    let t1 = ts(&d["accept_due_at"]) + Duration::minutes(1);
    assert_eq!(run(&w, t1).await, 1);
    let d = detail_ok(&w.app, &w.street1, &id).await;
    assert_eq!(
        (d["tier"].as_str(), d["status"].as_str()),
        (Some("street"), Some("submitted"))
    );
    assert_eq!(
        ts(&d["due_at"]),
        t1 + Duration::hours(24),
        "a fresh accept window"
    );
    assert_eq!(d["due_at"], d["accept_due_at"]);
    let [breach, up] = <[Value; 2]>::try_from(last(&d, 2)).unwrap();
    assert_eq!(
        (breach["kind"].as_str(), breach["actor_role"].as_str()),
        (Some("sla_breached"), Some("system"))
    );
    assert_eq!(breach["tier"], "station");
    // What happened is data, never a sentence in one language.
    assert_eq!(breach["step"], "accept");
    assert_eq!(ts(&breach["due_at"]), ts(&d0["accept_due_at"]));
    assert!(breach["note"].is_null(), "{breach}");
    assert_eq!(
        (up["kind"].as_str(), up["tier"].as_str()),
        (Some("escalated"), Some("street"))
    );
    assert_eq!(up["from_tier"], "station");
    assert!(up["note"].is_null(), "{up}");
    assert_eq!(ts(&up["at"]), t1);
    assert_eq!(run(&w, t1).await, 0, "handled once");
    // Now the street's, no longer the operator's to handle.
    assert!(actions(&detail_ok(&w.app, &w.op1, &id).await).is_empty());
    assert_eq!(actions(&d), ["accept", "reject", "escalate"]);

    let t2 = t1 + Duration::hours(24) + Duration::minutes(1);
    assert_eq!(run(&w, t2).await, 1);
    let t3 = t2 + Duration::hours(24) + Duration::minutes(1);
    assert_eq!(run(&w, t3).await, 1);
    assert_eq!(row(&w.app, &id).await.tier, "city");

    // At the city it stays; the breach is recorded once per deadline.
    let t4 = t3 + Duration::hours(24) + Duration::minutes(1);
    assert_eq!(run(&w, t4).await, 0);
    assert_eq!(run(&w, t4 + Duration::days(3)).await, 0);
    let r = row(&w.app, &id).await;
    assert_eq!(r.tier, "city");
    assert_eq!(
        r.due_at,
        Some(t3 + Duration::hours(24)),
        "the city's deadline stands"
    );
    assert_eq!(events_of(&w.app, &id, "sla_breached").await, 4);
    assert_eq!(events_of(&w.app, &id, "escalated").await, 3);

    // Accepted at the city: the resolve deadline (7 days from filing) runs, and its breach is
    // recorded once more.
    let d = act_ok(&w.app, &w.city, &id, "accept", None).await;
    assert_eq!(d["due_at"], d["resolve_due_at"]);
    let t5 = ts(&d["resolve_due_at"]) + Duration::minutes(1);
    assert_eq!(run(&w, t5).await, 0);
    assert_eq!(run(&w, t5).await, 0);
    assert_eq!(events_of(&w.app, &id, "sla_breached").await, 5);
    assert_eq!(events_of(&w.app, &id, "escalated").await, 3);
}

#[tokio::test]
async fn in_handling_the_resolve_deadline_counts() {
    let w = world().await;
    let d = create(&w.app, &w.rider1, at_station("vehicle_breakdown", &w.s1)).await;
    let id = id(&d);
    act_ok(&w.app, &w.op1, &id, "accept", None).await;
    let started = act_ok(&w.app, &w.op1, &id, "start", None).await;
    // Past the accept deadline but within the resolve one: nothing happens.
    assert_eq!(
        run(&w, ts(&d["accept_due_at"]) + Duration::hours(1)).await,
        0
    );
    let t = ts(&started["resolve_due_at"]) + Duration::minutes(5);
    assert_eq!(run(&w, t).await, 1);
    let after = detail_ok(&w.app, &w.street1, &id).await;
    assert_eq!(
        (after["tier"].as_str(), after["status"].as_str()),
        (Some("street"), Some("in_progress"))
    );
    assert_eq!(ts(&after["resolve_due_at"]), t + Duration::days(7));
    assert_eq!(after["due_at"], after["resolve_due_at"]);
    assert_eq!(
        after["accept_due_at"], d["accept_due_at"],
        "the accept deadline is history"
    );
    assert_eq!(last(&after, 1)[0]["tier"], "street");
    let breach = &last(&after, 2)[0];
    assert_eq!(breach["step"], "resolve");
    assert_eq!(ts(&breach["due_at"]), ts(&started["resolve_due_at"]));
    assert!(breach["note"].is_null());
}

#[tokio::test]
async fn finished_requests_are_left_alone() {
    let w = world().await;
    let cancelled = id(&create(&w.app, &w.rider1, at_station("other", &w.s1)).await);
    act_ok(&w.app, &w.rider1, &cancelled, "cancel", None).await;
    let rejected = id(&create(&w.app, &w.rider1, at_station("other", &w.s1)).await);
    act_ok(&w.app, &w.op1, &rejected, "reject", Some("重复提交")).await;
    let resolved = id(&create(&w.app, &w.rider1, at_station("other", &w.s1)).await);
    for a in ["accept", "start", "resolve"] {
        act_ok(&w.app, &w.op1, &resolved, a, None).await;
    }
    let before = counts(&w.app).await;
    assert_eq!(run(&w, Utc::now() + Duration::days(60)).await, 0);
    assert_eq!(counts(&w.app).await, before);
    for id in [&cancelled, &rejected, &resolved] {
        assert_eq!(row(&w.app, id).await.tier, "station");
    }
}

/// Several API instances run the worker at once: each breach is escalated by exactly one.
#[tokio::test]
async fn two_instances_escalate_each_breach_exactly_once() {
    if std::env::var("TEST_DATABASE_URL").is_err() {
        eprintln!("two_instances_escalate_each_breach_exactly_once: needs PostgreSQL (TEST_DATABASE_URL); skipped on SQLite");
        return;
    }
    let w = world().await;
    let peer = w.app.spawn_peer(|_| {}).await;
    let mut ids = Vec::new();
    for _ in 0..30 {
        ids.push(id(
            &create(&w.app, &w.rider1, at_station("other", &w.s1)).await
        ));
    }
    let now = Utc::now() + Duration::hours(25);
    let (a, b) = tokio::join!(run_once(&w.app.state, now), run_once(&peer.state, now));
    let (a, b) = (a.expect("instance A"), b.expect("instance B"));
    eprintln!("escalations split {a} / {b} on {}", backend());
    assert_eq!(a + b, 30);
    for id in &ids {
        assert_eq!(
            row(&w.app, id).await.tier,
            "street",
            "moved exactly one tier"
        );
        assert_eq!(events_of(&w.app, id, "escalated").await, 1, "{id}");
        assert_eq!(events_of(&w.app, id, "sla_breached").await, 1, "{id}");
    }
    let (a, b) = tokio::join!(run_once(&w.app.state, now), run_once(&peer.state, now));
    assert_eq!((a.unwrap(), b.unwrap()), (0, 0));
}

/// Entries the worker wrote as English sentences before the data was kept are converted by
/// the migration that added it: their step and tier read from the old note, the note dropped.
#[tokio::test]
async fn the_migration_turns_old_english_system_notes_into_data() {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::sea_query::{Alias, Query};
    use sea_orm::{ConnectionTrait, DatabaseConnection};

    const MINE: &str = "m20261205_000041_help_event_details";
    let w = world().await;
    let d = create(&w.app, &w.rider1, at_station("other", &w.s1)).await;
    let request = uuid::Uuid::parse_str(&id(&d)).unwrap();
    let db: &DatabaseConnection = &w.app.state.db;
    // Back to before that migration (undoing any that came after it).
    loop {
        let applied = Migrator::get_applied_migrations(db).await.unwrap();
        let last = applied.last().map(|m| m.name().to_string()).unwrap();
        Migrator::down(db, Some(1)).await.unwrap();
        if last == MINE {
            break;
        }
    }
    let at = Utc::now();
    for (kind, tier, note) in [
        (
            "sla_breached",
            "station",
            "accept deadline 2026-01-01T00:00:00Z passed",
        ),
        (
            "escalated",
            "street",
            "escalated automatically from station to street",
        ),
    ] {
        let insert = Query::insert()
            .into_table(Alias::new("help_events"))
            .columns(
                [
                    "id",
                    "request_id",
                    "at",
                    "actor_role",
                    "kind",
                    "tier",
                    "note",
                ]
                .map(Alias::new),
            )
            .values_panic([
                uuid::Uuid::now_v7().into(),
                request.into(),
                at.into(),
                "system".into(),
                kind.into(),
                tier.into(),
                note.into(),
            ])
            .to_owned();
        db.execute(&insert).await.unwrap();
    }
    Migrator::up(db, None).await.unwrap();

    let after = detail_ok(&w.app, &w.rider1, &id(&d)).await;
    let [breach, up] = <[Value; 2]>::try_from(last(&after, 2)).unwrap();
    assert_eq!(
        (&breach["kind"], &breach["step"], &breach["note"]),
        (&json!("sla_breached"), &json!("accept"), &Value::Null)
    );
    assert_eq!(
        (&up["kind"], &up["from_tier"], &up["tier"], &up["note"]),
        (
            &json!("escalated"),
            &json!("station"),
            &json!("street"),
            &Value::Null
        )
    );
}
