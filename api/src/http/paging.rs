//! `page` / `per_page` query parameters, checked the same way by every paged list.

use crate::error::{FieldError, Violations};

pub const DEFAULT_PER_PAGE: u64 = 20;
/// DESIGN §6: no list hands out more than this per page.
pub const MAX_PER_PAGE: u64 = 100;
/// Far past any real list, and small enough that `(page - 1) * per_page` stays a valid SQL
/// offset (a larger page overflowed inside the query builder).
pub const MAX_PAGE: u64 = 1_000_000;

/// A whole-number query parameter; a bad value is recorded against its field.
pub fn whole_number(v: &mut Violations, field: &str, raw: Option<&str>, default: u64) -> u64 {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => default,
        Some(r) => r.parse().unwrap_or_else(|_| {
            v.push(FieldError::new(
                field,
                "not_a_number",
                format!("{field} must be a whole number"),
            ));
            default
        }),
    }
}

/// `(page, per_page)`, 1-based page (default 1), per_page 1..=100 (default 20). Problems are
/// recorded in `v`; the caller adds its own checks and calls `v.finish()`.
pub fn page_params(v: &mut Violations, page: Option<&str>, per_page: Option<&str>) -> (u64, u64) {
    let page = whole_number(v, "page", page, 1);
    let per_page = whole_number(v, "per_page", per_page, DEFAULT_PER_PAGE);
    // Out of range is recorded once and answered as page 1, so a caller's own tighter bound
    // does not name the field twice.
    let page = if (1..=MAX_PAGE).contains(&page) {
        page
    } else {
        v.push(FieldError::new(
            "page",
            "out_of_range",
            "page must be between 1 and 1000000",
        ));
        1
    };
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        v.push(FieldError::new(
            "per_page",
            "out_of_range",
            "per_page must be between 1 and 100",
        ));
    }
    (page, per_page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(page: Option<&str>, per_page: Option<&str>) -> ((u64, u64), Vec<(String, String)>) {
        let mut v = Violations::default();
        let got = page_params(&mut v, page, per_page);
        let errs = match v.finish() {
            Ok(()) => vec![],
            Err(e) => e.errors.into_iter().map(|e| (e.field, e.code)).collect(),
        };
        (got, errs)
    }

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(run(None, None), ((1, 20), vec![]));
        assert_eq!(run(Some(" 3 "), Some("100")), ((3, 100), vec![]));
        let (_, errs) = run(Some("0"), Some("101"));
        let want = [("page", "out_of_range"), ("per_page", "out_of_range")];
        assert_eq!(errs, want.map(|(f, c)| (f.into(), c.into())));
        let (_, errs) = run(Some("9223372036854775807"), Some("100"));
        assert_eq!(errs, [("page".into(), "out_of_range".into())]);
        assert_eq!(run(Some("1000000"), Some("100")).1, vec![]);
        let (got, errs) = run(Some("x"), Some("-1"));
        assert_eq!(got, (1, 20));
        let want = [("page", "not_a_number"), ("per_page", "not_a_number")];
        assert_eq!(errs, want.map(|(f, c)| (f.into(), c.into())));
    }
}
