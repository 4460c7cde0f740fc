//! Station data interchange: GeoJSON / CSV export, file import (upsert by external_id, all or
//! nothing), the demo city and synthetic stations for benchmarks.

use std::collections::{BTreeMap, HashSet};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use warmnew::entity::station;
use warmnew::stations::domain::{haversine_m, LatLng};

use crate::helpers::*;

const CSV_HEADER: [&str; 15] = [
    "id",
    "external_id",
    "name",
    "name_en",
    "address",
    "lat",
    "lng",
    "region_code",
    "opening_hours",
    "amenities",
    "capacity",
    "status",
    "contact_phone",
    "last_verified_at",
    "updated_at",
];

fn feature(ext: &str, name: &str, lng: f64, lat: f64, capacity: i64) -> Value {
    json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lng, lat]},
        "properties": {
            "external_id": ext,
            "name": name,
            "name_en": format!("{name} (en)"),
            "address": format!("{name}路1号"),
            "region_code": "310106013",
            "opening_hours": "Mo-Su 07:00-22:00",
            "amenities": ["drinking_water", "phone_charging"],
            "capacity": capacity,
            "marker-color": "#f00",
        }
    })
}

fn collection(features: Vec<Value>) -> String {
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

impl TestApp {
    async fn import(
        &self,
        token: Option<&str>,
        content_type: &str,
        body: String,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(self.url("/api/v1/stations/import"))
            .header("content-type", content_type)
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("import request")
    }

    async fn import_ok(&self, admin: &str, content_type: &str, body: String) -> Value {
        let res = self.import(Some(admin), content_type, body).await;
        let status = res.status();
        let report: Value = res.json().await.unwrap();
        assert_eq!(status, 200, "import on {}: {report}", backend());
        report
    }

    async fn export(&self, path: &str) -> (String, String) {
        let res = self.get(path, None).await;
        assert_eq!(res.status(), 200, "{path} on {}", backend());
        let ct = header(&res, "content-type").unwrap_or_default();
        (ct, res.text().await.unwrap())
    }
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

#[tokio::test]
async fn geojson_export_is_a_feature_collection_in_lng_lat_order() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let mut body = station_body("静安寺街道暖新驿站", 31.2235, 121.4452);
    body["external_id"] = json!("SH-JA-1");
    body["amenities"] = json!(["wifi", "drinking_water"]);
    body["contact_phone"] = json!("021-6248 0000");
    let a = app.create_station(&admin, body).await;
    let mut other = station_body("外滩骑手驿站", 31.2381, 121.4858);
    other["region_code"] = json!("310101013");
    app.create_station(&admin, other).await;

    let (ct, text) = app.export("/api/v1/stations.geojson").await;
    assert!(ct.starts_with("application/geo+json"), "{ct}");
    let doc: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(doc["type"], "FeatureCollection");
    let features = doc["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    let f = features
        .iter()
        .find(|f| f["properties"]["id"] == a["id"])
        .expect("the station");
    assert_eq!(f["type"], "Feature");
    assert_eq!(f["geometry"]["type"], "Point");
    // RFC 7946: longitude first.
    assert_eq!(f["geometry"]["coordinates"], json!([121.4452, 31.2235]));
    let p = &f["properties"];
    assert_eq!(p["external_id"], "SH-JA-1");
    assert_eq!(p["name"], "静安寺街道暖新驿站");
    assert_eq!(p["region_code"], "310106");
    assert_eq!(p["opening_hours"], "24/7");
    assert_eq!(p["amenities"], json!(["drinking_water", "wifi"]));
    assert_eq!(p["capacity"], 12);
    assert_eq!(p["status"], "open");
    assert_eq!(p["contact_phone"], "021-6248 0000");
    for key in ["name_en", "address", "last_verified_at", "updated_at"] {
        assert!(p.get(key).is_some(), "{key} missing in {p}");
    }
    // Nothing private: the check-in code never leaves through an export.
    let code = app
        .station_row(a["id"].as_str().unwrap())
        .await
        .checkin_code;
    assert!(!text.contains(&code) && !text.contains("checkin"));

    let (_, text) = app.export("/api/v1/stations.geojson?region=310101").await;
    let doc: Value = serde_json::from_str(&text).unwrap();
    let names: Vec<&str> = doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["外滩骑手驿站"]);

    let (_, text) = app.export("/api/v1/stations.geojson?region=999999").await;
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["features"], json!([]));

    let res = app.get("/api/v1/stations.geojson?region=abc", None).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["region"]);
}

