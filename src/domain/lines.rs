//! An apartment's lines for a month under ПП 354 (docs/billing.md): water by
//! its counting meters' volumes (`domain::volume`) or by the normative,
//! sewerage as the sum of the water, maintenance by the area. Pure: the
//! apartment's facts and the month's terms in, lines with what explains them
//! out. Money is rounded once per line.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::tariff::Price;
use super::volume::{Found, MeterRecord};
use super::{LineMethod, MeterKind, Period, Service, round_kopecks, round_share};

/// Who lives in the apartment in the month, for the normative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct People {
    pub residents: u32,
    pub owners: u32,
}

impl People {
    /// The people a normative counts: the residents, else the owners.
    pub fn counted(self) -> u32 {
        if self.residents > 0 {
            self.residents
        } else {
            self.owners
        }
    }
}

/// A meter that counts in the month, with how its volume was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountingMeter {
    /// Orders the meters: the last takes a normative's remainder.
    pub id: i64,
    pub serial: String,
    pub kind: MeterKind,
    pub found: Found,
}

/// What a water service costs and allows in the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaterTerms<T> {
    pub price: Price<T>,
    /// m³ per person per month.
    pub normative: Decimal,
    /// The increasing coefficient in effect (1 with none).
    pub coefficient: Decimal,
}

/// One meter's part of a water line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterPart {
    pub serial: String,
    pub found: Found,
    pub volume: Decimal,
    /// The coefficient raised this part (a faulty meter's normative share).
    pub raised: bool,
}

/// The normative volume V = n × N a line used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormativeVolume {
    pub people: People,
    pub normative: Decimal,
    pub volume: Decimal,
    /// The counting meters V is shared among (0 without meters).
    pub meters: usize,
    /// K, where it raised V (no meter) or a faulty meter's share of it.
    #[serde(default)]
    pub coefficient: Option<Decimal>,
}

/// Why a line says what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Basis {
    Meters {
        meters: Vec<MeterPart>,
        normative: Option<NormativeVolume>,
    },
    NoMeter {
        normative: NormativeVolume,
    },
    Sum {
        cold: Decimal,
        hot: Decimal,
    },
    Area {
        area: Decimal,
    },
}

/// A line before it has a service's name: its numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures<T> {
    pub quantity: Decimal,
    pub price: Price<T>,
    pub amount: Decimal,
    pub method: LineMethod,
    /// K where it raised any part of the line.
    pub coefficient: Option<Decimal>,
    /// The part of the amount K added: amount − round(T × quantity).
    pub excess: Decimal,
    pub basis: Basis,
}

fn priced<T: Copy>(
    quantity: Decimal,
    price: Price<T>,
    amount: Decimal,
    coefficient: Option<Decimal>,
) -> (Decimal, Decimal, Option<Decimal>) {
    let plain = round_kopecks(price.price * quantity);
    (amount, amount - plain, coefficient)
}

/// A water service's line from its counting meters of `kind` (`meters` may
/// hold other kinds), or from the normative when it has none.
/// `meter_impossible`: an act says no meter can be installed, so no
/// coefficient applies.
pub fn water<T: Copy>(
    kind: MeterKind,
    meters: &[CountingMeter],
    people: People,
    meter_impossible: bool,
    terms: &WaterTerms<T>,
) -> Figures<T> {
    let mut own: Vec<&CountingMeter> = meters.iter().filter(|m| m.kind == kind).collect();
    own.sort_by_key(|m| m.id);
    let mut normative = NormativeVolume {
        people,
        normative: terms.normative,
        volume: Decimal::from(people.counted()) * terms.normative,
        meters: own.len(),
        coefficient: None,
    };
    let price = terms.price;
    if own.is_empty() {
        let k = if meter_impossible {
            Decimal::ONE
        } else {
            terms.coefficient
        };
        let quantity = normative.volume;
        let amount = round_kopecks(price.price * quantity * k);
        let (amount, excess, coefficient) =
            priced(quantity, price, amount, (k > Decimal::ONE).then_some(k));
        normative.coefficient = coefficient;
        return Figures {
            quantity,
            price,
            amount,
            method: LineMethod::Normative,
            coefficient,
            excess,
            basis: Basis::NoMeter { normative },
        };
    }

    let share = round_share(normative.volume / Decimal::from(own.len()));
    let all_normative = own
        .iter()
        .all(|m| matches!(m.found, Found::Normative { .. }));
    let last = own.len() - 1;
    let parts: Vec<MeterPart> = own
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (volume, raised) = match &m.found {
                Found::Actual { volume, .. } | Found::Average { volume, .. } => (*volume, false),
                // Shares sum to V when every meter falls to the normative.
                Found::Normative { faulty } => {
                    let volume = if all_normative && i == last {
                        normative.volume - share * Decimal::from(last)
                    } else {
                        share
                    };
                    (volume, *faulty && !meter_impossible)
                }
            };
            MeterPart {
                serial: m.serial.clone(),
                found: m.found.clone(),
                volume,
                raised,
            }
        })
        .collect();
    let quantity: Decimal = parts.iter().map(|p| p.volume).sum();
    let raised: Decimal = parts.iter().filter(|p| p.raised).map(|p| p.volume).sum();
    let k = terms.coefficient;
    let amount = round_kopecks(price.price * (quantity - raised + k * raised));
    let raises = k > Decimal::ONE && raised != Decimal::ZERO;
    let (amount, excess, coefficient) = priced(quantity, price, amount, raises.then_some(k));
    normative.coefficient = coefficient;
    let used_normative = parts
        .iter()
        .any(|p| matches!(p.found, Found::Normative { .. }));
    Figures {
        quantity,
        price,
        amount,
        method: method_of(&parts),
        coefficient,
        excess,
        basis: Basis::Meters {
            meters: parts,
            normative: used_normative.then_some(normative),
        },
    }
}

