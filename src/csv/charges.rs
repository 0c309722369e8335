//! A house's billed month as a download, in the dialect Excel opens (as the
//! readings template), in the reader's language: a title row (address and
//! month), then either one row per charge line (an account's penalty the
//! apartment's last, without quantity or price) and the house total, or one
//! row per apartment with a column per service, the penalty's and its total
//! (the layout accountants otherwise pivot to by hand).

use rust_decimal::Decimal;

use super::write::{ExcelCsv, decimal_comma};
use crate::billing::charges::HouseCharges;
use crate::domain::{Service, Unit};
use crate::i18n::{Locale, format};

/// Which rows the export has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// One row per charge line.
    #[default]
    Lines,
    /// One row per apartment, a column per service.
    Apartments,
}

const LINE_COLUMNS: [&str; 12] = [
    "charges-csv-apartment",
    "charges-csv-service",
    "charges-csv-quantity",
    "charges-csv-unit",
    "charges-csv-price",
    "charges-csv-tariff-from",
    "charges-csv-amount",
    "charges-csv-method",
    "charges-csv-coefficient",
    "charges-csv-excess",
    "charges-csv-missing-reading",
    "charges-csv-explanation",
];

/// Volumes to the litre (a normative share to 0.0001 m³), areas to
/// 0.01 m², as the ledger has them.
fn quantity(value: Decimal, unit: Unit) -> String {
    match unit {
        Unit::CubicMetre => decimal_comma(value, value.normalize().scale().max(3) as usize),
        Unit::SquareMetre => decimal_comma(value, 2),
    }
}

/// A price to kopecks, with its third and fourth decimal only if not zero.
fn price(value: Decimal) -> String {
    decimal_comma(value, value.normalize().scale().clamp(2, 4) as usize)
}

/// The file of `charges` in `layout`; every record has the header's length
/// (the title row is padded).
pub fn write(charges: &HouseCharges, layout: Layout, locale: Locale) -> Vec<u8> {
    match layout {
        Layout::Lines => by_line(charges, locale),
        Layout::Apartments => by_apartment(charges, locale),
    }
}

fn title(charges: &HouseCharges, width: usize, locale: Locale) -> Vec<String> {
    let mut row = vec![
        charges.house.address.clone(),
        format::month(charges.period, locale),
    ];
    row.resize(width, String::new());
    row
}

fn by_line(charges: &HouseCharges, locale: Locale) -> Vec<u8> {
    let mut file = ExcelCsv::new();
    file.record(title(charges, LINE_COLUMNS.len(), locale));
    file.record(LINE_COLUMNS.map(|key| locale.text(key)));
    let yes = locale.text("charges-csv-yes");
    for apartment in &charges.apartments {
        for line in &apartment.lines {
            file.record([
                apartment.number.as_str(),
                &locale.name(line.service),
                &quantity(line.quantity, line.unit),
                &locale.name(line.unit),
                &price(line.unit_price),
                &format::month(line.tariff_valid_from, locale),
                &decimal_comma(line.amount, 2),
                &locale.name(line.method),
                &line
                    .coefficient
                    .map_or_else(String::new, |k| format::coefficient(k, locale)),
                &if line.excess.is_zero() {
                    String::new()
                } else {
                    decimal_comma(line.excess, 2)
                },
                if line.missing_reading { &yes } else { "" },
                &line.note(locale),
            ]);
        }
        if let Some(penalty) = &apartment.penalty {
            let mut row = vec![String::new(); LINE_COLUMNS.len()];
            row[0] = apartment.number.clone();
            row[1] = locale.text("billing-penalty");
            row[6] = decimal_comma(penalty.amount, 2);
            row[11] = penalty.note(locale);
            file.record(row);
        }
    }
    let mut total = vec![String::new(); LINE_COLUMNS.len()];
    total[0] = locale.text("charges-csv-total");
    total[6] = decimal_comma(charges.total, 2);
    file.record(total);
    file.into_bytes()
}

