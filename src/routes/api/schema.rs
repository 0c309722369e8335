//! The schema pieces the API's operations share: the error body, the
//! domain types (ids, periods, kinds) and the decimals as requests may send
//! them and responses send them. The request bodies' own schemas sit beside
//! the functions that read them, in each resource's module.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::db::models::{
    ApartmentId, BillingRunId, CoefficientId, HouseId, KeyRateId, MeterId, NormativeId, PaymentId,
    PaymentImportId, TariffId,
};
use crate::domain::ledger::Fraction;
use crate::domain::{
    LineMethod, MeterKind, PaymentSource, Period, ReadingSource, RunStatus, Service, TimeZone, Unit,
};
use crate::error::{ERROR_CODES, INVALID_TOKEN, ROW_ERROR_CODES, UNAUTHENTICATED};

/// Every API error: `{error, code, fields?, errors?, more_errors?, run_id?}`.
#[derive(ToSchema)]
#[allow(dead_code)] // describes what `crate::error::ApiError` sends
pub struct ErrorBody {
    /// what went wrong, in a sentence for a person (English)
    error: String,
    /// the kind of error, for programs: stable across versions
    code: ErrorCode,
    /// messages by field (422 invalid values, 409 a taken value); nested
    /// fields are named by path, e.g. `apartments[3].meters[0].serial`
    #[schema(nullable = false)]
    fields: Option<std::collections::BTreeMap<String, String>>,
    /// POST /readings: the refused rows (nothing was saved), at most 1,000
    #[schema(nullable = false)]
    errors: Option<Vec<RowErrorBody>>,
    /// refused rows beyond those in `errors`, or problems beyond those in
    /// `fields` (at most 1,000 are listed)
    #[schema(nullable = false, minimum = 1)]
    more_errors: Option<usize>,
    /// 409 of a billing start: the run already queued or running
    #[schema(nullable = false)]
    run_id: Option<i64>,
}

/// One refused row of a readings batch.
#[derive(ToSchema)]
#[schema(as = RowError)]
#[allow(dead_code)]
pub struct RowErrorBody {
    /// 0-based, in the order sent
    index: usize,
    field: String,
    /// what is wrong with the row, for programs: stable across versions
    code: RowErrorCode,
    message: String,
}

// ---- The domain types the bodies carry ----

/// A string schema with a description, pattern and example.
fn string(description: &str, pattern: Option<&str>, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .pattern(pattern)
        .examples([serde_json::Value::from(example)])
        .into()
}

/// A closed set of snake_case names.
fn names(description: &str, values: impl IntoIterator<Item = &'static str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values))
        .into()
}

macro_rules! named_schema {
    ($ty:ty, $name:literal, $schema:expr) => {
        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                $schema
            }
        }
        impl ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

macro_rules! id_schema {
    ($($ty:ty => $name:literal),+ $(,)?) => {$(
        named_schema!($ty, $name, ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(1))
            .into());
    )+};
}

/// The `code` of an error body (documentation only).
pub struct ErrorCode;

named_schema!(
    ErrorCode,
    "ErrorCode",
    names(
        "The kind of error: stable across versions, unlike the English `error` text.",
        ERROR_CODES
            .into_iter()
            .chain([UNAUTHENTICATED, INVALID_TOKEN])
    )
);

/// The `code` of a refused row (documentation only).
pub struct RowErrorCode;

named_schema!(
    RowErrorCode,
    "RowErrorCode",
    names(
        "What is wrong with the row: stable across versions, unlike the English `message`.",
        ROW_ERROR_CODES
    )
);

id_schema!(
    HouseId => "HouseId",
    ApartmentId => "ApartmentId",
    MeterId => "MeterId",
    TariffId => "TariffId",
    NormativeId => "NormativeId",
    CoefficientId => "CoefficientId",
    BillingRunId => "BillingRunId",
    PaymentId => "PaymentId",
    PaymentImportId => "PaymentImportId",
    KeyRateId => "KeyRateId",
);

/// `YYYY-MM`, as periods are written everywhere.
/// The years periods are bounded to (1900–2200), written into the pattern so
/// that every month the schema allows is one the readers accept.
const PERIOD_PATTERN: &str = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])$";