fn method_of(parts: &[MeterPart]) -> LineMethod {
    let method = |part: &MeterPart| match part.found {
        Found::Actual { .. } => LineMethod::Actual,
        Found::Average { .. } => LineMethod::Average,
        Found::Normative { .. } => LineMethod::Normative,
    };
    let first = parts.first().map_or(LineMethod::Actual, method);
    if parts.iter().all(|p| method(p) == first) {
        first
    } else {
        LineMethod::Mixed
    }
}

/// Sewerage: the cold and hot quantities as billed (without K,
/// recalculations included).
pub fn sewerage<T: Copy>(cold: Decimal, hot: Decimal, price: Price<T>) -> Figures<T> {
    let quantity = cold + hot;
    Figures {
        quantity,
        price,
        amount: round_kopecks(price.price * quantity),
        method: LineMethod::Sum,
        coefficient: None,
        excess: Decimal::ZERO,
        basis: Basis::Sum { cold, hot },
    }
}

/// Maintenance: the area.
pub fn maintenance<T: Copy>(area: Decimal, price: Price<T>) -> Figures<T> {
    Figures {
        quantity: area,
        price,
        amount: round_kopecks(price.price * area),
        method: LineMethod::Area,
        coefficient: None,
        excess: Decimal::ZERO,
        basis: Basis::Area { area },
    }
}

/// An apartment as billing sees it in a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApartmentFacts {
    /// m²
    pub area: Decimal,
    pub people: People,
    pub meter_impossible: bool,
    /// All its meters: [`bill`] keeps those that count in the month.
    pub meters: Vec<MeterFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeterFacts {
    pub id: i64,
    pub serial: String,
    pub kind: MeterKind,
    pub record: MeterRecord,
}

/// What a house's month is billed by: the services it bills, their prices,
/// and per water service its normative and coefficient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthTerms<T> {
    pub period: Period,
    pub services: Vec<Service>,
    pub prices: BTreeMap<Service, Price<T>>,
    pub water: BTreeMap<MeterKind, WaterRates>,
}

/// A water service's normative (m³ per person per month, in effect from
/// `normative_from`) and increasing coefficient (1 with none in effect).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaterRates {
    pub normative: Decimal,
    pub normative_from: Period,
    pub coefficient: Decimal,
}

/// What a month needs and the terms lack: a service's tariff, or a water
/// service's normative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpriced {
    Tariff(Service),
    Normative(Service),
}

/// One line of an apartment's bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<T> {
    pub service: Service,
    pub figures: Figures<T>,
    /// Some counting meter of the line has no usable reading for the month.
    pub missing_reading: bool,
}

/// The volume one counting meter contributed to the month (without K): an
/// estimate (average, normative) is what a later reading is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeterVolume {
    pub meter: i64,
    pub method: LineMethod,
    pub volume: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApartmentBill<T> {
    /// In the order of the house's services.
    pub lines: Vec<Line<T>>,
    pub volumes: Vec<MeterVolume>,
}

