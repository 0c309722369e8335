//! A charge line's explanation in one sentence, in the reader's language:
//! the results page's fallback, the API's `note` (English) and the charges
//! export. «ХВ-01: сентябрь 2026 100,000 → октябрь 2026 110,500 (10,500 м³)»,
//! «площадь 54,30 м²»; and a penalty's, a sentence per overdue month (the
//! account page and the results alike).

use super::{Arg, Locale, format};
use crate::domain::Period;
use crate::domain::billing::{Explanation, MeterLine, V1Basis};
use crate::domain::ledger::DebtPenalty;
use crate::domain::lines::{Basis, MeterPart, NormativeVolume};
use crate::domain::volume::{Base, Found};

/// How a line of the rules of ПП 354 was found, a sentence per meter (one
/// for a line without meters): «ХВ-01 по показаниям: 1 287,500 − 1 268,750
/// (1 250,000 за июнь 2026 + 18,750 по оценке за июль 2026 – сентябрь 2026)
/// = 18,750 м³».
fn basis_notes(basis: &Basis, locale: Locale) -> Vec<String> {
    let volume = |v| Arg::from(format::volume(v, locale));
    let one = match basis {
        Basis::Area { area } => locale.text_with(
            "explain-area",
            &[("area", format::area(*area, locale).into())],
        ),
        Basis::Sum { cold, hot } => locale.text_with(
            "explain-sum",
            &[
                ("cold", volume(*cold)),
                ("hot", volume(*hot)),
                ("volume", volume(*cold + *hot)),
            ],
        ),
        Basis::NoMeter { normative } => normative_note(normative, None, locale),
        Basis::Meters { meters, normative } => {
            return meters
                .iter()
                .map(|part| part_note(part, normative.as_ref(), locale))
                .collect();
        }
    };
    vec![one]
}

fn base_text(base: &Base, locale: Locale) -> String {
    let value = format::volume(base.value, locale);
    match base.period {
        Some(month) => locale.text_with(
            "explain-base",
            &[
                ("value", value.into()),
                ("month", format::month(month, locale).into()),
            ],
        ),
        None => locale.text_with("explain-initial", &[("value", value.into())]),
    }
}

fn part_note(part: &MeterPart, normative: Option<&NormativeVolume>, locale: Locale) -> String {
    let volume = |v| Arg::from(format::volume(v, locale));
    let serial = || Arg::from(part.serial.as_str());
    let text = match &part.found {
        Found::Actual {
            base,
            estimated,
            estimated_months,
            reading,
            volume: found,
        } => match estimated_months {
            None => locale.text_with(
                "explain-actual",
                &[
                    ("serial", serial()),
                    ("reading", volume(*reading)),
                    ("base", volume(base.value)),
                    ("volume", volume(*found)),
                ],
            ),
            Some((first, last)) => locale.text_with(
                "explain-actual-estimated",
                &[
                    ("serial", serial()),
                    ("reading", volume(*reading)),
                    ("total", volume(base.value + *estimated)),
                    ("base", base_text(base, locale).into()),
                    ("estimated", volume(*estimated)),
                    ("first", format::month(*first, locale).into()),
                    ("last", format::month(*last, locale).into()),
                    ("volume", volume(*found)),
                ],
            ),
        },
        Found::Average {
            from,
            to,
            span,
            volume: found,
        } => locale.text_with(
            "explain-average",
            &[
                ("serial", serial()),
                ("to", volume(to.value)),
                ("from", volume(from.value)),
                ("span", Arg::from(i64::from(*span))),
                ("volume", volume(*found)),
            ],
        ),
        Found::Normative { .. } => match normative {
            Some(normative) => {
                let share = normative_note(normative, Some(part), locale);
                locale.text_with(
                    "explain-meter-normative",
                    &[("serial", serial()), ("normative", share.into())],
                )
            }
            None => String::new(),
        },
    };
    if part.volume < rust_decimal::Decimal::ZERO {
        locale.text_with("explain-recalculation", &[("note", text.into())])
    } else {
        text
    }
}

/// «по нормативу: 3 чел. × 3,16 м³ × К 1,5», with a meter's share of it.
fn normative_note(normative: &NormativeVolume, part: Option<&MeterPart>, locale: Locale) -> String {
    let people = normative.people;
    let who = if people.residents > 0 {
        "explain-residents"
    } else {
        "explain-owners"
    };
    let mut args = vec![
        (
            "people",
            Arg::from(locale.text_with(who, &[("count", Arg::from(i64::from(people.counted())))])),
        ),
        (
            "normative",
            Arg::from(format::measure(normative.normative, locale)),
        ),
    ];
    match part {
        // The whole normative on one meter: no share to speak of.
        Some(part) if normative.meters > 1 => {
            args.push(("meters", Arg::from(normative.meters)));
            args.push(("volume", Arg::from(format::measure(part.volume, locale))));
            match normative.coefficient.filter(|_| part.raised) {
                Some(k) => {
                    args.push(("k", Arg::from(format::coefficient(k, locale))));
                    locale.text_with("explain-share-raised", &args)
                }
                None => locale.text_with("explain-share", &args),
            }
        }
        _ => {
            let raised = part.is_none_or(|p| p.raised);
            let volume = part.map_or(normative.volume, |p| p.volume);
            args.push(("volume", Arg::from(format::measure(volume, locale))));
            match normative.coefficient.filter(|_| raised) {
                Some(k) => {
                    args.push(("k", Arg::from(format::coefficient(k, locale))));
                    locale.text_with("explain-normative-raised", &args)
                }
                None => locale.text_with("explain-normative", &args),
            }
        }
    }
}

