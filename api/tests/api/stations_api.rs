//! Stations CRUD and its rules: who may change what, search, pagination, bad input, the
//! detail cache staying coherent after every kind of write, and the OpenAPI document.

use serde_json::{json, Value};
use warmnew::auth::Role;
use warmnew::stations::domain::{haversine_m, LatLng};

use crate::helpers::*;

const PEOPLES_SQUARE: (f64, f64) = (31.2304, 121.4737);

fn at(item: &Value) -> LatLng {
    LatLng {
        lat: item["lat"].as_f64().unwrap(),
        lng: item["lng"].as_f64().unwrap(),
    }
}

fn gcj(item: &Value) -> LatLng {
    LatLng {
        lat: item["gcj02"]["lat"].as_f64().unwrap(),
        lng: item["gcj02"]["lng"].as_f64().unwrap(),
    }
}

fn sid(station: &Value) -> String {
    station["id"].as_str().expect("id").to_string()
}

/// Everything a reader can see of a station, minus what moves on its own (nothing here).
async fn detail_and_row(app: &TestApp, id: &str) -> (Value, warmnew::entity::station::Model) {
    (app.station(id).await, app.station_row(id).await)
}

#[tokio::test]
async fn admin_creates_a_station_and_gets_its_full_shape() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let before = chrono::Utc::now();
    let body = json!({
        "name": "  静安寺街道暖新驿站 ",
        "name_en": "Jing'an Temple Warm Station",
        "address": "上海市静安区华山路 2 号",
        "lat": 31.2235,
        "lng": 121.4452,
        "region_code": "310106013",
        "opening_hours": "24/7",
        "amenities": ["wifi", "drinking_water", "wifi", "phone_charging"],
        "capacity": 20,
        "contact_phone": "021-6248 0000",
        "external_id": "SH-JA-001",
    });
    let res = app.post("/api/v1/stations", Some(&admin), body).await;
    assert_eq!(res.status(), 201, "on {}", backend());
    let s: Value = res.json().await.unwrap();
    let mut keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "address",
            "amenities",
            "capacity",
            "closes_at",
            "contact_phone",
            "created_at",
            "external_id",
            "gcj02",
            "hours_state",
            "id",
            "last_verified_at",
            "lat",
            "lng",
            "name",
            "name_en",
            "occupancy",
            "open_now",
            "opening_hours",
            "opens_at",
            "region_code",
            "status",
            "updated_at",
        ]
    );
    assert!(s["id"].as_str().unwrap().parse::<uuid::Uuid>().is_ok());
    assert_eq!(s["name"], "静安寺街道暖新驿站", "trimmed");
    assert_eq!(s["name_en"], "Jing'an Temple Warm Station");
    assert_eq!(s["external_id"], "SH-JA-001");
    assert_eq!(
        (s["lat"].as_f64(), s["lng"].as_f64()),
        (Some(31.2235), Some(121.4452))
    );
    assert_eq!(s["region_code"], "310106013");
    assert_eq!(
        s["amenities"],
        json!(["drinking_water", "phone_charging", "wifi"]),
        "deduplicated, in the closed set's order"
    );
    assert_eq!(s["status"], "open");
    assert_eq!(
        (s["occupancy"].as_i64(), s["capacity"].as_i64()),
        (Some(0), Some(20))
    );
    assert_eq!(s["contact_phone"], "021-6248 0000");
    // 24/7: open now, and it never closes or opens.
    assert_eq!(s["open_now"], true);
    assert!(s["closes_at"].is_null() && s["opens_at"].is_null(), "{s}");
    // GCJ-02 is the same place a few hundred metres off.
    let offset = haversine_m(at(&s), gcj(&s));
    assert!((300.0..800.0).contains(&offset), "gcj02 offset {offset} m");
    let verified = ts(&s["last_verified_at"]);
    assert!(verified >= before - chrono::Duration::seconds(1), "{s}");
    assert_eq!(ts(&s["created_at"]), ts(&s["updated_at"]));

    // The detail says the same, and so does nearby.
    let detail = app.station(&sid(&s)).await;
    assert_eq!(detail, s);
    let items = app.nearby("lat=31.2235&lng=121.4452").await;
    assert_eq!(ids(&items), [sid(&s)]);
    assert_eq!(items[0]["distance_m"], 0);
    assert_eq!(items[0]["gcj02"], s["gcj02"]);

    // external_id is unique.
    let mut dup = station_body("另一个驿站", 31.2, 121.4);
    dup["external_id"] = json!("SH-JA-001");
    let res = app.post("/api/v1/stations", Some(&admin), dup).await;
    assert_problem(res, 409, "conflict").await;
    assert_eq!(app.station_count().await, 1);
}

