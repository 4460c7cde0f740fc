//! The PWA, embedded at build time, served with SPA fallback and cache headers that let
//! hashed assets live forever while the shell and service worker are always revalidated.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::HttpResponse;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../pwa/dist"]
struct Assets;

pub fn serve(path: &str) -> HttpResponse {
    let rel = path.trim_start_matches('/');
    let rel = if rel.is_empty() { "index.html" } else { rel };
    if let Some(file) = Assets::get(rel) {
        return respond(rel, file.data.into_owned());
    }
    // Client-side routes (no file extension) get the shell; missing files get a 404.
    let last = rel.rsplit('/').next().unwrap_or("");
    if !last.contains('.') {
        if let Some(index) = Assets::get("index.html") {
            return respond("index.html", index.data.into_owned());
        }
    }
    HttpResponse::NotFound()
        .content_type("application/problem+json")
        .body(r#"{"type":"about:blank","title":"Not found","status":404,"detail":"no such file","code":"not_found"}"#)
}

fn respond(rel: &str, body: Vec<u8>) -> HttpResponse {
    let content_type = if rel.ends_with(".webmanifest") {
        "application/manifest+json".to_string()
    } else {
        mime_guess::from_path(rel)
            .first_or_octet_stream()
            .essence_str()
            .to_string()
    };
    let content_type =
        if content_type.starts_with("text/") || content_type == "application/javascript" {
            format!("{content_type}; charset=utf-8")
        } else {
            content_type
        };
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, content_type))
        .insert_header((CACHE_CONTROL, cache_control(rel)))
        .body(body)
}

fn cache_control(rel: &str) -> &'static str {
    if rel.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else if rel == "index.html"
        || rel == "sw.js"
        || rel.starts_with("workbox-")
        || rel.ends_with(".webmanifest")
        || rel == "registerSW.js"
    {
        "no-cache"
    } else {
        "public, max-age=86400"
    }
}

/// True when the embedded build is a real PWA build, not the placeholder written when npm
/// was unavailable at compile time.
pub fn is_built() -> bool {
    Assets::get("sw.js").is_some()
}

#[cfg(test)]
mod tests {
    use super::cache_control;

    #[test]
    fn cache_rules() {
        assert_eq!(cache_control("index.html"), "no-cache");
        assert_eq!(cache_control("sw.js"), "no-cache");
        assert_eq!(cache_control("manifest.webmanifest"), "no-cache");
        assert!(cache_control("assets/index-abc123.js").contains("immutable"));
    }
}
