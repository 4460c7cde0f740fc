//! Lesson Markdown → HTML that is safe to insert into the page, and the lint that keeps unsafe
//! or off-format Markdown out of stored lessons in the first place.
//!
//! Rendered on read, not stored: a fix to the rules below then covers every stored lesson at
//! the next deploy, with no migration or re-render job. Rendering ≤ 8 000 characters takes
//! microseconds; the small cache (keyed by row id and content hash, so an edit is a new key)
//! spares hot lessons even that.

use std::sync::{Arc, OnceLock};

use moka::future::Cache;
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

const SAFE_SCHEMES: [&str; 4] = ["https:", "http:", "tel:", "mailto:"];
/// Lesson files are stricter than the renderer: links go to https: or tel: only.
const LINT_SCHEMES: [&str; 2] = ["https:", "tel:"];

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

fn has_scheme(url: &str, schemes: &[&str]) -> bool {
    let lower = url.to_ascii_lowercase();
    schemes.iter().any(|s| lower.starts_with(s))
}

/// Markdown → HTML. Raw HTML is shown as text; a link or image whose destination is not
/// https:, http:, tel: or mailto: loses its tag and keeps only its text.
pub fn render(markdown: &str) -> String {
    // Links cannot nest, but an image can sit inside a link: a stack says which ends to drop.
    let mut dropped: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options()).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Link { ref dest_url, .. }) => {
            let safe = has_scheme(dest_url, &SAFE_SCHEMES);
            dropped.push(!safe);
            safe.then_some(event)
        }
        Event::End(TagEnd::Link) => (!dropped.pop().unwrap_or(false)).then_some(event),
        // An inert image keeps its alt text, which follows as Text events.
        Event::Start(Tag::Image { ref dest_url, .. }) => {
            let safe = has_scheme(dest_url, &SAFE_SCHEMES);
            dropped.push(!safe);
            safe.then_some(event)
        }
        Event::End(TagEnd::Image) => (!dropped.pop().unwrap_or(false)).then_some(event),
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

fn cache() -> &'static Cache<String, Arc<str>> {
    static CACHE: OnceLock<Cache<String, Arc<str>>> = OnceLock::new();
    CACHE.get_or_init(|| Cache::new(256))
}

/// `render`, remembered under `key` (which must change whenever the Markdown does).
pub async fn render_cached(key: String, markdown: &str) -> Arc<str> {
    cache()
        .get_with(key, async { Arc::from(render(markdown)) })
        .await
}

/// Something in a lesson body that the lesson format does not allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintProblem {
    pub code: &'static str,
    pub message: String,
}

/// The lesson-format rules for bodies: no raw HTML, no images, links to https: or tel: only,
/// headings from `##`.
pub fn lint(markdown: &str) -> Vec<LintProblem> {
    let line = |offset: usize| markdown[..offset].matches('\n').count() + 1;
    let mut problems = Vec::new();
    let mut push = |code: &'static str, at: usize, what: String| {
        if problems.len() < 10 {
            problems.push(LintProblem {
                code,
                message: format!("line {}: {what}", line(at)),
            });
        }
    };
    for (event, span) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => push(
                "raw_html",
                span.start,
                format!(
                    "raw HTML is not allowed ({}); write Markdown",
                    raw.trim().chars().take(40).collect::<String>()
                ),
            ),
            Event::Start(Tag::Image { .. }) => push(
                "image_not_allowed",
                span.start,
                "images are not allowed; use an emoji in the text".into(),
            ),
            Event::Start(Tag::Link { dest_url, .. }) if !has_scheme(&dest_url, &LINT_SCHEMES) => {
                push(
                    "unsafe_link",
                    span.start,
                    format!(
                        "link to {} is not allowed; use https:// or tel:",
                        shorten(&dest_url)
                    ),
                )
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => push(
                "heading_level",
                span.start,
                "headings start at ## (the title is the page's first heading)".into(),
            ),
            _ => {}
        }
    }
    problems
}

fn shorten(url: &CowStr) -> String {
    let s: String = url.chars().take(40).collect();
    if s.is_empty() {
        "an empty address".into()
    } else {
        format!("\"{s}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders() {
        let html = render("## 充电\n\n**别**在楼道充电。拨打 [119](tel:119) 或看 [指南](https://example.org/a?b=1&c=2)。\n\n- 一\n- 二");
        assert!(html.contains("<h2>充电</h2>"), "{html}");
        assert!(html.contains("<strong>别</strong>"));
        assert!(html.contains(r#"<a href="tel:119">119</a>"#));
        assert!(
            html.contains(r#"href="https://example.org/a?b=1&amp;c=2""#),
            "{html}"
        );
        assert!(html.contains("<li>二</li>"));
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        for md in [
            "<script>alert(1)</script>",
            "hello <script>alert(1)</script> world",
            "<img src=x onerror=alert(1)>",
            "text <img src=x onerror=alert(1)> more",
            "<div onclick=\"alert(1)\">\n\nx</div>",
            "<!-- <script>alert(1)</script> -->",
            "<iframe src=\"javascript:alert(1)\"></iframe>",
        ] {
            let html = render(md);
            for bad in ["<script", "<img", "<div", "<iframe", "<svg", "<!--"] {
                assert!(!html.contains(bad), "{md:?} rendered {html:?}");
            }
            assert!(html.contains("&lt;"), "{md:?} rendered {html:?}");
            assert!(!lint(md).is_empty(), "{md:?} passed the lint");
        }
        // Not HTML to CommonMark, so plain text either way.
        assert_eq!(
            render("<svg/onload=alert(1)>"),
            "<p>&lt;svg/onload=alert(1)&gt;</p>\n"
        );
    }

    #[test]
    fn unsafe_destinations_are_inert() {
        for md in [
            "[click](javascript:alert(1))",
            "[click](JavaScript:alert(1))",
            "[click](  javascript:alert(1) )",
            "[click](java&#x09;script:alert(1))",
            "[click](vbscript:x)",
            "[click](data:text/html;base64,PHNjcmlwdD4=)",
            "[click][r]\n\n[r]: javascript:alert(1)",
            "<javascript:alert(1)>",
            "![x](javascript:alert(1))",
            "[![x](javascript:alert(1))](javascript:alert(2))",
            "[click](/relative)",
        ] {
            let html = render(md);
            // The address may survive as visible text, never as an attribute.
            assert!(
                !html.contains("href=") && !html.contains("src="),
                "{md:?} rendered {html:?}"
            );
            assert!(!html.contains("<img"), "{md:?} rendered {html:?}");
            assert!(!lint(md).is_empty(), "{md:?} passed the lint");
        }
        // The text stays.
        assert_eq!(render("[click](javascript:alert(1))"), "<p>click</p>\n");
    }

    #[test]
    fn lint_names_lines_and_rules() {
        let md = "## ok\n\n# big\n\n![cat](https://x.org/c.png)\n\n[site](http://x.org) <b>hi</b>";
        let codes: Vec<_> = lint(md).into_iter().map(|p| (p.code, p.message)).collect();
        assert_eq!(codes[0].0, "heading_level");
        assert!(codes[0].1.starts_with("line 3:"));
        assert_eq!(codes[1].0, "image_not_allowed");
        assert_eq!(codes[2].0, "unsafe_link");
        assert!(codes[3..].iter().all(|c| c.0 == "raw_html"));
        assert!(lint("## 标题\n\n正文 [电话](tel:12351) [网站](https://12351.org)\n\n| a | b |\n|---|---|\n| 1 | 2 |").is_empty());
        // `<` in prose is not HTML.
        assert!(lint("温度 < 35 度，1 < 2").is_empty());
    }
}
