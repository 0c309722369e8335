//! Rules for what a person (or an integration) may enter, shared by forms,
//! CSV and the JSON API. Each check returns the value to store, or the
//! message to show beside the field.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{MeterKind, Period, Problem, Role, Service, TimeZone, What, YEARS};

pub const MAX_ADDRESS_CHARS: usize = 300;
pub const MAX_APARTMENT_NUMBER_CHARS: usize = 20;
pub const MAX_SERIAL_CHARS: usize = 50;
pub const MAX_USER_NAME_CHARS: usize = 100;
pub const MAX_TOKEN_NAME_CHARS: usize = 100;
pub const MAX_FULL_NAME_CHARS: usize = 200;
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Beyond this, hashing becomes a way to make the server work for nothing.
pub const MAX_PASSWORD_CHARS: usize = 1000;

/// Collects one message per field while a whole form is checked, so the
/// person sees every problem at once.
#[derive(Debug, Default)]
pub struct Checker {
    errors: BTreeMap<String, Problem>,
}

impl Checker {
    /// Keeps the value, or records the message under `field`.
    pub fn check<T, P: Into<Problem>>(
        &mut self,
        field: impl Into<String>,
        result: Result<T, P>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.errors.entry(field.into()).or_insert(problem.into());
                None
            }
        }
    }

    /// Records a problem found outside the single-field checks.
    pub fn fail(&mut self, field: impl Into<String>, problem: impl Into<Problem>) {
        self.errors.entry(field.into()).or_insert(problem.into());
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn into_errors(self) -> BTreeMap<String, Problem> {
        self.errors
    }
}

fn text(raw: &str, what: What, max: usize) -> Result<String, Problem> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Problem::Empty(what));
    }
    // PostgreSQL cannot store NUL in text; other control characters are
    // never meant in an address, number or serial.
    if value.chars().any(char::is_control) {
        return Err(Problem::ControlCharacter(what));
    }
    if value.chars().count() > max {
        return Err(Problem::TooLong { what, max });
    }
    Ok(value.to_owned())
}

pub fn address(raw: &str) -> Result<String, Problem> {
    text(raw, What::Address, MAX_ADDRESS_CHARS)
}

pub fn apartment_number(raw: &str) -> Result<String, Problem> {
    text(raw, What::ApartmentNumber, MAX_APARTMENT_NUMBER_CHARS)
}

pub fn serial(raw: &str) -> Result<String, Problem> {
    text(raw, What::Serial, MAX_SERIAL_CHARS)
}

/// A space people put between groups of thousands (`1 204,5`): also the
/// non-breaking and thin ones spreadsheets and banks write.
pub fn is_thousands_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// A decimal as people write it: `54.3`, `54,3`, `1 204,5` (spaces, also
/// non-breaking and thin ones, as thousands separators).
pub fn decimal(raw: &str) -> Result<Decimal, Problem> {
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|&c| !is_thousands_space(c))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if cleaned.is_empty() {
        return Err(Problem::NoNumber);
    }
    let valid = cleaned
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && cleaned.matches('.').count() <= 1;
    valid
        .then(|| Decimal::from_str(&cleaned).ok())
        .flatten()
        .ok_or_else(|| Problem::NotANumber(raw.trim().to_owned()))
}

/// Checks a decimal's range and precision; `digits` are the integer digits
/// the column holds.
fn bounded(value: Decimal, scale: u32, digits: u32, what: What) -> Result<Decimal, Problem> {
    let value = value.normalize();
    if value.scale() > scale {
        return Err(Problem::TooManyDecimals {
            what,
            places: scale,
        });
    }
    let limit = Decimal::from(10_i64.pow(digits));
    if value >= limit {
        // The largest value the column holds: 999 999 999,999 for a reading.
        let max = limit - Decimal::new(1, scale);
        return Err(Problem::TooLarge { what, max });
    }
    Ok(value)
}

