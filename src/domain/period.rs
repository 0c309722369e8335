use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use chrono::{Datelike, Local, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::quote::quoted;

/// A billing month, shown as `YYYY-MM` and stored as the month's first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
// Stored as DATE; the ToSql/FromSql impls live in db::sql_types.
#[derive(diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Date)]
pub struct Period(NaiveDate);

/// The years a month may be entered for: wide enough for any real bill,
/// narrow enough that a typo (`0000`, `+202`) never reaches PostgreSQL,
/// which refuses some of them outright.
pub const YEARS: RangeInclusive<i32> = 1900..=2200;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("{} is not a month: write it as YYYY-MM, e.g. 2026-09", quoted(.0))]
    Malformed(String),
    #[error("{} is out of range: the year must be from {} to {}.", quoted(.0), YEARS.start(), YEARS.end())]
    YearOutOfRange(String),
}

impl Period {
    /// The month `month` (1–12) of `year`, if both are in range (years
    /// [`YEARS`]).
    pub fn new(year: i32, month: u32) -> Option<Self> {
        if !YEARS.contains(&year) {
            return None;
        }
        NaiveDate::from_ymd_opt(year, month, 1).map(Self)
    }

    /// The month a date falls in.
    pub fn containing(date: NaiveDate) -> Self {
        Self(date.with_day(1).expect("every month has a first day"))
    }

    /// The current month in the server's local time zone.
    pub fn current() -> Self {
        Self::containing(Local::now().date_naive())
    }

    pub fn first_day(self) -> NaiveDate {
        self.0
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    pub fn month(self) -> u32 {
        self.0.month()
    }

    pub fn next(self) -> Self {
        Self(self.0 + Months::new(1))
    }

    pub fn previous(self) -> Self {
        Self(self.0 - Months::new(1))
    }
}

impl From<Period> for NaiveDate {
    fn from(period: Period) -> Self {
        period.0
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || PeriodError::Malformed(s.to_owned());
        let (year, month) = s.trim().split_once('-').ok_or_else(invalid)?;
        // Digits only: `str::parse` would also take a sign (`+202`).
        let digits =
            |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(month, 2) {
            return Err(invalid());
        }
        let year: i32 = year.parse().map_err(|_| invalid())?;
        let month: u32 = month.parse().map_err(|_| invalid())?;
        if !YEARS.contains(&year) {
            return Err(PeriodError::YearOutOfRange(s.to_owned()));
        }
        Self::new(year, month).ok_or_else(invalid)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_year_month() {
        let p: Period = "2026-09".parse().unwrap();
        assert_eq!(p, Period::new(2026, 9).unwrap());
        assert_eq!(p.to_string(), "2026-09");
        assert_eq!(p.first_day(), NaiveDate::from_ymd_opt(2026, 9, 1).unwrap());
    }

    #[test]
    fn rejects_what_is_not_a_month() {
        for bad in [
            "",
            "2026",
            "2026-13",
            "2026-00",
            "26-09",
            "2026-9",
            "2026-09-01",
            "сентябрь",
            "+202-11",
            "-202-11",
            "20 6-09",
            "2026-+9",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn years_are_bounded_to_1900_through_2200() {
        for good in ["1900-01", "2200-12"] {
            assert!(good.parse::<Period>().is_ok(), "{good:?} refused");
        }
        for bad in ["0000-01", "1899-12", "2201-01", "9999-12", "10000-01"] {
            assert!(bad.parse::<Period>().is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            "0000-01".parse::<Period>().unwrap_err().to_string(),
            "\"0000-01\" is out of range: the year must be from 1900 to 2200."
        );
        assert_eq!(Period::new(1899, 12), None);
        assert_eq!(Period::new(2201, 1), None);
    }

    #[test]
    fn a_long_value_is_not_echoed_whole() {
        let long = "9".repeat(10_000);
        let message = long.parse::<Period>().unwrap_err().to_string();
        assert!(message.len() < 120, "{message}");
    }

    #[test]
    fn steps_across_year_ends() {
        let dec = Period::new(2025, 12).unwrap();
        assert_eq!(dec.next(), Period::new(2026, 1).unwrap());
        assert_eq!(dec.next().previous(), dec);
    }

    #[test]
    fn containing_truncates_to_the_first_day() {
        let d = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(Period::containing(d).to_string(), "2024-02");
    }

    #[test]
    fn serde_uses_the_text_form() {
        let p = Period::new(2026, 1).unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"2026-01\"");
        assert_eq!(serde_json::from_str::<Period>("\"2026-01\"").unwrap(), p);
        assert!(serde_json::from_str::<Period>("\"январь\"").is_err());
    }
}
