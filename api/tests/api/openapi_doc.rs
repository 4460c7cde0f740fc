//! The OpenAPI document: served, complete, equal to the committed file, and browsable offline.

use serde_json::Value;

use crate::helpers::*;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

async fn served_spec(app: &TestApp) -> Value {
    let res = app.get("/openapi.json", None).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn openapi_json_is_3_1_and_lists_the_routes() {
    let app = spawn().await;
    let spec = served_spec(&app).await;
    assert!(
        spec["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        spec["openapi"]
    );
    let paths = spec["paths"].as_object().expect("paths");
    for path in [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/me/export",
        "/api/v1/regions",
        "/healthz",
        "/readyz",
    ] {
        assert!(paths.contains_key(path), "{path} missing from the document");
    }
    // It is the same document the binary writes.
    let generated: Value =
        serde_json::from_str(&warmnew::openapi::to_json(&warmnew::openapi::document())).unwrap();
    assert_eq!(spec, generated);
}

#[tokio::test]
async fn every_operation_documents_a_response_and_errors_are_problem_json() {
    let app = spawn().await;
    let spec = served_spec(&app).await;
    let mut operations = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            operations += 1;
            let responses = op["responses"]
                .as_object()
                .unwrap_or_else(|| panic!("{method} {path}: no responses"));
            assert!(
                !responses.is_empty(),
                "{method} {path}: no documented response"
            );
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    if let Some(content) = response.get("content") {
                        if path.starts_with("/api/") {
                            assert!(
                                content.get("application/problem+json").is_some(),
                                "{method} {path} {status}: {content}"
                            );
                        }
                    }
                }
            }
        }
    }
    assert!(operations >= 10, "only {operations} operations documented");
    // Routes behind a token say so.
    for (path, method) in [
        ("/api/v1/me", "get"),
        ("/api/v1/me", "patch"),
        ("/api/v1/me", "delete"),
        ("/api/v1/me/export", "get"),
    ] {
        let security = &spec["paths"][path][method]["security"];
        assert!(
            security.to_string().contains("bearer"),
            "{method} {path}: {security}"
        );
    }
    assert_eq!(
        spec["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[test]
fn committed_openapi_json_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let committed =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let generated = warmnew::openapi::to_json(&warmnew::openapi::document());
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date with the code; regenerate it with \
         `cargo run -q -- openapi > openapi/openapi.json` (from the repository root) and commit it"
    );
}

#[tokio::test]
async fn docs_redirect_and_serve_swagger_ui_from_the_binary() {
    let app = spawn().await;
    let res = app.get("/docs", None).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(header(&res, "location").as_deref(), Some("/docs/"));

    let res = app.get("/docs/", None).await;
    assert_eq!(res.status(), 200);
    assert!(header(&res, "content-type")
        .unwrap_or_default()
        .starts_with("text/html"));
    let html = res.text().await.unwrap();
    let scripts: Vec<&str> = html
        .split("<script src=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert!(!scripts.is_empty(), "no script in the docs page:\n{html}");
    for src in &scripts {
        assert!(
            !src.contains("://") && !src.starts_with("//"),
            "{src} loads from outside the binary"
        );
        let path = format!("/docs/{}", src.trim_start_matches("./"));
        let res = app.get(&path, None).await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.text().await.unwrap().len() > 100, "{path} is empty");
    }
    assert!(
        scripts.iter().any(|s| s.contains("swagger-ui-bundle.js")),
        "{scripts:?}"
    );
    // The initializer points the UI at the local document.
    let init = app
        .get("/docs/swagger-initializer.js", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(init.contains("/openapi.json"), "{init}");
}