#[tokio::test]
async fn only_admins_create_stations() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let existing = app
        .create_station(&admin, station_body("已有驿站", 31.2, 121.4))
        .await;
    let operator = app.operator_of(&sid(&existing)).await;
    let rider = app.rider_token().await;
    let staff = token(&app.user_with_role(Role::Staff, Some("310106")).await).to_string();
    let body = station_body("新驿站", 31.21, 121.41);
    for t in [&operator, &rider, &staff] {
        let res = app.post("/api/v1/stations", Some(t), body.clone()).await;
        assert_problem(res, 403, "forbidden").await;
    }
    let res = app.post("/api/v1/stations", None, body).await;
    assert_problem(res, 401, "unauthorized").await;
    assert_eq!(app.station_count().await, 1);
}

#[tokio::test]
async fn list_searches_name_and_address_with_like_wildcards_taken_literally() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let mut percent = station_body("100%暖心驿站", 31.20, 121.40);
    percent["address"] = json!("长寿路 1 号");
    let mut underscore = station_body("暖新_驿站", 31.21, 121.41);
    underscore["address"] = json!("昌平路 2 号");
    let mut by_address = station_body("曹家渡驿站", 31.22, 121.42);
    by_address["address"] = json!("万航渡路 100 号 (近 50 弄)");
    let mut plain = station_body("江宁路驿站", 31.23, 121.43);
    plain["address"] = json!("江宁路 3 号");
    let percent = sid(&app.create_station(&admin, percent).await);
    let underscore = sid(&app.create_station(&admin, underscore).await);
    let by_address = sid(&app.create_station(&admin, by_address).await);
    let plain = sid(&app.create_station(&admin, plain).await);

    let search = |q: &'static str| {
        let app = &app;
        async move {
            let res = app
                .client
                .get(app.url("/api/v1/stations"))
                .query(&[("q", q)])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "q={q}");
            let page: Value = res.json().await.unwrap();
            let mut found = ids(page["items"].as_array().unwrap());
            found.sort();
            assert_eq!(page["total"].as_u64(), Some(found.len() as u64), "q={q}");
            found
        }
    };
    assert_eq!(search("%").await, [percent.as_str()], "% is literal");
    assert_eq!(search("_").await, [underscore.as_str()], "_ is literal");
    assert_eq!(search("0%").await, [percent.as_str()]);
    assert_eq!(search("万航渡").await, [by_address.as_str()], "address");
    assert_eq!(search("江宁路驿站").await, [plain.as_str()], "name");
    assert_eq!(search(" 江宁路 ").await, [plain.as_str()], "trimmed");
    assert!(search("\\").await.is_empty(), "a backslash is literal too");
    let mut all = vec![percent, underscore, by_address, plain];
    all.sort();
    assert_eq!(search("驿站").await, all);
    assert_eq!(search("").await, all, "empty q lists everything");

    // Case-insensitive on both backends (PostgreSQL's LIKE alone is case-sensitive).
    let plain = search("江宁路驿站").await.remove(0);
    let res = app
        .patch(
            &format!("/api/v1/stations/{plain}"),
            Some(&admin),
            json!({"name_en": "Jiangning Road Rider Station"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(search("JIANGNING road").await.len(), 1, "case-insensitive");

    let long = "驿".repeat(101);
    let res = app
        .client
        .get(app.url("/api/v1/stations"))
        .query(&[("q", long.as_str())])
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_code(&problem, "q"), "too_long");
}

#[tokio::test]
async fn list_region_filter_includes_the_streets_below_a_district() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let mut make = Vec::new();
    for (name, region) in [
        ("静安区驿站", "310106"),
        ("静安寺街道驿站", "310106013"),
        ("江宁路街道驿站", "310106006"),
        ("外滩街道驿站", "310101013"),
    ] {
        let mut body = station_body(name, 31.22, 121.45);
        body["region_code"] = json!(region);
        make.push(sid(&app.create_station(&admin, body).await));
    }
    let list = |region: &'static str| {
        let app = &app;
        async move {
            let page: Value = app
                .get(&format!("/api/v1/stations?region={region}"), None)
                .await
                .json()
                .await
                .unwrap();
            let mut found = ids(page["items"].as_array().unwrap());
            found.sort();
            found
        }
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(
        list("310106").await,
        sorted(make[..3].to_vec()),
        "the district and its streets"
    );
    assert_eq!(list("310106013").await, [make[1].clone()]);
    assert_eq!(list("310101").await, [make[3].clone()]);
    assert_eq!(list("3101").await, sorted(make.clone()), "the city");
    assert!(list("310115").await.is_empty());
    let res = app.get("/api/v1/stations?region=31%25", None).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["region"]);
}