named_schema!(
    Period,
    "Period",
    string(
        "A month, YYYY-MM, of a year from 1900 to 2200.",
        Some(PERIOD_PATTERN),
        "2026-09"
    )
);
named_schema!(
    MeterKind,
    "MeterKind",
    names(
        "What a water meter measures.",
        MeterKind::ALL.iter().map(|k| k.as_str())
    )
);
named_schema!(
    Service,
    "Service",
    names(
        "What a tariff prices and a charge line bills.",
        Service::ALL.iter().map(|s| s.as_str())
    )
);
/// What a line of a bill is for: a service, or `penalty` (the account's
/// пени). Only bills carry it: tariffs and a house's services take
/// `Service`, which has no `penalty`.
pub struct LineService;

/// The name of the penalty line's service.
pub const PENALTY_SERVICE: &str = "penalty";

named_schema!(
    LineService,
    "LineService",
    names(
        "What a line of a bill is for: a service, or penalty (the account's penalty for paying earlier months late).",
        Service::ALL
            .iter()
            .map(|s| s.as_str())
            .chain([PENALTY_SERVICE])
    )
);
named_schema!(
    Fraction,
    "PenaltyFraction",
    names(
        "The share of the key rate a day overdue costs: 1/300 on days 31–90 after the due date, 1/130 from day 91.",
        [Fraction::OneIn300, Fraction::OneIn130].map(Fraction::as_str)
    )
);
named_schema!(
    TimeZone,
    "TimeZone",
    names(
        "A Russian time zone by its IANA name.",
        TimeZone::ALL.iter().map(|z| z.as_str())
    )
);
named_schema!(
    Unit,
    "Unit",
    names(
        "The unit of a charge line's quantity.",
        Unit::ALL.iter().map(|u| u.as_str())
    )
);
named_schema!(
    ReadingSource,
    "ReadingSource",
    names(
        "How a reading reached us.",
        ReadingSource::ALL.iter().map(|s| s.as_str())
    )
);
named_schema!(
    PaymentSource,
    "PaymentSource",
    names(
        "How a payment reached us: entered by hand or from a bank register.",
        PaymentSource::ALL.iter().map(|s| s.as_str())
    )
);
named_schema!(
    LineMethod,
    "LineMethod",
    names(
        "How a charge line's quantity was found: by readings, averages, the normative, several of these (mixed), as cold + hot water (sum) or by the area.",
        LineMethod::ALL.iter().map(|m| m.as_str())
    )
);
named_schema!(
    RunStatus,
    "RunStatus",
    names(
        "Where a billing run stands.",
        RunStatus::ALL.iter().map(|s| s.as_str())
    )
);

/// A decimal as responses send it: a string with fixed decimal places
/// (`"54.30"` m², `"123.456"` m³, `"42.1234"` ₽ per unit, `"1131.68"` ₽).
pub struct DecimalString;

named_schema!(
    DecimalString,
    "DecimalString",
    string(
        "A decimal number as a string with fixed decimal places.",
        Some(r"^-?[0-9]+\.[0-9]+$"),
        "1131.68"
    )
);

/// A bound of a number: the value, and whether it is allowed itself.
type Bound = (i64, bool);

/// A decimal as requests may give it: a JSON number (`54.3`, kept exactly)
/// or a string (`"54.30"`, `"54,3"`; spaces may separate thousands), with
/// at most `digits` integer digits and `places` decimals.
fn decimal_input(
    description: &str,
    (min, min_allowed): Bound,
    (max, max_allowed): Bound,
    (digits, places): (u32, u32),
    example: &str,
) -> RefOr<Schema> {
    let number = ObjectBuilder::new().schema_type(Type::Number);
    let number = match min_allowed {
        true => number.minimum(Some(min)),
        false => number.exclusive_minimum(Some(min)),
    };
    let number = match max_allowed {
        true => number.maximum(Some(max)),
        false => number.exclusive_maximum(Some(max)),
    };
    OneOfBuilder::new()
        .description(Some(format!(
            "{description} A JSON number or a string with a decimal point or comma; \
             at most {places} decimal places."
        )))
        .item(number)
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(format!(
                    r"^[0-9]{{1,{digits}}}([.,][0-9]{{1,{places}}})?$"
                )))
                .examples([serde_json::Value::from(example)]),
        )
        .into()
}

