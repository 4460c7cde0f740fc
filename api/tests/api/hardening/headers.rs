//! Every answer — page, API, problem, docs — carries the security headers.

use crate::helpers::{header, spawn, spawn_with};

#[actix_web::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn().await;
    for path in ["/", "/api/v1/regions", "/api/v1/nope", "/docs/", "/healthz"] {
        let res = app.get(path, None).await;
        let csp =
            header(&res, "content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(csp.contains("script-src 'self';"), "{path}: {csp}");
        assert!(csp.contains("connect-src 'self';"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(
            header(&res, "x-content-type-options").as_deref(),
            Some("nosniff")
        );
        assert!(header(&res, "referrer-policy").is_some(), "{path}");
        let permissions = header(&res, "permissions-policy").unwrap_or_default();
        assert!(
            permissions.contains("geolocation=(self)"),
            "{path}: {permissions}"
        );
        assert!(
            permissions.contains("camera=(self)"),
            "{path}: {permissions}"
        );
        // Plain HTTP (no https public URL): HSTS would be wrong here.
        assert_eq!(header(&res, "strict-transport-security"), None, "{path}");
    }
}

#[actix_web::test]
async fn the_tile_host_is_allowed_and_tls_adds_hsts() {
    let app = spawn_with(|s| {
        s.map_tile_url = Some("https://tiles.example.cn/{z}/{x}/{y}.png".into());
        s.public_url = Some("https://stations.example.cn".into());
    })
    .await;
    let res = app.get("/api/v1/regions", None).await;
    let csp = header(&res, "content-security-policy").unwrap();
    assert!(
        csp.contains("connect-src 'self' https://tiles.example.cn;"),
        "{csp}"
    );
    assert!(csp.contains("img-src 'self' data: blob: https://tiles.example.cn;"));
    let hsts = header(&res, "strict-transport-security").unwrap_or_default();
    assert!(hsts.starts_with("max-age="), "{hsts}");
}
