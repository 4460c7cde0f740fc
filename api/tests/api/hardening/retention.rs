//! PIPL retention: ended help requests (closed, cancelled, rejected) unchanged for the period
//! are anonymised — no rider, no words, coarse place — while open ones and every number the
//! dashboard shows stay; the clock is injected.

use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use uuid::Uuid;
use warmnew::entity::help_event;
use warmnew::help::retention::anonymise_closed;

use crate::help::support::*;
use crate::helpers::*;

const YEAR: i64 = 365;

/// Filed with an `Idempotency-Key`, so its first answer (with the words) is stored.
async fn filed(w: &World, token: &str, category: &str, words: &str) -> String {
    let mut body = at_point(category, S1_AT);
    body["description"] = json!(words);
    let res = w
        .app
        .client
        .post(w.app.url("/api/v1/help-requests"))
        .bearer_auth(token)
        .header("Idempotency-Key", Uuid::now_v7().to_string())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "file on {}", backend());
    id(&res.json().await.unwrap())
}

async fn help_stats(w: &World) -> Value {
    let res = w
        .app
        .get("/api/v1/analytics/help-requests", Some(&w.admin))
        .await;
    assert_eq!(res.status(), 200, "analytics on {}", backend());
    res.json().await.unwrap()
}

async fn notes_and_rider_actors(w: &World, id: &str) -> (usize, usize) {
    let events = help_event::Entity::find()
        .filter(help_event::Column::RequestId.eq(id.parse::<Uuid>().unwrap()))
        .all(&w.app.state.db)
        .await
        .unwrap();
    let notes = events.iter().filter(|e| e.note.is_some()).count();
    let riders = events
        .iter()
        .filter(|e| e.actor_role == "rider" && e.actor_id.is_some())
        .count();
    (notes, riders)
}

#[tokio::test]
async fn only_ended_requests_past_the_period_are_anonymised() {
    let w = world().await;
    let (app, admin, rider) = (&w.app, &w.admin, &w.rider1);
    let cancelled = filed(&w, rider, "hazard_report", "井盖缺失 我的电话13911112222").await;
    act_ok(app, rider, &cancelled, "cancel", Some("已经修好了")).await;
    let rejected = filed(&w, rider, "vehicle_breakdown", "电瓶没电").await;
    act_ok(app, admin, &rejected, "reject", Some("请联系平台")).await;
    let closed = filed(&w, rider, "suggestion", "希望多开几个驿站").await;
    for action in ["accept", "start", "resolve"] {
        act_ok(app, admin, &closed, action, Some("处理中")).await;
    }
    let res = rate(
        app,
        rider,
        &closed,
        json!({"rating": 4, "comment": "谢谢王师傅"}),
    )
    .await;
    assert_eq!(res.status(), 200, "feedback on {}", backend());
    let open = filed(&w, rider, "medical", "头晕").await;
    let ended = [&cancelled, &rejected, &closed];
    let (_, _, answers) = counts(app).await;
    assert!(
        answers > 0,
        "filings keep their first answer (Idempotency-Key)"
    );

    let before = help_stats(&w).await;
    let rows_before: Vec<_> = {
        let mut v = vec![];
        for id in ended {
            v.push(row(app, id).await);
        }
        v
    };
    let (notes, riders) = notes_and_rider_actors(&w, &closed).await;
    assert!(
        notes > 0 && riders > 0,
        "the timeline has words and the rider"
    );

    // A day short of the period: nothing.
    let db = &app.state.db;
    let now = Utc::now();
    let early = anonymise_closed(db, now + Duration::days(YEAR - 1), Duration::days(YEAR));
    assert_eq!(early.await.unwrap(), 0);
    assert_eq!(row(app, &closed).await.rider_id, rows_before[2].rider_id);

    // Past it: the three that ended, not the open one; a second run finds nothing.
    let later = now + Duration::days(YEAR + 1);
    let n = anonymise_closed(db, later, Duration::days(YEAR))
        .await
        .unwrap();
    assert_eq!(n, 3, "on {}", backend());
    let again = anonymise_closed(db, later, Duration::days(YEAR))
        .await
        .unwrap();
    assert_eq!(again, 0);

    for (id, was) in ended.iter().zip(&rows_before) {
        let r = row(app, id).await;
        assert_eq!(r.rider_id, None);
        assert_eq!(r.description, "");
        assert_eq!(r.feedback_comment, None);
        assert!(r.anonymised_at.is_some());
        // What analytics count stays as it was.
        assert_eq!(
            (&r.category, &r.urgency, &r.tier, &r.status, &r.station_id),
            (
                &was.category,
                &was.urgency,
                &was.tier,
                &was.status,
                &was.station_id
            )
        );
        assert_eq!(
            (r.created_at, r.updated_at),
            (was.created_at, was.updated_at)
        );
        assert_eq!(
            (r.resolved_at, r.rating, r.feedback_at),
            (was.resolved_at, was.rating, was.feedback_at)
        );
        assert_eq!(
            (r.street_code, r.district_code),
            (was.street_code.clone(), was.district_code.clone())
        );
        // ~1 km, no finer.
        for (got, had) in [(r.lat, was.lat), (r.lng, was.lng)] {
            let (got, had) = (got.unwrap(), had.unwrap());
            assert!((got * 100.0 - (got * 100.0).round()).abs() < 1e-6, "{got}");
            assert!((got - had).abs() <= 0.005 + 1e-9, "{got} vs {had}");
        }
        assert_eq!(notes_and_rider_actors(&w, id).await, (0, 0));
    }
    let (_, _, answers) = counts(app).await;
    assert_eq!(answers, 0, "a filing's stored answer outlived the period");
    let kept = row(app, &open).await;
    assert!(kept.rider_id.is_some() && kept.anonymised_at.is_none());
    assert_eq!(kept.description, "头晕");
    assert_eq!(
        help_stats(&w).await,
        before,
        "analytics moved on {}",
        backend()
    );

    // The rider's own list still works (and no longer holds what is not theirs any more).
    let mine = list(app, rider, "").await;
    assert_eq!(item_ids(&mine), vec![open.clone()]);
    // Handlers still read them, without a rider or words.
    let seen = detail_ok(app, admin, &closed).await;
    assert_eq!(seen["description"], "");
    assert!(seen["rider"].is_null(), "{seen}");
    let all = list(app, admin, "status=closed,cancelled,rejected").await;
    assert_eq!(all["total"], 3);
    // Open311 keyless reads show the public categories, anonymised or not.
    let res = app.get("/open311/v2/requests.json", None).await;
    assert_eq!(res.status(), 200);
    let public: Value = res.json().await.unwrap();
    let text = public.to_string();
    assert!(
        text.contains(&cancelled) && text.contains(&closed),
        "{text}"
    );
    assert!(
        !text.contains("13911112222") && !text.contains("井盖"),
        "{text}"
    );
    let res = app
        .get(&format!("/open311/v2/requests/{closed}.json"), None)
        .await;
    assert_eq!(res.status(), 200);
}
