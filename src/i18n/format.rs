//! Numbers, months, dates and times as each language writes them. Russian:
//! `1 234,56` (a non-breaking space groups thousands, a comma before the
//! decimals), `ноябрь 2026`, `01.12.2026`, `08:58`. English keeps the
//! forms the interface had before it spoke Russian: `1234.56`, `2026-11`,
//! `2026-12-01`. Every figure keeps the places of its column, so numbers
//! line up in tables; nothing goes through f64.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use super::Locale;
use crate::domain::Period;

/// The separator of thousands in Russian: a non-breaking space, so a
/// figure never wraps inside itself.
pub const THOUSANDS: char = '\u{a0}';

/// `value` with exactly `places` decimals (rounded half away from zero, as
/// the ledger rounds), in the language's digits.
pub fn decimal(value: Decimal, places: u32, locale: Locale) -> String {
    let fixed = format!(
        "{:.*}",
        places as usize,
        value.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    );
    match locale {
        Locale::En => fixed,
        Locale::Ru => {
            let (sign, unsigned) = match fixed.strip_prefix('-') {
                Some(rest) => ("-", rest),
                None => ("", fixed.as_str()),
            };
            let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
            let mut grouped = String::with_capacity(fixed.len() + whole.len() / 3 * 2);
            for (i, digit) in whole.chars().enumerate() {
                if i > 0 && (whole.len() - i) % 3 == 0 {
                    grouped.push(THOUSANDS);
                }
                grouped.push(digit);
            }
            if fraction.is_empty() {
                format!("{sign}{grouped}")
            } else {
                format!("{sign}{grouped},{fraction}")
            }
        }
    }
}

/// A count as the language writes it in a figure: `3 920`, `3920`.
pub fn count(count: i64, locale: Locale) -> String {
    decimal(Decimal::from(count), 0, locale)
}

/// ₽ to kopecks: `1 234,56`.
pub fn money(value: Decimal, locale: Locale) -> String {
    decimal(value, 2, locale)
}

/// m³, to litres: `1 200,500`.
pub fn volume(value: Decimal, locale: Locale) -> String {
    decimal(value, 3, locale)
}

/// m², to 0.01: `54,30`.
pub fn area(value: Decimal, locale: Locale) -> String {
    decimal(value, 2, locale)
}

/// A price per unit: kopecks always, the third and fourth decimal only
/// where they are not zero (`46,18`, `46,1825`).
pub fn price(value: Decimal, locale: Locale) -> String {
    let places = value.normalize().scale().clamp(2, 4);
    decimal(value, places, locale)
}

/// A normative (m³ per person) or a meter's share of one: the decimals it
/// has, two to four (`3,16`, `5,2500` → `5,25`, `3,1667`).
pub fn measure(value: Decimal, locale: Locale) -> String {
    let places = value.normalize().scale().clamp(2, 4);
    decimal(value, places, locale)
}

/// An increasing coefficient as a line names it: the decimals it has
/// (`К 3`, `К 1,5`).
pub fn coefficient(value: Decimal, locale: Locale) -> String {
    decimal(value, value.normalize().scale(), locale)
}

/// A month as a heading names it: `ноябрь 2026`, in English `2026-11`.
pub fn month(period: Period, locale: Locale) -> String {
    match locale {
        Locale::En => period.to_string(),
        Locale::Ru => format!(
            "{} {}",
            locale.text(&format!("month-{}", period.month())),
            period.year()
        ),
    }
}

/// A day: `01.12.2026`, in English `2026-12-01`.
pub fn date(day: NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::En => day.format("%Y-%m-%d").to_string(),
        Locale::Ru => day.format("%d.%m.%Y").to_string(),
    }
}

/// A moment to the minute in the time zone `zone`: `01.12.2026 08:58`.
pub fn date_time(at: DateTime<Utc>, zone: Tz, locale: Locale) -> String {
    let local = at.with_timezone(&zone);
    format!(
        "{} {}",
        date(local.date_naive(), locale),
        local.format("%H:%M")
    )
}

/// A moment to the second (the audit log): `01.12.2026 08:58:03`.
pub fn date_time_seconds(at: DateTime<Utc>, zone: Tz, locale: Locale) -> String {
    let local = at.with_timezone(&zone);
    format!(
        "{} {}",
        date(local.date_naive(), locale),
        local.format("%H:%M:%S")
    )
}

/// The time zone times are shown in where no house says otherwise.
pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::Europe::Moscow;

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn russian_numbers_group_thousands_and_use_a_comma() {
        let ru = Locale::Ru;
        assert_eq!(money(dec!(1234.56), ru), "1\u{a0}234,56");
        assert_eq!(money(dec!(2065892.87), ru), "2\u{a0}065\u{a0}892,87");
        assert_eq!(money(dec!(-1234.5), ru), "-1\u{a0}234,50");
        assert_eq!(money(dec!(999), ru), "999,00");
        assert_eq!(money(dec!(0), ru), "0,00");
        assert_eq!(volume(dec!(1200.5), ru), "1\u{a0}200,500");
        assert_eq!(area(dec!(54.3), ru), "54,30");
        assert_eq!(decimal(dec!(1000000), 0, ru), "1\u{a0}000\u{a0}000");
    }

    #[test]
    fn english_keeps_the_point_and_no_grouping() {
        let en = Locale::En;
        assert_eq!(money(dec!(2065892.87), en), "2065892.87");
        assert_eq!(volume(dec!(1204), en), "1204.000");
        assert_eq!(area(dec!(54.3), en), "54.30");
    }

    #[test]
    fn prices_show_the_third_and_fourth_decimal_only_when_not_zero() {
        assert_eq!(price(dec!(46.1800), Locale::Ru), "46,18");
        assert_eq!(price(dec!(42.5), Locale::Ru), "42,50");
        assert_eq!(price(dec!(46.1825), Locale::Ru), "46,1825");
        assert_eq!(price(dec!(46.183), Locale::En), "46.183");
        assert_eq!(price(dec!(12), Locale::En), "12.00");
    }

    #[test]
    fn months_dates_and_times() {
        let november = Period::new(2026, 11).unwrap();
        assert_eq!(month(november, Locale::Ru), "ноябрь 2026");
        assert_eq!(month(november, Locale::En), "2026-11");
        for m in 1..=12 {
            let name = month(Period::new(2026, m).unwrap(), Locale::Ru);
            assert!(!name.starts_with("month-"), "{name}");
        }
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(date(day, Locale::Ru), "01.12.2026");
        assert_eq!(date(day, Locale::En), "2026-12-01");
        // 05:58 UTC is 08:58 in Moscow, 10:58 in Yekaterinburg.
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 5, 58, 3).unwrap();
        assert_eq!(
            date_time(at, DEFAULT_TIME_ZONE, Locale::Ru),
            "01.12.2026 08:58"
        );
        assert_eq!(
            date_time(at, chrono_tz::Asia::Yekaterinburg, Locale::En),
            "2026-12-01 10:58"
        );
        assert_eq!(
            date_time_seconds(at, DEFAULT_TIME_ZONE, Locale::Ru),
            "01.12.2026 08:58:03"
        );
        // Past midnight in Moscow is the next day.
        let late = Utc.with_ymd_and_hms(2026, 11, 30, 22, 30, 0).unwrap();
        assert_eq!(
            date_time(late, DEFAULT_TIME_ZONE, Locale::Ru),
            "01.12.2026 01:30"
        );
    }
}
