//! Problems (`domain::problem::Problem`) as sentences in a language: the
//! only place their text is made. English is the JSON API's language and
//! keeps its sentences word for word.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::{Arg, Locale, format};
use crate::domain::{
    Holder, Period, PeriodError, Problem, RegisterColumn, RegisterFault, What, excerpt, quoted,
};

impl Locale {
    /// The problem as a sentence in this language.
    pub fn problem(self, problem: &Problem) -> String {
        let what = |what: &What| ("what", Arg::from(self.what(*what)));
        let enter = |what: &What| ("what", Arg::from(self.what_to_enter(*what)));
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
            Problem::NotCsvText => self.text("csv-not-text"),
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
            Problem::MeterKindMissing => self.text("premises-meter-kind-missing"),
            Problem::RegisterDisagrees { column, first_line } => self.text_with(
                "premises-disagrees",
                &[
                    ("column", Arg::from(*column)),
                    ("first", Arg::from(*first_line)),
                ],
            ),
            Problem::RegisterSerialTwice { first_line } => self.text_with(
                "premises-serial-twice",
                &[("first", Arg::from(*first_line))],
            ),
            Problem::RegisterAccountTwice { first_line } => self.text_with(
                "premises-account-twice",
                &[("first", Arg::from(*first_line))],
            ),
            Problem::RegisterTooLong { limit } => {
                self.text_with("premises-too-long", &[("limit", Arg::from(*limit))])
            }
            Problem::RegisterEmpty => self.text("premises-empty"),
            Problem::OnLine { line, problem } => self.text_with(
                "problem-on-line",
                &[
                    ("line", Arg::from(*line)),
                    ("problem", Arg::from(self.problem(problem))),
                ],
            ),
            Problem::MeterElsewhere { serial, apartment } => self.text_with(
                "premises-meter-elsewhere",
                &[
                    ("serial", Arg::from(crate::domain::quoted(serial))),
                    ("apartment", Arg::from(apartment.clone())),
                ],
            ),
            Problem::MeterDiffers { serial } => self.text_with(
                "premises-meter-differs",
                &[("serial", Arg::from(crate::domain::quoted(serial)))],
            ),
            Problem::TooManyReadings { limit } => {
                self.text_with("csv-too-many-readings", &[("limit", Arg::from(*limit))])
            }
            Problem::RegisterLine { line, faults } => {
                let faults: Vec<String> = faults.iter().map(|f| self.register_fault(f)).collect();
                self.text_with(
                    "register-line",
                    &[
                        ("line", Arg::from(*line)),
                        ("faults", Arg::from(faults.join("; "))),
                    ],
                )
            }
            Problem::RegisterFileTooLarge { max_mib } => {
                self.text_with("register-file-too-large", &[("max", Arg::from(*max_mib))])
            }
            Problem::RegisterTooManyPayments { limit } => self.text_with(
                "register-too-many-payments",
                &[("limit", Arg::from(*limit))],
            ),
            Problem::RegisterNoPayments => self.text("register-no-payments"),
            Problem::RegisterNoTotals => self.text("register-no-totals"),
            Problem::RegisterMoreBadLines { from_line, count } => self.text_with(
                "register-more-bad-lines",
                &[
                    ("count", Arg::from(*count)),
                    ("line", Arg::from(*from_line)),
                ],
            ),
            Problem::SignInFirst => self.text("problem-sign-in-first"),
            Problem::OnlyAdminManagesUsers => self.text("problem-only-admin-manages-users"),
            Problem::ViewerChangesNothing => self.text("problem-viewer-changes-nothing"),
            Problem::OnlyAdminChangesTariffs => self.text("problem-only-admin-changes-tariffs"),
            Problem::OnlyAdminReopens => self.text("problem-only-admin-reopens"),
            Problem::OnlyAdminChangesOrganization => self.text("org-problem-only-admin"),
            Problem::SendJson => self.text("problem-send-json"),
            Problem::MalformedJson(detail) => self.text_with(
                "problem-malformed-json",
                &[("detail", Arg::from(detail.as_str()))],
            ),
            Problem::BodyUnreadable => self.text("problem-body-unreadable"),
            Problem::QueryUnreadable(detail) => self.text_with(
                "problem-query-unreadable",
                &[("detail", Arg::from(detail.as_str()))],
            ),
            Problem::NulInQuery(name) => self.text_with("problem-nul-in-query", &[raw(name)]),
            Problem::FormUnreadable => self.text("problem-form-unreadable"),
            Problem::UploadUnreadable => self.text("problem-upload-unreadable"),
            Problem::UnknownLanguage(code) => {
                self.text_with("problem-unknown-language", &[raw(code)])
            }
            Problem::RunNotANumber => self.text("problem-run-not-a-number"),
            Problem::ExportNeedsMonth => self.text("problem-export-needs-month"),
            Problem::MeterNotInHouse => self.text("problem-meter-not-in-house"),
            Problem::InputInvalid => self.text("problem-input-invalid"),
            Problem::FormExpired => self.text("problem-form-expired"),
            Problem::RecordConflict => self.text("problem-record-conflict"),
            Problem::StillReferenced => self.text("problem-still-referenced"),
            Problem::Empty(w) => self.text_with("problem-empty", &[enter(w)]),
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
            Problem::AccountNumberChars => self.text("problem-account-number-chars"),
            Problem::ReceiptNotBilled(period) => {
                self.text_with("problem-receipt-not-billed", &[("period", month(*period))])
            }
            Problem::InnDigits => self.text("problem-inn-digits"),
            Problem::InnCheckDigits => self.text("problem-inn-check-digits"),
            Problem::KppFormat => self.text("problem-kpp-format"),
            Problem::BicDigits => self.text("problem-bic-digits"),
            Problem::AccountDigits => self.text("problem-account-digits"),
            Problem::AccountNotOfBank => self.text("problem-account-not-of-bank"),
            Problem::CorrAccountNotOfBank => self.text("problem-corr-account-not-of-bank"),
            Problem::EmailFormat => self.text("org-problem-email"),
            Problem::AmountNotPositive => self.text("problem-amount-not-positive"),
            Problem::RateOutOfRange => self.text("problem-rate-out-of-range"),
            Problem::PaidInFuture => self.text("problem-paid-in-future"),
            Problem::PaidBeforeOpening(period) => self.text_with(
                "problem-paid-before-opening",
                &[("month", format::month(*period, self).into())],
            ),
            Problem::NoSuchAccount(number) => self.text_with(
                "problem-no-such-account",
                &[("number", crate::domain::quoted(number).into())],
            ),
            Problem::AccountNumberTaken(number) => self.text_with(
                "problem-account-number-taken",
                &[("number", crate::domain::quoted(number).into())],
            ),
            Problem::PaymentSettled => self.text("problem-payment-settled"),
            Problem::KeyRateTaken => self.text("problem-key-rate-taken"),
            Problem::NormativeNotPositive => self.text("problem-normative-not-positive"),
            Problem::CoefficientBelowOne => self.text("problem-coefficient-below-one"),
            Problem::NotAPeopleCount { value, max } => self.text_with(
                "problem-not-a-people-count",
                &[raw(value), ("max", Arg::from(*max as usize))],
            ),
            Problem::ChooseServices => self.text("problem-choose-services"),
            Problem::ChooseWaterService => self.text("problem-choose-water-service"),
            Problem::ChooseMeterKind => self.text("problem-choose-meter-kind"),
            Problem::ChooseService => self.text("problem-choose-service"),
            Problem::ChooseRole => self.text("problem-choose-role"),
            Problem::ChooseHouse => self.text("problem-choose-house"),
            Problem::ChooseTimeZone => self.text("problem-choose-time-zone"),
            Problem::NoMeterNamed(meter) => self.text_with(
                "problem-no-meter-named",
                &[("meter", meter.as_str().into())],
            ),
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
                    ("month", Arg::from(self.month_in(*month))),
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
            Problem::PeriodClosed(period) => {
                self.text_with("problem-period-closed", &[("period", month(*period))])
            }
            Problem::MeterTakenOut(on) => self.text_with(
                "problem-meter-taken-out",
                &[("date", Arg::from(format::date(*on, self)))],
            ),
            Problem::ReadingsAfter(period) => {
                self.text_with("problem-readings-after", &[("period", month(*period))])
            }
            Problem::DoubtfulConsumption {
                serial,
                period,
                consumption,
                average,
            } => self.text_with(
                "problem-doubtful-consumption",
                &[
                    ("serial", Arg::from(serial.as_str())),
                    ("period", month(*period)),
                    ("consumption", Arg::from(format::volume(*consumption, self))),
                    ("average", Arg::from(format::volume(*average, self))),
                ],
            ),
            Problem::CloseInOrder { next } => {
                self.text_with("problem-close-in-order", &[("next", month(*next))])
            }
            Problem::CloseUnbilled(period) => {
                self.text_with("problem-close-unbilled", &[("period", month(*period))])
            }
            Problem::CloseStale(period) => {
                self.text_with("problem-close-stale", &[("period", month(*period))])
            }
            Problem::CloseWhileRunning(run) => self.text_with(
                "problem-close-while-running",
                &[("run", Arg::from(run.to_string()))],
            ),
            Problem::ReopenLastOnly { last } => {
                self.text_with("problem-reopen-last-only", &[("last", month(*last))])
            }
            Problem::NothingClosed => self.text("problem-nothing-closed"),
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
            Problem::DecommissionedBeforeCommissioned => {
                self.text("problem-decommissioned-before-commissioned")
            }
            Problem::AlreadyDecommissioned(on) => self.text_with(
                "problem-already-decommissioned",
                &[("date", Arg::from(format::date(*on, self)))],
            ),
            Problem::NormativeTaken => self.text("problem-normative-taken"),
            Problem::CoefficientTaken => self.text("problem-coefficient-taken"),
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
            Problem::NoTariff { service, period } | Problem::NoNormative { service, period } => {
                self.text_with(
                    if matches!(problem, Problem::NoTariff { .. }) {
                        "problem-no-tariff"
                    } else {
                        "problem-no-normative"
                    },
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
                )
            }
        }
    }

    /// A field's name as the subject of a sentence («Адрес длиннее …»).
    fn what(self, what: What) -> String {
        match what {
            What::Address => self.text("problem-what-address"),
            What::ApartmentNumber => self.text("problem-what-apartment-number"),
            What::Serial => self.text("problem-what-serial"),
            What::UserName => self.text("problem-what-user-name"),
            What::FullName => self.text("problem-what-full-name"),
            What::TokenName => self.text("problem-what-token-name"),
            What::Area => self.text("problem-what-area"),
            What::Reading => self.text("problem-what-reading"),
            What::Price => self.text("problem-what-price"),
            What::Normative => self.text("problem-what-normative"),
            What::Coefficient => self.text("problem-what-coefficient"),
            What::AccountNumber => self.text("problem-what-account-number"),
            What::Holder => self.text("problem-what-holder"),
            What::Amount => self.text("problem-what-amount"),
            What::Balance => self.text("problem-what-balance"),
            What::Reason => self.text("problem-what-reason"),
            What::Rate => self.text("problem-what-rate"),
            What::OrganizationName => self.text("org-what-name"),
            What::BankName => self.text("org-what-bank-name"),
            What::Phone => self.text("org-what-phone"),
            What::Email => self.text("org-what-email"),
        }
    }

    /// A field's name as what to enter («Введите адрес.»).
    fn what_to_enter(self, what: What) -> String {
        match what {
            What::Address => self.text("problem-enter-address"),
            What::ApartmentNumber => self.text("problem-enter-apartment-number"),
            What::Serial => self.text("problem-enter-serial"),
            What::UserName => self.text("problem-enter-user-name"),
            What::FullName => self.text("problem-enter-full-name"),
            What::TokenName => self.text("problem-enter-token-name"),
            What::Area => self.text("problem-enter-area"),
            What::Reading => self.text("problem-enter-reading"),
            What::Price => self.text("problem-enter-price"),
            What::Normative => self.text("problem-enter-normative"),
            What::Coefficient => self.text("problem-enter-coefficient"),
            What::AccountNumber => self.text("problem-enter-account-number"),
            What::Holder => self.text("problem-enter-holder"),
            What::Amount => self.text("problem-enter-amount"),
            What::Balance => self.text("problem-enter-balance"),
            What::Reason => self.text("problem-enter-reason"),
            What::Rate => self.text("problem-enter-rate"),
            What::OrganizationName => self.text("org-enter-name"),
            What::BankName => self.text("org-enter-bank-name"),
            What::Phone => self.text("org-enter-phone"),
            What::Email => self.text("org-enter-email"),
        }
    }

    /// One fault of a register's line, as a part of the sentence that
    /// names the line.
    fn register_fault(self, fault: &RegisterFault) -> String {
        let column = |c: &RegisterColumn| ("column", Arg::from(self.register_column(*c)));
        let raw = |raw: &str| ("value", Arg::from(self.quote(raw)));
        let money = |value: Decimal| Arg::from(format::money(value, self));
        match fault {
            RegisterFault::LineTooLong { max_bytes } => {
                self.text_with("register-line-too-long", &[("max", Arg::from(*max_bytes))])
            }
            RegisterFault::NotUtf8 => self.text("register-not-utf8"),
            RegisterFault::TooFewCells {
                found,
                expected,
                missing,
            } => {
                let missing: Vec<String> =
                    missing.iter().map(|c| self.register_column(*c)).collect();
                self.text_with(
                    "register-too-few-cells",
                    &[
                        ("found", Arg::from(*found)),
                        ("expected", Arg::from(*expected)),
                        ("missing", Arg::from(missing.join(", "))),
                    ],
                )
            }
            RegisterFault::TooManyCells {
                found,
                expected,
                extra,
            } => self.text_with(
                "register-too-many-cells",
                &[
                    ("found", Arg::from(*found)),
                    ("expected", Arg::from(*expected)),
                    raw(extra),
                ],
            ),
            RegisterFault::Empty(c) => self.text_with("register-empty", &[column(c)]),
            RegisterFault::ControlCharacter(c) => {
                self.text_with("register-control-character", &[column(c)])
            }
            RegisterFault::TooLong { column: c, max } => {
                self.text_with("register-too-long", &[column(c), ("max", Arg::from(*max))])
            }
            RegisterFault::NotADate(value) => self.text_with("register-not-a-date", &[raw(value)]),
            RegisterFault::NotATime(value) => self.text_with("register-not-a-time", &[raw(value)]),
            RegisterFault::NotANumber { column: c, value } => {
                self.text_with("register-not-a-number", &[column(c), raw(value)])
            }
            RegisterFault::TooManyDecimals { column: c, value } => {
                self.text_with("register-too-many-decimals", &[column(c), raw(value)])
            }
            RegisterFault::TooLarge {
                column: c,
                value,
                max,
            } => self.text_with(
                "register-too-large",
                &[column(c), raw(value), ("max", money(*max))],
            ),
            RegisterFault::AmountNotPositive(value) => {
                self.text_with("register-amount-not-positive", &[raw(value)])
            }
            RegisterFault::Negative { column: c, value } => {
                self.text_with("register-negative", &[column(c), raw(value)])
            }
            RegisterFault::NotAnAccount(value) => {
                self.text_with("register-not-an-account", &[raw(value)])
            }
            RegisterFault::NotAPeriod(value) => {
                self.text_with("register-not-a-period", &[raw(value)])
            }
            RegisterFault::NotACount(value) => {
                self.text_with("register-not-a-count", &[raw(value)])
            }
            RegisterFault::CountMismatch { expected, found } => self.text_with(
                "register-count-mismatch",
                &[
                    ("expected", Arg::from(*expected)),
                    ("found", Arg::from(*found)),
                ],
            ),
            RegisterFault::SumMismatch {
                column: c,
                expected,
                found,
            } => self.text_with(
                "register-sum-mismatch",
                &[
                    column(c),
                    ("expected", money(*expected)),
                    ("found", money(*found)),
                ],
            ),
            RegisterFault::SecondTotals { first } => {
                self.text_with("register-second-totals", &[("first", Arg::from(*first))])
            }
            RegisterFault::AfterTotals { totals } => {
                self.text_with("register-after-totals", &[("totals", Arg::from(*totals))])
            }
        }
    }

    /// A register's cell as its faults name it («лицевой счёт»).
    fn register_column(self, column: RegisterColumn) -> String {
        match column {
            RegisterColumn::Date => self.text("register-column-date"),
            RegisterColumn::Time => self.text("register-column-time"),
            RegisterColumn::Branch => self.text("register-column-branch"),
            RegisterColumn::Cashier => self.text("register-column-cashier"),
            RegisterColumn::Operation => self.text("register-column-operation"),
            RegisterColumn::Account => self.text("register-column-account"),
            RegisterColumn::Payer => self.text("register-column-payer"),
            RegisterColumn::Address => self.text("register-column-address"),
            RegisterColumn::Period => self.text("register-column-period"),
            RegisterColumn::Amount => self.text("register-column-amount"),
            RegisterColumn::Transferred => self.text("register-column-transferred"),
            RegisterColumn::Commission => self.text("register-column-commission"),
            RegisterColumn::TotalCount => self.text("register-column-total-count"),
            RegisterColumn::TotalAmount => self.text("register-column-total-amount"),
            RegisterColumn::TotalTransferred => self.text("register-column-total-transferred"),
            RegisterColumn::TotalCommission => self.text("register-column-total-commission"),
        }
    }

    /// A month as in «в феврале».
    fn month_in(self, month: u32) -> String {
        match month {
            1 => self.text("problem-month-in-1"),
            2 => self.text("problem-month-in-2"),
            3 => self.text("problem-month-in-3"),
            4 => self.text("problem-month-in-4"),
            5 => self.text("problem-month-in-5"),
            6 => self.text("problem-month-in-6"),
            7 => self.text("problem-month-in-7"),
            8 => self.text("problem-month-in-8"),
            9 => self.text("problem-month-in-9"),
            10 => self.text("problem-month-in-10"),
            11 => self.text("problem-month-in-11"),
            _ => self.text("problem-month-in-12"),
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

/// English, as the problem it is.
impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Problem::from(self.clone()).fmt(f)
    }
}

