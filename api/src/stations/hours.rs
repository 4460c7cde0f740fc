//! Opening hours in OSM `opening_hours` syntax, evaluated in Asia/Shanghai with China's public
//! holidays (`PH`).

use std::sync::{Arc, LazyLock};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::{Asia::Shanghai, Tz};
use opening_hours::localization::{Country, TzLocation};
use opening_hours::{Context, OpeningHours, DATE_END};

use crate::error::FieldError;

pub type Hours = OpeningHours<TzLocation<Tz>>;

static CONTEXT: LazyLock<Context<TzLocation<Tz>>> = LazyLock::new(|| {
    Context::default()
        .with_holidays(Country::CN.holidays())
        .with_locale(TzLocation::new(Shanghai))
});

pub const MAX_LEN: usize = 255;

/// Parses and validates an expression; the error names the problem.
pub fn parse(expr: &str) -> Result<Arc<Hours>, FieldError> {
    let expr = expr.trim();
    if expr.is_empty() {
        return Err(FieldError::new(
            "opening_hours",
            "required",
            "must not be empty, e.g. 24/7 or Mo-Fr 08:00-20:00",
        ));
    }
    if expr.len() > MAX_LEN {
        return Err(FieldError::new(
            "opening_hours",
            "too_long",
            "must be at most 255 characters",
        ));
    }
    let parsed = expr.parse::<OpeningHours>().map_err(|e| {
        // The parser's message is a multi-line caret diagram; keep the position and the reason.
        let msg = e.to_string();
        let position = msg.lines().find_map(|l| l.trim().strip_prefix("--> ")).map(|p| format!(" at line:column {p}"));
        let reason = msg.lines().find_map(|l| l.trim().strip_prefix("= ")).unwrap_or("syntax error");
        FieldError::new(
            "opening_hours",
            "invalid_opening_hours",
            format!("not valid OSM opening_hours syntax{}: {reason} (e.g. 24/7, Mo-Fr 08:00-20:00; PH off)", position.unwrap_or_default()),
        )
    })?;
    Ok(Arc::new(parsed.with_context(CONTEXT.clone())))
}

/// Open now, and when that next changes (None when it never does, e.g. 24/7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoursState {
    pub open: bool,
    pub next_change: Option<DateTime<Utc>>,
}

/// How far ahead the next change is looked for. The crate's own `next_change` searches up to the
/// year 10000, which for some hours that never change (`Mo-Su 00:00-24:00`) walks day by day
/// through millions of days: seconds of CPU per evaluation, on an actix worker.
pub const HORIZON_DAYS: i64 = 400;

pub fn state_at(hours: &Hours, now: DateTime<Utc>) -> HoursState {
    let local = now.with_timezone(&Shanghai);
    let open = hours.is_open(local);
    let horizon = local + Duration::days(HORIZON_DAYS);
    let next_change = hours
        .iter_range(local, horizon)
        .next()
        .map(|interval| interval.range.end)
        .filter(|t| *t < horizon && t.naive_local() < DATE_END)
        .map(|t| t.with_timezone(&Utc));
    HoursState { open, next_change }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Shanghai
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn always_open() {
        let h = parse("24/7").unwrap();
        let s = state_at(&h, at(2026, 11, 22, 3, 0));
        assert!(s.open);
        assert_eq!(s.next_change, None);
    }

    #[test]
    fn across_midnight() {
        let h = parse("Mo-Su 20:00-02:00").unwrap();
        assert!(state_at(&h, at(2026, 11, 23, 1, 30)).open);
        assert!(!state_at(&h, at(2026, 11, 23, 2, 30)).open);
        let s = state_at(&h, at(2026, 11, 23, 23, 0));
        assert!(s.open);
        assert_eq!(s.next_change, Some(at(2026, 11, 24, 2, 0)));
    }

    #[test]
    fn public_holiday_off_in_china() {
        // 2026-10-01 (Thursday) is National Day.
        let h = parse("Mo-Fr 08:00-18:00; PH off").unwrap();
        assert!(!state_at(&h, at(2026, 10, 1, 10, 0)).open);
        assert!(state_at(&h, at(2026, 10, 12, 10, 0)).open);
    }

    #[test]
    fn hours_that_never_change_are_evaluated_quickly() {
        // Found by the API tests: `Mo-Su 00:00-24:00` took ~17 s (debug) before the search was bounded.
        for expr in ["Mo-Su 00:00-24:00", "Mo-Su off", "00:00-24:00"] {
            let h = parse(expr).unwrap();
            let started = std::time::Instant::now();
            let s = state_at(&h, at(2026, 11, 22, 3, 0));
            assert_eq!(s.next_change, None, "{expr}");
            assert!(
                started.elapsed() < std::time::Duration::from_secs(1),
                "{expr}"
            );
        }
        // A change further away than a few days is still found (a seasonal station).
        let h = parse("Jun-Aug 08:00-18:00").unwrap();
        let s = state_at(&h, at(2026, 11, 22, 3, 0));
        assert!(!s.open);
        assert_eq!(s.next_change, Some(at(2027, 6, 1, 8, 0)));
    }

    #[test]
    fn invalid_syntax_names_the_field() {
        let e = parse("Mo-Fr 25:99-30:00 blah").unwrap_err();
        assert_eq!(e.field, "opening_hours");
        assert_eq!(e.code, "invalid_opening_hours");
        assert_eq!(parse("  ").unwrap_err().code, "required");
    }
}