/// m², 0 < area <= 10000, to 0.01.
pub fn area(value: Decimal) -> Result<Decimal, Problem> {
    if value <= Decimal::ZERO {
        return Err(Problem::AreaNotPositive);
    }
    let max = Decimal::from(10_000);
    if value > max {
        return Err(Problem::AreaTooLarge { max });
    }
    bounded(value, 2, 6, What::Area)
}

/// A meter's dial, m³: >= 0, to 0.001.
pub fn meter_value(value: Decimal) -> Result<Decimal, Problem> {
    if value < Decimal::ZERO {
        return Err(Problem::NegativeReading);
    }
    bounded(value, 3, 9, What::Reading)
}

/// ₽ per m³ or m²: > 0, to 0.0001.
pub fn price(value: Decimal) -> Result<Decimal, Problem> {
    if value <= Decimal::ZERO {
        return Err(Problem::PriceNotPositive);
    }
    bounded(value, 4, 8, What::Price)
}

/// m³ per person per month: > 0, to 0.0001.
pub fn normative(value: Decimal) -> Result<Decimal, Problem> {
    if value <= Decimal::ZERO {
        return Err(Problem::NormativeNotPositive);
    }
    bounded(value, 4, 6, What::Normative)
}

/// An increasing coefficient: at least 1, to 0.01.
pub fn coefficient(value: Decimal) -> Result<Decimal, Problem> {
    if value < Decimal::ONE {
        return Err(Problem::CoefficientBelowOne);
    }
    bounded(value, 2, 4, What::Coefficient)
}

pub const MAX_ACCOUNT_NUMBER_CHARS: usize = 20;
pub const MAX_HOLDER_CHARS: usize = 200;
pub const MAX_REASON_CHARS: usize = 500;

/// A personal account's number: 1 to 20 letters and digits (`1001001001`,
/// `А-12` is refused: payers and banks drop the signs).
pub fn account_number(raw: &str) -> Result<String, Problem> {
    let number = text(raw, What::AccountNumber, MAX_ACCOUNT_NUMBER_CHARS)?;
    if number.chars().all(char::is_alphanumeric) {
        Ok(number)
    } else {
        Err(Problem::AccountNumberChars)
    }
}

/// The account holder's name (ФИО); may be left empty when unknown.
pub fn holder(raw: &str) -> Result<String, Problem> {
    match raw.trim() {
        "" => Ok(String::new()),
        _ => text(raw, What::Holder, MAX_HOLDER_CHARS),
    }
}

/// An account's balance, ₽ to kopecks: + debt, − advance.
pub fn balance(value: Decimal) -> Result<Decimal, Problem> {
    bounded(value.abs(), 2, 12, What::Balance)?;
    Ok(value.normalize())
}

/// A payment's amount, ₽: > 0, to kopecks.
pub fn amount(value: Decimal) -> Result<Decimal, Problem> {
    if value <= Decimal::ZERO {
        return Err(Problem::AmountNotPositive);
    }
    bounded(value, 2, 12, What::Amount)
}

/// A key rate, percent: 0 to 100, to 0.001.
pub fn key_rate(value: Decimal) -> Result<Decimal, Problem> {
    if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
        return Err(Problem::RateOutOfRange);
    }
    bounded(value, 3, 3, What::Rate)
}

/// Why a payment is deleted: said, so the audit log keeps it.
pub fn reason(raw: &str) -> Result<String, Problem> {
    text(raw, What::Reason, MAX_REASON_CHARS)
}

pub const MAX_ORGANIZATION_NAME_CHARS: usize = 300;
pub const MAX_BANK_NAME_CHARS: usize = 200;
pub const MAX_PHONE_CHARS: usize = 100;
/// The longest address SMTP carries (RFC 5321).
pub const MAX_EMAIL_CHARS: usize = 254;

/// The organisation's name as its receipts print it («ООО "УК Пример"»).
pub fn organization_name(raw: &str) -> Result<String, Problem> {
    text(raw, What::OrganizationName, MAX_ORGANIZATION_NAME_CHARS)
}

