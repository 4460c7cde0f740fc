//! Open311 GeoReport v2 at /open311/v2: the spec's shapes, scoped reads, creation by riders,
//! and never any personal data.

use std::collections::BTreeSet;

use reqwest::Response;
use serde_json::{json, Value};
use uuid::Uuid;

use super::support::{act_ok, at_station, create, detail_ok, id, row, world, world_on, World};
use crate::helpers::{assert_open311_error, backend, open311_fields, spawn_with, token, TestApp};

/// The keys of the spec's `GET services` example.
const SERVICE_KEYS: [&str; 7] = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
];

/// Every key of the spec's `GET requests` example.
const REQUEST_KEYS: [&str; 17] = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
];

/// The ones this server always sends (`lat`/`long` only with a location; never `media_url`,
/// `address_id`, `zipcode`).
const REQUEST_KEYS_ALWAYS: [&str; 12] = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
];

/// The keys of the spec's `POST requests` answer.
const CREATED_KEYS: [&str; 3] = ["service_request_id", "service_notice", "account_id"];

const API_KEY: &str = "open311-test-key-0123456789";

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Asserts one request has the spec's shape and types.
fn assert_request_shape(r: &Value) {
    let k = keys(r);
    assert!(k.is_subset(&set(&REQUEST_KEYS)), "not a spec key in {r}");
    assert!(
        set(&REQUEST_KEYS_ALWAYS).is_subset(&k),
        "missing keys in {r}"
    );
    for field in [
        "service_request_id",
        "status",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "address",
    ] {
        assert!(r[field].is_string(), "{field} in {r}");
    }
    assert!(matches!(r["status"].as_str(), Some("open" | "closed")));
    for field in ["requested_datetime", "updated_datetime"] {
        crate::helpers::ts(&r[field]);
    }
    assert!(r["expected_datetime"].is_null() || r["expected_datetime"].is_string());
    assert!(r["status_notes"].is_null() || r["status_notes"].is_string());
    assert_eq!(r.get("lat").is_some(), r.get("long").is_some(), "{r}");
    if let Some(lat) = r.get("lat") {
        assert!(lat.is_f64() && r["long"].is_f64(), "{r}");
    }
}

async fn get_list(app: &TestApp, query: &str, token: Option<&str>) -> Response {
    app.get(&format!("/open311/v2/requests.json?{query}"), token)
        .await
}

/// GET requests.json asserting 200; returns the array.
async fn list_ok(app: &TestApp, query: &str, token: Option<&str>) -> Vec<Value> {
    let res = get_list(app, query, token).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        status,
        200,
        "requests.json?{query} on {}: {body}",
        backend()
    );
    let items = body.as_array().expect("an array").clone();
    items.iter().for_each(assert_request_shape);
    items
}

fn ids_of(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|r| r["service_request_id"].as_str().unwrap().to_string())
        .collect()
}