impl<T> ApartmentBill<T> {
    pub fn total(&self) -> Decimal {
        self.lines.iter().map(|l| l.figures.amount).sum()
    }
}

/// An apartment's bill for `terms.period`: a line per service of the house
/// (water by its counting meters or the normative, sewerage as their sum,
/// maintenance by the area) and each counting meter's volume.
pub fn bill<T: Copy>(
    apartment: &ApartmentFacts,
    terms: &MonthTerms<T>,
) -> Result<ApartmentBill<T>, Unpriced> {
    let price = |service| {
        terms
            .prices
            .get(&service)
            .copied()
            .ok_or(Unpriced::Tariff(service))
    };
    let bills = |service| terms.services.contains(&service);
    let mut lines = Vec::with_capacity(terms.services.len());
    let mut volumes = Vec::new();
    let mut water_quantity = BTreeMap::new();
    for &kind in MeterKind::ALL {
        let service = kind.service();
        if !bills(service) {
            continue;
        }
        let rates = terms.water.get(&kind).ok_or(Unpriced::Normative(service))?;
        let mut counting: Vec<CountingMeter> = apartment
            .meters
            .iter()
            .filter(|m| m.kind == kind && m.record.dates.counts_in(terms.period))
            .map(|m| CountingMeter {
                id: m.id,
                serial: m.serial.clone(),
                kind,
                found: m.record.volume(terms.period),
            })
            .collect();
        counting.sort_by_key(|m| m.id);
        let water_terms = WaterTerms {
            price: price(service)?,
            normative: rates.normative,
            coefficient: rates.coefficient,
        };
        let figures = water(
            kind,
            &counting,
            apartment.people,
            apartment.meter_impossible,
            &water_terms,
        );
        let mut missing_reading = false;
        if let Basis::Meters { meters, .. } = &figures.basis {
            // `water` keeps the meters' order, which is by id.
            for (meter, part) in counting.iter().zip(meters) {
                let method = match part.found {
                    Found::Actual { .. } => LineMethod::Actual,
                    Found::Average { .. } => LineMethod::Average,
                    Found::Normative { .. } => LineMethod::Normative,
                };
                missing_reading |= method != LineMethod::Actual;
                volumes.push(MeterVolume {
                    meter: meter.id,
                    method,
                    volume: part.volume,
                });
            }
        }
        water_quantity.insert(kind, figures.quantity);
        lines.push(Line {
            service,
            figures,
            missing_reading,
        });
    }
    if bills(Service::Sewerage) {
        let of = |kind| water_quantity.get(&kind).copied().unwrap_or_default();
        lines.push(Line {
            service: Service::Sewerage,
            figures: sewerage(
                of(MeterKind::ColdWater),
                of(MeterKind::HotWater),
                price(Service::Sewerage)?,
            ),
            missing_reading: false,
        });
    }
    if bills(Service::Maintenance) {
        lines.push(Line {
            service: Service::Maintenance,
            figures: maintenance(apartment.area, price(Service::Maintenance)?),
            missing_reading: false,
        });
    }
    Ok(ApartmentBill { lines, volumes })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::domain::volume::Base;

    fn price(value: Decimal) -> Price<u8> {
        Price {
            tariff: 1,
            price: value,
            valid_from: "2026-01".parse::<Period>().unwrap(),
        }
    }

    fn terms(t: Decimal, n: Decimal, k: Decimal) -> WaterTerms<u8> {
        WaterTerms {
            price: price(t),
            normative: n,
            coefficient: k,
        }
    }

    fn actual(volume: Decimal) -> Found {
        Found::Actual {
            base: Base {
                period: None,
                value: Decimal::ZERO,
            },
            estimated: Decimal::ZERO,
            estimated_months: None,
            reading: volume,
            volume,
        }
    }

    fn cold(id: i64, found: Found) -> CountingMeter {
        CountingMeter {
            id,
            serial: format!("ХВ-{id}"),
            kind: MeterKind::ColdWater,
            found,
        }
    }

    const THREE: People = People {
        residents: 3,
        owners: 1,
    };

    #[test]
    fn no_meter_pays_the_raised_normative_unless_none_can_be_installed() {
        let t = terms(dec!(46.18), dec!(3.16), dec!(1.5));
        let line = water(MeterKind::ColdWater, &[], THREE, false, &t);
        // 3 × 3.16 = 9.48 m³; 9.48 × 46.18 × 1.5 = 656.6796 → 656.68.
        assert_eq!(line.quantity, dec!(9.48));
        assert_eq!(line.amount, dec!(656.68));
        assert_eq!(line.excess, dec!(656.68) - dec!(437.79));
        assert_eq!(line.coefficient, Some(dec!(1.5)));
        assert_eq!(line.method, LineMethod::Normative);
        let impossible = water(MeterKind::ColdWater, &[], THREE, true, &t);
        assert_eq!(
            (impossible.amount, impossible.excess, impossible.coefficient),
            (dec!(437.79), dec!(0), None)
        );
        let owners = People {
            residents: 0,
            owners: 2,
        };
        assert_eq!(
            water(MeterKind::ColdWater, &[], owners, false, &t).quantity,
            dec!(6.32)
        );
    }

    #[test]
    fn a_missing_meter_of_two_takes_half_the_normative_without_k() {
        let t = terms(dec!(50), dec!(3.5), dec!(3));
        let meters = [
            cold(1, actual(dec!(4.2))),
            cold(2, Found::Normative { faulty: false }),
        ];
        let line = water(MeterKind::ColdWater, &meters, THREE, false, &t);
        // V = 10.5; share = 5.25; 4.2 + 5.25 = 9.45 m³ × 50.
        assert_eq!(line.quantity, dec!(9.45));
        assert_eq!(line.amount, dec!(472.50));
        assert_eq!((line.coefficient, line.excess), (None, dec!(0)));
        assert_eq!(line.method, LineMethod::Mixed);
    }

    #[test]
    fn a_faulty_meters_share_is_raised_and_only_the_amount_grows() {
        let t = terms(dec!(50), dec!(3.5), dec!(3));
        let meters = [cold(7, Found::Normative { faulty: true })];
        let line = water(MeterKind::ColdWater, &meters, THREE, false, &t);
        assert_eq!(line.quantity, dec!(10.5), "K never changes the volume");
        assert_eq!(line.amount, dec!(1575.00));
        assert_eq!(line.excess, dec!(1050.00));
        assert_eq!(line.coefficient, Some(dec!(3)));
        let impossible = water(MeterKind::ColdWater, &meters, THREE, true, &t);
        assert_eq!(impossible.amount, dec!(525.00));
    }

    #[test]
    fn sewerage_is_cold_plus_hot_and_recalculations_count() {
        let line = sewerage(dec!(9.45), dec!(-1.2), price(dec!(30.9)));
        assert_eq!(line.quantity, dec!(8.25));
        assert_eq!(line.amount, dec!(254.93));
        assert_eq!(line.method, LineMethod::Sum);
        assert_eq!(
            maintenance(dec!(54.3), price(dec!(28.45))).amount,
            dec!(1544.84)
        );
    }

    fn month_terms(services: &[Service]) -> MonthTerms<u8> {
        let prices = [
            (Service::ColdWater, dec!(46.18)),
            (Service::HotWater, dec!(210.5)),
            (Service::Sewerage, dec!(30.9)),
            (Service::Maintenance, dec!(28.45)),
        ]
        .into_iter()
        .map(|(s, t)| (s, price(t)))
        .collect();
        let rates = |normative| WaterRates {
            normative,
            normative_from: "2026-01".parse().unwrap(),
            coefficient: dec!(1.5),
        };
        MonthTerms {
            period: "2026-10".parse().unwrap(),
            services: services.to_vec(),
            prices,
            water: [
                (MeterKind::ColdWater, rates(dec!(3.16))),
                (MeterKind::HotWater, rates(dec!(2.5))),
            ]
            .into_iter()
            .collect(),
        }
    }

    fn meter_facts(id: i64, kind: MeterKind, readings: &[(&str, Decimal)]) -> MeterFacts {
        MeterFacts {
            id,
            serial: format!("M-{id}"),
            kind,
            record: MeterRecord {
                initial_reading: dec!(100),
                readings: readings
                    .iter()
                    .map(|(m, v)| (m.parse().unwrap(), *v))
                    .collect(),
                ..MeterRecord::default()
            },
        }
    }

    #[test]
    fn an_apartment_gets_a_line_per_service_of_the_house_and_a_volume_per_counting_meter() {
        let mut new_meter = meter_facts(9, MeterKind::ColdWater, &[("2026-10", dec!(101))]);
        new_meter.record.dates.commissioned_on = "2026-10-05".parse().ok();
        let apartment = ApartmentFacts {
            area: dec!(54.3),
            people: THREE,
            meter_impossible: false,
            meters: vec![
                new_meter,
                meter_facts(4, MeterKind::ColdWater, &[("2026-10", dec!(104.2))]),
            ],
        };
        let all = [
            Service::ColdWater,
            Service::HotWater,
            Service::Sewerage,
            Service::Maintenance,
        ];
        let bill = bill(&apartment, &month_terms(&all)).unwrap();
        let services: Vec<Service> = bill.lines.iter().map(|l| l.service).collect();
        assert_eq!(services, all);
        let cold = &bill.lines[0].figures;
        // The meter commissioned in October counts from November.
        assert_eq!((cold.quantity, cold.amount), (dec!(4.2), dec!(193.96)));
        // No hot meter: 3 × 2.5 = 7.5 m³ × 210.5 × 1.5 = 2368.125 → 2368.13.
        let hot = &bill.lines[1].figures;
        assert_eq!((hot.quantity, hot.amount), (dec!(7.5), dec!(2368.13)));
        // Sewerage: 4.2 + 7.5 m³ without K.
        assert_eq!(bill.lines[2].figures.quantity, dec!(11.7));
        assert_eq!(bill.lines[2].figures.amount, dec!(361.53));
        assert_eq!(bill.lines[3].figures.amount, dec!(1544.84));
        assert_eq!(
            bill.total(),
            dec!(193.96) + dec!(2368.13) + dec!(361.53) + dec!(1544.84)
        );
        assert_eq!(
            bill.volumes,
            [MeterVolume {
                meter: 4,
                method: LineMethod::Actual,
                volume: dec!(4.2)
            }]
        );
        assert!(!bill.lines[0].missing_reading);

        let unread = ApartmentFacts {
            meters: vec![meter_facts(4, MeterKind::ColdWater, &[])],
            ..apartment
        };
        let only_water = bill_of(&unread, &[Service::ColdWater]);
        assert_eq!(only_water.lines.len(), 1);
        assert!(only_water.lines[0].missing_reading);
        assert_eq!(only_water.volumes[0].method, LineMethod::Normative);
        assert_eq!(only_water.volumes[0].volume, dec!(9.48));
        let mut no_normative = month_terms(&all);
        no_normative.water.remove(&MeterKind::HotWater);
        assert_eq!(
            super::bill(&unread, &no_normative),
            Err(Unpriced::Normative(Service::HotWater))
        );
    }

    fn bill_of(apartment: &ApartmentFacts, services: &[Service]) -> ApartmentBill<u8> {
        bill(apartment, &month_terms(services)).unwrap()
    }

    proptest! {
        /// When every meter falls to the normative, the shares (each
        /// rounded to 0.0001) add up to V exactly.
        #[test]
        fn shares_sum_to_the_normative_volume(
            meters in 1usize..6,
            residents in 0u32..9,
            normative in 1u32..80_000,
        ) {
            let t = terms(dec!(41.5), Decimal::new(i64::from(normative), 4), dec!(1.5));
            let all: Vec<CountingMeter> = (0..meters)
                .map(|i| cold(i as i64, Found::Normative { faulty: false }))
                .collect();
            let people = People { residents, owners: 1 };
            let line = water(MeterKind::ColdWater, &all, people, false, &t);
            let v = Decimal::from(people.counted()) * t.normative;
            prop_assert_eq!(line.quantity, v);
            prop_assert_eq!(line.amount, round_kopecks(v * t.price.price));
            prop_assert_eq!(line.excess, Decimal::ZERO);
        }

        /// K raises the amount, never the quantity, and the excess is what
        /// it added.
        #[test]
        fn the_coefficient_raises_only_the_amount(
            volume in 0u32..50_000,
            k in 10u32..40,
        ) {
            let k = Decimal::new(i64::from(k), 1);
            let t = terms(dec!(46.18), dec!(3.16), k);
            let meters = [
                cold(1, actual(Decimal::new(i64::from(volume), 3))),
                cold(2, Found::Normative { faulty: true }),
            ];
            let line = water(MeterKind::ColdWater, &meters, THREE, false, &t);
            let plain = round_kopecks(line.quantity * t.price.price);
            prop_assert_eq!(line.amount - line.excess, plain);
            prop_assert!(line.excess >= Decimal::ZERO);
        }
    }
}
