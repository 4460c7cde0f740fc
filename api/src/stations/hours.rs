//! Opening hours in OSM `opening_hours` syntax, evaluated in Asia/Shanghai with China's public
//! holidays (`PH`, from the holiday calendar) and sun events at the station's coordinates.
//!
//! Where the expression does not say when a station closes, nothing is invented: an open end
//! (`08:00+`) and a rule that is only a comment (`"call ahead"`) evaluate as unknown, as the
//! reference `opening_hours` library does, and unknown has no opening or closing time.

use std::sync::{Arc, LazyLock};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::{Asia::Shanghai, Tz};
use opening_hours::localization::{Coordinates, TzLocation};
use opening_hours::{Context, ContextHolidays, OpeningHours, DATE_END};
use opening_hours_syntax::rules::{OpeningHoursExpression, RuleKind};

use crate::error::FieldError;

pub type Hours = OpeningHours<TzLocation<Tz>>;

/// For validation only: the shipped holiday years, no coordinates.
static CONTEXT: LazyLock<Context<TzLocation<Tz>>> = LazyLock::new(|| {
    Context::default()
        .with_holidays(crate::holidays::calendar::holidays_of(
            &crate::holidays::calendar::builtin(),
        ))
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
        let position = msg
            .lines()
            .find_map(|l| l.trim().strip_prefix("--> "))
            .map(|p| format!(" at line:column {p}"));
        let reason = msg
            .lines()
            .find_map(|l| l.trim().strip_prefix("= "))
            .unwrap_or("syntax error");
        FieldError::new(
            "opening_hours",
            "invalid_opening_hours",
            format!(
                "not valid OSM opening_hours syntax{}: {reason} (e.g. 24/7, Mo-Fr 08:00-20:00; PH off)",
                position.unwrap_or_default()
            ),
        )
    })?;
    Ok(Arc::new(parsed.with_context(CONTEXT.clone())))
}

/// Whether the expression depends on where the sun is (so on the station's coordinates).
pub fn uses_sun(expr: &str) -> bool {
    let lower = expr.to_ascii_lowercase();
    ["sunrise", "sunset", "dawn", "dusk"]
        .iter()
        .any(|e| lower.contains(e))
}

/// The rules' texts, split on the rule separators (`;`, `||`) outside comments.
fn rule_texts(expr: &str) -> Vec<&str> {
    let (mut out, mut start, mut quoted) = (Vec::new(), 0, false);
    let bytes = expr.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b';' if !quoted => {
                out.push(&expr[start..i]);
                start = i + 1;
            }
            b'|' if !quoted && bytes.get(i + 1) == Some(&b'|') => {
                out.push(&expr[start..i]);
                start = i + 2;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&expr[start..]);
    out.into_iter().filter(|r| !r.trim().is_empty()).collect()
}

/// The expression as evaluated: a rule whose time is an open end, or that is only a comment,
/// says "open" without saying until when; it becomes `unknown`.
fn with_unknowns(expr: &str, parsed: &OpeningHours) -> Option<String> {
    let mut tree: OpeningHoursExpression = (*parsed.get_expression()).clone();
    let texts = rule_texts(expr);
    let by_rule = texts.len() == tree.rules.len();
    let mut changed = false;
    for (i, rule) in tree.rules.iter_mut().enumerate() {
        let open_end = rule.time_selector.spans.iter().any(|s| s.open_end);
        let comment_only = by_rule && texts[i].trim_start().starts_with('"');
        if rule.kind == RuleKind::Open && (open_end || comment_only) {
            rule.kind = RuleKind::Unknown;
            changed = true;
        }
    }
    changed.then(|| tree.to_string())
}

