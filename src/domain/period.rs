use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use chrono::{Datelike, Local, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// Why text is not a month, with the text as written (`i18n` says it in
/// words; its `Display` is English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodError {
    Malformed(String),
    YearOutOfRange(String),
}

impl From<PeriodError> for super::Problem {
    fn from(e: PeriodError) -> Self {
        match e {
            PeriodError::Malformed(raw) => super::Problem::NotAMonth(raw),
            PeriodError::YearOutOfRange(raw) => super::Problem::YearOutOfRange(raw),
        }
    }
}

/// The months' names as a Russian reader writes them (nominative, as in
/// «ноябрь 2026», and genitive), and the three letters Russian Excel
/// shortens them to («ноя.26»).
const MONTH_NAMES: [(&str, &str, &str); 12] = [
    ("январь", "января", "янв"),
    ("февраль", "февраля", "фев"),
    ("март", "марта", "мар"),
    ("апрель", "апреля", "апр"),
    ("май", "мая", "май"),
    ("июнь", "июня", "июн"),
    ("июль", "июля", "июл"),
    ("август", "августа", "авг"),
    ("сентябрь", "сентября", "сен"),
    ("октябрь", "октября", "окт"),
    ("ноябрь", "ноября", "ноя"),
    ("декабрь", "декабря", "дек"),
];

fn month_named(name: &str) -> Option<u32> {
    let name = name.to_lowercase();
    let name = name.trim_end_matches('.');
    MONTH_NAMES
        .iter()
        .position(|(nominative, genitive, short)| {
            name == *nominative || name == *genitive || name == *short
        })
        .map(|i| i as u32 + 1)
}

fn all_digits(part: &str, len: RangeInclusive<usize>) -> bool {
    len.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
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

    /// `months` months earlier.
    pub fn months_before(self, months: u32) -> Self {
        Self(self.0 - Months::new(months))
    }

    /// How many months `earlier` is before this one (negative when after).
    pub fn months_since(self, earlier: Period) -> i32 {
        (self.year() - earlier.year()) * 12 + self.month() as i32 - earlier.month() as i32
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

impl Period {
    /// A month as people write it: `2026-11`, `11.2026` (also `1.2026`),
    /// `01.11.2026` (what a spreadsheet makes of a month it took for a
    /// date), `ноябрь 2026`, and Russian Excel's `ноя.26`.
    pub fn read(raw: &str) -> Result<Self, PeriodError> {
        let raw = raw.trim();
        let invalid = || PeriodError::Malformed(raw.to_owned());
        if raw.contains('-') {
            return raw.parse();
        }
        let (month, year) = if let Some((name, year)) = raw.split_once(' ') {
            // «ноябрь 2026», «ноября 2026 г.»
            let year = year.trim();
            let year = year
                .strip_suffix("г.")
                .or_else(|| year.strip_suffix('г'))
                .unwrap_or(year)
                .trim();
            let month = month_named(name.trim()).ok_or_else(invalid)?;
            if !all_digits(year, 4..=4) {
                return Err(invalid());
            }
            (month, year.to_owned())
        } else {
            let parts: Vec<&str> = raw.split('.').collect();
            match parts.as_slice() {
                [month, year] if all_digits(month, 1..=2) && all_digits(year, 4..=4) => {
                    (month.parse().map_err(|_| invalid())?, (*year).to_owned())
                }
                [day, month, year]
                    if matches!(*day, "01" | "1")
                        && all_digits(month, 1..=2)
                        && all_digits(year, 4..=4) =>
                {
                    (month.parse().map_err(|_| invalid())?, (*year).to_owned())
                }
                // Russian Excel's «ноя.26» (and «ноя.2026»).
                [name, year] if all_digits(year, 2..=2) || all_digits(year, 4..=4) => {
                    let month = month_named(name).ok_or_else(invalid)?;
                    let year = if year.len() == 2 {
                        format!("20{year}")
                    } else {
                        (*year).to_owned()
                    };
                    (month, year)
                }
                _ => return Err(invalid()),
            }
        };
        let year: i32 = year.parse().map_err(|_| invalid())?;
        if !YEARS.contains(&year) {
            return Err(PeriodError::YearOutOfRange(raw.to_owned()));
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
        s.parse()
            .map_err(|e: PeriodError| serde::de::Error::custom(super::Problem::from(e)))
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
            "0000-01".parse::<Period>().unwrap_err(),
            PeriodError::YearOutOfRange("0000-01".into())
        );
        assert_eq!(Period::new(1899, 12), None);
        assert_eq!(Period::new(2201, 1), None);
    }

    #[test]
    fn months_are_read_as_people_and_spreadsheets_write_them() {
        let november = Period::new(2026, 11).unwrap();
        for good in [
            "2026-11",
            "11.2026",
            " 11.2026 ",
            "01.11.2026",
            "1.11.2026",
            "ноябрь 2026",
            "Ноябрь 2026",
            "ноября 2026 г.",
            "ноя.26",
            "ноя.2026",
        ] {
            assert_eq!(Period::read(good), Ok(november), "{good:?}");
        }
        assert_eq!(
            Period::read("1.2026"),
            Period::new(2026, 1).ok_or(PeriodError::Malformed(String::new()))
        );
        assert_eq!(
            Period::read("май.26").unwrap(),
            Period::new(2026, 5).unwrap()
        );
        for bad in [
            "",
            "13.2026",
            "00.2026",
            "31.02.2026",
            "15.11.2026",
            "11.26",
            "2026-13",
            "ноябрь",
            "ноябрь 26",
            "ноя.2",
            "брр.26",
            "11/2026",
            "+202-11",
        ] {
            assert!(
                matches!(Period::read(bad), Err(PeriodError::Malformed(_))),
                "{bad:?} accepted or misnamed"
            );
        }
        for far in ["11.1899", "01.11.2201", "ноябрь 2201", "0000-01"] {
            assert!(
                matches!(Period::read(far), Err(PeriodError::YearOutOfRange(_))),
                "{far:?}"
            );
        }
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