/// The bank's name as its requisites give it («ПАО Сбербанк»).
pub fn bank_name(raw: &str) -> Result<String, Problem> {
    text(raw, What::BankName, MAX_BANK_NAME_CHARS)
}

/// Phone numbers as free text (`+7 (843) 200-00-00, диспетчерская 24/7`);
/// may be left empty.
pub fn phone(raw: &str) -> Result<String, Problem> {
    match raw.trim() {
        "" => Ok(String::new()),
        _ => text(raw, What::Phone, MAX_PHONE_CHARS),
    }
}

/// An e-mail address, or empty. Only its shape is checked (something, one
/// `@`, a domain with a dot, no spaces): whether it receives mail only
/// sending one can tell.
pub fn email(raw: &str) -> Result<String, Problem> {
    if raw.trim().is_empty() {
        return Ok(String::new());
    }
    let value = text(raw, What::Email, MAX_EMAIL_CHARS)?;
    let shaped = value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
    }) && !value.chars().any(char::is_whitespace);
    match shaped {
        true => Ok(value),
        false => Err(Problem::EmailFormat),
    }
}

/// Residents or owners of an apartment: a whole number of people.
pub const MAX_PEOPLE: u32 = 1000;

/// A number of people as typed: `3`, ` 3 `; 0 to [`MAX_PEOPLE`].
pub fn people(raw: &str) -> Result<u32, Problem> {
    let raw = raw.trim();
    raw.parse::<u32>()
        .ok()
        .filter(|n| *n <= MAX_PEOPLE)
        .ok_or_else(|| Problem::NotAPeopleCount {
            value: raw.to_owned(),
            max: MAX_PEOPLE,
        })
}

/// The services a house bills, from their names in any order and with
/// repeats: at least one, kept in the order of [`Service::ALL`].
pub fn services<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Vec<Service>, Problem> {
    let mut chosen = names
        .into_iter()
        .map(service)
        .collect::<Result<Vec<_>, _>>()?;
    chosen.sort();
    chosen.dedup();
    if chosen.is_empty() {
        return Err(Problem::ChooseServices);
    }
    Ok(chosen)
}

/// The water services (cold and hot) normatives and coefficients are for.
pub fn water_service(raw: &str) -> Result<MeterKind, Problem> {
    MeterKind::from_str(raw.trim()).map_err(|_| Problem::ChooseWaterService)
}

pub fn meter_kind(raw: &str) -> Result<MeterKind, Problem> {
    MeterKind::from_str(raw.trim()).map_err(|_| Problem::ChooseMeterKind)
}

pub fn service(raw: &str) -> Result<Service, Problem> {
    Service::from_str(raw.trim()).map_err(|_| Problem::ChooseService)
}

/// A house's time zone by its IANA name: `Europe/Moscow`.
pub fn time_zone(raw: &str) -> Result<TimeZone, Problem> {
    TimeZone::from_str(raw.trim()).map_err(|_| Problem::ChooseTimeZone)
}

/// A month as people write it: `2026-11`, `11.2026`, `ноябрь 2026`, and what
/// a Russian spreadsheet makes of them (`ноя.26`, `01.11.2026`).
pub fn period(raw: &str) -> Result<Period, Problem> {
    Period::read(raw).map_err(Problem::from)
}

/// A month as the JSON API takes it: `YYYY-MM` only (its contract, which
/// programs rely on; people's forms go through [`period`]).
pub fn iso_period(raw: &str) -> Result<Period, Problem> {
    Period::from_str(raw.trim()).map_err(Problem::from)
}

/// A login: trimmed text with at least one letter or digit, so a name is
/// never mistaken for a symbol (the audit filter's "-" means the system).
pub fn user_name(raw: &str) -> Result<String, Problem> {
    let name = text(raw, What::UserName, MAX_USER_NAME_CHARS)?;
    if !name.chars().any(char::is_alphanumeric) {
        return Err(Problem::UserNameNeedsLetter);
    }
    Ok(name)
}