/// The hours of a station, for evaluation: unknowns marked (see `with_unknowns`), `PH` from
/// `holidays`, sun events at `at` (lat, lng) when the expression has any. None when the stored
/// expression does not parse.
pub fn for_station(
    expr: &str,
    at: Option<(f64, f64)>,
    holidays: &ContextHolidays,
) -> Option<Arc<Hours>> {
    let expr = expr.trim();
    let mut parsed = expr.parse::<OpeningHours>().ok()?;
    if let Some(rewritten) = with_unknowns(expr, &parsed) {
        parsed = rewritten.parse::<OpeningHours>().ok()?;
    }
    let mut locale = TzLocation::new(Shanghai);
    if uses_sun(expr) {
        if let Some(c) = at.and_then(|(lat, lng)| Coordinates::new(lat, lng)) {
            locale = locale.with_coords(c);
        }
    }
    let ctx = Context::default()
        .with_holidays(holidays.clone())
        .with_locale(locale);
    Some(Arc::new(parsed.with_context(ctx)))
}

/// What the hours say about a moment.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Openness {
    Open,
    Closed,
    /// The hours do not say (an open end, a comment, `unknown`).
    Unknown,
}

/// The state now, and when that next changes (None when it never does, e.g. 24/7, or when it
/// is not known).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoursState {
    pub state: Openness,
    pub next_change: Option<DateTime<Utc>>,
}

impl HoursState {
    pub fn is_open(&self) -> bool {
        self.state == Openness::Open
    }
}

/// How far ahead the next change is looked for. The crate's own `next_change` searches up to the
/// year 10000, which for some hours that never change (`Mo-Su 00:00-24:00`) walks day by day
/// through millions of days: seconds of CPU per evaluation, on an actix worker.
pub const HORIZON_DAYS: i64 = 400;

