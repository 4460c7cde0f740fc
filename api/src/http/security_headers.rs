//! Security headers on every answer: what the browser may load and run, and where our pages
//! may be framed. The PWA runs no inline script; map tiles are the one foreign origin.

use actix_web::middleware::DefaultHeaders;

/// Headers derived once from the settings. `tile_url` is the map tile template
/// (`https://tiles.example.cn/{z}/{x}/{y}.png`); `https` says the service is reached over TLS,
/// where HSTS belongs.
pub fn headers(tile_url: Option<&str>, https: bool) -> DefaultHeaders {
    let mut h = DefaultHeaders::new()
        .add(("Content-Security-Policy", content_security_policy(tile_url)))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add((
            "Permissions-Policy",
            "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()",
        ))
        .add(("X-Frame-Options", "DENY"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"));
    if https {
        h = h.add((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ));
    }
    h
}

pub fn content_security_policy(tile_url: Option<&str>) -> String {
    let tiles = tile_url.and_then(origin_of).unwrap_or_default();
    let extra = |s: &str| {
        if tiles.is_empty() {
            s.to_string()
        } else {
            format!("{s} {tiles}")
        }
    };
    [
        "default-src 'self'".to_string(),
        "script-src 'self'".to_string(),
        // Preact and Leaflet set style properties; the splash and Swagger UI carry a <style>.
        "style-src 'self' 'unsafe-inline'".to_string(),
        extra("img-src 'self' data: blob:"),
        extra("connect-src 'self'"),
        "font-src 'self'".to_string(),
        "worker-src 'self'".to_string(),
        "manifest-src 'self'".to_string(),
        "object-src 'none'".to_string(),
        "base-uri 'self'".to_string(),
        "form-action 'self'".to_string(),
        "frame-ancestors 'none'".to_string(),
    ]
    .join("; ")
}

/// `https://a.tile.example.cn:8443/{z}/{x}/{y}.png` → `https://a.tile.example.cn:8443`. Tile
/// templates with `{s}` subdomains allow every subdomain of the rest.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split('/').next()?;
    if host.is_empty() || host.contains(['\'', ';', ' ', ',']) {
        return None;
    }
    let host = host.replace("{s}", "*");
    Some(format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_are_the_only_foreign_origin() {
        let csp = content_security_policy(Some("https://{s}.tile.example.cn/{z}/{x}/{y}.png"));
        assert!(
            csp.contains("connect-src 'self' https://*.tile.example.cn;"),
            "{csp}"
        );
        assert!(csp.contains("img-src 'self' data: blob: https://*.tile.example.cn;"));
        assert!(csp.contains("script-src 'self';"));
        let csp = content_security_policy(None);
        assert!(csp.contains("connect-src 'self';"), "{csp}");
        assert_eq!(content_security_policy(Some("javascript:alert(1)")), csp);
        assert_eq!(
            content_security_policy(Some("https://x; script-src *")),
            csp
        );
    }
}
