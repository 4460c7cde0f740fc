//! Routing errors come out as problem+json too, and every response carries a request id.

use std::collections::HashSet;

use reqwest::Method;

use crate::helpers::*;

#[tokio::test]
async fn unknown_api_paths_are_404_problem_json() {
    let app = spawn().await;
    for path in ["/api/v1/nope", "/api/v1/", "/api", "/api/v2/regions"] {
        let res = app.get(path, None).await;
        assert_eq!(res.status(), 404, "{path}");
        let problem = assert_problem(res, 404, "not_found").await;
        assert!(
            problem["detail"].as_str().unwrap().contains(path),
            "{problem}"
        );
    }
    // Under /open311 in the Open311 shape.
    let errors = assert_open311_error(app.get("/open311/v2/nope.json", None).await, 404).await;
    assert!(errors[0].contains("/open311/v2/nope.json"), "{errors:?}");
    // Outside the API a non-GET is never the SPA shell.
    let res = app.request(Method::POST, "/some/page", None, None).await;
    assert_problem(res, 404, "not_found").await;
}

fn allowed(res: &reqwest::Response) -> HashSet<String> {
    header(res, "allow")
        .expect("Allow header")
        .split(',')
        .map(|m| m.trim().to_string())
        .collect()
}

#[tokio::test]
async fn a_wrong_method_on_a_known_path_is_405_with_allow() {
    let app = spawn().await;
    let cases: [(Method, &str, &[&str]); 5] = [
        (Method::DELETE, "/api/v1/regions", &["GET", "HEAD"]),
        (Method::GET, "/api/v1/auth/login", &["POST"]),
        (
            Method::PUT,
            "/api/v1/me",
            &["GET", "HEAD", "PATCH", "DELETE"],
        ),
        (Method::POST, "/api/v1/me/export", &["GET", "HEAD"]),
        (Method::POST, "/healthz", &["GET", "HEAD"]),
    ];
    for (method, path, expected) in cases {
        let res = app.request(method.clone(), path, None, None).await;
        assert_eq!(res.status(), 405, "{method} {path}");
        let allow = allowed(&res);
        let expected: HashSet<String> = expected.iter().map(|m| m.to_string()).collect();
        assert_eq!(allow, expected, "{method} {path}");
        let problem = assert_problem(res, 405, "method_not_allowed").await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains(method.as_str()),
            "{problem}"
        );
    }
}

#[tokio::test]
async fn every_response_carries_a_distinct_request_id() {
    let app = spawn().await;
    let mut seen = HashSet::new();
    let responses = [
        app.get("/healthz", None).await,
        app.get("/api/v1/regions", None).await,
        app.get("/api/v1/nope", None).await,
        app.get("/api/v1/me", None).await,
        app.request(Method::DELETE, "/api/v1/regions", None, None)
            .await,
        app.post_raw("/api/v1/auth/login", "application/json", "{")
            .await,
        app.get("/", None).await,
    ];
    for res in responses {
        let id = header(&res, "x-request-id")
            .unwrap_or_else(|| panic!("{} has no x-request-id", res.url()));
        assert!(!id.is_empty());
        assert!(seen.insert(id.clone()), "request id {id} repeated");
    }
}

#[tokio::test]
async fn error_bodies_never_leak_internals() {
    let app = spawn().await;
    let res = app
        .post_raw(
            "/api/v1/auth/register",
            "application/json",
            "{\"phone\": [}",
        )
        .await;
    let problem = assert_problem(res, 400, "malformed_json").await;
    let keys: HashSet<&str> = problem
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        HashSet::from(["type", "title", "status", "detail", "code"])
    );
}
