//! The externally visible base URL, for links that leave the server (check-in QR codes, the
//! Open311 discovery document). Never taken from headers a client can set at will.

use actix_web::http::header::{self, HeaderMap};
use actix_web::HttpRequest;

use crate::config::Settings;

/// `WARMNEW_PUBLIC_URL` when set. Otherwise, behind a trusted proxy
/// (`WARMNEW_TRUST_FORWARDED_FOR`), its `X-Forwarded-Proto` / `X-Forwarded-Host`; else the
/// `Host` the client addressed, over http. Values that are not a plain scheme or host are
/// ignored, so `javascript:` or `evil.example/path` can never become a link.
pub fn base_url(settings: &Settings, req: &HttpRequest) -> String {
    if let Some(url) = &settings.public_url {
        return url.trim_end_matches('/').to_string();
    }
    let headers = req.headers();
    let forwarded = |name: &str| first_value(headers, name);
    let (mut scheme, mut host) = ("http".to_string(), None);
    if settings.trust_forwarded_for {
        if let Some(p) = forwarded("x-forwarded-proto").filter(|p| is_scheme(p)) {
            scheme = p.to_ascii_lowercase();
        }
        host = forwarded("x-forwarded-host").filter(|h| is_host(h));
    }
    let host = host
        .or_else(|| first_value(headers, header::HOST.as_str()).filter(|h| is_host(h)))
        .unwrap_or_else(|| "localhost".to_string());
    format!("{scheme}://{host}")
}

/// The first of a comma-separated header's values (proxies append theirs).
fn first_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let v = headers.get(name)?.to_str().ok()?;
    let first = v.split(',').next()?.trim();
    (!first.is_empty()).then(|| first.to_string())
}

pub fn is_scheme(s: &str) -> bool {
    s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https")
}

/// A DNS name or IPv4 address, or a bracketed IPv6 address, with an optional port.
pub fn is_host(s: &str) -> bool {
    let (name, port) = match s.rsplit_once(':') {
        Some((n, p)) if !n.ends_with(':') && !p.contains(']') => (n, Some(p)),
        _ => (s, None),
    };
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    let name_ok = if let Some(v6) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        !v6.is_empty() && v6.bytes().all(|b| b.is_ascii_hexdigit() || b == b':')
    } else {
        !name.is_empty()
            && name.len() <= 253
            && name.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
    };
    port_ok && name_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        for ok in [
            "example.org",
            "a.b-c.cn:8443",
            "127.0.0.1:8080",
            "[::1]:8080",
            "[::1]",
        ] {
            assert!(is_host(ok), "{ok}");
        }
        for bad in [
            "",
            "evil.example/path",
            "x y",
            "a..b",
            "host:",
            "host:99999999",
            "javascript:alert(1)",
            "user@host",
            "[::g]",
        ] {
            assert!(!is_host(bad), "{bad}");
        }
        assert!(is_scheme("HTTPS") && !is_scheme("javascript"));
    }

    fn url(settings: &Settings, headers: &[(&str, &str)]) -> String {
        let mut req = actix_web::test::TestRequest::default();
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        base_url(settings, &req.to_http_request())
    }

    #[test]
    fn forwarded_headers_count_only_when_trusted_and_well_formed() {
        let mut s = Settings::for_tests();
        let evil = [
            ("host", "stations.example.cn"),
            ("x-forwarded-host", "evil.example"),
            ("x-forwarded-proto", "javascript"),
        ];
        assert_eq!(url(&s, &evil), "http://stations.example.cn");
        s.trust_forwarded_for = true;
        assert_eq!(
            url(&s, &evil),
            "http://evil.example",
            "a trusted proxy names the host"
        );
        let proxied = [
            ("host", "10.0.0.5:8080"),
            ("x-forwarded-host", "stations.example.cn, proxy.internal"),
            ("x-forwarded-proto", "https"),
        ];
        assert_eq!(url(&s, &proxied), "https://stations.example.cn");
        let garbage = [("host", "ok.example"), ("x-forwarded-host", "a/b")];
        assert_eq!(url(&s, &garbage), "http://ok.example");
        s.public_url = Some("https://zhan.example.cn/".into());
        assert_eq!(url(&s, &evil), "https://zhan.example.cn");
        assert_eq!(url(&Settings::for_tests(), &[]), "http://localhost");
    }
}
