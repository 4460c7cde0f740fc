//! HTTP as clients and tools expect it: compression that is real, HEAD wherever GET works,
//! one `Allow` entry per method, bounded numbers, RFC 9457 titles.

use std::io::Read;

use reqwest::Method;
use serde_json::Value;

use crate::helpers::*;

#[tokio::test]
async fn metrics_compressed_for_prometheus_are_really_gzip() {
    let app = spawn().await;
    assert_eq!(app.get("/api/v1/regions", None).await.status(), 200);
    // What Prometheus sends.
    let res = app
        .client
        .get(app.url("/metrics"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-encoding").as_deref(), Some("gzip"));
    let bytes = res.bytes().await.unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .expect("the body is gzip, as the header says");
    assert!(
        text.contains("# TYPE warmnew_http_requests_total counter"),
        "{text}"
    );
    assert!(text.contains(r#"endpoint="/api/v1/regions""#), "{text}");
    // Without Accept-Encoding it is plain text.
    let res = app.get("/metrics", None).await;
    assert_eq!(header(&res, "content-encoding"), None);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("warmnew_http_requests_total"));
}

async fn head(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    app.request(Method::HEAD, path, token, None).await
}

#[tokio::test]
async fn head_works_wherever_get_does_and_sends_no_body() {
    let app = spawn().await;
    let admin = app.admin_token().await;
    let station = app
        .create_station(&admin, station_body("头请求驿站", 31.2304, 121.4737))
        .await;
    let id = station["id"].as_str().unwrap();
    let rider = app.rider_token().await;
    for (path, token) in [
        ("/healthz".to_string(), None),
        ("/readyz".to_string(), None),
        ("/metrics".to_string(), None),
        ("/openapi.json".to_string(), None),
        ("/docs/".to_string(), None),
        ("/api/v1/regions".to_string(), None),
        ("/api/v1/stations".to_string(), None),
        (format!("/api/v1/stations/{id}"), None),
        (
            "/api/v1/stations/nearby?lat=31.23&lng=121.47".to_string(),
            None,
        ),
        ("/api/v1/me".to_string(), Some(rider.as_str())),
        ("/open311/v2/services.json".to_string(), None),
        ("/open311/v2/services.xml".to_string(), None),
        ("/".to_string(), None),
    ] {
        let get = app.get(&path, token).await;
        let res = head(&app, &path, token).await;
        assert_eq!(res.status(), get.status(), "HEAD {path} on {}", backend());
        assert_eq!(
            header(&res, "content-type"),
            header(&get, "content-type"),
            "HEAD {path}"
        );
        assert!(
            res.bytes().await.unwrap().is_empty(),
            "HEAD {path} sent a body"
        );
    }
    // An endless stream answers HEAD with its headers and ends.
    let res = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        head(&app, "/api/v1/events", Some(&rider)),
    )
    .await
    .expect("HEAD on the event stream returns");
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(&res, "content-type").as_deref(),
        Some("text/event-stream")
    );
    // HEAD needs what GET needs.
    let res = head(&app, "/api/v1/me", None).await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn allow_names_each_method_once() {
    let app = spawn().await;
    for (method, path, allow) in [
        (Method::PUT, "/healthz", "GET, HEAD"),
        (Method::DELETE, "/metrics", "GET, HEAD"),
        (Method::POST, "/api/v1/regions", "GET, HEAD"),
        // `nearby` is its own resource, not a station id.
        (Method::PUT, "/api/v1/stations/nearby", "GET, HEAD"),
    ] {
        let res = app.request(method.clone(), path, None, None).await;
        assert_eq!(res.status(), 405, "{method} {path}");
        assert_eq!(
            header(&res, "allow").as_deref(),
            Some(allow),
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn huge_page_numbers_are_refused_not_dropped_connections() {
    let app = spawn().await;
    let rider = app.rider_token().await;
    for (path, token) in [
        ("/api/v1/stations?page=9223372036854775807", None),
        ("/api/v1/stations?page=1000001", None),
        (
            "/api/v1/me/points?page=9223372036854775807",
            Some(rider.as_str()),
        ),
        (
            "/api/v1/help-requests?page=9223372036854775807",
            Some(rider.as_str()),
        ),
    ] {
        let res = app.get(path, token).await;
        let body = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(error_fields(&body), ["page"], "{path}");
    }
    // The largest page allowed is answered (empty).
    let res = app
        .get("/api/v1/stations?page=1000000&per_page=100", None)
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["items"], serde_json::json!([]));
}

#[tokio::test]
async fn about_blank_problems_are_titled_with_the_status_phrase() {
    let app = spawn().await;
    for (res, status, title) in [
        (app.get("/api/v1/nope", None).await, 404, "Not Found"),
        (app.get("/api/v1/me", None).await, 401, "Unauthorized"),
        (
            app.login("13900000000", "wrong-password-1").await,
            401,
            "Unauthorized",
        ),
        (
            app.get("/api/v1/stations/nearby", None).await,
            422,
            "Unprocessable Entity",
        ),
        (
            app.request(Method::DELETE, "/api/v1/regions", None, None)
                .await,
            405,
            "Method Not Allowed",
        ),
    ] {
        assert_eq!(res.status().as_u16(), status);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["type"], "about:blank", "{body}");
        assert_eq!(body["title"], title, "{body}");
    }
}

/// The query parameter `name` of `GET path` in the document.
fn param<'a>(spec: &'a Value, path: &str, name: &str) -> &'a Value {
    spec["paths"][path]["get"]["parameters"]
        .as_array()
        .unwrap_or_else(|| panic!("no parameters for {path}"))
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no {name} on {path}"))
}

#[tokio::test]
async fn the_openapi_document_has_unique_operation_ids_and_the_real_bounds() {
    let app = spawn().await;
    let spec: Value = app.get("/openapi.json", None).await.json().await.unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op["operationId"].as_str() {
                if let Some(other) = seen.insert(id.to_string(), format!("{method} {path}")) {
                    panic!("operationId {id} used by {other} and {method} {path}");
                }
            }
        }
    }
    assert!(seen.len() > 40, "{seen:?}");
    for (path, name, min, max) in [
        ("/api/v1/stations/nearby", "radius_m", 1, 20000),
        ("/api/v1/stations/nearby", "limit", 1, 50),
        ("/api/v1/stations/nearby", "lat", -90, 90),
        ("/api/v1/stations/nearby", "lng", -180, 180),
        ("/api/v1/stations", "per_page", 1, 100),
        ("/api/v1/stations", "page", 1, 1_000_000),
        ("/api/v1/me/points", "per_page", 1, 100),
        ("/api/v1/help-requests", "per_page", 1, 100),
        ("/open311/v2/requests.{format}", "page_size", 1, 1000),
    ] {
        let schema = &param(&spec, path, name)["schema"];
        assert_eq!(schema["minimum"], min, "{path} {name}: {schema}");
        assert_eq!(schema["maximum"], max, "{path} {name}: {schema}");
    }
    let create = &spec["components"]["schemas"]["CreateStation"]["properties"];
    assert_eq!(create["capacity"]["maximum"], 10000, "{create}");
    assert_eq!(create["name"]["maxLength"], 80, "{create}");
}