impl std::error::Error for PeriodError {}

/// The JSON API sends problems as their English sentences.
impl Serialize for Problem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::domain::input;

    fn both(problem: Problem) -> (String, String) {
        (Locale::Ru.problem(&problem), Locale::En.problem(&problem))
    }

    #[test]
    fn field_problems_name_the_field_in_each_language() {
        assert_eq!(
            both(input::address(" ").unwrap_err()),
            ("Введите адрес.".into(), "Enter the address.".into())
        );
        assert_eq!(
            both(input::address(&"д".repeat(301)).unwrap_err()),
            (
                "Адрес длиннее 300 символов.".into(),
                "The address is longer than 300 characters.".into()
            )
        );
        assert_eq!(
            Locale::Ru.problem(&input::apartment_number(&"1".repeat(21)).unwrap_err()),
            "Номер квартиры длиннее 20 символов."
        );
        assert_eq!(
            both(input::serial("").unwrap_err()).1,
            "Enter the serial number."
        );
    }

    #[test]
    fn limits_are_printed_as_the_reader_writes_figures() {
        assert_eq!(
            both(input::meter_value(dec!(1000000000)).unwrap_err()),
            (
                "Показание: не больше 999\u{a0}999\u{a0}999,999.".into(),
                "The reading is too large.".into()
            )
        );
        assert_eq!(
            both(input::area(dec!(10000.5)).unwrap_err()),
            (
                "Площадь: не больше 10\u{a0}000 м².".into(),
                "The area must be at most 10000 m².".into()
            )
        );
        assert_eq!(
            both(input::meter_value(dec!(1.2345)).unwrap_err()),
            (
                "Показание: не больше 3 знаков после запятой.".into(),
                "The reading has more than 3 decimal places.".into()
            )
        );
    }

    #[test]
    fn a_day_the_month_lacks_is_named() {
        assert_eq!(
            both(input::date("30.02.2026").unwrap_err()),
            (
                "В феврале 2026 нет 30-го числа.".into(),
                "\"30.02.2026\" is not a date: write it as YYYY-MM-DD.".into()
            )
        );
    }

    #[test]
    fn values_as_written_are_quoted_and_cut() {
        assert_eq!(
            both(input::decimal("abc").unwrap_err()),
            (
                "«abc» — не число: напишите, например, 54,3.".into(),
                "\"abc\" is not a number.".into()
            )
        );
        let long = Problem::NotAMonth("9".repeat(10_000));
        assert!(Locale::Ru.problem(&long).chars().count() < 120);
        assert!(Locale::En.problem(&long).len() < 120);
        assert_eq!(
            both(input::period("0000-01").unwrap_err()).1,
            "\"0000-01\" is out of range: the year must be from 1900 to 2200."
        );
    }

    #[test]
    fn readings_and_months_in_the_readers_forms() {
        let p = |s: &str| Period::read(s).unwrap();
        let problem = Problem::BelowEarlierReading {
            value: dec!(123),
            earlier: p("2026-09"),
            earlier_value: dec!(1130.5),
        };
        assert_eq!(
            both(problem),
            (
                "123,000 меньше показания за сентябрь 2026: 1\u{a0}130,500.".into(),
                "123.000 is lower than 2026-09's reading 1130.500.".into()
            )
        );
    }

    #[test]
    fn counts_take_their_plural_forms() {
        let history = |readings, charges| Problem::HasHistory {
            holder: Holder::House("ул. Ленина, 1".into()),
            readings,
            charges,
        };
        assert_eq!(
            both(history(2, 1)),
            (
                "У дома ул. Ленина, 1 есть 2 показания и 1 начисление; историю начислений не удаляют."
                    .into(),
                "ул. Ленина, 1 has 2 readings and 1 charge; billing history is never deleted.".into()
            )
        );
        assert_eq!(
            Locale::Ru.problem(&history(5, 0)),
            "У дома ул. Ленина, 1 есть 5 показаний; историю начислений не удаляют."
        );
        assert_eq!(
            Locale::En.problem(&Problem::TariffBilled {
                charges: 3,
                deleting: true
            }),
            "This tariff was used for 3 charge(s) and cannot be deleted; add a new tariff from a later month instead."
        );
    }

    #[test]
    fn the_api_gets_english_and_several_problems_are_said_in_turn() {
        let all = Problem::All(vec![Problem::Empty(What::Serial), Problem::NegativeReading]);
        assert_eq!(
            serde_json::to_value(&all).unwrap(),
            serde_json::json!("Enter the serial number. A meter reading cannot be negative.")
        );
        assert_eq!(
            Locale::Ru.problem(&all),
            "Введите заводской номер. Показание не может быть отрицательным."
        );
    }
}