#[tokio::test]
async fn csv_export_has_a_header_and_one_row_per_station() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let mut body = station_body("=HYPERLINK(\"x\")", 31.2235, 121.4452);
    body["external_id"] = json!("SH-JA-2");
    body["amenities"] = json!(["phone_charging", "drinking_water", "toilet"]);
    app.create_station(&admin, body).await;

    let (ct, text) = app.export("/api/v1/stations.csv").await;
    assert!(ct.starts_with("text/csv"), "{ct}");
    // A byte order mark so Excel reads the UTF-8 Chinese correctly.
    let text = text.strip_prefix('\u{feff}').expect("BOM");
    assert!(text.contains("\r\n"));
    let (header, rows) = csv_rows(text);
    assert_eq!(header, CSV_HEADER);
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["external_id"], "SH-JA-2");
    // A cell a spreadsheet would run as a formula is defused.
    assert_eq!(r["name"], "'=HYPERLINK(\"x\")");
    assert_eq!(r["amenities"], "drinking_water;phone_charging;toilet");
    assert_eq!(
        (
            r["lat"].parse::<f64>().unwrap(),
            r["lng"].parse::<f64>().unwrap()
        ),
        (31.2235, 121.4452)
    );
    assert_eq!(
        (r["capacity"].as_str(), r["status"].as_str()),
        ("12", "open")
    );

    // The export imports back unchanged (the formula guard is removed again).
    let report = app
        .import_ok(&admin, "text/csv", format!("\u{feff}{text}"))
        .await;
    assert_eq!(
        (report["created"].as_u64(), report["updated"].as_u64()),
        (Some(0), Some(1))
    );
    let (_, again) = app.export("/api/v1/stations.csv").await;
    let (_, rows2) = csv_rows(again.trim_start_matches('\u{feff}'));
    assert_eq!(rows2[0]["name"], r["name"]);
    assert_eq!(rows2[0]["amenities"], r["amenities"]);
    let row = app.station_row(&r["id"]).await;
    assert_eq!(row.name, "=HYPERLINK(\"x\")");
}

#[tokio::test]
async fn export_streams_every_station_across_pages() {
    let app = spawn().await;
    // More than one export page (1000 rows).
    let report = warmnew::stations::generate::generate(&app.state.db, 2100, 5)
        .await
        .expect("gen");
    assert_eq!(report.inserted, 2100);
    let (_, text) = app.export("/api/v1/stations.geojson").await;
    let doc: Value = serde_json::from_str(&text).expect("one valid document");
    let ids: HashSet<&str> = doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2100);
    let (_, text) = app.export("/api/v1/stations.csv").await;
    let (_, rows) = csv_rows(text.trim_start_matches('\u{feff}'));
    assert_eq!(rows.len(), 2100);
}