/// An apartment's area, m².
pub struct AreaInput;
named_schema!(
    AreaInput,
    "AreaInput",
    decimal_input(
        "Area in m², greater than 0, at most 10000.",
        (0, false),
        (10_000, true),
        (5, 2),
        "54.30"
    )
);

/// A meter's dial, m³.
pub struct VolumeInput;
named_schema!(
    VolumeInput,
    "VolumeInput",
    decimal_input(
        "A meter reading in m³, at least 0.",
        (0, true),
        (1_000_000_000, false),
        (9, 3),
        "123.456"
    )
);

/// A payment's amount, ₽.
pub struct MoneyInput;
named_schema!(
    MoneyInput,
    "MoneyInput",
    decimal_input(
        "An amount in ₽, greater than 0.",
        (0, false),
        (1_000_000_000_000, false),
        (12, 2),
        "2367.95"
    )
);

/// An account's balance, ₽: + debt, − advance.
pub struct BalanceInput;
named_schema!(
    BalanceInput,
    "BalanceInput",
    OneOfBuilder::new()
        .description(Some(
            "A balance in ₽: positive a debt, negative an advance. A JSON number or a string \
             with a decimal point or comma; at most 2 decimal places."
        ))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Number)
                .exclusive_minimum(Some(-1_000_000_000_000_i64))
                .exclusive_maximum(Some(1_000_000_000_000_i64))
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(r"^-?[0-9]{1,12}([.,][0-9]{1,2})?$"))
                .examples([serde_json::Value::from("-300.00")]),
        )
        .into()
);

/// A key rate, percent.
pub struct RateInput;
named_schema!(
    RateInput,
    "RateInput",
    decimal_input(
        "A rate in percent, 0 to 100.",
        (0, true),
        (100, true),
        (3, 3),
        "9.5"
    )
);

/// A price per m³ or m², ₽.
pub struct PriceInput;
named_schema!(
    PriceInput,
    "PriceInput",
    decimal_input(
        "A price in ₽ per unit, greater than 0.",
        (0, false),
        (100_000_000, false),
        (8, 4),
        "42.3000"
    )
);

/// m³ per person per month.
pub struct NormativeInput;
named_schema!(
    NormativeInput,
    "NormativeInput",
    decimal_input(
        "m³ per person per month, greater than 0.",
        (0, false),
        (1_000_000, false),
        (6, 4),
        "3.1600"
    )
);

/// An increasing coefficient.
pub struct CoefficientInput;
named_schema!(
    CoefficientInput,
    "CoefficientInput",
    decimal_input(
        "An increasing coefficient, at least 1.",
        (1, true),
        (10_000, false),
        (4, 2),
        "1.5"
    )
);

/// The water services normatives and coefficients are for.
pub struct WaterService;
named_schema!(
    WaterService,
    "WaterService",
    names(
        "A water service billed by the normative: cold_water or hot_water.",
        MeterKind::ALL.iter().map(|k| k.as_str())
    )
);

// ---- Agreement of the request schemas with their readers ----

/// The examples a request schema shows in the document.
#[cfg(test)]
pub fn examples_of<S: ToSchema>() -> Vec<serde_json::Value> {
    let schema = serde_json::to_value(S::schema()).unwrap();
    let examples = schema["examples"].as_array().cloned().unwrap_or_default();
    assert!(!examples.is_empty(), "{} shows no example", S::name());
    examples
}

/// Asserts that `read` accepts every example of `S`: a schema whose
/// examples its reader refuses has drifted from what the API accepts.
#[cfg(test)]
pub fn assert_examples_read<S: ToSchema, T>(
    read: impl Fn(&serde_json::Value) -> Result<T, crate::error::AppError>,
) {
    for example in examples_of::<S>() {
        if let Err(e) = read(&example) {
            panic!(
                "{}'s example {example} is refused: {e} {:?}",
                S::name(),
                e.fields()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::PERIOD_PATTERN;
    use crate::domain::Period;

    proptest! {
        /// Every month the schema's pattern allows, the readers accept.
        #[test]
        fn every_period_the_pattern_allows_is_read(
            text in proptest::string::string_regex(
                PERIOD_PATTERN.trim_start_matches('^').trim_end_matches('$'),
            ).unwrap()
        ) {
            prop_assert!(text.parse::<Period>().is_ok(), "{text}");
        }
    }
}