#[tokio::test]
async fn list_paginates_and_bounds_per_page() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let mut created = Vec::new();
    for i in [3, 1, 5, 2, 4] {
        let s = app
            .create_station(
                &admin,
                station_body(&format!("Station {i:02}"), 31.2, 121.4),
            )
            .await;
        created.push((format!("Station {i:02}"), sid(&s)));
    }
    created.sort();
    let expected: Vec<String> = created.into_iter().map(|(_, id)| id).collect();
    let mut seen = Vec::new();
    for page in 1..=3u64 {
        let body: Value = app
            .get(&format!("/api/v1/stations?page={page}&per_page=2"), None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (
                body["total"].as_u64(),
                body["page"].as_u64(),
                body["per_page"].as_u64()
            ),
            (Some(5), Some(page), Some(2)),
            "{body}"
        );
        let items = body["items"].as_array().unwrap();
        assert_eq!(items.len(), if page < 3 { 2 } else { 1 });
        // List items carry the full detail shape.
        assert!(items.iter().all(|i| i["last_verified_at"].is_string()));
        seen.extend(ids(items));
    }
    assert_eq!(seen, expected, "ordered by name, no item twice");
    let beyond: Value = app
        .get("/api/v1/stations?page=4&per_page=2", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(beyond["items"], json!([]));
    assert_eq!(beyond["total"], 5);
    let default: Value = app
        .get("/api/v1/stations", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (default["page"].as_u64(), default["per_page"].as_u64()),
        (Some(1), Some(20))
    );
    let full: Value = app
        .get("/api/v1/stations?per_page=100", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(full["items"].as_array().unwrap().len(), 5);

    for (query, field) in [
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("page=0", "page"),
    ] {
        let res = app.get(&format!("/api/v1/stations?{query}"), None).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), [field], "{query}");
        assert_eq!(error_code(&problem, field), "out_of_range");
    }
    for query in ["per_page=abc", "per_page=-1", "page=1.5"] {
        let res = app.get(&format!("/api/v1/stations?{query}"), None).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        let field = query.split('=').next().unwrap();
        assert_eq!(error_fields(&problem), [field], "{query}");
        assert_eq!(error_code(&problem, field), "not_a_number");
    }
}

#[tokio::test]
async fn detail_of_an_unknown_or_malformed_id_is_404() {
    let app = spawn().await;
    for path in [
        format!("/api/v1/stations/{}", uuid::Uuid::now_v7()),
        "/api/v1/stations/not-a-uuid".to_string(),
        "/api/v1/stations/123".to_string(),
    ] {
        let res = app.get(&path, None).await;
        assert_problem(res, 404, "not_found").await;
    }
}

