//! A year of statutory public holidays, checked against the rules of the 全国年节及纪念日放假办法
//! (as revised in 2024, in force since 2025): 13 days a year, before 调休 swaps.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{FieldError, Violations};

/// The festivals, with the number of statutory days each has.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Festival {
    /// 元旦, 1 January.
    NewYear,
    /// 春节: 除夕 to 初三 (4 days).
    SpringFestival,
    /// 清明节 (the solar term, 4–6 April).
    Qingming,
    /// 劳动节, 1–2 May.
    LabourDay,
    /// 端午节 (5th of the 5th lunar month).
    DragonBoat,
    /// 中秋节 (15th of the 8th lunar month).
    MidAutumn,
    /// 国庆节, 1–3 October.
    NationalDay,
}

impl Festival {
    pub const ALL: [Festival; 7] = [
        Festival::NewYear,
        Festival::SpringFestival,
        Festival::Qingming,
        Festival::LabourDay,
        Festival::DragonBoat,
        Festival::MidAutumn,
        Festival::NationalDay,
    ];

    pub fn days(self) -> usize {
        match self {
            Festival::SpringFestival => 4,
            Festival::NationalDay => 3,
            Festival::LabourDay => 2,
            _ => 1,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Festival::NewYear => "new_year",
            Festival::SpringFestival => "spring_festival",
            Festival::Qingming => "qingming",
            Festival::LabourDay => "labour_day",
            Festival::DragonBoat => "dragon_boat",
            Festival::MidAutumn => "mid_autumn",
            Festival::NationalDay => "national_day",
        }
    }

    /// The first and last day (month, day) the festival's days can fall on: fixed for the
    /// solar holidays, the lunar dates' range over the Gregorian year for the others.
    fn window(self) -> ((u32, u32), (u32, u32)) {
        match self {
            Festival::NewYear => ((1, 1), (1, 1)),
            // 除夕 is never before 20 January, 初三 never after 22 February.
            Festival::SpringFestival => ((1, 20), (2, 22)),
            Festival::Qingming => ((4, 4), (4, 6)),
            Festival::LabourDay => ((5, 1), (5, 2)),
            Festival::DragonBoat => ((5, 28), (6, 25)),
            Festival::MidAutumn => ((9, 7), (10, 8)),
            Festival::NationalDay => ((10, 1), (10, 3)),
        }
    }
}

/// One statutory holiday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    #[schema(value_type = String, format = Date, example = "2026-02-17")]
    pub date: NaiveDate,
    pub festival: Festival,
    /// The day's name as the notice gives it, e.g. 除夕, 春节（正月初一）.
    #[schema(example = "春节（正月初一）", max_length = 40)]
    pub name: String,
}

/// A year of holidays and the notice they come from (the shape of the shipped files, the CLI
/// import and `PUT /holidays/{year}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayYear {
    #[schema(example = 2026, minimum = 2025, maximum = 2100)]
    pub year: i32,
    /// The State Council notice: title, number and date.
    #[schema(
        example = "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
        max_length = 200
    )]
    pub source: String,
    #[schema(max_length = 300)]
    #[serde(default)]
    pub source_url: Option<String>,
    pub days: Vec<Holiday>,
}

/// The years the current rules (13 days) apply to.
pub const FIRST_YEAR: i32 = 2025;
pub const LAST_YEAR: i32 = 2100;

impl HolidayYear {
    /// Checks the year against the rules; every problem is named. Sorts the days.
    pub fn validate(mut self) -> Result<HolidayYear, Vec<FieldError>> {
        let mut v = Violations::default();
        if !(FIRST_YEAR..=LAST_YEAR).contains(&self.year) {
            v.push(FieldError::new(
                "year",
                "out_of_range",
                format!("year must be between {FIRST_YEAR} and {LAST_YEAR} (the 13-day rules)"),
            ));
        }
        let source = self.source.trim();
        if source.is_empty() || source.chars().count() > 200 {
            v.push(FieldError::new(
                "source",
                "required",
                "name the notice the dates come from (at most 200 characters)",
            ));
        }
        if let Some(url) = &self.source_url {
            let ok = url.len() <= 300
                && (url.starts_with("https://") || url.starts_with("http://"))
                && !url.chars().any(char::is_whitespace);
            if !ok {
                v.push(FieldError::new(
                    "source_url",
                    "invalid_url",
                    "an http(s) URL",
                ));
            }
        }
        for (i, d) in self.days.iter().enumerate() {
            let field = format!("days[{i}]");
            if d.date.year() != self.year {
                v.push(FieldError::new(
                    format!("{field}.date"),
                    "wrong_year",
                    format!("{} is not in {}", d.date, self.year),
                ));
            }
            let ((m1, d1), (m2, d2)) = d.festival.window();
            let md = (d.date.month(), d.date.day());
            if md < (m1, d1) || md > (m2, d2) {
                v.push(FieldError::new(
                    format!("{field}.date"),
                    "outside_festival",
                    format!("{} cannot be {}", d.date, d.festival.as_str()),
                ));
            }
            let name = d.name.trim();
            if name.is_empty() || name.chars().count() > 40 {
                v.push(FieldError::new(
                    format!("{field}.name"),
                    "required",
                    "1–40 characters",
                ));
            }
        }
        for f in Festival::ALL {
            let mut dates: Vec<NaiveDate> = self
                .days
                .iter()
                .filter(|d| d.festival == f)
                .map(|d| d.date)
                .collect();
            dates.sort();
            dates.dedup();
            let consecutive = dates.windows(2).all(|w| w[0].succ_opt() == Some(w[1]));
            if dates.len() != f.days() || !consecutive {
                v.push(FieldError::new(
                    "days",
                    "wrong_count",
                    format!(
                        "{} needs {} consecutive day(s), found {}",
                        f.as_str(),
                        f.days(),
                        dates.len()
                    ),
                ));
            }
        }
        match v.finish() {
            Ok(()) => {
                self.source = source.to_string();
                self.days.sort_by_key(|d| (d.date, d.festival));
                Ok(self)
            }
            Err(e) => Err(e.errors),
        }
    }

