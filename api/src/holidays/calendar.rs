//! The public-holiday calendar `PH` is evaluated against: the shipped years, plus what was
//! imported, held in memory and replaced as a whole when the data changes.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Datelike, Utc};
use compact_calendar::CompactCalendar;
use opening_hours::localization::Country;
use opening_hours::ContextHolidays;

use super::domain::HolidayYear;

/// The years shipped with the binary (one file per year, with its notice).
const SHIPPED: [&str; 2] = [
    include_str!("../../seed/holidays/cn-2025.toml"),
    include_str!("../../seed/holidays/cn-2026.toml"),
];

/// The shipped years, parsed and checked (a bad shipped file fails the unit tests).
pub fn builtin() -> Vec<HolidayYear> {
    SHIPPED
        .iter()
        .filter_map(|text| toml::from_str::<HolidayYear>(text).ok())
        .filter_map(|y| y.validate().ok())
        .collect()
}

/// The holidays of `years`; a year they do not cover falls back to the hours crate's Chinese
/// dates (before 2025, and years not yet published), which know fewer days.
pub fn holidays_of(years: &[HolidayYear]) -> ContextHolidays {
    let covered: Vec<i32> = years.iter().map(|y| y.year).collect();
    let fallback = Country::CN.holidays();
    let mut public = CompactCalendar::default();
    for d in fallback.get_public().iter() {
        if !covered.contains(&d.year()) {
            public.insert(d);
        }
    }
    for d in years.iter().flat_map(HolidayYear::dates) {
        public.insert(d);
    }
    ContextHolidays::new(Arc::new(public), Arc::new(fallback.get_school().clone()))
}

/// The calendar in force on this instance, and when its data last changed.
pub struct Calendar {
    current: RwLock<(ContextHolidays, Option<DateTime<Utc>>)>,
}

impl Default for Calendar {
    /// The shipped years: right before the database is read, and without it.
    fn default() -> Self {
        Self {
            current: RwLock::new((holidays_of(&builtin()), None)),
        }
    }
}

impl Calendar {
    pub fn holidays(&self) -> ContextHolidays {
        self.current
            .read()
            .map(|c| c.0.clone())
            .unwrap_or_else(|e| e.into_inner().0.clone())
    }

    /// When the data it was built from last changed (None: only the shipped years).
    pub fn stamp(&self) -> Option<DateTime<Utc>> {
        self.current.read().map(|c| c.1).unwrap_or(None)
    }

    pub fn replace(&self, years: &[HolidayYear], stamp: Option<DateTime<Utc>>) {
        let holidays = holidays_of(years);
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        *current = (holidays, stamp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn is_ph(h: &ContextHolidays, s: &str) -> bool {
        h.get_public()
            .contains(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    #[test]
    fn shipped_years_replace_the_crates_six_days() {
        let h = Calendar::default().holidays();
        // Days the hours crate does not know.
        for d in [
            "2025-01-28",
            "2025-01-30",
            "2025-01-31",
            "2025-04-04",
            "2025-05-02",
            "2025-10-02",
            "2025-10-03",
            "2026-02-16",
            "2026-02-18",
            "2026-02-19",
            "2026-04-05",
            "2026-05-02",
            "2026-10-02",
            "2026-10-03",
        ] {
            assert!(is_ph(&h, d), "{d}");
        }
        // Swapped rest days are not statutory holidays.
        for d in ["2026-02-15", "2026-02-23", "2026-10-07", "2025-10-08"] {
            assert!(!is_ph(&h, d), "{d}");
        }
        let count = |y: i32| h.get_public().iter().filter(|d| d.year() == y).count();
        assert_eq!((count(2025), count(2026)), (13, 13));
        // Other years still have the crate's dates.
        assert!(is_ph(&h, "2024-10-01"));
        assert!(is_ph(&h, "2027-01-01"));
    }
}
