//! Open311 GeoReport v2 as stock clients (FixMyStreet-style) speak it: public civic reports
//! without a key, a hotline filing for a caller with its key, multipart bodies, XML, service
//! definitions, discovery and the spec's error shape.

use reqwest::multipart;
use serde_json::{json, Value};

use crate::help::support::{act_ok, at_station, create, id, row, world_on, World};
use crate::helpers::*;

const KEY: &str = "hotline-key-0123456789abcdef";

async fn world() -> World {
    world_on(spawn_with(|s| s.open311_api_keys = vec![secrecy::SecretString::from(KEY)]).await)
        .await
}

async fn json_ok(app: &TestApp, path: &str, token: Option<&str>) -> Value {
    let res = app.get(path, token).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{path} on {}: {body}", backend());
    body
}

async fn text_ok(app: &TestApp, path: &str) -> String {
    let res = app.get(path, None).await;
    assert_eq!(res.status(), 200, "{path}");
    let ct = header(&res, "content-type").unwrap_or_default();
    assert!(ct.starts_with("text/xml"), "{path}: {ct}");
    res.text().await.unwrap()
}

#[tokio::test]
async fn anonymous_readers_see_public_civic_reports_masked_and_coarse() {
    let w = world().await;
    let app = &w.app;
    let mut hazard = at_station("hazard_report", &w.s1);
    hazard["description"] = json!("井盖缺失，有事打我 13812345678");
    hazard["lat"] = json!(31.22351);
    hazard["lng"] = json!(121.44523);
    let public = id(&create(app, &w.rider1, hazard).await);
    let private = id(&create(app, &w.rider1, at_station("wage_arrears", &w.s1)).await);
    let suggestion = id(&create(app, &w.rider2, at_station("suggestion", &w.s2)).await);

    let list = json_ok(app, "/open311/v2/requests.json", None).await;
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["service_request_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [suggestion.as_str(), public.as_str()],
        "newest first, private ones left out"
    );
    let text = list.to_string();
    assert!(
        !text.contains("13812345678") && !text.contains(&private),
        "{text}"
    );
    let h = &list[1];
    assert_eq!(h["description"], "井盖缺失，有事打我 ***");
    // ~1 km for anonymous readers; the key holder sees the stored ~100 m.
    let km = |v: f64| (v * 100.0).round() / 100.0;
    assert_eq!(
        (h["lat"].as_f64(), h["long"].as_f64()),
        (Some(km(31.224)), Some(km(121.445)))
    );
    let keyed = json_ok(
        app,
        &format!("/open311/v2/requests/{public}.json?api_key={KEY}"),
        None,
    )
    .await;
    assert_eq!(
        (keyed[0]["lat"].as_f64(), keyed[0]["long"].as_f64()),
        (Some(31.224), Some(121.445))
    );
    // One: public yes, private 404 (as if it did not exist).
    let one = json_ok(app, &format!("/open311/v2/requests/{public}.json"), None).await;
    assert_eq!(one[0]["service_code"], "hazard_report");
    assert_open311_error(
        app.get(&format!("/open311/v2/requests/{private}.json"), None)
            .await,
        404,
    )
    .await;
    // Filters cannot widen it.
    let q =
        format!("/open311/v2/requests.json?service_request_id={private}&service_code=wage_arrears");
    assert_eq!(json_ok(app, &q, None).await, json!([]));
}