#[tokio::test]
async fn import_creates_then_updates_by_external_id() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let file = collection(vec![
        feature("ext-1", "南京西路骑手驿站", 121.4578, 31.2296, 10),
        feature("ext-2", "江宁路暖新驿站", 121.4482, 31.2405, 12),
        feature("ext-3", "曹家渡户外劳动者服务站", 121.4335, 31.2318, 14),
    ]);
    let report = app.import_ok(&admin, "application/geo+json", file).await;
    assert_eq!(report["created"], 3);
    assert_eq!(report["updated"], 0);
    assert_eq!(report["rejected"], json!([]));
    assert_eq!(report["ignored_fields"], json!(["marker-color"]));
    assert_eq!(app.station_count().await, 3);

    let rows = station::Entity::find()
        .filter(station::Column::ExternalId.eq("ext-2"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let id = rows.id.to_string();
    let checkin_code = rows.checkin_code.clone();
    assert_eq!((rows.lat, rows.lng), (31.2405, 121.4482));

    // Two of them again as CSV (one changed) and a new one: two updated, one created.
    let csv = "external_id,name,address,lat,lng,region_code,opening_hours,amenities,capacity,status\r\n\
        ext-1,南京西路骑手驿站,南京西路1号,31.2296,121.4578,310106012,24/7,drinking_water,10,\r\n\
        ext-2,江宁路暖新驿站（新址）,江宁路99号,31.2410,121.4490,310106006,\"Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00\",drinking_water;microwave;toilet,30,full\r\n\
        ext-4,北站骑手驿站,天目中路5号,31.2478,121.4735,310106016,24/7,,8,\r\n";
    let report = app
        .import_ok(&admin, "text/csv; charset=utf-8", csv.into())
        .await;
    assert_eq!(report["created"], 1);
    assert_eq!(report["updated"], 2);
    assert_eq!(app.station_count().await, 4);

    let detail = app.station(&id).await;
    assert_eq!(detail["name"], "江宁路暖新驿站（新址）");
    assert_eq!(detail["capacity"], 30);
    assert_eq!(detail["status"], "full");
    assert_eq!(detail["region_code"], "310106006");
    assert_eq!(
        detail["amenities"],
        json!(["drinking_water", "microwave", "toilet"])
    );
    assert_eq!(
        detail["opening_hours"],
        "Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00"
    );
    // A column the file leaves out keeps its value; the station's own state stays too.
    assert_eq!(detail["name_en"], "江宁路暖新驿站 (en)");
    assert_eq!(app.station_row(&id).await.checkin_code, checkin_code);

    // A blank cell clears an optional field; a blank status keeps the current one.
    let csv =
        "external_id,name,name_en,address,lat,lng,region_code,opening_hours,capacity,status\n\
        ext-2,江宁路暖新驿站,,江宁路99号,31.2410,121.4490,310106006,24/7,30,\n";
    let report = app.import_ok(&admin, "text/csv", csv.into()).await;
    assert_eq!(
        (report["created"].as_u64(), report["updated"].as_u64()),
        (Some(0), Some(1))
    );
    let detail = app.station(&id).await;
    assert_eq!(detail["name_en"], Value::Null);
    assert_eq!(detail["status"], "full");
    assert_eq!(
        detail["amenities"],
        json!(["drinking_water", "microwave", "toilet"])
    );
}

#[tokio::test]
async fn imported_stations_are_in_nearby_at_once() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let file = collection(vec![feature(
        "near-1",
        "静安寺骑手驿站",
        121.4452,
        31.2235,
        10,
    )]);
    app.import_ok(&admin, "application/json", file).await;
    let items = app.nearby("lat=31.2236&lng=121.4453&radius_m=500").await;
    assert_eq!(items.len(), 1, "on {}", backend());
    assert_eq!(items[0]["name"], "静安寺骑手驿站");
    assert_eq!(items[0]["opening_hours"], "Mo-Su 07:00-22:00");

    // An update moves it at once too.
    let file = collection(vec![feature(
        "near-1",
        "静安寺骑手驿站",
        121.4800,
        31.2372,
        10,
    )]);
    app.import_ok(&admin, "application/geo+json", file).await;
    assert!(app
        .nearby("lat=31.2236&lng=121.4453&radius_m=500")
        .await
        .is_empty());
    assert_eq!(
        app.nearby("lat=31.2372&lng=121.4800&radius_m=200")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn a_file_with_bad_rows_writes_nothing_and_names_every_problem() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let csv = "external_id,name,address,lat,lng,region_code,opening_hours,amenities,capacity\n\
        ok-1,好站,路1号,31.22,121.44,310106013,24/7,drinking_water,10\n\
        bad-hours,坏时间,路2号,31.22,121.44,310106013,Mo-Xx 25:00,drinking_water,10\n\
        bad-amenity,坏设施,路3号,31.22,121.44,310106013,24/7,drinking_water;jacuzzi,10\n\
        bad-lat,坏纬度,路4号,91.5,121.44,310106013,24/7,,10\n\
        ,无编号,路5号,31.22,121.44,310106013,24/7,,10\n\
        ok-1,重复,路6号,31.22,121.44,310106013,24/7,,10\n";
    let res = app.import(Some(&admin), "text/csv", csv.into()).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(app.station_count().await, 0, "nothing written");
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("nothing was written"));
    let report = &problem["report"];
    assert_eq!(
        (report["created"].as_u64(), report["updated"].as_u64()),
        (Some(0), Some(0))
    );
    let rejected: Vec<(u64, Value, String, String)> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["errors"].as_array().unwrap().len(), 1, "{r}");
            let e = &r["errors"][0];
            (
                r["row"].as_u64().unwrap(),
                r["external_id"].clone(),
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let s = |v: &str| v.to_string();
    assert_eq!(
        rejected,
        [
            (
                3,
                json!("bad-hours"),
                s("opening_hours"),
                s("invalid_opening_hours")
            ),
            (
                4,
                json!("bad-amenity"),
                s("amenities"),
                s("unknown_amenity")
            ),
            (5, json!("bad-lat"), s("lat"), s("out_of_range")),
            (6, Value::Null, s("external_id"), s("required")),
            (7, json!("ok-1"), s("external_id"), s("duplicate")),
        ]
    );
    assert_eq!(
        error_fields(&problem),
        [
            "rows[3].opening_hours",
            "rows[4].amenities",
            "rows[5].lat",
            "rows[6].external_id",
            "rows[7].external_id"
        ]
    );
    let amenity = &report["rejected"][1]["errors"][0]["message"];
    assert!(amenity.as_str().unwrap().contains("jacuzzi"), "{amenity}");

    // GeoJSON rows are named by their index in `features`.
    let mut bad = feature("geo-bad", "坏坐标", 200.0, 31.2, 10);
    bad["properties"]["region_code"] = json!("999999");
    let file = collection(vec![feature("geo-ok", "好站", 121.44, 31.22, 10), bad]);
    let res = app.import(Some(&admin), "application/geo+json", file).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["features[1].lng", "features[1].region_code"]
    );
    assert_eq!(problem["report"]["rejected"][0]["row"], 1);
    assert_eq!(app.station_count().await, 0);
}

