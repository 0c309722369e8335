//! The rules a meter's readings obey, checked for a whole batch at once:
//! a batch may bring several months of one meter, in any order.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::volume::{MeterDates, MeterRecord};
use super::{Period, Problem as Message};

/// What is already stored for one meter.
#[derive(Debug, Clone, Default)]
pub struct MeterHistory {
    pub serial: String,
    pub initial_reading: Decimal,
    /// Its verification tells which readings its average may use.
    pub dates: MeterDates,
    pub readings: BTreeMap<Period, Decimal>,
    /// Its house's last closed month: no reading of it or before changes.
    pub closed_through: Option<Period>,
}

/// A month's consumption above this many times the meter's average…
pub const DOUBTFUL_TIMES_AVERAGE: i64 = 3;
/// …and above this many m³ is accepted with a warning.
pub const DOUBTFUL_ABOVE_M3: i64 = 1;

/// Warnings for readings that all passed [`check_batch`] (in the same
/// order): a consumption — the value less the meter's latest earlier
/// reading, else its initial reading — above three times the meter's billing
/// average and above 1 m³ looks like a typing slip or a leak, so the person
/// is asked to look again; the reading is saved all the same. After a gap of
/// several months the average counts once per month since that reading, so
/// a late reading is not doubted for the months it covers.
pub fn doubts(history: &MeterHistory, proposed: &[Proposed]) -> Vec<Option<Message>> {
    let mut merged = history.readings.clone();
    merged.extend(proposed.iter().map(|p| (p.period, p.value)));
    proposed
        .iter()
        .map(|p| {
            let before: BTreeMap<Period, Decimal> =
                merged.range(..p.period).map(|(m, v)| (*m, *v)).collect();
            let (previous, months) = match before.iter().next_back() {
                Some((month, value)) => (*value, p.period.months_since(*month).max(1)),
                None => (history.initial_reading, 1),
            };
            let consumption = p.value - previous;
            let record = MeterRecord {
                initial_reading: history.initial_reading,
                dates: history.dates,
                readings: before,
                estimates: BTreeMap::new(),
            };
            let average = record.average(p.period)?;
            let expected = average * Decimal::from(months);
            let doubtful = consumption > expected * Decimal::from(DOUBTFUL_TIMES_AVERAGE)
                && consumption > Decimal::from(DOUBTFUL_ABOVE_M3);
            doubtful.then(|| Message::DoubtfulConsumption {
                serial: history.serial.clone(),
                period: p.period,
                consumption,
                average,
            })
        })
        .collect()
}

/// One proposed reading of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proposed {
    pub period: Period,
    pub value: Decimal,
}

/// What is wrong with one proposed reading: the field to blame, a stable
/// code for programs and the message saying exactly what (in no language
/// yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `period` or `value`
    pub field: &'static str,
    /// One of [`PROBLEM_CODES`].
    pub code: &'static str,
    pub message: Message,
}

/// The codes a reading's problem can have.
pub const PROBLEM_CODES: [&str; 7] = [
    "period_too_far_ahead",
    "period_closed",
    "meter_decommissioned",
    "period_repeated",
    "below_initial_reading",
    "below_earlier_reading",
    "above_later_reading",
];

impl Problem {
    fn period(code: &'static str, message: Message) -> Self {
        Self {
            field: "period",
            code,
            message,
        }
    }

    fn value(code: &'static str, message: Message) -> Self {
        Self {
            field: "value",
            code,
            message,
        }
    }
}

/// Checks proposed readings of one meter, in the order sent, against its
/// history and the proposals before them that passed: a proposal for a
/// stored month replaces it (saving again corrects). When two proposals
/// disagree, the later one is blamed, so a bad row is named alone.
/// Returns, per proposal (same order), `None` or its problem. `latest` is
/// the last month a reading may be for (next month).
pub fn check_batch(
    history: &MeterHistory,
    proposed: &[Proposed],
    latest: Period,
) -> Vec<Option<Problem>> {
    let mut merged = history.readings.clone();
    let mut seen = BTreeSet::new();
    proposed
        .iter()
        .map(|p| {
            let problem = check_one(history, &merged, &mut seen, p, latest);
            if problem.is_none() {
                merged.insert(p.period, p.value);
            }
            problem
        })
        .collect()
}

