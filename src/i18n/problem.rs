//! Problems (`domain::problem::Problem`) as sentences in a language: the
//! only place their text is made. English is the JSON API's language and
//! keeps its sentences word for word.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::{Arg, Locale, format};
use crate::domain::{Holder, Period, Problem, What, excerpt, quoted};

impl Locale {
    /// The problem as a sentence in this language.
    pub fn problem(self, problem: &Problem) -> String {
        let what = |what: &What| ("what", Arg::from(what.as_str()));
        let raw = |raw: &str| ("value", Arg::from(self.quote(raw)));
        let number = |value: Decimal, places: u32| Arg::from(format::decimal(value, places, self));
        let month = |period: Period| Arg::from(format::month(period, self));
        match problem {
            Problem::Said(text) => text.clone(),
            Problem::InField { field, problem } => match self {
                Locale::En => format!("{field}: {}", self.problem(problem)),
                Locale::Ru => self.problem(problem),
            },
            Problem::All(problems) => problems
                .iter()
                .map(|p| self.problem(p))
                .collect::<Vec<_>>()
                .join(" "),
            Problem::CellsBeyondHeader => self.text("csv-cells-beyond-header"),
            Problem::LineTooLong => self.text("csv-line-too-long"),
            Problem::FileEmpty => self.text("csv-file-empty"),
            Problem::MissingColumns {
                line,
                missing,
                found,
            } => self.text_with(
                "csv-missing-columns",
                &[
                    ("line", Arg::from(*line)),
                    ("missing", Arg::from(missing.join(", "))),
                    ("found", Arg::from(found.as_str())),
                ],
            ),
            Problem::NoReadings => self.text("csv-no-readings"),
            Problem::LineUnreadable { line, problem } => self.text_with(
                "csv-line-unreadable",
                &[
                    ("line", Arg::from(*line)),
                    ("problem", Arg::from(self.problem(problem))),
                ],
            ),
            Problem::TooManyReadings { limit } => {
                self.text_with("csv-too-many-readings", &[("limit", Arg::from(*limit))])
            }
            Problem::InputInvalid => self.text("problem-input-invalid"),
            Problem::RecordConflict => self.text("problem-record-conflict"),
            Problem::StillReferenced => self.text("problem-still-referenced"),
            Problem::Empty(w) => self.text_with("problem-empty", &[what(w)]),
            Problem::ControlCharacter(w) => self.text_with("problem-control-character", &[what(w)]),
            Problem::TooLong { what: w, max } => {
                self.text_with("problem-too-long", &[what(w), ("max", Arg::from(*max))])
            }
            Problem::NoNumber => self.text("problem-no-number"),
            Problem::NotANumber(value) => self.text_with("problem-not-a-number", &[raw(value)]),
            Problem::TooManyDecimals { what: w, places } => self.text_with(
                "problem-too-many-decimals",
                &[what(w), ("places", Arg::from(u64::from(*places)))],
            ),
            Problem::TooLarge { what: w, max } => self.text_with(
                "problem-too-large",
                &[what(w), ("max", number(*max, max.scale()))],
            ),
            Problem::AreaNotPositive => self.text("problem-area-not-positive"),
            Problem::AreaTooLarge { max } => {
                self.text_with("problem-area-too-large", &[("max", number(*max, 0))])
            }
            Problem::NegativeReading => self.text("problem-negative-reading"),
            Problem::PriceNotPositive => self.text("problem-price-not-positive"),
            Problem::ChooseMeterKind => self.text("problem-choose-meter-kind"),
            Problem::ChooseService => self.text("problem-choose-service"),
            Problem::ChooseRole => self.text("problem-choose-role"),
            Problem::ChooseHouse => self.text("problem-choose-house"),
            Problem::NotAMonth(value) => self.text_with("problem-not-a-month", &[raw(value)]),
            Problem::NotAMonthCell(value) => {
                self.text_with("problem-not-a-month-cell", &[raw(value)])
            }
            Problem::YearOutOfRange(value) => self.text_with(
                "problem-year-out-of-range",
                &[
                    raw(value),
                    ("from", Arg::from(crate::domain::YEARS.start().to_string())),
                    ("to", Arg::from(crate::domain::YEARS.end().to_string())),
                ],
            ),
            Problem::NotADate(value) => self.text_with("problem-not-a-date", &[raw(value)]),
            Problem::NoSuchDay {
                raw: value,
                year,
                month,
                day,
            } => self.text_with(
                "problem-no-such-day",
                &[
                    raw(value),
                    ("year", Arg::from(year.to_string())),
                    ("month", Arg::from(u64::from(*month))),
                    ("day", Arg::from(u64::from(*day))),
                ],
            ),
            Problem::UserNameNeedsLetter => self.text("problem-user-name-needs-letter"),
            Problem::PasswordTooShort { min } => {
                self.text_with("problem-password-too-short", &[("min", Arg::from(*min))])
            }
            Problem::PasswordTooLong { max } => {
                self.text_with("problem-password-too-long", &[("max", Arg::from(*max))])
            }
            Problem::PasswordNul => self.text("problem-password-nul"),
            Problem::PasswordsDiffer => self.text("problem-passwords-differ"),
            Problem::WrongCurrentPassword => self.text("problem-wrong-current-password"),
            Problem::UserTaken(name) => {
                self.text_with("problem-user-taken", &[("name", Arg::from(name.as_str()))])
            }
            Problem::NoSuchUser(name) => self.text_with("problem-no-such-user", &[raw(name)]),
            Problem::OnlyAdmin(name) => {
                self.text_with("problem-only-admin", &[("name", Arg::from(name.as_str()))])
            }
            Problem::AlreadySetUp => self.text("problem-already-set-up"),
            Problem::PeriodTooFarAhead { period, latest } => self.text_with(
                "problem-period-too-far-ahead",
                &[("period", month(*period)), ("latest", month(*latest))],
            ),
            Problem::PeriodRepeated(period) => {
                self.text_with("problem-period-repeated", &[("period", month(*period))])
            }
            Problem::BelowInitialReading { value, initial } => self.text_with(
                "problem-below-initial-reading",
                &[
                    ("value", number(*value, 3)),
                    ("initial", number(*initial, 3)),
                ],
            ),
            Problem::BelowEarlierReading {
                value,
                earlier,
                earlier_value,
            } => self.text_with(
                "problem-below-earlier-reading",
                &[
                    ("value", number(*value, 3)),
                    ("period", month(*earlier)),
                    ("reading", number(*earlier_value, 3)),
                ],
            ),
            Problem::AboveLaterReading {
                value,
                later,
                later_value,
            } => self.text_with(
                "problem-above-later-reading",
                &[
                    ("value", number(*value, 3)),
                    ("period", month(*later)),
                    ("reading", number(*later_value, 3)),
                ],
            ),
            Problem::NoSuchMeter(id) => self.text_with(
                "problem-no-such-meter",
                &[("id", Arg::from(id.to_string()))],
            ),
            Problem::NoSuchSerial(serial) => self.text_with(
                "problem-no-such-serial",
                &[("serial", Arg::from(serial.as_str()))],
            ),
            Problem::MeterOfAnotherHouse(serial) => self.text_with(
                "problem-meter-of-another-house",
                &[("serial", Arg::from(serial.as_str()))],
            ),
            Problem::AddressTaken => self.text("problem-address-taken"),
            Problem::NumberTaken => self.text("problem-number-taken"),
            Problem::NumberListedTwice { number, first } => self.text_with(
                "problem-number-listed-twice",
                &[
                    ("number", Arg::from(number.as_str())),
                    ("first", Arg::from(first.as_str())),
                ],
            ),
            Problem::SerialTaken => self.text("problem-serial-taken"),
            Problem::SerialListedTwice { serial, first } => self.text_with(
                "problem-serial-listed-twice",
                &[
                    ("serial", Arg::from(serial.as_str())),
                    ("first", Arg::from(first.as_str())),
                ],
            ),
            Problem::SerialUsed(serial) => self.text_with(
                "problem-serial-used",
                &[("serial", Arg::from(serial.as_str()))],
            ),
            Problem::HasHistory {
                holder,
                readings,
                charges,
            } => {
                let history = ("history", Arg::from(self.history(*readings, *charges)));
                match holder {
                    Holder::House(address) => self.text_with(
                        "problem-house-has-history",
                        &[("name", Arg::from(address.as_str())), history],
                    ),
                    Holder::Apartment(number) => self.text_with(
                        "problem-apartment-has-history",
                        &[("name", Arg::from(number.as_str())), history],
                    ),
                    Holder::Meter(serial) => self.text_with(
                        "problem-meter-has-history",
                        &[("name", Arg::from(serial.as_str())), history],
                    ),
                }
            }
            Problem::TariffTaken => self.text("problem-tariff-taken"),
            Problem::NoSuchHouse(id) => self.text_with(
                "problem-no-such-house",
                &[("id", Arg::from(id.to_string()))],
            ),
            Problem::TariffInRun(run) => self.text_with(
                "problem-tariff-in-run",
                &[("run", Arg::from(run.to_string()))],
            ),
            Problem::TariffBilled { charges, deleting } => {
                let count = [("count", Arg::from(*charges))];
                if *deleting {
                    self.text_with("problem-tariff-billed-delete", &count)
                } else {
                    self.text_with("problem-tariff-billed-change", &count)
                }
            }
            Problem::NoTariff { service, period } => self.text_with(
                "problem-no-tariff",
                &[
                    // The API names the service by its code, as its fields do.
                    (
                        "service",
                        Arg::from(match self {
                            Locale::En => service.to_string(),
                            Locale::Ru => self.name(*service),
                        }),
                    ),
                    ("period", month(*period)),
                ],
            ),
        }
    }