async fn post_form(app: &TestApp, token: Option<&str>, form: &[(&str, &str)]) -> Response {
    let mut req = app.client.post(app.url("/open311/v2/requests.json"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.form(form).send().await.expect("request")
}

#[tokio::test]
async fn services_follow_the_spec_in_both_languages() {
    let app = crate::helpers::spawn().await;
    let res = app.get("/open311/v2/services.json", None).await;
    assert_eq!(res.status(), 200);
    let zh: Vec<Value> = res.json().await.unwrap();
    assert_eq!(zh.len(), 13);
    for s in &zh {
        assert_eq!(keys(s), set(&SERVICE_KEYS), "{s}");
        for field in [
            "service_code",
            "service_name",
            "description",
            "keywords",
            "group",
        ] {
            assert!(
                s[field].as_str().is_some_and(|v| !v.is_empty()),
                "{field} in {s}"
            );
        }
        assert_eq!(s["metadata"], false);
        assert_eq!(s["type"], "realtime");
    }
    let name = |list: &[Value], code: &str| {
        list.iter().find(|s| s["service_code"] == code).unwrap()["service_name"].clone()
    };
    assert_eq!(name(&zh, "wage_arrears"), "欠薪");
    assert_eq!(name(&zh, "traffic_accident"), "交通事故");
    assert_eq!(name(&zh, "hazard_report"), "隐患上报");
    let en: Vec<Value> = app
        .get("/open311/v2/services.json?locale=en", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(name(&en, "wage_arrears"), "Wage arrears");
    let codes = |l: &[Value]| {
        l.iter()
            .map(|s| s["service_code"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(codes(&zh), codes(&en));
    let res = app.get("/open311/v2/services.json?locale=fr", None).await;
    let errors = assert_open311_error(res, 422).await;
    assert_eq!(open311_fields(&errors), ["locale"]);
}

/// A world where rider1 has one open request at s1 (with contact details in its text) and
/// rider2 one rejected request at s2 (with a note). Returns (world, open id, rejected id).
async fn two_requests(w: &World) -> (String, String) {
    let mut body = at_station("vehicle_breakdown", &w.s1);
    body["description"] =
        json!("车坏了，请打 13812345678 或 138 1234 5678，或发邮件 rider@example.com");
    let open = id(&create(&w.app, &w.rider1, body).await);
    let closed = id(&create(&w.app, &w.rider2, at_station("customer_dispute", &w.s2)).await);
    act_ok(
        &w.app,
        &w.op2,
        &closed,
        "reject",
        Some("请直接联系商家客服 021-12345678"),
    )
    .await;
    (open, closed)
}

#[tokio::test]
async fn requests_show_the_spec_fields_and_no_personal_data() {
    let w = world().await;
    let (phone, registered) = w.app.register_rider().await;
    let rider = token(&registered).to_string();
    let rider_id = registered["user"]["id"].as_str().unwrap().to_string();
    let mut body = at_station("medical", &w.s1);
    body["lat"] = json!(31.22351);
    body["lng"] = json!(121.44523);
    body["description"] = json!(format!("中暑了，我的电话 {phone}"));
    let mine = id(&create(&w.app, &rider, body).await);
    let (open, closed) = two_requests(&w).await;

    let res = get_list(&w.app, "", Some(&w.admin)).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    for secret in [
        phone.as_str(),
        rider_id.as_str(),
        "测试骑手",
        "13812345678",
        "rider@example.com",
        "12345678",
    ] {
        assert!(!text.contains(secret), "{secret} leaked into {text}");
    }
    let items: Vec<Value> = serde_json::from_str(&text).unwrap();
    items.iter().for_each(assert_request_shape);
    assert_eq!(
        ids_of(&items),
        [closed.as_str(), open.as_str(), mine.as_str()],
        "newest first"
    );

    let m = &items[2];
    assert_eq!(m["status"], "open");
    assert_eq!(m["service_code"], "medical");
    assert_eq!(m["service_name"], "医疗求助");
    assert_eq!(m["agency_responsible"], "静安寺街道暖新驿站");
    assert_eq!(m["address"], "静安寺街道暖新驿站 门口");
    assert_eq!(m["status_notes"], "已提交，等待受理");
    assert!(m["description"].as_str().unwrap().starts_with("中暑了"));
    // The stored location is the coarse one.
    assert_eq!(
        (m["lat"].as_f64(), m["long"].as_f64()),
        (Some(31.224), Some(121.445))
    );
    let stored = row(&w.app, &mine).await;
    assert_eq!(
        crate::helpers::ts(&m["expected_datetime"]).timestamp(),
        stored.due_at.unwrap().timestamp()
    );
    assert_eq!(
        crate::helpers::ts(&m["requested_datetime"]).timestamp(),
        stored.created_at.timestamp()
    );

    let c = &items[0];
    assert_eq!(c["status"], "closed");
    assert_eq!(c["status_notes"], "不予受理：请直接联系商家客服 ***");
    assert_eq!(c["expected_datetime"], Value::Null);
    assert!(c.get("lat").is_none() && c.get("long").is_none(), "{c}");
    assert_eq!(c["agency_responsible"], "南京东路街道暖新驿站");

    let en = list_ok(&w.app, "locale=en", Some(&w.admin)).await;
    assert_eq!(en[2]["service_name"], "Medical help");
    assert!(en[0]["service_notice"]
        .as_str()
        .unwrap()
        .starts_with("Passed to"));
}

#[tokio::test]
async fn reading_follows_the_key_the_token_or_the_public_categories() {
    let app = spawn_with(|s| s.open311_api_keys = vec![secrecy::SecretString::from(API_KEY)]).await;
    let w = world_on(app).await;
    let (open, closed) = two_requests(&w).await;
    let app = &w.app;

    // Anonymous: only public civic categories, and these two are private.
    assert!(list_ok(app, "", None).await.is_empty());
    // A token reads what the API shows its holder.
    assert_eq!(
        ids_of(&list_ok(app, "", Some(&w.rider1)).await),
        [open.as_str()]
    );
    assert_eq!(
        ids_of(&list_ok(app, "", Some(&w.op1)).await),
        [open.as_str()]
    );
    assert_eq!(
        ids_of(&list_ok(app, "", Some(&w.op2)).await),
        [closed.as_str()]
    );
    let wrong = assert_open311_error(get_list(app, "api_key=wrong-key", None).await, 401).await;
    assert!(wrong[0].contains("api_key"), "{wrong:?}");
    // A wrong key is refused even next to a good token.
    assert_open311_error(
        get_list(app, "api_key=wrong-key", Some(&w.admin)).await,
        401,
    )
    .await;

    let all = list_ok(app, &format!("api_key={API_KEY}"), None).await;
    assert_eq!(ids_of(&all), [closed.as_str(), open.as_str()]);
    assert_eq!(
        ids_of(&list_ok(app, "", Some(&w.street1)).await),
        [open.as_str()]
    );
    assert_eq!(
        ids_of(&list_ok(app, "", Some(&w.district2)).await),
        [closed.as_str()]
    );
    assert_eq!(list_ok(app, "", Some(&w.city)).await.len(), 2);

    // One request: same access, 404 when not readable.
    let one = |id: &str| format!("/open311/v2/requests/{id}.json");
    let res = app.get(&one(&open), Some(&w.street1)).await;
    assert_eq!(res.status(), 200);
    let body: Vec<Value> = res.json().await.unwrap();
    assert_eq!(body.len(), 1);
    assert_request_shape(&body[0]);
    assert_eq!(body[0]["service_request_id"], open);
    let res = app
        .get(&format!("{}?api_key={API_KEY}", one(&closed)), None)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.get(&one(&open), Some(&w.rider1)).await.status(), 200);
    for (id, token) in [
        (open.as_str(), Some(w.street2.as_str())),
        (open.as_str(), None),
        (open.as_str(), Some(w.rider2.as_str())),
    ] {
        assert_open311_error(app.get(&one(id), token).await, 404).await;
    }
    let unknown = Uuid::now_v7().to_string();
    assert_open311_error(app.get(&one(&unknown), Some(&w.admin)).await, 404).await;
    assert_open311_error(app.get(&one("nope"), Some(&w.admin)).await, 404).await;
}

#[tokio::test]
async fn requests_filter_as_the_spec_says() {
    let w = world().await;
    let (open, closed) = two_requests(&w).await;
    let app = &w.app;
    let admin = Some(w.admin.as_str());

    assert_eq!(
        ids_of(&list_ok(app, "status=open", admin).await),
        [open.as_str()]
    );
    assert_eq!(
        ids_of(&list_ok(app, "status=closed", admin).await),
        [closed.as_str()]
    );
    assert_eq!(list_ok(app, "status=open,closed", admin).await.len(), 2);
    assert_eq!(
        ids_of(&list_ok(app, "service_code=customer_dispute", admin).await),
        [closed.as_str()]
    );
    // Ids override every other filter.
    let q = format!("service_request_id={open}&status=closed&service_code=medical");
    assert_eq!(ids_of(&list_ok(app, &q, admin).await), [open.as_str()]);
    let q = format!("service_request_id={open},{closed}");
    assert_eq!(list_ok(app, &q, admin).await.len(), 2);
    // Dates.
    assert!(list_ok(app, "start_date=2099-01-01T00:00:00Z", admin)
        .await
        .is_empty());
    assert!(list_ok(app, "end_date=2020-01-01T00:00:00%2B08:00", admin)
        .await
        .is_empty());
    let q = "start_date=2020-01-01&end_date=2099-01-01T00:00:00Z";
    assert_eq!(list_ok(app, q, admin).await.len(), 2);
    // Paging.
    assert_eq!(
        ids_of(&list_ok(app, "page_size=1", admin).await),
        [closed.as_str()]
    );
    assert_eq!(
        ids_of(&list_ok(app, "page_size=1&page=2", admin).await),
        [open.as_str()]
    );

    for (query, field) in [
        ("status=pending", "status"),
        ("service_code=pothole", "service_code"),
        ("service_request_id=123", "service_request_id"),
        ("start_date=yesterday", "start_date"),
        ("start_date=2026-02-01&end_date=2026-01-01", "start_date"),
        ("page_size=1001", "page_size"),
        ("page=0", "page"),
        ("locale=xx", "locale"),
    ] {
        let errors = assert_open311_error(get_list(app, query, admin).await, 422).await;
        assert_eq!(open311_fields(&errors), [field], "{query}");
    }
}

#[tokio::test]
async fn riders_file_requests_form_encoded_or_as_json() {
    let w = world().await;
    let app = &w.app;
    let res = post_form(
        app,
        Some(&w.rider1),
        &[
            ("service_code", "vehicle_breakdown"),
            ("description", "电动车没电了，走不动"),
            ("lat", "31.2235"),
            ("long", "121.4452"),
            ("address_string", "华山路 1 号"),
            // Spec fields for contact details: accepted, never stored.
            ("email", "someone@example.com"),
            ("first_name", "张"),
            ("phone", "13900001111"),
        ],
    )
    .await;
    assert_eq!(res.status(), 201, "on {}", backend());
    let body: Vec<Value> = res.json().await.unwrap();
    assert_eq!(body.len(), 1);
    assert_eq!(keys(&body[0]), set(&CREATED_KEYS));
    assert_eq!(body[0]["account_id"], Value::Null);
    assert_eq!(body[0]["service_notice"], "已转至驿站，由驿站受理");
    let rid = body[0]["service_request_id"].as_str().unwrap().to_string();
    let d = detail_ok(app, &w.rider1, &rid).await;
    assert_eq!(d["category"], "vehicle_breakdown");
    assert_eq!(d["urgency"], "normal");
    assert_eq!(d["description"], "电动车没电了，走不动");
    assert_eq!(d["station_id"], w.s1.as_str(), "routed by its location");
    let stored = row(app, &rid).await;
    assert_eq!(stored.description, "电动车没电了，走不动");

    // JSON, with numbers for the coordinates, in English.
    let res = app
        .post(
            "/open311/v2/requests.json?locale=en",
            Some(&w.rider2),
            json!({"service_code": "hazard_report", "description": "井盖缺失", "lat": 31.2372, "long": 121.4795}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let body: Vec<Value> = res.json().await.unwrap();
    assert_eq!(keys(&body[0]), set(&CREATED_KEYS));
    assert!(body[0]["service_notice"]
        .as_str()
        .unwrap()
        .starts_with("Passed to"));
    let found = list_ok(app, "service_code=hazard_report", Some(&w.admin)).await;
    assert_eq!(
        ids_of(&found),
        [body[0]["service_request_id"].as_str().unwrap()]
    );
}

#[tokio::test]
async fn bad_posts_are_problems_naming_the_open311_field() {
    let w = world().await;
    let app = &w.app;
    let form = |extra: &[(&'static str, &'static str)]| {
        let mut f = vec![("service_code", "medical"), ("description", "不舒服")];
        f.extend_from_slice(extra);
        f
    };
    let here = ("address_string", "华山路 1 号");
    for (fields, expected) in [
        (vec![("description", "x"), here], "service_code"),
        (
            vec![("service_code", "pothole"), ("description", "x"), here],
            "service_code",
        ),
        (vec![("service_code", "medical"), here], "description"),
        (form(&[("lat", "31.2")]), "long"),
        (form(&[("lat", "91"), ("long", "121.4")]), "lat"),
        (form(&[("lat", "31.2"), ("long", "east")]), "long"),
        // A location is required, as the spec has it.
        (form(&[]), "lat"),
    ] {
        let res = post_form(app, Some(&w.rider1), &fields).await;
        let errors = assert_open311_error(res, 422).await;
        assert_eq!(open311_fields(&errors), [expected], "{fields:?}");
    }
    let too_long = "长".repeat(2001);
    let res = post_form(
        app,
        Some(&w.rider1),
        &[
            ("service_code", "medical"),
            ("description", &too_long),
            here,
        ],
    )
    .await;
    let errors = assert_open311_error(res, 422).await;
    assert_eq!(open311_fields(&errors), ["description"]);

    assert_open311_error(post_form(app, None, &form(&[here])).await, 401).await;
    assert_open311_error(post_form(app, Some(&w.street1), &form(&[here])).await, 403).await;
    let res = app
        .client
        .post(app.url("/open311/v2/requests.json"))
        .bearer_auth(&w.rider1)
        .header("content-type", "text/plain")
        .body("service_code=medical")
        .send()
        .await
        .unwrap();
    assert_open311_error(res, 415).await;
    let res = app
        .post(
            "/open311/v2/requests.json",
            Some(&w.rider1),
            json!({"service_code": ["medical"], "description": "x"}),
        )
        .await;
    let errors = assert_open311_error(res, 422).await;
    assert_eq!(open311_fields(&errors), ["service_code"]);
    assert_eq!(super::support::counts(app).await.0, 0, "nothing written");
}

#[tokio::test]
async fn open311_and_events_are_in_the_openapi_document() {
    let app = crate::helpers::spawn().await;
    let doc: Value = app.get("/openapi.json", None).await.json().await.unwrap();
    for path in [
        "/open311/discovery.{format}",
        "/open311/v2/discovery.{format}",
        "/open311/v2/services.{format}",
        "/open311/v2/services/{service_code}.{format}",
        "/open311/v2/requests.{format}",
        "/open311/v2/requests/{id}.{format}",
        "/api/v1/events",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} not documented");
    }
    assert!(doc["paths"]["/open311/v2/requests.{format}"]["post"].is_object());
}

#[tokio::test]
async fn a_missed_deadline_leaves_no_english_in_the_status_notes() {
    let w = world().await;
    let d = create(&w.app, &w.rider1, at_station("other", &w.s1)).await;
    let id = id(&d);
    let late = crate::helpers::ts(&d["accept_due_at"]) + chrono::Duration::minutes(1);
    assert_eq!(
        warmnew::help::sla::run_once(&w.app.state, late)
            .await
            .unwrap(),
        1
    );
    for (locale, want) in [
        ("", "已提交，等待受理"),
        ("locale=en", "Submitted, waiting to be accepted"),
    ] {
        let items = list_ok(&w.app, locale, Some(&w.admin)).await;
        let r = items
            .iter()
            .find(|r| r["service_request_id"] == id.as_str())
            .unwrap();
        // The system's entries carry no words, so the handler's latest note is still none.
        assert_eq!(r["status_notes"], want, "{r}");
    }
}