#[tokio::test]
async fn a_broken_file_is_rejected_whole() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let res = app
        .import(Some(&admin), "application/geo+json", "{\"type\":".into())
        .await;
    assert_problem(res, 400, "malformed_json").await;
    let res = app
        .import(
            Some(&admin),
            "application/geo+json",
            json!({"type": "Feature"}).to_string(),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["type"]);
    let res = app
        .import(Some(&admin), "text/csv", "external_id,name\nx,y\n".into())
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert!(error_fields(&problem).contains(&"opening_hours".to_string()));
    let res = app.import(Some(&admin), "text/plain", "hello".into()).await;
    assert_problem(res, 415, "unsupported_media_type").await;
    assert_eq!(app.station_count().await, 0);
}

#[tokio::test]
async fn only_admins_import() {
    let app = spawn().await;
    let file = collection(vec![feature("x-1", "站", 121.44, 31.22, 10)]);
    let res = app.import(None, "application/geo+json", file.clone()).await;
    assert_problem(res, 401, "unauthorized").await;
    let rider = app.rider_token().await;
    let res = app
        .import(Some(&rider), "application/geo+json", file.clone())
        .await;
    assert_problem(res, 403, "forbidden").await;
    let admin = app.admin_token().await;
    let station = app
        .create_station(&admin, station_body("站", 31.22, 121.44))
        .await;
    let operator = app.operator_of(station["id"].as_str().unwrap()).await;
    let res = app
        .import(Some(&operator), "application/geo+json", file)
        .await;
    assert_problem(res, 403, "forbidden").await;
    assert_eq!(app.station_count().await, 1);
}

#[tokio::test]
async fn a_file_over_10_mib_is_413() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let header = "external_id,name,address,lat,lng,region_code,opening_hours,capacity\n";
    let mut big = String::from(header);
    while big.len() <= 10 * 1024 * 1024 {
        big.push_str("pad,站,路1号,31.22,121.44,310106013,24/7,10\n");
    }
    let res = app.import(Some(&admin), "text/csv", big).await;
    assert_problem(res, 413, "payload_too_large").await;
    assert_eq!(app.station_count().await, 0);
}

