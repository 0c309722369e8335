//! The volume one water meter contributes to a month's bill, by the rules
//! of ПП 354 as docs/billing.md states them: the reading when there is one
//! (its base raised by the estimates billed since the last real reading, so
//! estimates telescope into the real consumption), else the meter's average
//! for up to three months, else a share of the normative. Pure: a meter's
//! history in, the method and its numbers out.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Period, round_litres};

/// How many months back a meter's average looks for its earliest reading.
pub const AVERAGE_WINDOW_MONTHS: u32 = 6;
/// The fewest months an average may span.
pub const AVERAGE_MIN_SPAN: i32 = 3;
/// For how many months after its last real reading a meter is billed by its
/// average (a setting in ПП 354 terms; the law's default).
pub const AVERAGE_FOR_MONTHS: i32 = 3;

/// A meter's dates: when it started counting, until when it is verified,
/// and when it was taken out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MeterDates {
    pub commissioned_on: Option<NaiveDate>,
    pub verified_until: Option<NaiveDate>,
    pub decommissioned_on: Option<NaiveDate>,
}

impl MeterDates {
    /// The meter counts in `period`: commissioned before it (it counts from
    /// the month after commissioning) and not taken out before it (its last
    /// month is the one it is taken out in, with its final reading).
    pub fn counts_in(&self, period: Period) -> bool {
        self.commissioned_on
            .is_none_or(|on| Period::containing(on) < period)
            && self
                .decommissioned_on
                .is_none_or(|on| period <= Period::containing(on))
    }

    /// Its verification ran out before `period` began: its readings of the
    /// month are not usable and the normative it falls to is raised.
    pub fn is_faulty_in(&self, period: Period) -> bool {
        self.verified_until
            .is_some_and(|until| until < period.first_day())
    }
}

/// What billing knows of one meter when it bills month P.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeterRecord {
    pub initial_reading: Decimal,
    pub dates: MeterDates,
    /// Its readings up to P; billing loads only those the rules look at
    /// (P's, the latest usable before P, the earliest usable in the six
    /// months before that), which give the same volume as all of them.
    pub readings: BTreeMap<Period, Decimal>,
    /// The volumes estimated for it (by average or normative) in the bills
    /// of months before P: the "virtual reading" an actual one is measured
    /// from.
    pub estimates: BTreeMap<Period, Decimal>,
}

/// Where a volume's base came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Base {
    /// The month of the last usable reading; None for the initial reading.
    pub period: Option<Period>,
    pub value: Decimal,
}

/// How a meter's volume for the month was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Found {
    /// reading − (base + estimated): negative when the estimates billed
    /// since the base exceeded what the meter really counted.
    Actual {
        base: Base,
        /// Σ of the estimates billed after the base and before this month.
        estimated: Decimal,
        /// The months those estimates cover, first and last.
        estimated_months: Option<(Period, Period)>,
        reading: Decimal,
        volume: Decimal,
    },
    /// (to − from) / span, rounded to 0.001 m³.
    Average {
        from: Base,
        to: Base,
        span: i32,
        volume: Decimal,
    },
    /// No usable reading and no average: the meter's share of the
    /// apartment's normative volume, raised by the coefficient when
    /// `faulty` (see `domain::lines`).
    Normative { faulty: bool },
}

impl MeterRecord {
    /// A reading of `period` that billing may use: the meter was verified
    /// then.
    fn usable(&self, period: Period) -> Option<Decimal> {
        if self.dates.is_faulty_in(period) {
            return None;
        }
        self.readings.get(&period).copied()
    }

    /// The latest usable reading before `period`, else the initial reading.
    fn base_before(&self, period: Period) -> Base {
        self.readings
            .range(..period)
            .rev()
            .find(|(month, _)| !self.dates.is_faulty_in(**month))
            .map_or(
                Base {
                    period: None,
                    value: self.initial_reading,
                },
                |(month, value)| Base {
                    period: Some(*month),
                    value: *value,
                },
            )
    }

    /// The earliest usable reading in the six months before `last`; the
    /// initial reading counts as one of the commissioning month.
    fn average_start(&self, last: Period) -> Option<Base> {
        let window = last.months_before(AVERAGE_WINDOW_MONTHS)..last;
        let read = self
            .readings
            .range(window.clone())
            .find(|(month, _)| !self.dates.is_faulty_in(**month))
            .map(|(month, value)| Base {
                period: Some(*month),
                value: *value,
            });
        let initial = self
            .dates
            .commissioned_on
            .map(Period::containing)
            .filter(|month| window.contains(month))
            .map(|month| Base {
                period: Some(month),
                value: self.initial_reading,
            });
        match (read, initial) {
            (Some(r), Some(i)) => Some(if i.period <= r.period { i } else { r }),
            (r, i) => r.or(i),
        }
    }

    /// The average billing would use in `period`: from the latest usable
    /// reading before it back to the earliest usable one in the six months
    /// before that, over at least three months (the bases and the span);
    /// None when it cannot be computed.
    fn average_terms(&self, period: Period) -> Option<(Base, Base, i32)> {
        let to = self.base_before(period);
        let last = to.period?;
        let from = self.average_start(last)?;
        let span = last.months_since(from.period?);
        (span >= AVERAGE_MIN_SPAN).then_some((from, to, span))
    }

