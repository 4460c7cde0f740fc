//! Who may see and do what, over every help route: two riders, two stations in two streets of
//! two districts. Foreign requests are 404 everywhere (never revealed); a visible request the
//! caller has no part in is 403, an impossible step 409, both with `allowed_actions`.

use reqwest::Method;
use serde_json::{json, Value};
use warmnew::auth::Role;

use super::support::*;
use crate::helpers::*;

struct Case {
    a: String,
    b: String,
}

/// A: rider 1 at station 1 (Jing'an). B: rider 2 at station 2 (Huangpu).
async fn case(w: &World) -> Case {
    Case {
        a: id(&create(&w.app, &w.rider1, at_station("vehicle_breakdown", &w.s1)).await),
        b: id(&create(&w.app, &w.rider2, at_station("customer_dispute", &w.s2)).await),
    }
}

async fn sees(w: &World, token: &str) -> Vec<String> {
    let mut ids = item_ids(&list(&w.app, token, "").await);
    ids.sort();
    ids
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn every_route_keeps_to_its_scope() {
    let w = world().await;
    let c = case(&w).await;
    let only_a = vec![c.a.clone()];
    let only_b = vec![c.b.clone()];
    let both = sorted(vec![c.a.clone(), c.b.clone()]);
    // (who, what they see)
    let matrix: Vec<(&str, &String, Vec<String>)> = vec![
        ("rider1", &w.rider1, only_a.clone()),
        ("rider2", &w.rider2, only_b.clone()),
        ("op1", &w.op1, only_a.clone()),
        ("op2", &w.op2, only_b.clone()),
        ("street1", &w.street1, only_a.clone()),
        ("district1", &w.district1, only_a.clone()),
        ("street2", &w.street2, only_b.clone()),
        ("district2", &w.district2, only_b.clone()),
        ("city", &w.city, both.clone()),
        ("admin", &w.admin, both.clone()),
    ];
    let before = counts(&w.app).await;
    for (who, token, visible) in &matrix {
        assert_eq!(
            &sees(&w, token).await,
            visible,
            "list as {who} on {}",
            backend()
        );
        for target in [&c.a, &c.b] {
            let mine = visible.contains(target);
            let res = detail(&w.app, token, target).await;
            if mine {
                assert_eq!(res.status(), 200, "get as {who}");
            } else {
                assert_problem(res, 404, "not_found").await;
                // Every write route answers 404 too, whatever the action or body.
                for action in ["accept", "start", "resolve", "escalate", "cancel", "reopen"] {
                    let res = act(&w.app, token, target, action, None).await;
                    assert_eq!(res.status(), 404, "{action} as {who}");
                }
                let res = act(&w.app, token, target, "reject", Some("不是我的")).await;
                assert_eq!(res.status(), 404, "reject as {who}");
                let res = rate(&w.app, token, target, json!({"rating": 3})).await;
                assert_problem(res, 404, "not_found").await;
            }
        }
    }
    assert_eq!(
        counts(&w.app).await,
        before,
        "no refused call wrote anything"
    );
    assert_eq!(row(&w.app, &c.a).await.version, 0);
    assert_eq!(row(&w.app, &c.b).await.version, 0);
}

#[tokio::test]
async fn visible_but_not_yours_is_403_and_impossible_is_409() {
    let w = world().await;
    let c = case(&w).await;
    // The rider cannot handle their own request.
    let p = assert_problem(
        act(&w.app, &w.rider1, &c.a, "accept", None).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(p["allowed_actions"], json!(["cancel"]));
    // Handlers cannot cancel or reopen for the rider.
    for (token, who) in [
        (&w.op1, "op1"),
        (&w.street1, "street1"),
        (&w.city, "city"),
        (&w.admin, "admin"),
    ] {
        let p = assert_problem(
            act(&w.app, token, &c.a, "cancel", None).await,
            403,
            "forbidden",
        )
        .await;
        assert_eq!(
            p["allowed_actions"],
            json!(["accept", "reject", "escalate"]),
            "{who}"
        );
    }
    for a in ["accept", "start", "resolve"] {
        act_ok(&w.app, &w.op1, &c.a, a, None).await;
    }
    // Only the owner rates; others who can see it get 403, with what they may do.
    for token in [&w.op1, &w.district1, &w.admin] {
        let p = assert_problem(
            rate(&w.app, token, &c.a, json!({"rating": 5})).await,
            403,
            "forbidden",
        )
        .await;
        assert_eq!(p["allowed_actions"], json!([]));
        let p = assert_problem(
            act(&w.app, token, &c.a, "reopen", None).await,
            403,
            "forbidden",
        )
        .await;
        assert_eq!(p["allowed_actions"], json!([]));
    }
    // The rider of B cannot rate A: A does not exist for them.
    assert_problem(
        rate(&w.app, &w.rider2, &c.a, json!({"rating": 5})).await,
        404,
        "not_found",
    )
    .await;
    // Feedback before resolution is a state conflict, also for the owner.
    let p = assert_problem(
        rate(&w.app, &w.rider2, &c.b, json!({"rating": 4})).await,
        409,
        "transition_not_allowed",
    )
    .await;
    assert_eq!(p["allowed_actions"], json!(["cancel"]));
    assert_eq!(
        rate(&w.app, &w.rider1, &c.a, json!({"rating": 4}))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn handlers_see_the_riders_masked_contact_riders_do_not() {
    let w = world().await;
    let c = case(&w).await;
    let me: Value = w
        .app
        .get("/api/v1/me", Some(&w.rider1))
        .await
        .json()
        .await
        .unwrap();
    let phone = me["phone"].as_str().unwrap().to_string();
    for token in [&w.op1, &w.street1, &w.district1, &w.city, &w.admin] {
        let d = detail_ok(&w.app, token, &c.a).await;
        assert_eq!(d["rider"]["phone_masked"], me["phone_masked"]);
        assert!(
            !d.to_string().contains(&phone),
            "the full number leaked: {d}"
        );
        let page = list(&w.app, token, "").await;
        assert!(!page.to_string().contains(&phone));
    }
    assert!(detail_ok(&w.app, &w.rider1, &c.a).await["rider"].is_null());
}

#[tokio::test]
async fn users_without_a_scope_see_nothing_and_anonymous_callers_are_401() {
    let w = world().await;
    let c = case(&w).await;
    let nobody_staff = token(&w.app.user_with_role(Role::Staff, None).await).to_string();
    let nobody_operator = token(&w.app.user_with_role(Role::Operator, None).await).to_string();
    for t in [&nobody_staff, &nobody_operator] {
        assert_eq!(list(&w.app, t, "").await["total"], 0);
        assert_problem(detail(&w.app, t, &c.a).await, 404, "not_found").await;
        assert_eq!(act(&w.app, t, &c.a, "accept", None).await.status(), 404);
    }
    let anon: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/help-requests".into(), None),
        (
            Method::POST,
            "/api/v1/help-requests".into(),
            Some(at_station("other", &w.s1)),
        ),
        (Method::GET, format!("/api/v1/help-requests/{}", c.a), None),
        (
            Method::POST,
            format!("/api/v1/help-requests/{}/transitions", c.a),
            Some(json!({"action": "cancel"})),
        ),
        (
            Method::POST,
            format!("/api/v1/help-requests/{}/feedback", c.a),
            Some(json!({"rating": 5})),
        ),
    ];
    for (method, path, body) in anon {
        let res = w.app.request(method.clone(), &path, None, body).await;
        assert_problem(res, 401, "unauthorized").await;
    }
    // Only riders file requests.
    for t in [&w.op1, &w.street1, &w.admin] {
        let res = post_request(&w.app, t, at_station("other", &w.s1)).await;
        assert_problem(res, 403, "forbidden").await;
    }
    // Ids that do not exist, or are not ids, are simply not found.
    let ghost = uuid::Uuid::now_v7();
    assert_problem(
        detail(&w.app, &w.admin, &ghost.to_string()).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        detail(&w.app, &w.admin, "not-a-uuid").await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        act(&w.app, &w.admin, &ghost.to_string(), "accept", None)
            .await
            .status(),
        404
    );
}