#[tokio::test]
async fn admin_patches_every_field() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let s = app
        .create_station(&admin, station_body("旧名驿站", 31.20, 121.40))
        .await;
    let id = sid(&s);
    let patch = json!({
        "name": "新名驿站",
        "name_en": "New Name Station",
        "address": "新地址 8 号",
        "lat": 31.25,
        "lng": 121.50,
        "region_code": "310101013",
        "contact_phone": "+86 21 1234 5678",
        "status": "full",
        "occupancy": 9,
        "capacity": 10,
        "opening_hours": "Mo-Su 00:00-24:00",
        "amenities": ["toilet", "heating"],
    });
    let res = app
        .patch(&format!("/api/v1/stations/{id}"), Some(&admin), patch)
        .await;
    assert_eq!(res.status(), 200, "on {}", backend());
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["name"], "新名驿站");
    assert_eq!(body["name_en"], "New Name Station");
    assert_eq!(body["address"], "新地址 8 号");
    assert_eq!(
        (body["lat"].as_f64(), body["lng"].as_f64()),
        (Some(31.25), Some(121.50))
    );
    assert_eq!(body["region_code"], "310101013");
    assert_eq!(body["contact_phone"], "+86 21 1234 5678");
    assert_eq!(body["status"], "full");
    assert_eq!(
        (body["occupancy"].as_i64(), body["capacity"].as_i64()),
        (Some(9), Some(10))
    );
    assert_eq!(body["opening_hours"], "Mo-Su 00:00-24:00");
    assert_eq!(body["amenities"], json!(["toilet", "heating"]));
    assert!(ts(&body["updated_at"]) > ts(&s["updated_at"]));
    assert!(ts(&body["last_verified_at"]) > ts(&s["last_verified_at"]));
    assert_ne!(body["gcj02"], s["gcj02"], "gcj02 follows the new position");
    assert!(haversine_m(at(&body), gcj(&body)) > 300.0);
    // It persisted, and nearby finds it at its new place only.
    assert_eq!(app.station(&id).await, body);
    let row = app.station_row(&id).await;
    assert_eq!(
        (row.name.as_str(), row.lat, row.amenities.as_str()),
        ("新名驿站", 31.25, "toilet,heating")
    );
    assert!(app
        .nearby("lat=31.20&lng=121.40&radius_m=1000")
        .await
        .is_empty());
    let items = app.nearby("lat=31.25&lng=121.50&radius_m=1000").await;
    assert_eq!(ids(&items), [id.as_str()]);
    assert_eq!(items[0]["name"], "新名驿站");
    assert_eq!(items[0]["distance_m"], 0);
    // One coordinate alone moves the station too.
    let res = app
        .patch(
            &format!("/api/v1/stations/{id}"),
            Some(&admin),
            json!({"lat": 31.26}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let moved = app.station(&id).await;
    assert_eq!(
        (moved["lat"].as_f64(), moved["lng"].as_f64()),
        (Some(31.26), Some(121.50))
    );
}

#[tokio::test]
async fn operator_patches_live_fields_of_their_own_station() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let s = app
        .create_station(&admin, station_body("江宁路驿站", 31.23, 121.45))
        .await;
    let id = sid(&s);
    let op = app.operator_of(&id).await;
    let path = format!("/api/v1/stations/{id}");
    let res = app
        .patch(
            &path,
            Some(&op),
            json!({
                "status": "full",
                "occupancy": 15,
                "capacity": 15,
                "opening_hours": "Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00; PH off",
                "amenities": ["microwave", "phone_charging"],
            }),
        )
        .await;
    assert_eq!(res.status(), 200, "on {}", backend());
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "full");
    assert_eq!(
        (body["occupancy"].as_i64(), body["capacity"].as_i64()),
        (Some(15), Some(15))
    );
    assert_eq!(
        body["opening_hours"],
        "Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00; PH off"
    );
    assert_eq!(body["amenities"], json!(["phone_charging", "microwave"]));
    assert_eq!(body["name"], s["name"], "untouched");
    let first_verified = ts(&body["last_verified_at"]);
    assert!(first_verified > ts(&s["last_verified_at"]));
    assert_eq!(app.station(&id).await, body);

    // `{}` confirms: last_verified_at moves, nothing else does.
    let res = app.patch(&path, Some(&op), json!({})).await;
    assert_eq!(res.status(), 200);
    let confirmed: Value = res.json().await.unwrap();
    assert!(
        ts(&confirmed["last_verified_at"]) > first_verified,
        "{confirmed}"
    );
    for field in [
        "status",
        "occupancy",
        "capacity",
        "opening_hours",
        "amenities",
        "name",
        "lat",
    ] {
        assert_eq!(confirmed[field], body[field], "{field}");
    }
    assert_eq!(
        app.station_row(&id).await.last_verified_at,
        Some(ts(&confirmed["last_verified_at"]))
    );

    // Operators may close temporarily and reopen.
    for status in ["temporarily_closed", "open"] {
        let res = app.patch(&path, Some(&op), json!({"status": status})).await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.station(&id).await["status"], status);
    }
}

