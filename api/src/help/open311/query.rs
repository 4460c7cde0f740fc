//! `GET /requests`' filters, parsed by hand so each bad one is named; dates bounded so no
//! arithmetic on them can overflow.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use super::dto::{Locale, Open311ListParams};
use crate::entity::help_request;
use crate::error::{ApiError, ApiResult, FieldError, Violations};
use crate::help::domain::{HelpCategory, HelpStatus};
use crate::help::service;

/// The spec's limit per answer.
pub const MAX_PAGE: u64 = 1000;
/// The spec's default window.
const DEFAULT_DAYS: i64 = 90;
/// Dates outside these years are refused: far enough for any real query, near enough that
/// the window arithmetic cannot leave chrono's range (`-262143-01-01` used to panic).
const YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

pub fn locale(raw: Option<&str>) -> ApiResult<Locale> {
    Locale::parse(raw)
        .ok_or_else(|| ApiError::field("locale", "unknown_value", "locale must be zh-CN or en"))
}

pub struct ListFilter {
    ids: Vec<Uuid>,
    categories: Vec<HelpCategory>,
    statuses: Vec<&'static str>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    pub page: u64,
    pub page_size: u64,
    pub locale: Locale,
}

fn split(raw: Option<&str>) -> impl Iterator<Item = &str> {
    raw.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

pub fn unknown(field: &str, bad: Vec<&str>) -> FieldError {
    let shown: Vec<String> = bad.iter().map(|b| b.chars().take(40).collect()).collect();
    FieldError::new(
        field,
        "unknown_value",
        format!("unknown {field}: {}", shown.join(", ")),
    )
}

/// A W3C date-time (`2026-05-01T08:00:00+08:00`), or a date (midnight UTC), in 1970–9999.
pub fn date(v: &mut Violations, field: &str, raw: Option<&str>) -> Option<DateTime<Utc>> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    let parsed = DateTime::parse_from_rfc3339(raw)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        });
    match parsed {
        None => {
            v.push(FieldError::new(
                field,
                "invalid_datetime",
                format!("{field} must be a date-time like 2026-05-01T08:00:00+08:00"),
            ));
            None
        }
        Some(d) if !YEARS.contains(&d.year()) => {
            v.push(FieldError::new(
                field,
                "out_of_range",
                format!("{field} must be in the years 1970 to 9999"),
            ));
            None
        }
        Some(d) => Some(d),
    }
}

impl ListFilter {
    pub fn parse(p: &Open311ListParams, now: DateTime<Utc>) -> ApiResult<Self> {
        let mut v = Violations::default();
        let locale = v.check(locale(p.locale.as_deref()).map_err(|e| e.errors[0].clone()));
        let (mut ids, mut bad) = (Vec::new(), Vec::new());
        for raw in split(p.service_request_id.as_deref()) {
            match raw.parse::<Uuid>() {
                Ok(id) => ids.push(id),
                Err(_) => bad.push(raw),
            }
        }
        if !bad.is_empty() {
            v.push(unknown("service_request_id", bad));
        } else if ids.len() as u64 > MAX_PAGE {
            v.push(FieldError::new(
                "service_request_id",
                "too_many",
                format!("at most {MAX_PAGE} ids"),
            ));
        }
        let categories = service::codes(
            &mut v,
            "service_code",
            p.service_code.as_deref(),
            HelpCategory::parse,
        );
        let (mut statuses, mut bad) = (Vec::new(), Vec::new());
        for raw in split(p.status.as_deref()) {
            match raw {
                "open" => statuses.extend(with_openness(true)),
                "closed" => statuses.extend(with_openness(false)),
                other => bad.push(other),
            }
        }
        if !bad.is_empty() {
            v.push(unknown("status", bad));
        }
        let start = date(&mut v, "start_date", p.start_date.as_deref());
        let end = date(&mut v, "end_date", p.end_date.as_deref());
        let (start, end) = match (start, end) {
            (Some(s), Some(e)) => (s, e),
            (Some(s), None) => (s, s.max(now)),
            (None, Some(e)) => (e - Duration::days(DEFAULT_DAYS), e),
            (None, None) => (now - Duration::days(DEFAULT_DAYS), now),
        };
        if start > end {
            v.push(FieldError::new(
                "start_date",
                "after_end",
                "start_date is after end_date",
            ));
        }
        let filter = ListFilter {
            ids,
            categories,
            statuses,
            start,
            end,
            page: service::whole_number(&mut v, "page", p.page.as_deref(), 1, 1..=1_000_000),
            page_size: service::whole_number(
                &mut v,
                "page_size",
                p.page_size.as_deref(),
                MAX_PAGE,
                1..=MAX_PAGE,
            ),
            locale: locale.unwrap_or(Locale::Zh),
        };
        v.finish()?;
        Ok(filter)
    }

    /// Ids given: only them (the spec: they override every other filter).
    pub fn condition(&self) -> Condition {
        use help_request::Column as C;
        if !self.ids.is_empty() {
            return Condition::all().add(C::Id.is_in(self.ids.clone()));
        }
        let mut cond = Condition::all()
            .add(C::CreatedAt.gte(self.start))
            .add(C::CreatedAt.lte(self.end));
        if !self.categories.is_empty() {
            cond = cond.add(C::Category.is_in(self.categories.iter().map(|c| c.as_str())));
        }
        if !self.statuses.is_empty() {
            cond = cond.add(C::Status.is_in(self.statuses.clone()));
        }
        cond
    }
}

/// The statuses Open311 calls `open` (some deadline runs), or `closed`.
fn with_openness(open: bool) -> impl Iterator<Item = &'static str> {
    HelpStatus::ALL
        .iter()
        .filter(move |s| s.is_open() == open)
        .map(|s| s.as_str())
}

pub fn open_or_closed(status: &str) -> &'static str {
    if HelpStatus::parse(status).is_some_and(HelpStatus::is_open) {
        "open"
    } else {
        "closed"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<ListFilter, Vec<String>> {
        let p: Open311ListParams = serde_urlencoded_like(query);
        ListFilter::parse(&p, Utc::now()).map_err(|e| {
            e.errors
                .into_iter()
                .map(|f| format!("{}:{}", f.field, f.code))
                .collect()
        })
    }

    fn serde_urlencoded_like(query: &str) -> Open311ListParams {
        actix_web::web::Query::<Open311ListParams>::from_query(query)
            .expect("query")
            .into_inner()
    }

    #[test]
    fn hostile_dates_are_refused_not_panicked_on() {
        for (q, want) in [
            ("end_date=-262143-01-01", "end_date:out_of_range"),
            ("end_date=%2B262142-12-31", "end_date:out_of_range"),
            ("start_date=1969-12-31", "start_date:out_of_range"),
            ("end_date=9999-12-31T23:59:59Z&start_date=9999-12-31", ""),
            ("end_date=1970-01-01", ""),
        ] {
            match parse(q) {
                Ok(_) => assert_eq!(want, "", "{q}"),
                Err(errs) => assert_eq!(errs, [want], "{q}"),
            }
        }
    }
}