#[tokio::test]
async fn demo_seed_builds_a_city_and_gives_the_operator_a_station() {
    let app = spawn_with(|s| s.demo_data = true).await;
    let rows = station::Entity::find()
        .filter(station::Column::ExternalId.starts_with("demo-"))
        .order_by_asc(station::Column::CreatedAt)
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(rows.len() >= 190, "{} demo stations", rows.len());
    let districts: HashSet<&str> = rows.iter().map(|r| &r.region_code[..6]).collect();
    assert_eq!(districts.len(), 16, "{districts:?}");
    let all_day = rows.iter().filter(|r| r.opening_hours == "24/7").count();
    assert!(
        all_day * 4 >= rows.len() && all_day * 5 <= rows.len() * 3,
        "{all_day} 24/7"
    );
    assert!(rows.iter().any(|r| r.status == "full"));
    assert!(rows.iter().any(|r| r.status == "temporarily_closed"));
    assert!(rows.iter().all(|r| (6..=40).contains(&r.capacity)));
    assert_eq!(
        app.state.stations.len(),
        rows.len()
            - rows
                .iter()
                .filter(|r| r.status == "closed_permanently")
                .count()
    );

    // The operator signs in and finds their station: 24/7, at Jing'an Temple.
    let login: Value = app
        .login("13800000002", warmnew::seed::demo::DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let me: Value = app
        .get("/api/v1/me", Some(token(&login)))
        .await
        .json()
        .await
        .unwrap();
    let station_id = me["station_id"].as_str().expect("operator has a station");
    let s = app.station(station_id).await;
    assert_eq!(s["external_id"], "demo-1");
    assert_eq!(s["name"], "静安寺街道暖新驿站");
    assert_eq!(s["opening_hours"], "24/7");
    assert_eq!(s["open_now"], true);
    let at = LatLng {
        lat: s["lat"].as_f64().unwrap(),
        lng: s["lng"].as_f64().unwrap(),
    };
    assert!(
        haversine_m(
            at,
            LatLng {
                lat: 31.2235,
                lng: 121.4452
            }
        ) < 50.0
    );
    let res = app
        .patch(
            &format!("/api/v1/stations/{station_id}"),
            Some(token(&login)),
            json!({"occupancy": 3}),
        )
        .await;
    assert_eq!(res.status(), 200);

    // Seeding again adds nothing.
    warmnew::seed::demo::seed(&app.state)
        .await
        .expect("seed again");
    let again = station::Entity::find()
        .filter(station::Column::ExternalId.starts_with("demo-"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(again.len(), rows.len());
}

type Content = (String, String, String, String, String, String, i32, String);

async fn generated(app: &TestApp, seed: u64) -> Vec<Content> {
    let prefix = format!("gen-{seed}-");
    let mut rows: Vec<Content> = station::Entity::find()
        .filter(station::Column::ExternalId.starts_with(&prefix))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.external_id.unwrap(),
                r.name,
                format!("{:.6},{:.6}", r.lat, r.lng),
                r.region_code,
                r.opening_hours,
                r.amenities,
                r.capacity,
                r.status,
            )
        })
        .collect();
    rows.sort();
    rows
}

#[tokio::test]
async fn gen_stations_is_deterministic_for_a_seed() {
    let a = spawn().await;
    let b = spawn().await;
    let generate = warmnew::stations::generate::generate;
    assert_eq!(generate(&a.state.db, 300, 42).await.unwrap().inserted, 300);
    assert_eq!(generate(&b.state.db, 300, 42).await.unwrap().inserted, 300);
    assert_eq!(generate(&b.state.db, 50, 43).await.unwrap().inserted, 50);
    let rows = generated(&a, 42).await;
    assert_eq!(rows.len(), 300);
    assert_eq!(rows, generated(&b, 42).await);
    assert_ne!(rows[..50], generated(&b, 43).await[..]);
    for (ext, _, at, region, hours, _, capacity, _) in &rows {
        assert!(ext.starts_with("gen-42-"));
        let (lat, lng) = at.split_once(',').unwrap();
        let (lat, lng): (f64, f64) = (lat.parse().unwrap(), lng.parse().unwrap());
        assert!((30.70..=31.85).contains(&lat) && (120.90..=121.95).contains(&lng));
        assert!(region.starts_with("3101") && region.len() == 6, "{region}");
        assert!(warmnew::stations::hours::parse(hours).is_ok());
        assert!((6..=40).contains(capacity));
    }
    let districts: HashSet<&str> = rows.iter().map(|r| r.3.as_str()).collect();
    assert!(districts.len() >= 10, "{districts:?}");

    // Running it again adds nothing; the change feed brings them into a running index.
    let again = generate(&a.state.db, 300, 42).await.unwrap();
    assert_eq!((again.inserted, again.skipped), (0, 300));
    warmnew::stations::sync::catch_up(&a.state).await.unwrap();
    assert_eq!(a.state.stations.len(), 300);
}