#[tokio::test]
async fn a_hotline_files_for_a_caller_with_its_key_and_the_contact_stays_private() {
    let w = world().await;
    let app = &w.app;
    // As stock clients post: form-encoded, api_key among the fields, the spec's contact fields.
    let form = [
        ("api_key", KEY),
        ("service_code", "wage_arrears"),
        ("description", "来电：配送站拖欠三个月工资"),
        ("lat", "31.2235"),
        ("long", "121.4452"),
        ("first_name", "小明"),
        ("last_name", "王"),
        ("phone", "13912345678"),
        ("email", "caller@example.com"),
    ];
    let res = app
        .client
        .post(app.url("/open311/v2/requests.json"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "on {}", backend());
    let created: Value = res.json().await.unwrap();
    assert_eq!(created[0]["account_id"], Value::Null);
    let rid = created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_string();

    let stored = row(app, &rid).await;
    assert_eq!(stored.source.as_deref(), Some("open311"));
    assert_eq!(stored.caller_name.as_deref(), Some("王小明"));
    let phone_enc = stored.caller_phone_enc.clone().expect("caller phone");
    assert!(!phone_enc.contains("13912345678"), "stored encrypted");
    assert_eq!(
        app.state.phones.decrypt(&phone_enc).as_deref(),
        Some("13912345678")
    );
    assert!(!stored.caller_email_enc.clone().unwrap().contains("caller@"));
    // Handlers see who called, masked as riders are.
    let detail = json_ok(app, &format!("/api/v1/help-requests/{rid}"), Some(&w.op1)).await;
    assert_eq!(detail["rider"]["display_name"], "王小明");
    assert_eq!(detail["rider"]["phone_masked"], "139****5678");
    // Read back with the key; nothing of the caller in it.
    let back = json_ok(
        app,
        &format!("/open311/v2/requests/{rid}.json?api_key={KEY}"),
        None,
    )
    .await;
    let text = back.to_string();
    for secret in ["13912345678", "5678", "王小明", "caller@example.com"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert_eq!(back[0]["service_code"], "wage_arrears");
    // A private category: not for anonymous readers.
    assert_open311_error(
        app.get(&format!("/open311/v2/requests/{rid}.json"), None)
            .await,
        404,
    )
    .await;
    // A wrong key files nothing.
    let res = app
        .client
        .post(app.url("/open311/v2/requests.json?api_key=not-the-key-0000000"))
        .form(&[
            ("service_code", "medical"),
            ("description", "x"),
            ("address_string", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_open311_error(res, 401).await;
    // Contact fields are checked.
    let res = app
        .client
        .post(app.url(&format!("/open311/v2/requests.json?api_key={KEY}")))
        .form(&[
            ("service_code", "medical"),
            ("description", "x"),
            ("address_string", "人民广场"),
            ("phone", "call me"),
            ("email", "nope"),
        ])
        .send()
        .await
        .unwrap();
    let errors = assert_open311_error(res, 422).await;
    assert_eq!(open311_fields(&errors), ["email", "phone"]);
}

#[tokio::test]
async fn multipart_posts_work_and_an_address_in_words_is_a_location() {
    let w = world().await;
    let app = &w.app;
    let form = multipart::Form::new()
        .text("service_code", "hazard_report")
        .text("description", "路面塌陷")
        .text("address_string", "华山路 1 号 电话 13800001111")
        .part(
            "media",
            multipart::Part::bytes(vec![0x89, b'P', b'N', b'G', 0, 1, 2]).file_name("hole.png"),
        );
    let res = app
        .client
        .post(app.url("/open311/v2/requests.json"))
        .bearer_auth(&w.rider1)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "on {}", backend());
    let created: Value = res.json().await.unwrap();
    let rid = created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    let stored = row(app, &rid).await;
    assert_eq!(stored.description, "路面塌陷");
    assert_eq!(
        stored.address_text.as_deref(),
        Some("华山路 1 号 电话 13800001111")
    );
    assert_eq!(stored.source, None, "a rider's own request");
    let back = json_ok(app, &format!("/open311/v2/requests/{rid}.json"), None).await;
    assert_eq!(back[0]["address"], "华山路 1 号 电话 ***");
    // A rider's contact fields are ignored: who asked comes from the token.
    let form = multipart::Form::new()
        .text("service_code", "suggestion")
        .text("description", "多放几把伞")
        .text("address_id", "SH-310106-001")
        .text("phone", "13800002222");
    let res = app
        .client
        .post(app.url("/open311/v2/requests.json"))
        .bearer_auth(&w.rider1)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    let stored = row(app, created[0]["service_request_id"].as_str().unwrap()).await;
    assert_eq!(
        (stored.caller_phone_enc, stored.address_text.as_deref()),
        (None, Some("SH-310106-001"))
    );
}

#[tokio::test]
async fn every_endpoint_speaks_xml_too() {
    let w = world().await;
    let app = &w.app;
    let rid = id(&create(app, &w.rider1, at_station("hazard_report", &w.s1)).await);
    let xml = text_ok(app, "/open311/v2/services.xml").await;
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
        "{xml}"
    );
    assert_eq!(xml.matches("<service>").count(), 13, "{xml}");
    assert!(
        xml.contains("<service_code>hazard_report</service_code>"),
        "{xml}"
    );
    assert!(xml.contains("<metadata>false</metadata>"), "{xml}");
    let xml = text_ok(app, "/open311/v2/requests.xml").await;
    assert!(xml.contains("<service_requests><request>"), "{xml}");
    assert!(
        xml.contains(&format!("<service_request_id>{rid}</service_request_id>")),
        "{xml}"
    );
    let xml = text_ok(app, &format!("/open311/v2/requests/{rid}.xml")).await;
    assert_eq!(xml.matches("<request>").count(), 1, "{xml}");
    let xml = text_ok(app, "/open311/v2/services/hazard_report.xml").await;
    assert!(xml.contains("<service_definition><attributes></attributes><service_code>hazard_report</service_code></service_definition>"), "{xml}");
    let xml = text_ok(app, "/open311/v2/discovery.xml").await;
    assert!(
        xml.contains("<format>text/xml</format><format>application/json</format>"),
        "{xml}"
    );
    let res = app
        .client
        .post(app.url("/open311/v2/requests.xml"))
        .bearer_auth(&w.rider2)
        .form(&[
            ("service_code", "suggestion"),
            ("description", "x"),
            ("address_string", "人民广场"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let xml = res.text().await.unwrap();
    assert!(
        xml.contains("<service_requests><request><account_id/><service_notice>"),
        "{xml}"
    );
    // Errors on .xml paths are XML.
    let res = app.get("/open311/v2/requests/nope.xml", None).await;
    assert_eq!(res.status(), 404);
    assert!(header(&res, "content-type")
        .unwrap_or_default()
        .starts_with("text/xml"));
    let xml = res.text().await.unwrap();
    assert!(
        xml.contains("<errors><error><code>404</code><description>"),
        "{xml}"
    );
    // Only json and xml.
    assert_open311_error(app.get("/open311/v2/services.csv", None).await, 404).await;
}

#[tokio::test]
async fn service_definitions_and_discovery_are_served() {
    let app = spawn_with(|s| s.public_url = Some("https://zhan.example.cn".into())).await;
    let def = json_ok(&app, "/open311/v2/services/medical.json", None).await;
    assert_eq!(def, json!({"service_code": "medical", "attributes": []}));
    assert_open311_error(
        app.get("/open311/v2/services/pothole.json", None).await,
        404,
    )
    .await;
    for path in ["/open311/discovery.json", "/open311/v2/discovery.json"] {
        let d = json_ok(&app, path, None).await;
        let e = &d["endpoints"][0];
        assert_eq!(e["url"], "https://zhan.example.cn/open311/v2", "{d}");
        assert_eq!(e["specification"], "http://wiki.open311.org/GeoReport_v2");
        assert_eq!(e["formats"], json!(["text/xml", "application/json"]));
        assert_eq!(e["type"], "test");
        assert!(
            d["changeset"].is_string() && d["contact"].is_string() && d["key_service"].is_string()
        );
    }
}

#[tokio::test]
async fn errors_under_open311_are_the_specs_code_and_description() {
    let w = world().await;
    let app = &w.app;
    // Router, method, auth, validation and hostile dates alike.
    let cases = [
        (app.get("/open311/v2/nope.json", None).await, 404),
        (
            app.request(
                reqwest::Method::DELETE,
                "/open311/v2/services.json",
                None,
                None,
            )
            .await,
            405,
        ),
        (
            app.get(&format!("/open311/v2/requests.json?api_key=x{KEY}"), None)
                .await,
            401,
        ),
        (
            app.get("/open311/v2/requests.json?end_date=-262143-01-01", None)
                .await,
            422,
        ),
        (
            app.get("/open311/v2/requests.json?start_date=%2B262142-12-31", None)
                .await,
            422,
        ),
        (
            app.get("/open311/v2/requests.json?page=18446744073709551615", None)
                .await,
            422,
        ),
        (
            app.post("/open311/v2/requests.json", None, json!({})).await,
            401,
        ),
    ];
    for (res, status) in cases {
        let allow = header(&res, "allow");
        let errors = assert_open311_error(res, status).await;
        assert!(!errors[0].is_empty());
        if status == 405 {
            assert_eq!(allow.as_deref(), Some("GET, HEAD"));
        }
    }
    let errors = assert_open311_error(
        app.get("/open311/v2/requests.json?end_date=-262143-01-01", None)
            .await,
        422,
    )
    .await;
    assert_eq!(open311_fields(&errors), ["end_date"]);
}

#[tokio::test]
async fn status_notes_and_agency_follow_the_requested_locale() {
    let w = world().await;
    let app = &w.app;
    let rid = id(&create(app, &w.rider1, at_station("suggestion", &w.s1)).await);
    act_ok(app, &w.op1, &rid, "reject", Some("已转交物业处理")).await;
    let zh = json_ok(app, &format!("/open311/v2/requests/{rid}.json"), None).await;
    assert_eq!(zh[0]["status_notes"], "不予受理：已转交物业处理");
    assert_eq!(zh[0]["agency_responsible"], "静安寺街道暖新驿站");
    let en = json_ok(
        app,
        &format!("/open311/v2/requests/{rid}.json?locale=en"),
        None,
    )
    .await;
    assert_eq!(en[0]["status_notes"], "Rejected: 已转交物业处理");
    // The station has no English name: it is named by its street's.
    let agency = en[0]["agency_responsible"].as_str().unwrap();
    assert!(
        agency.starts_with("Warm-New Station, ") && agency.is_ascii(),
        "{agency}"
    );
    let open = id(&create(app, &w.rider2, at_station("hazard_report", &w.s2)).await);
    let en = json_ok(
        app,
        &format!("/open311/v2/requests/{open}.json?locale=en"),
        None,
    )
    .await;
    assert_eq!(en[0]["status_notes"], "Submitted, waiting to be accepted");
}