pub fn state_at(hours: &Hours, now: DateTime<Utc>) -> HoursState {
    let local = now.with_timezone(&Shanghai);
    let state = match hours.state(local).0 {
        RuleKind::Open => Openness::Open,
        RuleKind::Closed => Openness::Closed,
        RuleKind::Unknown => Openness::Unknown,
    };
    if state == Openness::Unknown {
        // When an unknown stretch ends is a guess of the evaluator, never a closing time.
        return HoursState {
            state,
            next_change: None,
        };
    }
    let horizon = local + Duration::days(HORIZON_DAYS);
    let next_change = hours
        .iter_range(local, horizon)
        .next()
        .map(|interval| interval.range.end)
        .filter(|t| *t < horizon && t.naive_local() < DATE_END)
        .map(|t| t.with_timezone(&Utc));
    HoursState { state, next_change }
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
        assert!(s.is_open());
        assert_eq!(s.next_change, None);
    }

    #[test]
    fn across_midnight() {
        let h = parse("Mo-Su 20:00-02:00").unwrap();
        assert!(state_at(&h, at(2026, 11, 23, 1, 30)).is_open());
        assert!(!state_at(&h, at(2026, 11, 23, 2, 30)).is_open());
        let s = state_at(&h, at(2026, 11, 23, 23, 0));
        assert!(s.is_open());
        assert_eq!(s.next_change, Some(at(2026, 11, 24, 2, 0)));
    }

    #[test]
    fn public_holiday_off_in_china() {
        // 2026-10-01 (Thursday) is National Day.
        let h = parse("Mo-Fr 08:00-18:00; PH off").unwrap();
        assert!(!state_at(&h, at(2026, 10, 1, 10, 0)).is_open());
        assert!(state_at(&h, at(2026, 10, 12, 10, 0)).is_open());
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
        assert!(!s.is_open());
        assert_eq!(s.next_change, Some(at(2027, 6, 1, 8, 0)));
    }

    #[test]
    fn invalid_syntax_names_the_field() {
        let e = parse("Mo-Fr 25:99-30:00 blah").unwrap_err();
        assert_eq!(e.field, "opening_hours");
        assert_eq!(e.code, "invalid_opening_hours");
        assert_eq!(parse("  ").unwrap_err().code, "required");
    }

    fn station(expr: &str, lat: f64, lng: f64) -> Arc<Hours> {
        let holidays =
            crate::holidays::calendar::holidays_of(&crate::holidays::calendar::builtin());
        for_station(expr, Some((lat, lng)), &holidays).expect("valid")
    }

    #[test]
    fn an_open_end_or_a_comment_never_invents_a_closing_time() {
        for expr in [
            "Mo-Su 08:00+",
            "\"call ahead\"",
            "Mo-Fr 08:00-18:00; \"by appointment\"",
        ] {
            let h = station(expr, 31.23, 121.47);
            let s = state_at(&h, at(2026, 12, 4, 10, 0));
            assert_eq!(
                s,
                HoursState {
                    state: Openness::Unknown,
                    next_change: None
                },
                "{expr}"
            );
        }
        // Before an open end starts, the opening is known.
        let h = station("Mo-Su 08:00+", 31.23, 121.47);
        let s = state_at(&h, at(2026, 12, 4, 6, 0));
        assert_eq!(
            s,
            HoursState {
                state: Openness::Closed,
                next_change: Some(at(2026, 12, 4, 8, 0))
            }
        );
        // A rule with times and a comment is still open, and closes when it says.
        let h = station("Mo-Su 08:00-18:00 \"ring the bell\"", 31.23, 121.47);
        let s = state_at(&h, at(2026, 12, 4, 10, 0));
        assert_eq!(
            s,
            HoursState {
                state: Openness::Open,
                next_change: Some(at(2026, 12, 4, 18, 0))
            }
        );
        // The validating parse keeps accepting them.
        assert!(parse("Mo-Su 08:00+").is_ok() && parse("\"call ahead\"").is_ok());
    }

    #[test]
    fn sunrise_and_sunset_come_from_the_station_coordinates() {
        // Shanghai on 4 December: the sun sets about 16:52, not at a fixed 19:00.
        let shanghai = station("sunrise-sunset", 31.2304, 121.4737);
        let s = state_at(&shanghai, at(2026, 12, 4, 17, 30));
        assert_eq!(s.state, Openness::Closed);
        let opens = s.next_change.expect("sunrise").with_timezone(&Shanghai);
        assert_eq!(
            opens.format("%Y-%m-%d %H").to_string(),
            "2026-12-05 06",
            "{opens}"
        );
        let s = state_at(&shanghai, at(2026, 12, 4, 12, 0));
        let closes = s.next_change.expect("sunset").with_timezone(&Shanghai);
        assert_eq!(closes.format("%H").to_string(), "16", "{closes}");
        // Urumqi keeps Beijing time but the sun rises after 09:00 there in December.
        let urumqi = station("sunrise-sunset", 43.825, 87.617);
        assert!(!state_at(&urumqi, at(2026, 12, 4, 8, 30)).is_open());
        assert!(state_at(&shanghai, at(2026, 12, 4, 8, 30)).is_open());
        // Midsummer in Shanghai: open at 05:00 (sunrise ~04:50).
        assert!(state_at(&shanghai, at(2026, 6, 21, 5, 0)).is_open());
    }

    #[test]
    fn ph_off_closes_on_every_statutory_day() {
        let h = station("Mo-Su 08:00-18:00; PH off", 31.23, 121.47);
        let closed = |y, m, d| !state_at(&h, at(y, m, d, 10, 0)).is_open();
        // 元旦, 春节 from 除夕 to 初三, 清明, 劳动节 ×2, 端午, 中秋, 国庆 ×3.
        for (y, m, d) in [
            (2026, 1, 1),
            (2026, 2, 16),
            (2026, 2, 17),
            (2026, 2, 18),
            (2026, 2, 19),
            (2026, 4, 5),
            (2026, 5, 1),
            (2026, 5, 2),
            (2026, 6, 19),
            (2026, 9, 25),
            (2026, 10, 1),
            (2026, 10, 2),
            (2026, 10, 3),
            (2025, 1, 28),
            (2025, 4, 4),
            (2025, 10, 6),
        ] {
            assert!(closed(y, m, d), "{y}-{m}-{d}");
        }
        // Swapped rest days are not PH.
        for (y, m, d) in [(2026, 2, 15), (2026, 10, 5), (2026, 5, 4)] {
            assert!(!closed(y, m, d), "{y}-{m}-{d}");
        }
    }
}