    /// The distinct dates (中秋 may fall on a 国庆 day).
    pub fn dates(&self) -> Vec<NaiveDate> {
        let mut dates: Vec<NaiveDate> = self.days.iter().map(|d| d.date).collect();
        dates.sort();
        dates.dedup();
        dates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::holidays::calendar::builtin;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn year(y: i32) -> HolidayYear {
        builtin()
            .into_iter()
            .find(|h| h.year == y)
            .unwrap_or_else(|| panic!("{y} not shipped"))
    }

    fn of(y: &HolidayYear, f: Festival) -> Vec<NaiveDate> {
        y.days
            .iter()
            .filter(|d| d.festival == f)
            .map(|d| d.date)
            .collect()
    }

    #[test]
    fn shipped_years_have_all_13_days_and_a_source() {
        for y in builtin() {
            assert_eq!(y.days.len(), 13, "{}", y.year);
            assert!(y.source.contains("国务院办公厅"), "{}", y.source);
            assert_eq!(y.clone().validate(), Ok(y));
        }
    }

    #[test]
    fn new_year() {
        assert_eq!(of(&year(2025), Festival::NewYear), [day("2025-01-01")]);
        assert_eq!(of(&year(2026), Festival::NewYear), [day("2026-01-01")]);
    }

    #[test]
    fn spring_festival_runs_from_new_years_eve_to_the_third_day() {
        let d = of(&year(2025), Festival::SpringFestival);
        assert_eq!(
            d,
            ["2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"].map(day)
        );
        // 2026 has no 腊月三十: 除夕 is the 29th of the 12th month.
        let d = of(&year(2026), Festival::SpringFestival);
        assert_eq!(
            d,
            ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19"].map(day)
        );
    }

    #[test]
    fn qingming() {
        assert_eq!(of(&year(2025), Festival::Qingming), [day("2025-04-04")]);
        assert_eq!(of(&year(2026), Festival::Qingming), [day("2026-04-05")]);
    }

    #[test]
    fn labour_day_has_two_days() {
        assert_eq!(
            of(&year(2025), Festival::LabourDay),
            ["2025-05-01", "2025-05-02"].map(day)
        );
        assert_eq!(
            of(&year(2026), Festival::LabourDay),
            ["2026-05-01", "2026-05-02"].map(day)
        );
    }

    #[test]
    fn dragon_boat() {
        assert_eq!(of(&year(2025), Festival::DragonBoat), [day("2025-05-31")]);
        assert_eq!(of(&year(2026), Festival::DragonBoat), [day("2026-06-19")]);
    }

    #[test]
    fn mid_autumn() {
        assert_eq!(of(&year(2025), Festival::MidAutumn), [day("2025-10-06")]);
        assert_eq!(of(&year(2026), Festival::MidAutumn), [day("2026-09-25")]);
    }

    #[test]
    fn national_day_has_three_days() {
        let want = |y: i32| [1, 2, 3].map(|d| NaiveDate::from_ymd_opt(y, 10, d).unwrap());
        assert_eq!(of(&year(2025), Festival::NationalDay), want(2025));
        assert_eq!(of(&year(2026), Festival::NationalDay), want(2026));
    }

    #[test]
    fn mistakes_are_named() {
        let mut y = year(2026);
        y.days.retain(|d| d.date != day("2026-02-16"));
        y.days[0].date = day("2027-01-01");
        y.days.push(Holiday {
            date: day("2026-03-01"),
            festival: Festival::Qingming,
            name: "清明节".into(),
        });
        let errs = y.validate().unwrap_err();
        let codes: Vec<(String, String)> = errs.into_iter().map(|e| (e.field, e.code)).collect();
        for want in [
            ("days[0].date", "wrong_year"),
            ("days[12].date", "outside_festival"),
            ("days", "wrong_count"),
        ] {
            assert!(
                codes.contains(&(want.0.to_string(), want.1.to_string())),
                "{want:?} in {codes:?}"
            );
        }
        // 中秋 on a 国庆 day (as in 2028) is one date with two festivals.
        let mut y = year(2026);
        for d in &mut y.days {
            if d.festival == Festival::MidAutumn {
                d.date = day("2026-10-03");
            }
        }
        let ok = y.validate().unwrap();
        assert_eq!(ok.dates().len(), 12);
    }
}
