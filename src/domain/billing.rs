//! The billing arithmetic (docs/billing.md, "What a month's bill is") as
//! pure functions: one apartment's readings, area and prices in, its charge
//! lines out, each keeping what explains it.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{MeterKind, Period, Service, Unit, round_kopecks};

/// A reading as billing sees it: the month it was taken, or none for a
/// meter's initial reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dial {
    pub period: Option<Period>,
    pub value: Decimal,
}

/// One meter of the apartment: its latest reading before the billed month
/// (else its initial reading) and its reading for the month, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeterReadings {
    pub serial: String,
    pub kind: MeterKind,
    pub previous: Dial,
    pub current: Option<Decimal>,
}

/// What billing needs of one apartment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApartmentToBill {
    /// m²
    pub area: Decimal,
    pub meters: Vec<MeterReadings>,
}

/// The tariff used for a service: `T` identifies it (the tariff's id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price<T> {
    pub tariff: T,
    pub price: Decimal,
    pub valid_from: Period,
}

/// Why a line says what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Explanation {
    /// Maintenance: the apartment's area.
    Area { area: Decimal },
    /// Water: each meter's previous and current reading.
    Meters { meters: Vec<MeterLine> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterLine {
    pub serial: String,
    pub previous: Dial,
    /// None: no reading for the month; the meter adds 0.
    pub current: Option<Decimal>,
    pub consumption: Decimal,
}

/// One charge line of an apartment's bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<T> {
    pub service: Service,
    pub quantity: Decimal,
    pub unit: Unit,
    pub price: Price<T>,
    /// round(quantity × price) to kopecks, half away from zero.
    pub amount: Decimal,
    /// Some meter of the service has no reading for the month.
    pub missing_reading: bool,
    pub explanation: Explanation,
}

/// The services an apartment is billed for: maintenance always, and each
/// water service it has a meter of.
pub fn services_needed(apartment: &ApartmentToBill) -> BTreeSet<Service> {
    let mut services: BTreeSet<Service> =
        apartment.meters.iter().map(|m| m.kind.service()).collect();
    services.insert(Service::Maintenance);
    services
}

/// Bills one apartment. `prices` must hold every service of
/// [`services_needed`]; a run checks that before it starts.
///
/// # Panics
/// If a needed service has no price: a run must never get this far.
pub fn bill_apartment<T: Copy>(
    apartment: &ApartmentToBill,
    prices: &BTreeMap<Service, Price<T>>,
) -> Vec<Line<T>> {
    let price_of = |service: Service| {
        *prices
            .get(&service)
            .unwrap_or_else(|| panic!("no {service} price: the run should not have started"))
    };
    let mut lines = Vec::with_capacity(3);
    for kind in [MeterKind::ColdWater, MeterKind::HotWater] {
        let meters: Vec<MeterLine> = apartment
            .meters
            .iter()
            .filter(|m| m.kind == kind)
            .map(|m| MeterLine {
                serial: m.serial.clone(),
                previous: m.previous,
                current: m.current,
                consumption: m.current.map_or(Decimal::ZERO, |c| c - m.previous.value),
            })
            .collect();
        if meters.is_empty() {
            continue;
        }
        let service = kind.service();
        let price = price_of(service);
        let quantity: Decimal = meters.iter().map(|m| m.consumption).sum();
        lines.push(Line {
            service,
            quantity,
            unit: service.unit(),
            amount: round_kopecks(quantity * price.price),
            missing_reading: meters.iter().any(|m| m.current.is_none()),
            price,
            explanation: Explanation::Meters { meters },
        });
    }
    let price = price_of(Service::Maintenance);
    lines.push(Line {
        service: Service::Maintenance,
        quantity: apartment.area,
        unit: Unit::SquareMetre,
        amount: round_kopecks(apartment.area * price.price),
        missing_reading: false,
        price,
        explanation: Explanation::Area {
            area: apartment.area,
        },
    });
    lines
}

