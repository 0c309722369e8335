//! A house's billed month as a download, in the dialect Excel opens (as the
//! readings template): one row per charge line, then the house total.

use rust_decimal::Decimal;

use super::write::{ExcelCsv, decimal_comma};
use crate::billing::charges::HouseCharges;
use crate::domain::Unit;
use crate::i18n::Locale;

const HEADER: [&str; 9] = [
    "apartment",
    "service",
    "quantity",
    "unit",
    "price",
    "tariff from",
    "amount",
    "missing reading",
    "explanation",
];

/// Volumes to the litre, areas to 0.01 m², as the pages show them.
fn quantity(value: Decimal, unit: Unit) -> String {
    match unit {
        Unit::CubicMetre => decimal_comma(value, 3),
        Unit::SquareMetre => decimal_comma(value, 2),
    }
}

/// The file of `charges`; every record has the header's length.
pub fn write(charges: &HouseCharges) -> Vec<u8> {
    let mut file = ExcelCsv::new();
    file.record(HEADER);
    for apartment in &charges.apartments {
        for line in &apartment.lines {
            file.record([
                apartment.number.as_str(),
                &Locale::En.name(line.service),
                &quantity(line.quantity, line.unit),
                &Locale::En.name(line.unit),
                &decimal_comma(line.unit_price, 4),
                &line.tariff_valid_from.to_string(),
                &decimal_comma(line.amount, 2),
                if line.missing_reading { "yes" } else { "" },
                &line.note,
            ]);
        }
    }
    file.record([
        "Total",
        "",
        "",
        "",
        "",
        "",
        &decimal_comma(charges.total, 2),
        "",
        "",
    ]);
    file.into_bytes()
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::billing::charges::{ApartmentCharges, ChargeLine};
    use crate::db::models::{ApartmentId, House, HouseId, TariffId};
    use crate::domain::billing::Explanation;
    use crate::domain::{Period, Service};

    fn line(service: Service, quantity: Decimal, price: Decimal, amount: Decimal) -> ChargeLine {
        ChargeLine {
            service,
            quantity,
            unit: service.unit(),
            unit_price: price,
            amount,
            tariff_id: TariffId(1),
            tariff_valid_from: Period::new(2026, 1).unwrap(),
            missing_reading: service == Service::ColdWater,
            explanation: None::<Explanation>,
            note: format!("{service}; note"),
        }
    }

    #[test]
    fn lines_then_the_total_with_decimal_commas() {
        let charges = HouseCharges {
            house: House {
                id: HouseId(3),
                address: "A".into(),
                created_at: chrono::Utc::now(),
            },
            period: Period::new(2026, 10).unwrap(),
            total: dec!(1380.37),
            apartments: vec![ApartmentCharges {
                id: ApartmentId(9),
                number: "12А".into(),
                area: dec!(54.3),
                total: dec!(1380.37),
                lines: vec![
                    line(Service::ColdWater, dec!(1.5), dec!(42.3), dec!(63.45)),
                    line(Service::Maintenance, dec!(54.3), dec!(24.26), dec!(1316.92)),
                ],
            }],
        };
        let text = String::from_utf8(write(&charges)).unwrap();
        assert_eq!(
            text,
            "\u{feff}apartment;service;quantity;unit;price;tariff from;amount;missing reading;explanation\r\n\
             12А;Cold water;1,500;m³;42,3000;2026-01;63,45;yes;\"cold_water; note\"\r\n\
             12А;Maintenance;54,30;m²;24,2600;2026-01;1316,92;;\"maintenance; note\"\r\n\
             Total;;;;;;1380,37;;\r\n"
        );
    }
}
