//! How a charge line was found, as the API sends it: the stored explanation
//! (`domain::billing::Explanation`) with its decimals at fixed places — by
//! the rules (per meter its method and numbers, the normative volume, the
//! sum of the water, the area), or, for lines billed before the rules, v1's
//! readings; and the penalty line's, the overdue months it accrued on
//! (`domain::ledger::DebtPenalty`).

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::reply::{
    AREA_PLACES, COEFFICIENT_PLACES, MONEY_PLACES, NORMATIVE_PLACES, RATE_PLACES, fixed, volume,
};
use super::schema::DecimalString;
use crate::domain::billing::{Dial, Explanation, MeterLine, V1Basis};
use crate::domain::ledger::{DebtPenalty, Fraction, PenaltySpan};
use crate::domain::lines::{Basis, MeterPart, NormativeVolume};
use crate::domain::volume::{Base, Found};
use crate::domain::{LineMethod, Period};

#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum ExplanationBody {
    /// billed by the apartment's area (m²)
    Area {
        #[schema(value_type = DecimalString)]
        area: String,
    },
    /// billed by the apartment's counting meters, each by its method;
    /// `normative` is the volume a meter's normative share was taken from
    Meters {
        meters: Vec<MeterPartBody>,
        normative: Option<NormativeVolumeBody>,
    },
    /// no counting meter: billed by the normative
    NoMeter { normative: NormativeVolumeBody },
    /// sewerage: the cold and hot water quantities (m³)
    Sum {
        #[schema(value_type = DecimalString)]
        cold: String,
        #[schema(value_type = DecimalString)]
        hot: String,
    },
    /// a line billed before the rules of ПП 354: each meter's previous and
    /// current reading
    Readings { meters: Vec<MeterLineBody> },
    /// the penalty line: the overdue months it accrued on, oldest first
    Penalty { debts: Vec<PenaltyDebtBody> },
}

/// The penalty on one month's overdue charges.
#[derive(Debug, Serialize, ToSchema)]
pub struct PenaltyDebtBody {
    /// the month whose charges are overdue
    month: Period,
    /// the day they were due
    due: NaiveDate,
    spans: Vec<PenaltySpanBody>,
}

/// Consecutive days of one debt at the same outstanding amount, rate and
/// fraction.
#[derive(Debug, Serialize, ToSchema)]
pub struct PenaltySpanBody {
    from: NaiveDate,
    /// the last day, inclusive
    to: NaiveDate,
    days: u32,
    /// ₽ still owed on these days
    #[schema(value_type = DecimalString)]
    outstanding: String,
    /// % a year: the key rate in effect, capped
    #[schema(value_type = DecimalString)]
    rate: String,
    fraction: Fraction,
    /// ₽, unrounded: outstanding × rate / 100 × fraction × days; the
    /// line's amount is the sum of all spans, rounded once
    #[schema(value_type = DecimalString)]
    amount: String,
}

impl From<PenaltySpan> for PenaltySpanBody {
    fn from(span: PenaltySpan) -> Self {
        let exact = span.amount.normalize().scale().max(MONEY_PLACES);
        Self {
            from: span.from,
            to: span.to,
            days: span.days,
            outstanding: fixed(span.outstanding, MONEY_PLACES),
            rate: fixed(span.rate, RATE_PLACES),
            fraction: span.fraction,
            amount: fixed(span.amount, exact),
        }
    }
}

impl From<DebtPenalty> for PenaltyDebtBody {
    fn from(debt: DebtPenalty) -> Self {
        Self {
            month: debt.month,
            due: debt.due,
            spans: debt.spans.into_iter().map(Into::into).collect(),
        }
    }
}

impl ExplanationBody {
    pub fn penalty(debts: Vec<DebtPenalty>) -> Self {
        Self::Penalty {
            debts: debts.into_iter().map(Into::into).collect(),
        }
    }
}