/// An apartment's total: the sum of its line amounts.
pub fn total<T>(lines: &[Line<T>]) -> Decimal {
    lines.iter().map(|l| l.amount).sum()
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    fn meter(
        serial: &str,
        kind: MeterKind,
        previous: Decimal,
        current: Option<Decimal>,
    ) -> MeterReadings {
        MeterReadings {
            serial: serial.into(),
            kind,
            previous: Dial {
                period: Some(p("2026-09")),
                value: previous,
            },
            current,
        }
    }

    fn prices(cold: Decimal, hot: Decimal, maintenance: Decimal) -> BTreeMap<Service, Price<u32>> {
        [
            (Service::ColdWater, cold, 1),
            (Service::HotWater, hot, 2),
            (Service::Maintenance, maintenance, 3),
        ]
        .into_iter()
        .map(|(service, price, id)| {
            let price = Price {
                tariff: id,
                price,
                valid_from: p("2026-01"),
            };
            (service, price)
        })
        .collect()
    }

    #[test]
    fn several_meters_of_one_kind_are_summed_before_pricing() {
        let apartment = ApartmentToBill {
            area: dec!(54.30),
            meters: vec![
                meter(
                    "C1",
                    MeterKind::ColdWater,
                    dec!(100.000),
                    Some(dec!(103.333)),
                ),
                meter("C2", MeterKind::ColdWater, dec!(50.000), Some(dec!(51.112))),
                meter("H1", MeterKind::HotWater, dec!(20.000), Some(dec!(22.500))),
            ],
        };
        let lines = bill_apartment(&apartment, &prices(dec!(42.30), dec!(214.76), dec!(24.50)));
        assert_eq!(lines.len(), 3);
        let cold = &lines[0];
        assert_eq!(cold.service, Service::ColdWater);
        assert_eq!(cold.quantity, dec!(4.445));
        // 4.445 × 42.30 = 188.0235 -> 188.02; per meter it would be 141.00 + 47.04 = 188.04.
        assert_eq!(cold.amount, dec!(188.02));
        assert_eq!(lines[1].amount, dec!(536.90)); // 2.5 × 214.76
        assert_eq!(lines[2].amount, dec!(1330.35)); // 54.30 × 24.50
        assert_eq!(total(&lines), dec!(2055.27));
    }

    #[test]
    fn a_meter_without_a_reading_adds_nothing_and_marks_the_line() {
        let apartment = ApartmentToBill {
            area: dec!(40),
            meters: vec![
                meter("C1", MeterKind::ColdWater, dec!(100), Some(dec!(104))),
                meter("C2", MeterKind::ColdWater, dec!(50), None),
            ],
        };
        let lines = bill_apartment(&apartment, &prices(dec!(10), dec!(20), dec!(1)));
        assert_eq!(lines[0].quantity, dec!(4));
        assert!(lines[0].missing_reading);
        match &lines[0].explanation {
            Explanation::Meters { meters } => {
                assert_eq!(meters[1].current, None);
                assert_eq!(meters[1].consumption, Decimal::ZERO);
            }
            other => panic!("{other:?}"),
        }
        assert!(!lines[1].missing_reading, "maintenance never misses");
    }

    #[test]
    fn an_apartment_without_meters_pays_maintenance_only() {
        let apartment = ApartmentToBill {
            area: dec!(33.33),
            meters: vec![],
        };
        assert_eq!(
            services_needed(&apartment),
            BTreeSet::from([Service::Maintenance])
        );
        let lines = bill_apartment(&apartment, &prices(dec!(1), dec!(1), dec!(3)));
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].unit, Unit::SquareMetre);
        assert_eq!(lines[0].amount, dec!(99.99));
        assert_eq!(
            lines[0].explanation,
            Explanation::Area { area: dec!(33.33) }
        );
    }

    #[test]
    fn half_a_kopeck_rounds_away_from_zero_once_per_line() {
        // 0.5 m² × 0.0101 = 0.00505 -> 0.01; 1 m³ × 0.0050 = 0.005 -> 0.01
        let apartment = ApartmentToBill {
            area: dec!(0.5),
            meters: vec![meter("C1", MeterKind::ColdWater, dec!(0), Some(dec!(1)))],
        };
        let lines = bill_apartment(&apartment, &prices(dec!(0.0050), dec!(1), dec!(0.0101)));
        assert_eq!(lines[0].amount, dec!(0.01));
        assert_eq!(lines[1].amount, dec!(0.01));
    }

    #[test]
    fn the_explanation_serialises_for_storage() {
        let line = &bill_apartment(
            &ApartmentToBill {
                area: dec!(1),
                meters: vec![meter("C1", MeterKind::ColdWater, dec!(1.5), Some(dec!(2)))],
            },
            &prices(dec!(1), dec!(1), dec!(1)),
        )[0];
        let json = serde_json::to_value(&line.explanation).unwrap();
        assert_eq!(json["basis"], "meters");
        assert_eq!(json["meters"][0]["serial"], "C1");
        assert_eq!(json["meters"][0]["previous"]["period"], "2026-09");
        let back: Explanation = serde_json::from_value(json).unwrap();
        assert_eq!(back, line.explanation);
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// A decimal with `scale` places from a whole number of units.
        fn decimal(max_units: i64, scale: u32) -> impl Strategy<Value = Decimal> {
            (0..=max_units).prop_map(move |units| Decimal::new(units, scale))
        }

        fn meters() -> impl Strategy<Value = Vec<MeterReadings>> {
            let meter = (
                prop_oneof![Just(MeterKind::ColdWater), Just(MeterKind::HotWater)],
                decimal(10_000_000, 3),
                proptest::option::of(decimal(50_000, 3)),
            )
                .prop_map(|(kind, previous, used)| MeterReadings {
                    serial: format!("{previous}"),
                    kind,
                    previous: Dial {
                        period: None,
                        value: previous,
                    },
                    current: used.map(|u| previous + u),
                });
            proptest::collection::vec(meter, 0..5)
        }

        proptest! {
            #[test]
            fn lines_are_rounded_products_and_sum_to_the_total(
                area in decimal(1_000_000, 2).prop_filter("area > 0", |a| !a.is_zero()),
                meters in meters(),
                cold in decimal(1_000_000, 4),
                hot in decimal(1_000_000, 4),
                upkeep in decimal(1_000_000, 4),
            ) {
                let apartment = ApartmentToBill { area, meters };
                let prices: BTreeMap<Service, Price<u8>> = [
                    (Service::ColdWater, cold),
                    (Service::HotWater, hot),
                    (Service::Maintenance, upkeep),
                ]
                .into_iter()
                .map(|(s, price)| (s, Price { tariff: 0, price, valid_from: Period::new(2026, 1).unwrap() }))
                .collect();
                let lines = bill_apartment(&apartment, &prices);

                let services: BTreeSet<Service> = lines.iter().map(|l| l.service).collect();
                prop_assert_eq!(&services, &services_needed(&apartment));
                prop_assert_eq!(services.len(), lines.len(), "one line per service");
                for line in &lines {
                    let exact = line.quantity * line.price.price;
                    prop_assert_eq!(line.amount, round_kopecks(exact));
                    prop_assert!((line.amount - exact).abs() <= Decimal::new(5, 3));
                    prop_assert!(line.amount.scale() <= 2);
                    let used: Decimal = apartment
                        .meters
                        .iter()
                        .filter(|m| m.kind.service() == line.service)
                        .map(|m| m.current.map_or(Decimal::ZERO, |c| c - m.previous.value))
                        .sum();
                    if line.service == Service::Maintenance {
                        prop_assert_eq!(line.quantity, area);
                    } else {
                        prop_assert_eq!(line.quantity, used, "meters of a kind are summed");
                    }
                }
                prop_assert_eq!(total(&lines), lines.iter().map(|l| l.amount).sum::<Decimal>());
            }
        }
    }
}