/// How a user is called (optional): empty is none.
pub fn full_name(raw: &str) -> Result<Option<String>, Problem> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    text(raw, What::FullName, MAX_FULL_NAME_CHARS).map(Some)
}

pub fn token_name(raw: &str) -> Result<String, Problem> {
    text(raw, What::TokenName, MAX_TOKEN_NAME_CHARS)
}

/// A new password: taken as typed (spaces count), 10 to 1000 characters.
pub fn new_password(raw: &str) -> Result<String, Problem> {
    let chars = raw.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(Problem::PasswordTooShort {
            min: MIN_PASSWORD_CHARS,
        });
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(Problem::PasswordTooLong {
            max: MAX_PASSWORD_CHARS,
        });
    }
    if raw.contains('\0') {
        return Err(Problem::PasswordNul);
    }
    Ok(raw.to_owned())
}

pub fn role(raw: &str) -> Result<Role, Problem> {
    Role::from_str(raw.trim()).map_err(|_| Problem::ChooseRole)
}

/// An optional calendar date, `01.09.2026` or `2026-09-01`, with a year in
/// [`YEARS`] (chrono would read years PostgreSQL cannot store); empty means
/// none.
pub fn optional_date(raw: &str) -> Result<Option<NaiveDate>, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    date(raw).map(Some)
}

/// An optional date as the JSON API takes it: `YYYY-MM-DD` only.
pub fn optional_iso_date(raw: &str) -> Result<Option<NaiveDate>, Problem> {
    let raw = raw.trim();
    let iso = raw.len() == 10 && raw.as_bytes()[4] == b'-' && raw.as_bytes()[7] == b'-';
    match optional_date(raw) {
        Ok(Some(_)) if !iso => Err(Problem::NotADate(raw.to_owned())),
        other => other,
    }
}

/// A date as the JSON API takes it when it is required: `YYYY-MM-DD`.
pub fn iso_date(raw: &str) -> Result<NaiveDate, Problem> {
    optional_iso_date(raw)?.ok_or_else(|| Problem::NotADate(raw.trim().to_owned()))
}

