//! A house's bill for a month as billing left it: per apartment its lines
//! and total, and the house total; what the results page, the charges API
//! and the CSV export show.

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::models::{ApartmentId, Charge, House, HouseId, TariffId};
use crate::db::queries;
use crate::domain::billing::Explanation;
use crate::domain::{LineMethod, Period, Service, Unit};
use crate::i18n::{Locale, explain};

#[derive(Debug, Clone, PartialEq)]
pub struct HouseCharges {
    pub house: House,
    pub period: Period,
    /// Sum of the apartment totals.
    pub total: Decimal,
    /// Billed apartments in id order (apartments without lines are absent).
    pub apartments: Vec<ApartmentCharges>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApartmentCharges {
    pub id: ApartmentId,
    pub number: String,
    pub area: Decimal,
    pub total: Decimal,
    /// Water lines first, then maintenance.
    pub lines: Vec<ChargeLine>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChargeLine {
    pub service: Service,
    pub quantity: Decimal,
    pub unit: Unit,
    pub unit_price: Decimal,
    pub amount: Decimal,
    pub tariff_id: TariffId,
    pub tariff_valid_from: Period,
    pub missing_reading: bool,
    pub method: LineMethod,
    /// K, where it raised some part of the line.
    pub coefficient: Option<Decimal>,
    /// The part of the amount K added.
    pub excess: Decimal,
    /// None only if the stored explanation cannot be read.
    pub explanation: Option<Explanation>,
    pub period: Period,
}

impl ChargeLine {
    fn new(charge: Charge) -> Self {
        let explanation: Option<Explanation> = serde_json::from_value(charge.explanation).ok();
        Self {
            service: charge.service,
            quantity: charge.quantity,
            unit: charge.unit,
            unit_price: charge.unit_price,
            amount: charge.amount,
            tariff_id: charge.tariff_id,
            tariff_valid_from: charge.tariff_valid_from,
            missing_reading: charge.missing_reading,
            method: charge.method,
            coefficient: charge.coefficient,
            excess: charge.excess,
            explanation,
            period: charge.period,
        }
    }

    /// The explanation in one sentence, in `locale` (empty if it cannot
    /// be read).
    pub fn note(&self, locale: Locale) -> String {
        self.explanation
            .as_ref()
            .map_or_else(String::new, |e| explain::note(e, self.period, locale))
    }

    /// The explanation a sentence per meter (one for a line without
    /// meters), in `locale`.
    pub fn notes(&self, locale: Locale) -> Vec<String> {
        self.explanation
            .as_ref()
            .map_or_else(Vec::new, |e| explain::notes(e, self.period, locale))
    }

    /// Its quantity is negative: estimates billed before exceeded what the
    /// meters counted, and this month gives it back.
    pub fn is_recalculation(&self) -> bool {
        self.quantity < Decimal::ZERO
    }
}

impl HouseCharges {
    /// No lines, as for a month not billed.
    pub fn none(house: House, period: Period) -> Self {
        Self {
            house,
            period,
            total: Decimal::ZERO,
            apartments: Vec::new(),
        }
    }

    /// Whether some line of the month lacks a reading.
    pub fn missing_readings(&self) -> usize {
        self.apartments
            .iter()
            .flat_map(|a| &a.lines)
            .filter(|l| l.missing_reading)
            .count()
    }
}

/// The house's lines for `period`; NotFound if the house does not exist.
pub fn house_month(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
) -> QueryResult<HouseCharges> {
    let house = queries::houses::find(conn, house)?;
    let rows = queries::charges::for_house_month(conn, house.id, period)?;
    let mut apartments: Vec<ApartmentCharges> = Vec::new();
    for (apartment, charge) in rows {
        let line = ChargeLine::new(charge);
        match apartments.last_mut() {
            Some(last) if last.id == apartment.id => {
                last.total += line.amount;
                last.lines.push(line);
            }
            _ => apartments.push(ApartmentCharges {
                id: apartment.id,
                number: apartment.number,
                area: apartment.area,
                total: line.amount,
                lines: vec![line],
            }),
        }
    }
    Ok(HouseCharges {
        total: apartments.iter().map(|a| a.total).sum(),
        house,
        period,
        apartments,
    })
}