fn check_one(
    history: &MeterHistory,
    merged: &BTreeMap<Period, Decimal>,
    seen: &mut BTreeSet<Period>,
    p: &Proposed,
    latest: Period,
) -> Option<Problem> {
    if p.period > latest {
        return Some(Problem::period(
            "period_too_far_ahead",
            Message::PeriodTooFarAhead {
                period: p.period,
                latest,
            },
        ));
    }
    if history.closed_through.is_some_and(|last| p.period <= last) {
        return Some(Problem::period(
            "period_closed",
            Message::PeriodClosed(p.period),
        ));
    }
    if let Some(out) = history.dates.decommissioned_on
        && p.period > Period::containing(out)
    {
        return Some(Problem::period(
            "meter_decommissioned",
            Message::MeterTakenOut(out),
        ));
    }
    if !seen.insert(p.period) {
        return Some(Problem::period(
            "period_repeated",
            Message::PeriodRepeated(p.period),
        ));
    }
    if p.value < history.initial_reading {
        return Some(Problem::value(
            "below_initial_reading",
            Message::BelowInitialReading {
                value: p.value,
                initial: history.initial_reading,
            },
        ));
    }
    if let Some((earlier, value)) = merged.range(..p.period).rev().find(|(_, v)| **v > p.value) {
        return Some(Problem::value(
            "below_earlier_reading",
            Message::BelowEarlierReading {
                value: p.value,
                earlier: *earlier,
                earlier_value: *value,
            },
        ));
    }
    let later = merged.range(p.period.next()..).find(|(_, v)| **v < p.value);
    later.map(|(later, value)| {
        Problem::value(
            "above_later_reading",
            Message::AboveLaterReading {
                value: p.value,
                later: *later,
                later_value: *value,
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    fn history(initial: Decimal, readings: &[(&str, Decimal)]) -> MeterHistory {
        MeterHistory {
            serial: "ХВ-01".into(),
            initial_reading: initial,
            readings: readings.iter().map(|(m, v)| (p(m), *v)).collect(),
            ..MeterHistory::default()
        }
    }

    fn doubt_of(h: &MeterHistory, period: &str, value: Decimal) -> Option<(Decimal, Decimal)> {
        let proposed = [Proposed {
            period: p(period),
            value,
        }];
        match doubts(h, &proposed).remove(0) {
            Some(Message::DoubtfulConsumption {
                consumption,
                average,
                ..
            }) => Some((consumption, average)),
            None => None,
            Some(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_consumption_far_above_the_average_is_doubted() {
        // 2 m³ a month from June to September: the average is 2.
        let h = history(
            dec!(0),
            &[
                ("2026-06", dec!(10)),
                ("2026-07", dec!(12)),
                ("2026-09", dec!(16)),
            ],
        );
        assert_eq!(
            doubt_of(&h, "2026-10", dec!(22.001)),
            Some((dec!(6.001), dec!(2)))
        );
        // Exactly three times the average is still plausible.
        assert_eq!(doubt_of(&h, "2026-10", dec!(22)), None);
    }

    #[test]
    fn a_late_reading_is_weighed_against_the_months_it_covers() {
        let h = history(
            dec!(0),
            &[
                ("2026-03", dec!(10)),
                ("2026-04", dec!(12)),
                ("2026-06", dec!(16)),
            ],
        );
        // Four months at 2 m³: 8 m³ expected, up to 24 m³ plausible.
        assert_eq!(doubt_of(&h, "2026-10", dec!(40)), None);
        assert_eq!(
            doubt_of(&h, "2026-10", dec!(40.5)),
            Some((dec!(24.5), dec!(2)))
        );
    }

    #[test]
    fn small_consumptions_and_young_meters_are_never_doubted() {
        // Average 0.1 m³: 0.9 m³ is nine times that but under 1 m³.
        let h = history(dec!(0), &[("2026-06", dec!(1)), ("2026-09", dec!(1.3))]);
        assert_eq!(doubt_of(&h, "2026-10", dec!(2.2)), None);
        assert!(doubt_of(&h, "2026-10", dec!(2.4)).is_some());
        // Two months of history: no average, nothing to compare with.
        let young = history(dec!(0), &[("2026-08", dec!(1)), ("2026-09", dec!(2))]);
        assert_eq!(doubt_of(&young, "2026-10", dec!(50)), None);
    }

    #[test]
    fn a_batch_is_doubted_against_its_own_earlier_months() {
        let h = history(dec!(0), &[("2026-06", dec!(10)), ("2026-09", dec!(16))]);
        let batch = [
            Proposed {
                period: p("2026-10"),
                value: dec!(18),
            },
            Proposed {
                period: p("2026-11"),
                value: dec!(40),
            },
        ];
        let found: Vec<bool> = doubts(&h, &batch).iter().map(Option::is_some).collect();
        assert_eq!(found, [false, true]);
    }

    fn one(h: &MeterHistory, period: &str, value: Decimal) -> Option<String> {
        let latest = p("2026-12");
        check_batch(
            h,
            &[Proposed {
                period: p(period),
                value,
            }],
            latest,
        )
        .remove(0)
        .map(|problem| format!("{}: {}", problem.field, problem.message))
    }

    #[test]
    fn lower_than_an_earlier_month_names_it() {
        let h = history(dec!(0), &[("2026-09", dec!(130.5))]);
        assert_eq!(
            one(&h, "2026-10", dec!(123)).unwrap(),
            "value: 123.000 is lower than 2026-09's reading 130.500."
        );
        assert_eq!(one(&h, "2026-10", dec!(130.5)), None);
    }

    #[test]
    fn higher_than_a_later_month_names_it() {
        // Entered out of order: November is known, October comes later.
        let h = history(dec!(0), &[("2026-09", dec!(100)), ("2026-11", dec!(120))]);
        assert_eq!(
            one(&h, "2026-10", dec!(121)).unwrap(),
            "value: 121.000 is higher than 2026-11's reading 120.000."
        );
        assert_eq!(one(&h, "2026-10", dec!(110)), None);
    }

    #[test]
    fn below_the_initial_reading_is_refused() {
        let h = history(dec!(50), &[]);
        assert_eq!(
            one(&h, "2026-10", dec!(49.999)).unwrap(),
            "value: 49.999 is lower than the meter's initial reading 50.000."
        );
    }

    #[test]
    fn a_correction_replaces_the_month_it_corrects() {
        let h = history(dec!(0), &[("2026-09", dec!(100)), ("2026-10", dec!(110))]);
        // Correcting October below its old value is fine while >= September.
        assert_eq!(one(&h, "2026-10", dec!(105)), None);
        assert!(one(&h, "2026-10", dec!(99)).is_some());
    }

    #[test]
    fn no_later_than_the_latest_month() {
        let h = history(dec!(0), &[]);
        assert_eq!(
            one(&h, "2027-01", dec!(1)).unwrap(),
            "period: 2027-01 is too far ahead: readings can be entered up to 2026-12."
        );
    }

    #[test]
    fn a_batch_is_checked_against_itself_blaming_the_later_row() {
        let h = history(dec!(0), &[]);
        let row = |period: &str, value: Decimal| Proposed {
            period: p(period),
            value,
        };
        let batch = [
            row("2026-09", dec!(100)),
            row("2026-10", dec!(90)),
            row("2026-11", dec!(110)),
            row("2026-11", dec!(120)),
        ];
        let result: Vec<_> = check_batch(&h, &batch, p("2026-12"))
            .into_iter()
            .map(|problem| problem.map(|p| format!("{}: {}", p.field, p.message)))
            .collect();
        assert_eq!(
            result,
            [
                None,
                Some("value: 90.000 is lower than 2026-09's reading 100.000.".into()),
                None,
                Some("period: 2026-11 appears twice for this meter.".into()),
            ]
        );
    }

    #[test]
    fn each_kind_of_problem_has_its_own_listed_code() {
        let h = history(dec!(10), &[("2026-09", dec!(20)), ("2026-11", dec!(30))]);
        let latest = p("2026-12");
        let code = |proposed: &[(&str, Decimal)]| {
            let proposed: Vec<Proposed> = proposed
                .iter()
                .map(|(period, value)| Proposed {
                    period: p(period),
                    value: *value,
                })
                .collect();
            check_batch(&h, &proposed, latest)
                .into_iter()
                .flatten()
                .map(|problem| problem.code)
                .collect::<Vec<_>>()
        };
        let closed = MeterHistory {
            closed_through: Some(p("2026-09")),
            ..h.clone()
        };
        let closed_code = check_batch(
            &closed,
            &[Proposed {
                period: p("2026-08"),
                value: dec!(15),
            }],
            latest,
        )
        .into_iter()
        .flatten()
        .map(|problem| problem.code)
        .collect::<Vec<_>>();
        let taken_out = MeterHistory {
            dates: MeterDates {
                decommissioned_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 14),
                ..MeterDates::default()
            },
            ..h.clone()
        };
        let taken_out_code = check_batch(
            &taken_out,
            &[Proposed {
                period: p("2026-12"),
                value: dec!(40),
            }],
            latest,
        )
        .into_iter()
        .flatten()
        .map(|problem| problem.code)
        .collect::<Vec<_>>();
        let codes = [
            code(&[("2027-01", dec!(40))]),
            closed_code,
            taken_out_code,
            code(&[("2026-12", dec!(40)), ("2026-12", dec!(41))]),
            code(&[("2026-08", dec!(5))]),
            code(&[("2026-10", dec!(15))]),
            code(&[("2026-10", dec!(35))]),
        ]
        .concat();
        assert_eq!(codes, PROBLEM_CODES);
    }
}