/// A calendar date as people write it: `01.09.2026` (also `1.9.2026`) or
/// `2026-09-01`. A day the month lacks is named as such (`31.02.2026`).
pub fn date(raw: &str) -> Result<NaiveDate, Problem> {
    let raw = raw.trim();
    let not_a_date = || Problem::NotADate(raw.to_owned());
    let digits = |s: &str, len: RangeInclusive<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let (year, month, day) = match (
        raw.split('-').collect::<Vec<_>>().as_slice(),
        raw.split('.').collect::<Vec<_>>().as_slice(),
    ) {
        ([y, m, d], _) if digits(y, 4..=4) && digits(m, 2..=2) && digits(d, 2..=2) => (*y, *m, *d),
        (_, [d, m, y]) if digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2) => (*y, *m, *d),
        _ => return Err(not_a_date()),
    };
    let (Ok(year), Ok(month), Ok(day)) = (
        year.parse::<i32>(),
        month.parse::<u32>(),
        day.parse::<u32>(),
    ) else {
        return Err(not_a_date());
    };
    if !YEARS.contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(not_a_date());
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| Problem::NoSuchDay {
        raw: raw.to_owned(),
        year,
        month,
        day,
    })
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn the_organisations_name_and_bank_are_needed_its_phone_and_email_not() {
        assert_eq!(
            organization_name(" ООО «УК Пример» ").unwrap(),
            "ООО «УК Пример»"
        );
        assert_eq!(
            organization_name(" "),
            Err(Problem::Empty(What::OrganizationName))
        );
        assert_eq!(
            organization_name(&"О".repeat(301)),
            Err(Problem::TooLong {
                what: What::OrganizationName,
                max: 300
            })
        );
        assert_eq!(bank_name(""), Err(Problem::Empty(What::BankName)));
        assert_eq!(bank_name("ПАО Сбербанк").unwrap(), "ПАО Сбербанк");
        assert_eq!(phone("  ").unwrap(), "");
        assert_eq!(
            phone(" +7 (843) 200-00-00, доб. 2 ").unwrap(),
            "+7 (843) 200-00-00, доб. 2"
        );
        assert_eq!(
            phone(&"1".repeat(101)),
            Err(Problem::TooLong {
                what: What::Phone,
                max: 100
            })
        );
        assert_eq!(
            phone("8 800\u{0}"),
            Err(Problem::ControlCharacter(What::Phone))
        );
    }

    #[test]
    fn an_email_has_the_shape_of_one_or_is_left_empty() {
        assert_eq!(email(" ").unwrap(), "");
        assert_eq!(email(" uk@example.ru ").unwrap(), "uk@example.ru");
        assert_eq!(email("почта@пример.рф").unwrap(), "почта@пример.рф");
        for wrong in [
            "uk",
            "uk@",
            "@example.ru",
            "uk@example",
            "uk@.ru",
            "uk@example.",
            "uk@@example.ru",
            "u k@example.ru",
        ] {
            assert_eq!(email(wrong), Err(Problem::EmailFormat), "{wrong}");
        }
        let long = format!("{}@example.ru", "u".repeat(250));
        assert_eq!(
            email(&long),
            Err(Problem::TooLong {
                what: What::Email,
                max: 254
            })
        );
    }

    #[test]
    fn account_numbers_are_letters_and_digits_up_to_twenty() {
        assert_eq!(account_number(" 1001001001 ").unwrap(), "1001001001");
        assert_eq!(account_number("ЛС0042").unwrap(), "ЛС0042");
        assert_eq!(account_number("12-3"), Err(Problem::AccountNumberChars));
        assert_eq!(account_number("12 3"), Err(Problem::AccountNumberChars));
        assert_eq!(account_number(""), Err(Problem::Empty(What::AccountNumber)));
        assert!(matches!(
            account_number(&"1".repeat(21)),
            Err(Problem::TooLong { max: 20, .. })
        ));
    }

    #[test]
    fn balances_take_either_sign_and_amounts_only_a_positive_one() {
        assert_eq!(
            balance(Decimal::new(-150050, 2)),
            Ok(Decimal::new(-150050, 2))
        );
        assert_eq!(balance(Decimal::ZERO), Ok(Decimal::ZERO));
        assert!(matches!(
            balance(Decimal::new(-1001, 3)),
            Err(Problem::TooManyDecimals { places: 2, .. })
        ));
        assert_eq!(amount(Decimal::ZERO), Err(Problem::AmountNotPositive));
        assert_eq!(amount(Decimal::new(-1, 0)), Err(Problem::AmountNotPositive));
        assert_eq!(amount(Decimal::new(236795, 2)), Ok(Decimal::new(236795, 2)));
        assert!(matches!(
            amount(Decimal::from(1_000_000_000_000_i64)),
            Err(Problem::TooLarge { .. })
        ));
    }

    #[test]
    fn key_rates_are_percentages() {
        assert_eq!(key_rate(Decimal::new(95, 1)), Ok(Decimal::new(95, 1)));
        assert_eq!(key_rate(Decimal::ZERO), Ok(Decimal::ZERO));
        assert_eq!(
            key_rate(Decimal::new(1001, 1)),
            Err(Problem::RateOutOfRange)
        );
        assert_eq!(key_rate(Decimal::new(-1, 0)), Err(Problem::RateOutOfRange));
    }

    #[test]
    fn a_holder_may_be_unknown_and_a_reason_must_be_said() {
        assert_eq!(holder("  ").unwrap(), "");
        assert_eq!(holder(" Иванов И. И. ").unwrap(), "Иванов И. И.");
        assert_eq!(reason(" "), Err(Problem::Empty(What::Reason)));
    }

    #[test]
    fn normatives_coefficients_and_people_are_bounded() {
        assert_eq!(normative(dec!(3.16)).unwrap(), dec!(3.16));
        assert_eq!(
            normative(dec!(0)).unwrap_err(),
            Problem::NormativeNotPositive
        );
        assert!(normative(dec!(1.00001)).is_err());
        assert_eq!(coefficient(dec!(1)).unwrap(), dec!(1));
        assert_eq!(
            coefficient(dec!(0.99)).unwrap_err(),
            Problem::CoefficientBelowOne
        );
        assert!(coefficient(dec!(1.555)).is_err());
        assert!(coefficient(dec!(10000)).is_err());
        assert_eq!(people(" 3 ").unwrap(), 3);
        assert_eq!(people("0").unwrap(), 0);
        assert!(people("1001").is_err());
        assert!(people("-1").is_err());
        assert!(people("2.5").is_err());
    }

    #[test]
    fn services_are_kept_in_their_order_once() {
        assert_eq!(
            services(["maintenance", "cold_water", "maintenance"]).unwrap(),
            vec![Service::ColdWater, Service::Maintenance]
        );
        assert_eq!(services([]).unwrap_err(), Problem::ChooseServices);
        assert_eq!(services(["gas"]).unwrap_err(), Problem::ChooseService);
        assert_eq!(water_service("hot_water").unwrap(), MeterKind::HotWater);
        assert!(water_service("sewerage").is_err());
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(address("  ул. Ленина, 1 ").unwrap(), "ул. Ленина, 1");
        assert_eq!(address("   ").unwrap_err(), Problem::Empty(What::Address));
        assert!(address(&"д".repeat(300)).is_ok());
        assert!(address(&"д".repeat(301)).is_err());
        assert!(apartment_number("12А").is_ok());
        assert!(serial("").is_err());
        assert!(serial("ХВ\u{0}1").is_err());
        assert!(address("ул.\tЛенина").is_err());
    }

    #[test]
    fn accounts_need_a_name_a_long_password_and_a_role() {
        assert_eq!(user_name(" anna ").unwrap(), "anna");
        assert!(user_name("").is_err());
        assert!(user_name(&"a".repeat(101)).is_err());
        assert!(user_name("-").is_err());
        assert_eq!(user_name("Анна-2").unwrap(), "Анна-2");
        assert!(new_password("short").is_err());
        assert!(new_password("ten chars!").is_ok());
        assert_eq!(new_password("  spaced  pw  ").unwrap(), "  spaced  pw  ");
        assert!(new_password(&"p".repeat(1001)).is_err());
        assert_eq!(role("viewer").unwrap(), Role::Viewer);
        assert!(role("root").is_err());
        assert!(token_name("ci").is_ok());
    }

    #[test]
    fn decimals_are_read_as_people_write_them() {
        assert_eq!(decimal("54.3").unwrap(), dec!(54.3));
        assert_eq!(decimal("54,30").unwrap(), dec!(54.30));
        assert_eq!(decimal("1 204,100").unwrap(), dec!(1204.100));
        assert_eq!(decimal("1\u{202f}204,1").unwrap(), dec!(1204.1));
        for bad in ["", "abc", "1.2.3", "1e5", "12 м²", "0x10"] {
            assert!(decimal(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn area_is_positive_at_most_10000_in_hundredths() {
        assert_eq!(
            area(dec!(0)).unwrap_err().to_string(),
            "The area must be greater than 0 m²."
        );
        assert!(area(dec!(-3)).is_err());
        assert!(area(dec!(10000.01)).is_err());
        assert_eq!(area(dec!(10000)).unwrap(), dec!(10000));
        assert_eq!(area(dec!(54.300)).unwrap(), dec!(54.3));
        assert!(area(dec!(54.305)).is_err());
    }

    #[test]
    fn prices_and_readings_fit_their_columns() {
        assert!(price(dec!(0)).is_err());
        assert!(price(dec!(42.1234)).is_ok());
        assert!(price(dec!(42.12345)).is_err());
        assert!(price(dec!(100000000)).is_err());
        assert!(meter_value(dec!(0)).is_ok());
        assert!(meter_value(dec!(-0.001)).is_err());
        assert!(meter_value(dec!(123.4567)).is_err());
    }

    #[test]
    fn kinds_services_periods_and_dates() {
        assert_eq!(meter_kind("hot_water").unwrap(), MeterKind::HotWater);
        assert!(meter_kind("gas").is_err());
        assert_eq!(service(" maintenance ").unwrap(), Service::Maintenance);
        assert_eq!(period("2026-09").unwrap().to_string(), "2026-09");
        assert_eq!(period("09.2026").unwrap().to_string(), "2026-09");
        assert_eq!(period("сентябрь 2026").unwrap().to_string(), "2026-09");
        assert_eq!(period("сен.26").unwrap().to_string(), "2026-09");
        assert_eq!(period("13.2026"), Err(Problem::NotAMonth("13.2026".into())));
        assert_eq!(optional_date("").unwrap(), None);
        assert_eq!(
            optional_date("2026-02-30"),
            Err(Problem::NoSuchDay {
                raw: "2026-02-30".into(),
                year: 2026,
                month: 2,
                day: 30
            })
        );
        assert!(optional_date("-5000-01-01").is_err());
        assert!(optional_date("+99999-01-01").is_err());
        assert!(optional_date("0000-01-01").is_err());
        assert!(optional_date("1899-12-31").is_err());
        assert!(optional_date("2200-12-31").is_ok());
    }

    #[test]
    fn dates_are_read_in_both_forms_and_a_missing_day_is_named() {
        let first = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        for good in ["01.09.2026", "1.9.2026", " 2026-09-01 "] {
            assert_eq!(date(good), Ok(first), "{good:?}");
        }
        assert!(matches!(
            date("31.02.2026"),
            Err(Problem::NoSuchDay {
                day: 31,
                month: 2,
                year: 2026,
                ..
            })
        ));
        for bad in [
            "",
            "01.13.2026",
            "32.01.2026",
            "2026-9-1",
            "01.09.26",
            "1 сентября",
            "01/09/2026",
        ] {
            assert!(matches!(date(bad), Err(Problem::NotADate(_))), "{bad:?}");
        }
    }

    #[test]
    fn the_api_keeps_to_iso_forms() {
        assert_eq!(iso_period("2026-09").unwrap().to_string(), "2026-09");
        assert!(iso_period("09.2026").is_err());
        assert_eq!(
            optional_iso_date("2026-09-01").unwrap(),
            NaiveDate::from_ymd_opt(2026, 9, 1)
        );
        assert_eq!(optional_iso_date("").unwrap(), None);
        assert_eq!(
            optional_iso_date("01.09.2026"),
            Err(Problem::NotADate("01.09.2026".into()))
        );
        assert!(matches!(
            optional_iso_date("2026-02-30"),
            Err(Problem::NoSuchDay { .. })
        ));
    }

    #[test]
    fn limits_are_carried_as_figures() {
        assert_eq!(
            meter_value(dec!(1000000000)),
            Err(Problem::TooLarge {
                what: What::Reading,
                max: dec!(999999999.999)
            })
        );
        assert_eq!(
            price(dec!(100000000)),
            Err(Problem::TooLarge {
                what: What::Price,
                max: dec!(99999999.9999)
            })
        );
    }

    #[test]
    fn the_checker_keeps_the_first_message_per_field() {
        let mut c = Checker::default();
        assert_eq!(c.check("area", area(dec!(5))), Some(dec!(5)));
        assert_eq!(c.check("number", apartment_number("")), None);
        c.fail("number", "second message");
        assert!(!c.is_ok());
        assert_eq!(
            c.into_errors()["number"].to_string(),
            "Enter the apartment number."
        );
    }
}