#[tokio::test]
async fn nobody_but_the_station_operator_or_an_admin_changes_a_station() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let mine = sid(&app
        .create_station(&admin, station_body("我的驿站", 31.20, 121.40))
        .await);
    let theirs = sid(&app
        .create_station(&admin, station_body("别人的驿站", 31.21, 121.41))
        .await);
    let op = app.operator_of(&mine).await;
    let rider = app.rider_token().await;
    let staff = token(&app.user_with_role(Role::Staff, Some("310106")).await).to_string();
    let before_theirs = detail_and_row(&app, &theirs).await;
    let before_mine = detail_and_row(&app, &mine).await;

    // Another station: 403 whatever the body, nothing written.
    for body in [
        json!({"status": "full"}),
        json!({}),
        json!({"occupancy": 3}),
    ] {
        let res = app
            .patch(&format!("/api/v1/stations/{theirs}"), Some(&op), body)
            .await;
        let problem = assert_problem(res, 403, "forbidden").await;
        assert!(
            problem["detail"].as_str().unwrap().contains("own station"),
            "{problem}"
        );
    }
    // Own station, but a field only admins change: 403, nothing written.
    for body in [
        json!({"name": "改名"}),
        json!({"status": "full", "lat": 31.0}),
        json!({"address": "x"}),
        json!({"region_code": "310101"}),
        json!({"contact_phone": "12345678"}),
        json!({"name_en": "x"}),
        json!({"status": "closed_permanently"}),
    ] {
        let res = app
            .patch(&format!("/api/v1/stations/{mine}"), Some(&op), body.clone())
            .await;
        assert_problem(res, 403, "forbidden").await;
    }
    // Riders and staff change nothing; anonymous callers must log in.
    for t in [&rider, &staff] {
        let res = app
            .patch(
                &format!("/api/v1/stations/{mine}"),
                Some(t),
                json!({"status": "full"}),
            )
            .await;
        assert_problem(res, 403, "forbidden").await;
    }
    let res = app
        .patch(
            &format!("/api/v1/stations/{mine}"),
            None,
            json!({"status": "full"}),
        )
        .await;
    assert_problem(res, 401, "unauthorized").await;
    // An unknown station is 404 for admins and operators alike.
    let unknown = uuid::Uuid::now_v7();
    for t in [&admin, &op] {
        let res = app
            .patch(&format!("/api/v1/stations/{unknown}"), Some(t), json!({}))
            .await;
        assert_problem(res, 404, "not_found").await;
    }

    assert_eq!(detail_and_row(&app, &theirs).await, before_theirs);
    assert_eq!(detail_and_row(&app, &mine).await, before_mine);
}

#[tokio::test]
async fn patch_with_an_unknown_field_is_422_naming_it() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let id = sid(&app
        .create_station(&admin, station_body("驿站", 31.2, 121.4))
        .await);
    let before = detail_and_row(&app, &id).await;
    let res = app
        .patch(
            &format!("/api/v1/stations/{id}"),
            Some(&admin),
            json!({"status": "full", "checkin_code": "AAAAAA"}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["checkin_code"]);
    assert_eq!(error_code(&problem, "checkin_code"), "unknown_field");
    assert_eq!(detail_and_row(&app, &id).await, before);
}