/// One counting meter's part of a water line. The fields a method does not
/// use are null.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeterPartBody {
    serial: String,
    method: LineMethod,
    /// m³ this meter added (negative: a recalculation)
    #[schema(value_type = DecimalString)]
    volume: String,
    /// the increasing coefficient raised this part (a faulty meter billed
    /// by the normative)
    raised: bool,
    /// actual: the reading of the month (m³)
    #[schema(value_type = Option<DecimalString>)]
    reading: Option<String>,
    /// actual: the last usable reading (period null: the initial one);
    /// average: the latest reading of the average
    base: Option<DialBody>,
    /// actual: m³ estimated since the base, added to it
    #[schema(value_type = Option<DecimalString>)]
    estimated: Option<String>,
    /// actual: the first and last month of those estimates
    estimated_months: Option<[Period; 2]>,
    /// average: the earliest reading of the average
    average_from: Option<DialBody>,
    /// average: the months between its two readings
    span: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NormativeVolumeBody {
    residents: u32,
    owners: u32,
    /// m³ per person per month
    #[schema(value_type = DecimalString)]
    normative: String,
    /// m³: the people counted (residents, else owners) × normative
    #[schema(value_type = DecimalString)]
    volume: String,
    /// the counting meters the volume is shared among
    meters: usize,
    /// the increasing coefficient, where it raised the volume or a faulty
    /// meter's share of it
    #[schema(value_type = Option<DecimalString>)]
    coefficient: Option<String>,
}

/// One meter of a line billed before the rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeterLineBody {
    serial: String,
    /// the latest reading before the month (period null: the initial one)
    previous: DialBody,
    /// m³; null: no reading for the month, the meter added 0
    #[schema(value_type = Option<DecimalString>)]
    current: Option<String>,
    /// m³
    #[schema(value_type = DecimalString)]
    consumption: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DialBody {
    /// null: the meter's initial reading
    period: Option<Period>,
    /// m³
    #[schema(value_type = DecimalString)]
    value: String,
}

impl From<Explanation> for ExplanationBody {
    fn from(e: Explanation) -> Self {
        match e {
            Explanation::Rules(basis) => basis.into(),
            Explanation::V1(V1Basis::Area { area }) => ExplanationBody::Area {
                area: fixed(area, AREA_PLACES),
            },
            Explanation::V1(V1Basis::Meters { meters }) => ExplanationBody::Readings {
                meters: meters.into_iter().map(Into::into).collect(),
            },
        }
    }
}

impl From<Basis> for ExplanationBody {
    fn from(basis: Basis) -> Self {
        match basis {
            Basis::Area { area } => ExplanationBody::Area {
                area: fixed(area, AREA_PLACES),
            },
            Basis::Meters { meters, normative } => ExplanationBody::Meters {
                meters: meters.into_iter().map(Into::into).collect(),
                normative: normative.map(Into::into),
            },
            Basis::NoMeter { normative } => ExplanationBody::NoMeter {
                normative: normative.into(),
            },
            Basis::Sum { cold, hot } => ExplanationBody::Sum {
                cold: volume(cold),
                hot: volume(hot),
            },
        }
    }
}

fn dial(base: Base) -> DialBody {
    DialBody {
        period: base.period,
        value: volume(base.value),
    }
}

impl From<MeterPart> for MeterPartBody {
    fn from(part: MeterPart) -> Self {
        let mut body = MeterPartBody {
            serial: part.serial,
            method: LineMethod::Normative,
            volume: volume(part.volume),
            raised: part.raised,
            reading: None,
            base: None,
            estimated: None,
            estimated_months: None,
            average_from: None,
            span: None,
        };
        match part.found {
            Found::Actual {
                base,
                estimated,
                estimated_months,
                reading,
                ..
            } => {
                body.method = LineMethod::Actual;
                body.reading = Some(volume(reading));
                body.base = Some(dial(base));
                body.estimated = Some(volume(estimated));
                body.estimated_months = estimated_months.map(|(first, last)| [first, last]);
            }
            Found::Average { from, to, span, .. } => {
                body.method = LineMethod::Average;
                body.base = Some(dial(to));
                body.average_from = Some(dial(from));
                body.span = Some(span);
            }
            Found::Normative { .. } => {}
        }
        body
    }
}

impl From<NormativeVolume> for NormativeVolumeBody {
    fn from(n: NormativeVolume) -> Self {
        Self {
            residents: n.people.residents,
            owners: n.people.owners,
            normative: fixed(n.normative, NORMATIVE_PLACES),
            volume: volume(n.volume),
            meters: n.meters,
            coefficient: n.coefficient.map(|k| fixed(k, COEFFICIENT_PLACES)),
        }
    }
}

impl From<MeterLine> for MeterLineBody {
    fn from(m: MeterLine) -> Self {
        let Dial { period, value } = m.previous;
        Self {
            serial: m.serial,
            previous: DialBody {
                period,
                value: volume(value),
            },
            current: m.current.map(volume),
            consumption: volume(m.consumption),
        }
    }
}