#[tokio::test]
async fn a_large_import_reloads_the_index_and_drops_cached_details() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    // Over the bulk threshold (1000), so the index is reloaded whole.
    let file = |suffix: &str| {
        let mut csv = String::from(
            "external_id,name,address,lat,lng,region_code,opening_hours,amenities,capacity\n",
        );
        for i in 0..1200 {
            let (lat, lng) = (31.0 + i as f64 * 0.0005, 121.3 + i as f64 * 0.0003);
            csv.push_str(&format!(
                "bulk-{i},批量驿站{i}{suffix},测试路{i}号,{lat:.6},{lng:.6},310106013,24/7,wifi,10\n"
            ));
        }
        csv
    };
    let report = app.import_ok(&admin, "text/csv", file("")).await;
    assert_eq!(report["created"], 1200);
    assert_eq!(app.state.stations.len(), 1200);
    let items = app.nearby("lat=31.1&lng=121.36&radius_m=30").await;
    assert_eq!(items.len(), 1, "on {}", backend());
    let id = items[0]["id"].as_str().unwrap().to_string();
    assert_eq!(app.station(&id).await["name"], "批量驿站200");

    let report = app.import_ok(&admin, "text/csv", file("（改）")).await;
    assert_eq!(
        (report["created"].as_u64(), report["updated"].as_u64()),
        (Some(0), Some(1200))
    );
    // The cached detail was dropped, and nearby shows the new name.
    assert_eq!(app.station(&id).await["name"], "批量驿站200（改）");
    let items = app.nearby("lat=31.1&lng=121.36&radius_m=30").await;
    assert_eq!(items[0]["name"], "批量驿站200（改）");
}

#[tokio::test]
async fn the_cli_imports_files_and_generates_stations() {
    use std::process::Command;
    let dir =
        std::env::temp_dir().join(format!("warmnew-import-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_warmnew"))
            .current_dir(&dir)
            .env_remove("DATABASE_URL")
            .env_remove("REDIS_URL")
            // Logs share stdout with the report; keep them out of it.
            .env("RUST_LOG", "warn")
            .args(args)
            .output()
            .expect("run warmnew")
    };
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        "external_id,name,address,lat,lng,region_code,opening_hours,capacity\n\
         cli-1,命令行驿站,测试路1号,31.22,121.44,310106013,24/7,10\n",
    )
    .unwrap();
    let out = run(&["import", "stations", good.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert_eq!(
        (report["created"].as_u64(), report["updated"].as_u64()),
        (Some(1), Some(0))
    );

    let bad = dir.join("bad.geojson");
    let mut feature = feature("cli-2", "坏站", 121.44, 31.22, 10);
    feature["properties"]["opening_hours"] = json!("sometimes");
    std::fs::write(&bad, collection(vec![feature])).unwrap();
    let out = run(&["import", "stations", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert_eq!(report["rejected"][0]["errors"][0]["field"], "opening_hours");
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was written"));

    let out = run(&["import", "stations", "stations.xlsx"]);
    assert!(!out.status.success());

    let out = run(&["gen", "stations", "--count", "120", "--seed", "9"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("inserted 120 synthetic stations"));
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn another_instance_finds_imports_in_the_change_feed() {
    let a = spawn().await;
    let b = a.spawn_peer(|_| {}).await;
    let admin = a.admin_token().await;
    let mut csv =
        String::from("external_id,name,address,lat,lng,region_code,opening_hours,capacity\n");
    for i in 0..1100 {
        csv.push_str(&format!(
            "peer-{i},同步驿站{i},测试路{i}号,{:.6},121.45,310106013,24/7,10\n",
            31.0 + i as f64 * 0.0005
        ));
    }
    a.import_ok(&admin, "text/csv", csv).await;
    let small = collection(vec![feature("peer-x", "单站", 121.5, 31.3, 10)]);
    a.import_ok(&admin, "application/geo+json", small).await;
    // Whether or not B heard about it through Redis, the database feed has every station.
    warmnew::stations::sync::catch_up(&b.state).await.unwrap();
    assert_eq!(b.state.stations.len(), 1101, "on {}", backend());
    assert_eq!(b.nearby("lat=31.3&lng=121.5&radius_m=50").await.len(), 1);
}
