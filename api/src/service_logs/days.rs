//! Days in Asia/Shanghai and time bounds given as a day or an instant.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

use crate::error::FieldError;

/// Dates outside this span are refused before any arithmetic on them.
const FIRST_YEAR: i32 = 2000;
const LAST_YEAR: i32 = 2100;

/// `[start, end)` of a Shanghai day, in UTC. China has no daylight saving time, so a day is
/// always 24 hours.
pub fn bounds(day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = Shanghai
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| {
            day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - Duration::hours(8)
        });
    (start, start + Duration::days(1))
}

pub fn today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Shanghai).date_naive()
}

pub fn parse_day(field: &str, raw: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (FIRST_YEAR..=LAST_YEAR).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| {
            FieldError::new(
                field,
                "invalid_date",
                format!("{field} must be a date YYYY-MM-DD between {FIRST_YEAR} and {LAST_YEAR}"),
            )
        })
}

/// A range bound: an RFC 3339 instant, or a day (its start for `from`, its end for `to`).
pub fn parse_bound(field: &str, raw: &str, upper: bool) -> Result<DateTime<Utc>, FieldError> {
    let raw = raw.trim();
    if raw.len() == 10 {
        let (start, end) = bounds(parse_day(field, raw)?);
        return Ok(if upper { end } else { start });
    }
    DateTime::parse_from_rfc3339(raw)
        .ok()
        .map(|t| t.with_timezone(&Utc))
        .filter(|t| (FIRST_YEAR..=LAST_YEAR).contains(&chrono::Datelike::year(t)))
        .ok_or_else(|| {
            FieldError::new(
                field,
                "invalid_datetime",
                format!("{field} must be a date (YYYY-MM-DD) or an RFC 3339 time"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shanghai_day_starts_at_16_utc_the_day_before() {
        let (start, end) = bounds(NaiveDate::from_ymd_opt(2026, 12, 4).unwrap());
        assert_eq!(start.to_rfc3339(), "2026-12-03T16:00:00+00:00");
        assert_eq!(end - start, Duration::days(1));
        let late = DateTime::parse_from_rfc3339("2026-12-03T16:30:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(today(late).to_string(), "2026-12-04");
    }

    #[test]
    fn bounds_take_days_or_instants_and_refuse_the_absurd() {
        let from = parse_bound("from", "2026-12-04", false).unwrap();
        let to = parse_bound("to", "2026-12-04", true).unwrap();
        assert_eq!(to - from, Duration::days(1));
        assert!(parse_bound("from", "2026-12-04T08:00:00+08:00", false).is_ok());
        for bad in [
            "-262143-01-01",
            "9999-12-31",
            "2026-13-01",
            "today",
            "2026-12-04T25:00:00Z",
        ] {
            assert!(parse_bound("from", bad, false).is_err(), "{bad}");
        }
    }
}