/// `explanation` of a line of the month `period`, in one sentence.
pub fn note(explanation: &Explanation, period: Period, locale: Locale) -> String {
    notes(explanation, period, locale).join("; ")
}

/// The same, a sentence per meter (one for a line without meters).
pub fn notes(explanation: &Explanation, period: Period, locale: Locale) -> Vec<String> {
    match explanation {
        Explanation::Rules(basis) => basis_notes(basis, locale),
        Explanation::V1(V1Basis::Area { area }) => vec![locale.text_with(
            "explain-area",
            &[("area", format::area(*area, locale).into())],
        )],
        Explanation::V1(V1Basis::Meters { meters }) => meters
            .iter()
            .map(|meter| meter_note(meter, period, locale))
            .collect(),
    }
}

fn meter_note(meter: &MeterLine, period: Period, locale: Locale) -> String {
    let value = format::volume(meter.previous.value, locale);
    let previous = match meter.previous.period {
        Some(month) => format!("{} {value}", format::month(month, locale)),
        None => locale.text_with("explain-initial", &[("value", value.into())]),
    };
    let serial: Arg = meter.serial.as_str().into();
    let month: Arg = format::month(period, locale).into();
    match meter.current {
        Some(current) => locale.text_with(
            "explain-meter",
            &[
                ("serial", serial),
                ("previous", previous.into()),
                ("period", month),
                ("current", format::volume(current, locale).into()),
                (
                    "consumption",
                    format::volume(meter.consumption, locale).into(),
                ),
            ],
        ),
        None => locale.text_with(
            "explain-meter-no-reading",
            &[
                ("serial", serial),
                ("previous", previous.into()),
                ("period", month),
            ],
        ),
    }
}

