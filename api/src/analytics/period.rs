//! The date range of a dashboard question (whole Asia/Shanghai days) and the period before it.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::error::{FieldError, Violations};
use crate::service_logs::days;

pub const DEFAULT_DAYS: i64 = 30;
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day, inclusive.
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
}

impl Period {
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The period of equal length just before this one.
    pub fn previous(&self) -> Period {
        let len = Duration::days(self.days());
        Period {
            from: self.from - len,
            to: self.to - len,
        }
    }

    /// `[start, end)` in UTC.
    pub fn bounds(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (days::bounds(self.from).0, days::bounds(self.to).1)
    }

    /// Day labels as the rollup tables store them.
    pub fn labels(&self) -> (String, String) {
        (self.from.to_string(), self.to.to_string())
    }
}

/// `from` / `to` (YYYY-MM-DD, inclusive); default the last 30 days up to today.
pub fn parse(
    v: &mut Violations,
    from: Option<&str>,
    to: Option<&str>,
    now: DateTime<Utc>,
) -> Period {
    let blank = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let today = days::today(now);
    let to_day = match blank(to) {
        Some(raw) => v.check(days::parse_day("to", &raw)).unwrap_or(today),
        None => today,
    };
    let from_day = match blank(from) {
        Some(raw) => v
            .check(days::parse_day("from", &raw))
            .unwrap_or(to_day - Duration::days(DEFAULT_DAYS - 1)),
        None => to_day - Duration::days(DEFAULT_DAYS - 1),
    };
    let period = Period {
        from: from_day,
        to: to_day,
    };
    if from_day > to_day {
        v.push(FieldError::new(
            "from",
            "after_to",
            "from must not be after to",
        ));
    } else if period.days() > MAX_DAYS {
        v.push(FieldError::new(
            "to",
            "range_too_long",
            format!("a range covers at most {MAX_DAYS} days"),
        ));
    }
    period
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(from: Option<&str>, to: Option<&str>) -> Result<Period, Vec<String>> {
        let now = DateTime::parse_from_rfc3339("2026-12-04T02:00:00Z")
            .unwrap()
            .to_utc();
        let mut v = Violations::default();
        let p = parse(&mut v, from, to, now);
        v.finish().map(|_| p).map_err(|e| {
            e.errors
                .into_iter()
                .map(|e| format!("{}:{}", e.field, e.code))
                .collect()
        })
    }

    #[test]
    fn defaults_bounds_and_the_previous_period() {
        let p = run(None, None).unwrap();
        assert_eq!(
            (p.from.to_string(), p.to.to_string()),
            ("2026-11-05".into(), "2026-12-04".into())
        );
        assert_eq!(p.days(), 30);
        let prev = p.previous();
        assert_eq!(
            (prev.from.to_string(), prev.to.to_string()),
            ("2026-10-06".into(), "2026-11-04".into())
        );
        let one = run(Some("2026-12-01"), Some("2026-12-01")).unwrap();
        assert_eq!(one.days(), 1);
        let (start, end) = one.bounds();
        assert_eq!(end - start, Duration::days(1));
    }

    #[test]
    fn bad_ranges_name_their_field() {
        assert_eq!(
            run(Some("2026-12-05"), Some("2026-12-01")).unwrap_err(),
            ["from:after_to"]
        );
        assert_eq!(
            run(Some("2025-01-01"), Some("2026-12-01")).unwrap_err(),
            ["to:range_too_long"]
        );
        assert_eq!(
            run(Some("2025-12-01"), Some("2026-12-01")).unwrap().days(),
            366
        );
        assert_eq!(
            run(Some("yesterday"), None).unwrap_err(),
            ["from:invalid_date"]
        );
    }
}
