//! The embedded PWA: the shell with SPA fallback, 404 for missing files, cache headers.

use crate::helpers::*;

#[tokio::test]
async fn root_serves_the_shell_uncached() {
    let app = spawn().await;
    let res = app.get("/", None).await;
    assert_eq!(res.status(), 200);
    let ct = header(&res, "content-type").unwrap_or_default();
    assert!(ct.starts_with("text/html"), "{ct}");
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-cache"));
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>暖新驿站</title>"), "{html}");
}

#[tokio::test]
async fn client_routes_fall_back_to_the_same_shell() {
    let app = spawn().await;
    let shell = app.get("/", None).await.text().await.unwrap();
    for path in ["/some/client/route", "/stations", "/me/settings"] {
        let res = app.get(path, None).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(
            header(&res, "cache-control").as_deref(),
            Some("no-cache"),
            "{path}"
        );
        assert!(header(&res, "content-type")
            .unwrap_or_default()
            .starts_with("text/html"));
        assert_eq!(res.text().await.unwrap(), shell, "{path}");
    }
}

#[tokio::test]
async fn missing_files_are_404_not_the_shell() {
    let app = spawn().await;
    for path in [
        "/missing.js",
        "/assets/index-doesnotexist.js",
        "/icons/nope.png",
    ] {
        let res = app.get(path, None).await;
        assert_eq!(res.status(), 404, "{path}");
        assert_problem(res, 404, "not_found").await;
    }
}

#[tokio::test]
async fn a_real_build_serves_the_service_worker_uncached_and_hashed_assets_immutable() {
    if !warmnew::pwa::is_built() {
        println!(
            "note: pwa/dist was a placeholder at compile time; sw.js and asset caching not checked"
        );
        return;
    }
    let app = spawn().await;
    let res = app.get("/sw.js", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-cache"));
    assert!(header(&res, "content-type")
        .unwrap_or_default()
        .contains("javascript"));

    let res = app.get("/manifest.webmanifest", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(&res, "content-type").as_deref(),
        Some("application/manifest+json")
    );
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-cache"));

    let html = app.get("/", None).await.text().await.unwrap();
    let assets: Vec<&str> = html
        .split('"')
        .filter(|s| s.starts_with("/assets/"))
        .collect();
    assert!(
        !assets.is_empty(),
        "the shell references no /assets/ file:\n{html}"
    );
    for asset in assets {
        let res = app.get(asset, None).await;
        assert_eq!(res.status(), 200, "{asset}");
        assert_eq!(
            header(&res, "cache-control").as_deref(),
            Some("public, max-age=31536000, immutable"),
            "{asset}"
        );
    }
}