/// The penalty on one overdue month: «за март 2026 (срок 15.04.2026):»
/// and «4 000,00 ₽ × 60 дн. × 1/300 × 9,5 %» for each span of it.
pub fn penalty_debt(debt: &DebtPenalty, locale: Locale) -> String {
    let spans: Vec<String> = debt
        .spans
        .iter()
        .map(|span| {
            locale.text_with(
                "acc-penalty-span",
                &[
                    (
                        "outstanding",
                        format::money(span.outstanding, locale).into(),
                    ),
                    ("days", Arg::Count(i64::from(span.days))),
                    ("fraction", span.fraction.as_str().into()),
                    ("rate", format::coefficient(span.rate, locale).into()),
                ],
            )
        })
        .collect();
    locale.text_with(
        "acc-penalty-debt",
        &[
            ("month", format::month(debt.month, locale).into()),
            ("due", format::date(debt.due, locale).into()),
            ("spans", spans.join(" + ").into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::domain::billing::Dial;
    use crate::domain::ledger::{Fraction, PenaltySpan};

    fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn meters() -> Explanation {
        Explanation::V1(V1Basis::Meters {
            meters: vec![
                MeterLine {
                    serial: "CW-1".into(),
                    previous: Dial {
                        period: Period::new(2026, 9),
                        value: dec!(100.000),
                    },
                    current: Some(dec!(110.500)),
                    consumption: dec!(10.500),
                },
                MeterLine {
                    serial: "CW-2".into(),
                    previous: Dial {
                        period: None,
                        value: dec!(0.000),
                    },
                    current: None,
                    consumption: dec!(0),
                },
            ],
        })
    }

    #[test]
    fn notes_name_readings_months_and_area_in_english_as_the_api_always_did() {
        let october = Period::new(2026, 10).unwrap();
        assert_eq!(
            note(&meters(), october, Locale::En),
            "CW-1: 2026-09 100.000 → 2026-10 110.500 (10.500 m³); \
             CW-2: initial 0.000 → no reading for 2026-10 (adds 0 m³)"
        );
        let area = Explanation::Rules(Basis::Area { area: dec!(54.30) });
        assert_eq!(note(&area, october, Locale::En), "area 54.30 m²");
    }

    fn month(s: &str) -> Period {
        s.parse().unwrap()
    }

    /// A rules line's note, as `note` says it (the month plays no part).
    fn rules_note(basis: &Basis, locale: Locale) -> String {
        let explanation = Explanation::Rules(basis.clone());
        note(&explanation, month("2026-10"), locale)
    }

    #[test]
    fn a_late_reading_names_its_base_and_the_estimates_it_covers() {
        use crate::domain::lines::People;
        let late = MeterPart {
            serial: "ХВ-01".into(),
            found: Found::Actual {
                base: Base {
                    period: Some(month("2026-06")),
                    value: dec!(1250),
                },
                estimated: dec!(18.75),
                estimated_months: Some((month("2026-07"), month("2026-09"))),
                reading: dec!(1287.5),
                volume: dec!(18.75),
            },
            volume: dec!(18.75),
            raised: false,
        };
        let average = MeterPart {
            serial: "ГВ-01".into(),
            found: Found::Average {
                from: Base {
                    period: Some(month("2026-03")),
                    value: dec!(6.25),
                },
                to: Base {
                    period: Some(month("2026-09")),
                    value: dec!(43.75),
                },
                span: 6,
                volume: dec!(6.25),
            },
            volume: dec!(6.25),
            raised: false,
        };
        let missing = MeterPart {
            serial: "ХВ-02".into(),
            found: Found::Normative { faulty: true },
            volume: dec!(4.74),
            raised: true,
        };
        let normative = NormativeVolume {
            people: People {
                residents: 3,
                owners: 1,
            },
            normative: dec!(3.16),
            volume: dec!(9.48),
            meters: 2,
            coefficient: Some(dec!(1.5)),
        };
        let basis = Basis::Meters {
            meters: vec![late, average, missing],
            normative: Some(normative),
        };
        assert_eq!(
            rules_note(&basis, Locale::Ru),
            "ХВ-01 по показаниям: 1\u{a0}287,500 − 1\u{a0}268,750 (1\u{a0}250,000 за июнь 2026 \
             + 18,750 по оценке за июль 2026 – сентябрь 2026) = 18,750 м³; \
             ГВ-01 по среднему за 6 мес.: (43,750 − 6,250) / 6 = 6,250 м³; \
             ХВ-02 по нормативу: 3 чел. × 3,16 м³ / 2 сч. = 4,74 м³ × К 1,5"
        );
        let none = Basis::NoMeter {
            normative: NormativeVolume {
                people: People {
                    residents: 0,
                    owners: 1,
                },
                meters: 0,
                volume: dec!(3.16),
                coefficient: None,
                ..normative
            },
        };
        assert_eq!(
            rules_note(&none, Locale::En),
            "by normative: 1 owner × 3.16 m³ = 3.16 m³"
        );
        let sum = Basis::Sum {
            cold: dec!(9.45),
            hot: dec!(-1.2),
        };
        assert_eq!(
            rules_note(&sum, Locale::Ru),
            "ХВС 9,450 + ГВС -1,200 = 8,250 м³"
        );
    }

    #[test]
    fn a_negative_volume_reads_as_a_recalculation() {
        let part = MeterPart {
            serial: "ХВ-01".into(),
            found: Found::Actual {
                base: Base {
                    period: Some(month("2026-06")),
                    value: dec!(16),
                },
                estimated: dec!(6),
                estimated_months: Some((month("2026-07"), month("2026-09"))),
                reading: dec!(19),
                volume: dec!(-3),
            },
            volume: dec!(-3),
            raised: false,
        };
        let basis = Basis::Meters {
            meters: vec![part],
            normative: None,
        };
        assert!(
            rules_note(&basis, Locale::Ru)
                .starts_with("перерасчёт: ХВ-01 по показаниям: 19,000 − 22,000"),
            "{}",
            rules_note(&basis, Locale::Ru)
        );
    }

    #[test]
    fn notes_in_russian_use_decimal_commas_and_month_names() {
        let october = Period::new(2026, 10).unwrap();
        assert_eq!(
            note(&meters(), october, Locale::Ru),
            "CW-1: сентябрь 2026 100,000 → октябрь 2026 110,500 (10,500 м³); \
             CW-2: начальное 0,000 → нет показания за октябрь 2026 (добавляет 0 м³)"
        );
        let area = Explanation::Rules(Basis::Area { area: dec!(1054.3) });
        assert_eq!(note(&area, october, Locale::Ru), "площадь 1\u{a0}054,30 м²");
    }

    #[test]
    fn a_debts_penalty_reads_as_its_arithmetic() {
        let debt = DebtPenalty {
            month: Period::new(2026, 3).unwrap(),
            due: day(2026, 4, 15),
            spans: vec![PenaltySpan {
                from: day(2026, 5, 16),
                to: day(2026, 7, 14),
                days: 60,
                outstanding: dec!(4000),
                rate: dec!(9.5),
                fraction: Fraction::OneIn300,
                amount: dec!(76),
            }],
        };
        assert_eq!(
            penalty_debt(&debt, Locale::Ru),
            "за март 2026 (срок 15.04.2026): 4\u{a0}000,00 ₽ × 60 дн. × 1/300 × 9,5 %"
        );
        assert_eq!(
            penalty_debt(&debt, Locale::En),
            "for 2026-03 (due 2026-04-15): 4000.00 ₽ × 60 days × 1/300 × 9.5 %"
        );
    }
}