    /// What a person wrote, quoted and cut: `"2026-13"` in English,
    /// «2026-13» in Russian.
    fn quote(self, raw: &str) -> String {
        match self {
            Locale::En => quoted(raw),
            Locale::Ru => {
                let cut = excerpt(raw, crate::domain::MAX_QUOTED_CHARS);
                format!("«{cut}»")
            }
        }
    }

    /// "3 readings and 2 charges", for refusals to delete history.
    fn history(self, readings: i64, charges: i64) -> String {
        let readings_text =
            || self.text_with("problem-history-readings", &[("count", readings.into())]);
        let charges_text =
            || self.text_with("problem-history-charges", &[("count", charges.into())]);
        match (readings, charges) {
            (_, 0) => readings_text(),
            (0, _) => charges_text(),
            _ => self.text_with(
                "problem-history-both",
                &[
                    ("readings", Arg::from(readings_text())),
                    ("charges", Arg::from(charges_text())),
                ],
            ),
        }
    }
}

/// English, the language of logs and of the JSON API.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Locale::En.problem(self))
    }
}

/// The JSON API sends problems as their English sentences.
impl Serialize for Problem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// English, for code that still takes finished text (flashes set before
/// they knew the request's locale): prefer `locale.problem(&p)`.
impl From<Problem> for String {
    fn from(problem: Problem) -> Self {
        problem.to_string()
    }
}