#[tokio::test]
async fn delete_closes_permanently_and_only_admins_may() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let id = sid(&app
        .create_station(&admin, station_body("要关的驿站", 31.2, 121.4))
        .await);
    let other = sid(&app
        .create_station(&admin, station_body("留下的驿站", 31.2001, 121.4))
        .await);
    let op = app.operator_of(&id).await;
    let rider = app.rider_token().await;
    let path = format!("/api/v1/stations/{id}");
    for t in [&op, &rider] {
        assert_problem(app.delete(&path, Some(t)).await, 403, "forbidden").await;
    }
    assert_problem(app.delete(&path, None).await, 401, "unauthorized").await;
    assert_eq!(app.station(&id).await["status"], "open");
    assert_eq!(app.nearby("lat=31.2&lng=121.4").await.len(), 2);

    let res = app.delete(&path, Some(&admin)).await;
    assert_eq!(res.status(), 204, "on {}", backend());
    // Gone from nearby, still there as a record.
    assert_eq!(ids(&app.nearby("lat=31.2&lng=121.4").await), [other]);
    let detail = app.station(&id).await;
    assert_eq!(detail["status"], "closed_permanently");
    assert_eq!(detail["open_now"], false);
    assert_eq!(app.station_count().await, 2);
    // An operator cannot bring it back; an unknown id is 404.
    for body in [
        json!({"status": "open"}),
        json!({}),
        json!({"occupancy": 1}),
    ] {
        let res = app.patch(&path, Some(&op), body).await;
        assert_problem(res, 403, "forbidden").await;
    }
    assert_eq!(app.station(&id).await["status"], "closed_permanently");
    let res = app
        .delete(
            &format!("/api/v1/stations/{}", uuid::Uuid::now_v7()),
            Some(&admin),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn bad_create_input_is_422_naming_the_field_and_nothing_is_written() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let base = station_body("驿站", 31.2, 121.4);
    let with = |field: &str, value: Value| {
        let mut b = base.clone();
        b[field] = value;
        b
    };
    let without = |field: &str| {
        let mut b = base.clone();
        b.as_object_mut().unwrap().remove(field);
        b
    };
    let cases: Vec<(Value, &str, &str)> = vec![
        (with("lat", json!(90.5)), "lat", "out_of_range"),
        (with("lat", json!(-91)), "lat", "out_of_range"),
        (with("lng", json!(180.01)), "lng", "out_of_range"),
        (with("lat", json!("abc")), "lat", "invalid_type"),
        (with("lng", json!(null)), "lng", "invalid_type"),
        (without("lat"), "lat", "required"),
        (without("lng"), "lng", "required"),
        (
            with("amenities", json!(["wifi", "jacuzzi"])),
            "amenities",
            "unknown_amenity",
        ),
        (
            with("opening_hours", json!("Mo-Fr 25:00-26:00 blah")),
            "opening_hours",
            "invalid_opening_hours",
        ),
        (
            with("opening_hours", json!("sometimes")),
            "opening_hours",
            "invalid_opening_hours",
        ),
        (
            with("opening_hours", json!("  ")),
            "opening_hours",
            "required",
        ),
        (
            with("region_code", json!("999999")),
            "region_code",
            "unknown_region",
        ),
        (with("capacity", json!(-1)), "capacity", "out_of_range"),
        (with("capacity", json!(10_001)), "capacity", "out_of_range"),
        (with("name", json!("  ")), "name", "required"),
        (with("name", json!("驿".repeat(81))), "name", "too_long"),
        (
            with("status", json!("closed_forever")),
            "status",
            "invalid_type",
        ),
        (
            with("contact_phone", json!("call me")),
            "contact_phone",
            "invalid_phone",
        ),
        (with("colour", json!("red")), "colour", "unknown_field"),
    ];
    for (body, field, code) in cases {
        let res = app
            .post("/api/v1/stations", Some(&admin), body.clone())
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), [field], "{body}: {problem}");
        assert_eq!(error_code(&problem, field), code, "{body}");
        assert!(
            problem["detail"].as_str().unwrap().contains(field),
            "{problem}"
        );
    }
    // The opening_hours message says what is wrong and how it should look.
    let res = app
        .post(
            "/api/v1/stations",
            Some(&admin),
            with("opening_hours", json!("Mo-Fr 08:00-")),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("opening_hours") && message.contains("24/7"),
        "{message}"
    );
    // Several bad fields are all named at once.
    let mut many = with("lat", json!(100));
    many["capacity"] = json!(-5);
    many["amenities"] = json!(["sauna"]);
    let res = app.post("/api/v1/stations", Some(&admin), many).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["amenities", "capacity", "lat"]);

    assert_eq!(app.station_count().await, 0, "nothing written");
    assert!(app.nearby("lat=31.2&lng=121.4").await.is_empty());
}

#[tokio::test]
async fn bad_patch_input_is_422_naming_the_field_and_nothing_is_written() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let id = sid(&app
        .create_station(&admin, station_body("驿站", 31.2, 121.4))
        .await);
    let op = app.operator_of(&id).await;
    let path = format!("/api/v1/stations/{id}");
    let before = detail_and_row(&app, &id).await;
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (&op, json!({"capacity": -1}), "capacity", "out_of_range"),
        (&op, json!({"occupancy": -1}), "occupancy", "out_of_range"),
        (
            &op,
            json!({"occupancy": "many"}),
            "occupancy",
            "invalid_type",
        ),
        (
            &op,
            json!({"opening_hours": "Mo-Fr 8-"}),
            "opening_hours",
            "invalid_opening_hours",
        ),
        (
            &op,
            json!({"amenities": ["wifi", "jacuzzi"]}),
            "amenities",
            "unknown_amenity",
        ),
        (&op, json!({"status": "busy"}), "status", "invalid_type"),
        // A valid change next to a bad one is not applied either.
        (
            &op,
            json!({"status": "full", "occupancy": -3}),
            "occupancy",
            "out_of_range",
        ),
        (&admin, json!({"lat": 95.0}), "lat", "out_of_range"),
        (&admin, json!({"lng": -200.0}), "lng", "out_of_range"),
        (
            &admin,
            json!({"region_code": "310199"}),
            "region_code",
            "unknown_region",
        ),
        (&admin, json!({"name": ""}), "name", "required"),
    ];
    for (t, body, field, code) in cases {
        let res = app.patch(&path, Some(t), body.clone()).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), [field], "{body}: {problem}");
        assert_eq!(error_code(&problem, field), code, "{body}");
    }
    assert_eq!(detail_and_row(&app, &id).await, before, "nothing written");
    let items = app.nearby("lat=31.2&lng=121.4").await;
    assert_eq!(
        (items[0]["status"].as_str(), items[0]["occupancy"].as_i64()),
        (Some("open"), Some(0))
    );
}