fn by_apartment(charges: &HouseCharges, locale: Locale) -> Vec<u8> {
    // The services billed in the month, in their usual order.
    let services: Vec<Service> = Service::ALL
        .iter()
        .copied()
        .filter(|s| {
            charges
                .apartments
                .iter()
                .any(|a| a.lines.iter().any(|l| l.service == *s))
        })
        .collect();
    // Its column only when some account was charged one.
    let penalties = charges.apartments.iter().any(|a| a.penalty.is_some());
    let width = services.len() + usize::from(penalties) + 3;
    let mut file = ExcelCsv::new();
    file.record(title(charges, width, locale));
    let mut header = vec![
        locale.text("charges-csv-apartment"),
        locale.text("charges-csv-area"),
    ];
    header.extend(services.iter().map(|s| {
        locale.text_with(
            "charges-csv-service-amount",
            &[("service", locale.name(*s).into())],
        )
    }));
    if penalties {
        header.push(locale.text_with(
            "charges-csv-service-amount",
            &[("service", locale.text("billing-penalty").into())],
        ));
    }
    header.push(locale.text("charges-csv-apartment-total"));
    file.record(header);
    let mut sums = vec![Decimal::ZERO; services.len()];
    let mut penalty_sum = Decimal::ZERO;
    for apartment in &charges.apartments {
        let mut row = vec![apartment.number.clone(), decimal_comma(apartment.area, 2)];
        for (i, service) in services.iter().enumerate() {
            let amount: Decimal = apartment
                .lines
                .iter()
                .filter(|l| l.service == *service)
                .map(|l| l.amount)
                .sum();
            sums[i] += amount;
            row.push(decimal_comma(amount, 2));
        }
        if penalties {
            let amount = apartment
                .penalty
                .as_ref()
                .map_or(Decimal::ZERO, |p| p.amount);
            penalty_sum += amount;
            row.push(decimal_comma(amount, 2));
        }
        row.push(decimal_comma(apartment.total, 2));
        file.record(row);
    }
    let mut total = vec![locale.text("charges-csv-total"), String::new()];
    total.extend(sums.iter().map(|sum| decimal_comma(*sum, 2)));
    if penalties {
        total.push(decimal_comma(penalty_sum, 2));
    }
    total.push(decimal_comma(charges.total, 2));
    file.record(total);
    file.into_bytes()
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::billing::charges::{ApartmentCharges, ChargeLine, PenaltyLine};
    use crate::db::models::{ApartmentId, House, HouseId, TariffId};
    use crate::domain::billing::{Dial, Explanation, MeterLine, V1Basis};
    use crate::domain::ledger::{DebtPenalty, Fraction, PenaltySpan};
    use crate::domain::lines::Basis;
    use crate::domain::{LineMethod, Period, Service};

    fn line(service: Service, quantity: Decimal, price: Decimal, amount: Decimal) -> ChargeLine {
        let explanation = match service {
            Service::Maintenance => Explanation::Rules(Basis::Area { area: quantity }),
            // A line billed before the rules reads as it was written.
            _ => Explanation::V1(V1Basis::Meters {
                meters: vec![MeterLine {
                    serial: "ХВ-01".into(),
                    previous: Dial {
                        period: Period::new(2026, 9),
                        value: dec!(1000.000),
                    },
                    current: Some(dec!(1001.500)),
                    consumption: quantity,
                }],
            }),
        };
        ChargeLine {
            service,
            quantity,
            unit: service.unit(),
            unit_price: price,
            amount,
            tariff_id: TariffId(1),
            tariff_valid_from: Period::new(2026, 1).unwrap(),
            missing_reading: service == Service::ColdWater,
            method: match service {
                Service::Maintenance => LineMethod::Area,
                _ => LineMethod::Actual,
            },
            coefficient: None,
            excess: Decimal::ZERO,
            explanation: Some(explanation),
            period: Period::new(2026, 10).unwrap(),
        }
    }

    fn charges() -> HouseCharges {
        let apartment = |id, number: &str, lines: Vec<ChargeLine>| ApartmentCharges {
            id: ApartmentId(id),
            number: number.into(),
            area: dec!(54.3),
            total: lines.iter().map(|l| l.amount).sum(),
            lines,
            penalty: None,
        };
        HouseCharges {
            house: House {
                id: HouseId(3),
                address: "ул. Баумана, д. 12".into(),
                created_at: chrono::Utc::now(),
                time_zone: crate::domain::TimeZone::default(),
                closed_through: None,
                services: crate::domain::Service::ALL.to_vec(),
            },
            period: Period::new(2026, 10).unwrap(),
            total: dec!(2697.29),
            apartments: vec![
                apartment(
                    9,
                    "12А",
                    vec![
                        line(Service::ColdWater, dec!(1.5), dec!(42.3), dec!(63.45)),
                        line(
                            Service::Maintenance,
                            dec!(54.3),
                            dec!(24.2625),
                            dec!(1317.45),
                        ),
                    ],
                ),
                apartment(
                    10,
                    "=1+2",
                    vec![line(
                        Service::Maintenance,
                        dec!(54.3),
                        dec!(24.25),
                        dec!(1316.39),
                    )],
                ),
            ],
        }
    }

    #[test]
    fn lines_then_the_total_in_russian_with_decimal_commas() {
        let text = String::from_utf8(write(&charges(), Layout::Lines, Locale::Ru)).unwrap();
        assert_eq!(
            text,
            "\u{feff}ул. Баумана, д. 12;октябрь 2026;;;;;;;;;;\r\n\
             Квартира;Услуга;Объём;Ед. изм.;Тариф, ₽;Тариф с;Начислено, ₽;Способ расчёта;\
             Повышающий коэффициент;В т. ч. повышение, ₽;Нет показания;Пояснение\r\n\
             12А;Холодное водоснабжение;1,500;м³;42,30;январь 2026;63,45;По показаниям;;;да;ХВ-01: сентябрь 2026 1\u{a0}000,000 → октябрь 2026 1\u{a0}001,500 (1,500 м³)\r\n\
             12А;Содержание жилого помещения;54,30;м²;24,2625;январь 2026;1317,45;По площади;;;;площадь 54,30 м²\r\n\
             '=1+2;Содержание жилого помещения;54,30;м²;24,25;январь 2026;1316,39;По площади;;;;площадь 54,30 м²\r\n\
             Итого;;;;;;2697,29;;;;;\r\n"
        );
    }

    #[test]
    fn lines_in_english_keep_the_old_headers() {
        let text = String::from_utf8(write(&charges(), Layout::Lines, Locale::En)).unwrap();
        let mut rows = text.split("\r\n");
        assert_eq!(
            rows.next(),
            Some("\u{feff}ул. Баумана, д. 12;2026-10;;;;;;;;;;")
        );
        assert_eq!(
            rows.next(),
            Some(
                "apartment;service;quantity;unit;price;tariff from;amount;method;coefficient;\
                 of it raised by the coefficient;missing reading;explanation"
            )
        );
        assert_eq!(
            rows.next(),
            Some(
                "12А;Cold water;1,500;m³;42,30;2026-01;63,45;By readings;;;yes;ХВ-01: 2026-09 1000.000 → 2026-10 1001.500 (1.500 m³)"
            )
        );
    }

    #[test]
    fn one_row_per_apartment_with_a_column_per_service_and_the_totals() {
        let text = String::from_utf8(write(&charges(), Layout::Apartments, Locale::Ru)).unwrap();
        assert_eq!(
            text,
            "\u{feff}ул. Баумана, д. 12;октябрь 2026;;;\r\n\
             Квартира;Площадь, м²;Холодное водоснабжение, ₽;Содержание жилого помещения, ₽;Итого, ₽\r\n\
             12А;54,30;63,45;1317,45;1380,90\r\n\
             '=1+2;54,30;0,00;1316,39;1316,39\r\n\
             Итого;;63,45;2633,84;2697,29\r\n"
        );
    }

    /// The charges with a penalty of 8.87 on apartment 12А's account.
    fn with_penalty() -> HouseCharges {
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let mut charges = charges();
        let first = &mut charges.apartments[0];
        first.penalty = Some(PenaltyLine {
            account: "1001001001".into(),
            amount: dec!(8.87),
            debts: Some(vec![DebtPenalty {
                month: Period::new(2026, 7).unwrap(),
                due: day(8, 15),
                spans: vec![PenaltySpan {
                    from: day(10, 15),
                    to: day(10, 30),
                    days: 16,
                    outstanding: dec!(1750),
                    rate: dec!(9.5),
                    fraction: Fraction::OneIn300,
                    amount: dec!(8.866666666666666666666666667),
                }],
            }]),
        });
        first.total += dec!(8.87);
        charges.total += dec!(8.87);
        charges
    }

    #[test]
    fn a_penalty_is_its_apartments_last_line_without_quantity_or_price() {
        let text = String::from_utf8(write(&with_penalty(), Layout::Lines, Locale::Ru)).unwrap();
        let rows: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            rows[4],
            "12А;Пени;;;;;8,87;;;;;за июль 2026 (срок 15.08.2026): 1\u{a0}750,00 ₽ × 16 дн. × 1/300 × 9,5 %"
        );
        assert!(rows[5].starts_with("'=1+2;"), "{}", rows[5]);
        assert_eq!(rows[6], "Итого;;;;;;2706,16;;;;;");
        let english = String::from_utf8(write(&with_penalty(), Layout::Lines, Locale::En)).unwrap();
        assert!(
            english.contains(
                "12А;Penalty;;;;;8,87;;;;;for 2026-07 (due 2026-08-15): 1750.00 ₽ × 16 days × 1/300 × 9.5 %\r\n"
            ),
            "{english}"
        );
    }

    #[test]
    fn by_apartment_the_penalty_has_its_column_when_some_account_has_one() {
        let text =
            String::from_utf8(write(&with_penalty(), Layout::Apartments, Locale::Ru)).unwrap();
        assert_eq!(
            text,
            "\u{feff}ул. Баумана, д. 12;октябрь 2026;;;;\r\n\
             Квартира;Площадь, м²;Холодное водоснабжение, ₽;Содержание жилого помещения, ₽;Пени, ₽;Итого, ₽\r\n\
             12А;54,30;63,45;1317,45;8,87;1389,77\r\n\
             '=1+2;54,30;0,00;1316,39;0,00;1316,39\r\n\
             Итого;;63,45;2633,84;8,87;2706,16\r\n"
        );
    }
}
