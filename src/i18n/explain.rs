//! A charge line's explanation in one sentence, in the reader's language:
//! the results page's fallback, the API's `note` (English) and the charges
//! export. «ХВ-01: сентябрь 2026 100,000 → октябрь 2026 110,500 (10,500 м³)»,
//! «площадь 54,30 м²».

use super::{Arg, Locale, format};
use crate::domain::Period;
use crate::domain::billing::{Explanation, MeterLine};

/// `explanation` of a line of the month `period`.
pub fn note(explanation: &Explanation, period: Period, locale: Locale) -> String {
    match explanation {
        Explanation::Area { area } => locale.text_with(
            "explain-area",
            &[("area", format::area(*area, locale).into())],
        ),
        Explanation::Meters { meters } => meters
            .iter()
            .map(|meter| meter_note(meter, period, locale))
            .collect::<Vec<_>>()
            .join("; "),
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

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::domain::billing::Dial;

    fn meters() -> Explanation {
        Explanation::Meters {
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
        }
    }

    #[test]
    fn notes_name_readings_months_and_area_in_english_as_the_api_always_did() {
        let october = Period::new(2026, 10).unwrap();
        assert_eq!(
            note(&meters(), october, Locale::En),
            "CW-1: 2026-09 100.000 → 2026-10 110.500 (10.500 m³); \
             CW-2: initial 0.000 → no reading for 2026-10 (adds 0 m³)"
        );
        let area = Explanation::Area { area: dec!(54.30) };
        assert_eq!(note(&area, october, Locale::En), "area 54.30 m²");
    }

    #[test]
    fn notes_in_russian_use_decimal_commas_and_month_names() {
        let october = Period::new(2026, 10).unwrap();
        assert_eq!(
            note(&meters(), october, Locale::Ru),
            "CW-1: сентябрь 2026 100,000 → октябрь 2026 110,500 (10,500 м³); \
             CW-2: начальное 0,000 → нет показания за октябрь 2026 (добавляет 0 м³)"
        );
        let area = Explanation::Area { area: dec!(1054.3) };
        assert_eq!(note(&area, october, Locale::Ru), "площадь 1\u{a0}054,30 м²");
    }
}
