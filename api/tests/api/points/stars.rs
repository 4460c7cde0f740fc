//! Star riders (典型选树): opt-in only, the district a rider checks in at most, points earned in
//! the month, and never more than a display name and a masked phone.

use chrono::Utc;
use chrono_tz::Asia::Shanghai;
use sea_orm::TransactionTrait;
use serde_json::{json, Value};
use warmnew::auth::Role;
use warmnew::points::ledger::{self, Reason};

use super::support::*;
use crate::helpers::*;

async fn opt_in(app: &TestApp, rider: &Rider, on: bool) {
    let res = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/me/star-rider",
            Some(&rider.token),
            Some(json!({ "opt_in": on })),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({ "opt_in": on }));
}

async fn stars(app: &TestApp, query: &str) -> Value {
    let res = app.get(&format!("/api/v1/star-riders?{query}"), None).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "star-riders?{query} on {}: {body}", backend());
    body
}

fn names(list: &Value) -> Vec<(&str, i64)> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["display_name"].as_str().unwrap(),
                i["points"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn named_rider(app: &TestApp, name: &str) -> Rider {
    let r = rider(app).await;
    let res = app
        .patch(
            "/api/v1/me",
            Some(&r.token),
            json!({ "display_name": name }),
        )
        .await;
    assert_eq!(res.status(), 200);
    r
}

struct Place {
    id: String,
    code: String,
}

async fn place(app: &TestApp, admin: &str, name: &str, region: &str) -> Place {
    let mut body = station_body(name, 31.23, 121.45);
    body["region_code"] = json!(region);
    let id = app.create_station(admin, body).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let op = app.operator_of(&id).await;
    let code = checkin_code(app, &id, &op).await;
    Place { id, code }
}

async fn visit(app: &TestApp, p: &Place, r: &Rider) {
    assert_eq!(check_in(app, &p.id, &r.token, &p.code).await.status(), 201);
}

#[tokio::test]
async fn the_months_star_riders_are_opted_in_riders_of_the_district() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    // Two stations in 静安区 (one on a street below it), two in 黄浦区.
    let jingan = place(&app, &admin, "静安寺驿站", "310106").await;
    let jingan_street = place(&app, &admin, "江宁路驿站", "310106006").await;
    let huangpu = place(&app, &admin, "外滩驿站", "310101").await;
    let huangpu2 = place(&app, &admin, "豫园驿站", "310101018").await;

    let a = named_rider(&app, "阿强").await;
    let b = named_rider(&app, "小美").await;
    let shy = named_rider(&app, "不想上榜").await;
    let mover = named_rider(&app, "老周").await;
    for r in [&a, &b, &mover] {
        opt_in(&app, r, true).await;
    }
    visit(&app, &jingan, &a).await;
    visit(&app, &jingan_street, &a).await;
    give(&app, a.id, 30).await;
    visit(&app, &jingan, &b).await;
    visit(&app, &jingan, &shy).await;
    give(&app, shy.id, 500).await;
    // Mostly in 黄浦区: belongs there, not to 静安区, whatever they earn.
    visit(&app, &jingan, &mover).await;
    visit(&app, &huangpu, &mover).await;
    visit(&app, &huangpu2, &mover).await;
    give(&app, mover.id, 1000).await;
    // Spending does not lower what was earned.
    let txn = app.state.db.begin().await.unwrap();
    ledger::spend(&txn, a.id, 20, Reason::Redemption, "redemption:test")
        .await
        .unwrap();
    txn.commit().await.unwrap();

    let month = Utc::now()
        .with_timezone(&Shanghai)
        .format("%Y-%m")
        .to_string();
    let list = stars(&app, "district=310106").await;
    assert_eq!(list["month"], month);
    assert_eq!(list["district_code"], "310106");
    assert_eq!(list["district_name"], "静安区");
    assert_eq!(
        names(&list),
        [("阿强", 40), ("小美", 5)],
        "on {}: {list}",
        backend()
    );
    let first = &list["items"][0];
    assert_eq!(first["rank"], 1);
    assert_eq!(list["items"][1]["rank"], 2);
    assert_eq!(
        first["phone_masked"],
        format!("{}****{}", &a.phone[..3], &a.phone[7..])
    );
    // Nothing but rank, name, masked phone and points; no ids, no phone numbers.
    for item in list["items"].as_array().unwrap() {
        let mut keys: Vec<&String> = item.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["display_name", "phone_masked", "points", "rank"]);
    }
    let text = list.to_string();
    for r in [&a, &b, &shy, &mover] {
        assert!(
            !text.contains(&r.id.to_string()) && !text.contains(&r.phone),
            "{text}"
        );
    }
    assert_eq!(
        names(&stars(&app, "district=310101").await),
        [("老周", 1015)]
    );
    assert_eq!(
        names(&stars(&app, &format!("district=310106&month={month}")).await).len(),
        2
    );
    assert!(names(&stars(&app, "district=310106&month=2020-01").await).is_empty());

    // Opting out takes a rider off at once; the setting reads back.
    opt_in(&app, &a, false).await;
    assert_eq!(names(&stars(&app, "district=310106").await), [("小美", 5)]);
    let res = app.get("/api/v1/me/star-rider", Some(&a.token)).await;
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({ "opt_in": false })
    );
    let res = app.get("/api/v1/me/star-rider", Some(&b.token)).await;
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({ "opt_in": true })
    );
}

#[tokio::test]
async fn star_riders_are_off_by_default_and_bad_parameters_are_422() {
    let app = spawn().await;
    let r = rider(&app).await;
    let res = app.get("/api/v1/me/star-rider", Some(&r.token)).await;
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({ "opt_in": false })
    );
    for (query, field) in [
        ("", "district"),
        ("district=", "district"),
        ("district=3101", "district"),
        ("district=310106013", "district"),
        ("district=999999", "district"),
        ("district=31010a", "district"),
        ("district=310106&month=2026-13", "month"),
        ("district=310106&month=2026-1", "month"),
        ("district=310106&month=november", "month"),
    ] {
        let res = app.get(&format!("/api/v1/star-riders?{query}"), None).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), [field], "{query}");
    }
    let put = |token: Option<String>, body: Value| {
        let app = &app;
        async move {
            app.request(
                reqwest::Method::PUT,
                "/api/v1/me/star-rider",
                token.as_deref(),
                Some(body),
            )
            .await
        }
    };
    let problem = assert_problem(
        put(Some(r.token.clone()), json!({"opt_in": "yes"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["opt_in"]);
    assert_problem(
        put(None, json!({"opt_in": true})).await,
        401,
        "unauthorized",
    )
    .await;
    let staff = token(&app.user_with_role(Role::Staff, Some("310106")).await).to_string();
    assert_problem(
        put(Some(staff), json!({"opt_in": true})).await,
        403,
        "forbidden",
    )
    .await;
    let res = app.get("/api/v1/me/star-rider", Some(&r.token)).await;
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({ "opt_in": false })
    );
}