    /// The meter's monthly average as of `period` (m³, to 0.001), however
    /// long ago its last reading was; None when it cannot be computed.
    pub fn average(&self, period: Period) -> Option<Decimal> {
        self.average_terms(period)
            .map(|(from, to, span)| round_litres((to.value - from.value) / Decimal::from(span)))
    }

    /// The meter's volume for `period`; call only for a meter that counts
    /// in it.
    pub fn volume(&self, period: Period) -> Found {
        let faulty = self.dates.is_faulty_in(period);
        let base = self.base_before(period);
        if let Some(reading) = self.usable(period) {
            let since = match base.period {
                Some(last) => self.estimates.range(last.next()..period),
                None => self.estimates.range(..period),
            };
            let estimates: Vec<(Period, Decimal)> =
                since.map(|(month, volume)| (*month, *volume)).collect();
            let estimated: Decimal = estimates.iter().map(|(_, v)| *v).sum();
            let estimated_months = estimates
                .first()
                .zip(estimates.last())
                .map(|(first, last)| (first.0, last.0));
            return Found::Actual {
                base,
                estimated,
                estimated_months,
                reading,
                volume: reading - base.value - estimated,
            };
        }
        if let Some(last) = base.period
            && period.months_since(last) <= AVERAGE_FOR_MONTHS
            && let Some((from, to, span)) = self.average_terms(period)
        {
            return Found::Average {
                from,
                to,
                span,
                volume: round_litres((to.value - from.value) / Decimal::from(span)),
            };
        }
        Found::Normative { faulty }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn meter(initial: Decimal, readings: &[(&str, Decimal)]) -> MeterRecord {
        MeterRecord {
            initial_reading: initial,
            readings: readings.iter().map(|(m, v)| (p(m), *v)).collect(),
            ..MeterRecord::default()
        }
    }

    fn volume_of(found: &Found) -> Option<Decimal> {
        match found {
            Found::Actual { volume, .. } | Found::Average { volume, .. } => Some(*volume),
            Found::Normative { .. } => None,
        }
    }

    #[test]
    fn a_reading_is_measured_from_the_last_one() {
        let m = meter(
            dec!(100),
            &[("2026-09", dec!(110.5)), ("2026-10", dec!(118.25))],
        );
        assert_eq!(
            m.volume(p("2026-10")),
            Found::Actual {
                base: Base {
                    period: Some(p("2026-09")),
                    value: dec!(110.5)
                },
                estimated: dec!(0),
                estimated_months: None,
                reading: dec!(118.25),
                volume: dec!(7.75),
            }
        );
        let first = meter(dec!(100), &[("2026-10", dec!(103))]);
        assert_eq!(volume_of(&first.volume(p("2026-10"))), Some(dec!(3)));
    }

    #[test]
    fn six_months_give_an_average_rounded_to_litres() {
        let m = meter(
            dec!(0),
            &[
                ("2026-03", dec!(100)),
                ("2026-05", dec!(110)),
                ("2026-09", dec!(137.5)),
            ],
        );
        // Earliest usable in [2026-03, 2026-09): 2026-03 → 37.5 / 6.
        assert_eq!(
            m.volume(p("2026-10")),
            Found::Average {
                from: Base {
                    period: Some(p("2026-03")),
                    value: dec!(100)
                },
                to: Base {
                    period: Some(p("2026-09")),
                    value: dec!(137.5)
                },
                span: 6,
                volume: dec!(6.250),
            }
        );
        let thirds = meter(dec!(0), &[("2026-06", dec!(10)), ("2026-09", dec!(11))]);
        assert_eq!(volume_of(&thirds.volume(p("2026-10"))), Some(dec!(0.333)));
    }

    #[test]
    fn a_young_meter_averages_from_its_commissioning_and_not_under_three_months() {
        let mut young = meter(dec!(5), &[("2026-09", dec!(14))]);
        young.dates.commissioned_on = Some(day("2026-06-20"));
        // The initial reading counts as June's: 9 m³ over 3 months.
        assert_eq!(volume_of(&young.volume(p("2026-10"))), Some(dec!(3.000)));
        young.dates.commissioned_on = Some(day("2026-07-01"));
        assert_eq!(
            young.volume(p("2026-10")),
            Found::Normative { faulty: false },
            "two months are too few for an average"
        );
    }

    #[test]
    fn the_fourth_month_without_a_reading_falls_to_the_normative() {
        let m = meter(dec!(0), &[("2026-03", dec!(10)), ("2026-06", dec!(16))]);
        for month in ["2026-07", "2026-08", "2026-09"] {
            assert_eq!(volume_of(&m.volume(p(month))), Some(dec!(2.000)), "{month}");
        }
        assert_eq!(m.volume(p("2026-10")), Found::Normative { faulty: false });
    }

    #[test]
    fn a_late_reading_is_measured_from_the_base_plus_the_estimates() {
        let mut m = meter(dec!(0), &[("2026-03", dec!(10)), ("2026-06", dec!(16))]);
        for month in ["2026-07", "2026-08", "2026-09"] {
            m.estimates.insert(p(month), dec!(2));
        }
        m.readings.insert(p("2026-10"), dec!(19));
        assert_eq!(
            m.volume(p("2026-10")),
            Found::Actual {
                base: Base {
                    period: Some(p("2026-06")),
                    value: dec!(16)
                },
                estimated: dec!(6),
                estimated_months: Some((p("2026-07"), p("2026-09"))),
                reading: dec!(19),
                volume: dec!(-3),
            },
            "the estimates were too high: a reduction"
        );
    }

    #[test]
    fn a_faulty_meter_averages_then_falls_to_the_raised_normative() {
        let mut m = meter(
            dec!(0),
            &[
                ("2026-06", dec!(10)),
                ("2026-09", dec!(16)),
                ("2026-10", dec!(18)),
            ],
        );
        m.dates.verified_until = Some(day("2026-09-30"));
        // October's reading is not usable: September's average stands.
        assert_eq!(volume_of(&m.volume(p("2026-10"))), Some(dec!(2.000)));
        assert!(m.dates.is_faulty_in(p("2026-10")) && !m.dates.is_faulty_in(p("2026-09")));
        assert_eq!(m.volume(p("2027-01")), Found::Normative { faulty: true });
    }

    #[test]
    fn a_meter_counts_from_the_month_after_commissioning_to_its_last_month() {
        let dates = MeterDates {
            commissioned_on: Some(day("2026-08-15")),
            decommissioned_on: Some(day("2026-11-03")),
            verified_until: None,
        };
        let counts: Vec<bool> = ["2026-08", "2026-09", "2026-11", "2026-12"]
            .iter()
            .map(|m| dates.counts_in(p(m)))
            .collect();
        assert_eq!(counts, [false, true, true, false]);
    }

    proptest! {
        /// Billing loads only a meter's reading of the month, its base and
        /// its average's first reading (`queries::billing_inputs`): the
        /// volume is the same as from all its readings.
        #[test]
        fn three_readings_find_what_all_of_them_find(
            values in proptest::collection::vec(proptest::option::of(0u32..5_000), 1..20),
            faulty_after in proptest::option::of(0usize..20),
            commissioned in proptest::option::of(0usize..20),
        ) {
            let start = p("2025-01");
            let month = |i: usize| (0..i).fold(start, |m, _| m.next());
            let mut all = MeterRecord { initial_reading: dec!(3), ..MeterRecord::default() };
            let mut dial = dec!(3);
            for (i, value) in values.iter().enumerate() {
                if let Some(v) = value {
                    dial += Decimal::new(i64::from(*v), 3);
                    all.readings.insert(month(i), dial);
                }
            }
            all.dates.verified_until = faulty_after.map(|i| month(i).first_day());
            all.dates.commissioned_on = commissioned.map(|i| month(i).first_day());
            let period = month(values.len() - 1);
            let base = all.base_before(period);
            let mut few = MeterRecord { readings: BTreeMap::new(), ..all.clone() };
            if let Some(r) = all.readings.get(&period) {
                few.readings.insert(period, *r);
            }
            if let Some(last) = base.period {
                few.readings.insert(last, base.value);
                if period.months_since(last) <= AVERAGE_FOR_MONTHS
                    && let Some((month, value)) = all
                        .readings
                        .range(last.months_before(AVERAGE_WINDOW_MONTHS)..last)
                        .find(|(m, _)| !all.dates.is_faulty_in(**m))
                {
                    few.readings.insert(*month, *value);
                }
            }
            prop_assert_eq!(few.volume(period), all.volume(period));
        }

        /// Whatever months go unread, once a real reading returns the
        /// volumes billed since the start add up to what the meter counted.
        #[test]
        fn estimates_telescope_into_the_real_consumption(
            consumption in proptest::collection::vec(0u32..40_000, 2..24),
            read in proptest::collection::vec(any::<bool>(), 2..24),
            normative in 0u32..20_000,
        ) {
            let start = p("2025-01");
            let mut m = MeterRecord { initial_reading: dec!(100), ..MeterRecord::default() };
            let mut dial = dec!(100);
            let mut billed = Decimal::ZERO;
            let months = consumption.len().min(read.len());
            for i in 0..months {
                let month = (0..i).fold(start, |m, _| m.next());
                dial += Decimal::new(i64::from(consumption[i]), 3);
                let last = i + 1 == months;
                if read[i] || last {
                    m.readings.insert(month, dial);
                }
                let volume = match m.volume(month) {
                    Found::Actual { volume, .. } => volume,
                    Found::Average { volume, .. } => { m.estimates.insert(month, volume); volume }
                    Found::Normative { .. } => {
                        let share = Decimal::new(i64::from(normative), 3);
                        m.estimates.insert(month, share);
                        share
                    }
                };
                billed += volume;
            }
            prop_assert_eq!(billed, dial - dec!(100));
        }
    }
}