/// Fills the detail cache and proves it is filled, so the next read after a write could only
/// be fresh if the write invalidated it.
async fn warm_detail(app: &TestApp, id: &str) -> Value {
    let detail = app.station(id).await;
    let key = warmnew::stations::sync::detail_cache_key(id.parse().unwrap());
    let cached = app.state.cache.get(&key).await.expect("detail cached");
    assert_eq!(serde_json::from_str::<Value>(&cached).unwrap(), detail);
    // A second read is served from the cache and says the same.
    assert_eq!(app.station(id).await, detail);
    detail
}

fn near(app_items: &[Value], id: &str) -> Value {
    app_items
        .iter()
        .find(|i| i["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{id} not in nearby"))
}

#[tokio::test]
async fn every_kind_of_write_shows_in_detail_and_nearby_at_once() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let (lat, lng) = PEOPLES_SQUARE;
    let s = app
        .create_station(&admin, station_body("人民广场驿站", lat, lng))
        .await;
    let id = sid(&s);
    let op = app.operator_of(&id).await;
    let rider = app.rider_token().await;
    let path = format!("/api/v1/stations/{id}");
    let here = format!("lat={lat}&lng={lng}");

    // PATCH status
    warm_detail(&app, &id).await;
    assert_eq!(
        app.patch(&path, Some(&op), json!({"status": "full"}))
            .await
            .status(),
        200
    );
    assert_eq!(app.station(&id).await["status"], "full");
    assert_eq!(near(&app.nearby(&here).await, &id)["status"], "full");

    // PATCH occupancy
    warm_detail(&app, &id).await;
    assert_eq!(
        app.patch(&path, Some(&op), json!({"occupancy": 7}))
            .await
            .status(),
        200
    );
    assert_eq!(app.station(&id).await["occupancy"], 7);
    assert_eq!(near(&app.nearby(&here).await, &id)["occupancy"], 7);

    // PATCH capacity
    warm_detail(&app, &id).await;
    assert_eq!(
        app.patch(&path, Some(&op), json!({"capacity": 30}))
            .await
            .status(),
        200
    );
    assert_eq!(app.station(&id).await["capacity"], 30);
    assert_eq!(near(&app.nearby(&here).await, &id)["capacity"], 30);

    // PATCH hours: closed all day today and every day.
    let before = warm_detail(&app, &id).await;
    assert_eq!(before["open_now"], true);
    let closed = "Mo-Su off";
    assert_eq!(
        app.patch(&path, Some(&op), json!({"opening_hours": closed}))
            .await
            .status(),
        200
    );
    let d = app.station(&id).await;
    assert_eq!(
        (d["opening_hours"].as_str(), d["open_now"].as_bool()),
        (Some(closed), Some(false))
    );
    let n = near(&app.nearby(&here).await, &id);
    assert_eq!(
        (n["opening_hours"].as_str(), n["open_now"].as_bool()),
        (Some(closed), Some(false))
    );
    assert!(app
        .nearby(&format!("{here}&open_now=true"))
        .await
        .is_empty());
    assert_eq!(
        app.patch(&path, Some(&op), json!({"opening_hours": "24/7"}))
            .await
            .status(),
        200
    );
    assert_eq!(app.station(&id).await["open_now"], true);

    // PATCH amenities
    warm_detail(&app, &id).await;
    assert!(app
        .nearby(&format!("{here}&amenities=shower"))
        .await
        .is_empty());
    assert_eq!(
        app.patch(&path, Some(&op), json!({"amenities": ["shower", "toilet"]}))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.station(&id).await["amenities"],
        json!(["toilet", "shower"])
    );
    assert_eq!(
        ids(&app.nearby(&format!("{here}&amenities=shower")).await),
        [id.as_str()]
    );
    assert!(app
        .nearby(&format!("{here}&amenities=drinking_water"))
        .await
        .is_empty());

    // Admin PATCH name and position (about 1.1 km north).
    warm_detail(&app, &id).await;
    let new_lat = lat + 0.01;
    assert_eq!(
        app.patch(
            &path,
            Some(&admin),
            json!({"name": "新世界驿站", "lat": new_lat})
        )
        .await
        .status(),
        200
    );
    let d = app.station(&id).await;
    assert_eq!(
        (d["name"].as_str(), d["lat"].as_f64()),
        (Some("新世界驿站"), Some(new_lat))
    );
    assert!(app.nearby(&format!("{here}&radius_m=500")).await.is_empty());
    let moved = app
        .nearby(&format!("lat={new_lat}&lng={lng}&radius_m=500"))
        .await;
    assert_eq!(
        (ids(&moved), moved[0]["distance_m"].as_u64()),
        (vec![id.clone()], Some(0))
    );
    assert_eq!(moved[0]["name"], "新世界驿站");
    let here = format!("lat={new_lat}&lng={lng}");

    // Check-in: one more visitor on top of the operator's 7.
    warm_detail(&app, &id).await;
    let code: Value = app
        .get(&format!("{path}/checkin-code"), Some(&op))
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .post(
            &format!("{path}/check-ins"),
            Some(&rider),
            json!({"code": code["code"]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(app.station(&id).await["occupancy"], 8);
    assert_eq!(near(&app.nearby(&here).await, &id)["occupancy"], 8);

    // Rotating the code changes nothing a reader sees, and the new code works at once.
    let seen = warm_detail(&app, &id).await;
    let rotated: Value = app
        .post(&format!("{path}/checkin-code/rotate"), Some(&op), json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(app.station(&id).await, seen);
    let other_rider = app.rider_token().await;
    let res = app
        .post(
            &format!("{path}/check-ins"),
            Some(&other_rider),
            json!({"code": code["code"]}),
        )
        .await;
    assert_problem(res, 422, "invalid_checkin_code").await;
    let res = app
        .post(
            &format!("{path}/check-ins"),
            Some(&other_rider),
            json!({"code": rotated["code"]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(app.station(&id).await["occupancy"], 9);

    // DELETE
    warm_detail(&app, &id).await;
    assert_eq!(app.delete(&path, Some(&admin)).await.status(), 204);
    let d = app.station(&id).await;
    assert_eq!(
        (d["status"].as_str(), d["open_now"].as_bool()),
        (Some("closed_permanently"), Some(false))
    );
    assert!(app.nearby(&here).await.is_empty());
}

#[tokio::test]
async fn the_openapi_document_lists_the_station_routes() {
    let app = spawn().await;
    let spec: Value = app.get("/openapi.json", None).await.json().await.unwrap();
    let paths = &spec["paths"];
    for (path, methods, secured) in [
        ("/api/v1/stations/nearby", &["get"][..], false),
        ("/api/v1/stations", &["get"][..], false),
        ("/api/v1/stations", &["post"][..], true),
        ("/api/v1/stations/{id}", &["get"][..], false),
        ("/api/v1/stations/{id}", &["patch", "delete"][..], true),
        ("/api/v1/stations/{id}/checkin-code", &["get"][..], true),
        (
            "/api/v1/stations/{id}/checkin-code/rotate",
            &["post"][..],
            true,
        ),
        ("/api/v1/stations/{id}/check-ins", &["post"][..], true),
    ] {
        for method in methods {
            let op = &paths[path][method];
            assert!(op.is_object(), "{method} {path} missing");
            assert_eq!(
                op["security"].to_string().contains("bearer"),
                secured,
                "{method} {path}: {}",
                op["security"]
            );
        }
    }
    let params: Vec<&str> = paths["/api/v1/stations/nearby"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "lat",
        "lng",
        "radius_m",
        "limit",
        "amenities",
        "open_now",
        "coord",
    ] {
        assert!(
            params.contains(&p),
            "nearby parameter {p} missing: {params:?}"
        );
    }
    let schemas = &spec["components"]["schemas"];
    for s in [
        "StationCardDto",
        "StationDetailDto",
        "CreateStation",
        "PatchStation",
        "CheckinCodeDto",
        "Amenity",
    ] {
        assert!(schemas[s].is_object(), "schema {s} missing");
    }
    let amenities = schemas["Amenity"].to_string();
    assert!(
        amenities.contains("drinking_water") && amenities.contains("library"),
        "{amenities}"
    );
}
