//! A house's bill for a month as billing left it: per apartment its lines,
//! its account's penalty (a line of its own, stored apart in `penalties`)
//! and total, and the house total; what the results page, the charges API
//! and the CSV export show.

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::models::{Apartment, ApartmentId, Charge, House, HouseId, PenaltyCharge, TariffId};
use crate::db::queries;
use crate::domain::billing::Explanation;
use crate::domain::ledger::DebtPenalty;
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
    /// Its lines and its penalty.
    pub total: Decimal,
    /// Water lines first, then maintenance.
    pub lines: Vec<ChargeLine>,
    /// Its account's penalty of the month, when it has one: the bill's last
    /// line.
    pub penalty: Option<PenaltyLine>,
}

/// The penalty (пени) of an apartment's account for the month: no quantity
/// or price, the amount and the overdue months it accrued on.
#[derive(Debug, Clone, PartialEq)]
pub struct PenaltyLine {
    /// The account's number.
    pub account: String,
    pub amount: Decimal,
    /// Oldest first; None only if the stored explanation cannot be read.
    pub debts: Option<Vec<DebtPenalty>>,
}

impl PenaltyLine {
    fn new(account: String, penalty: PenaltyCharge) -> Self {
        Self {
            debts: serde_json::from_value(penalty.explanation).ok(),
            amount: penalty.amount,
            account,
        }
    }

    /// A sentence per overdue month, in `locale` (none if the explanation
    /// cannot be read).
    pub fn notes(&self, locale: Locale) -> Vec<String> {
        self.debts.as_ref().map_or_else(Vec::new, |debts| {
            debts
                .iter()
                .map(|d| explain::penalty_debt(d, locale))
                .collect()
        })
    }

    /// The explanation in one sentence, in `locale`.
    pub fn note(&self, locale: Locale) -> String {
        self.notes(locale).join("; ")
    }
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

/// The house's lines and penalties for `period`; NotFound if the house does
/// not exist.
pub fn house_month(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
) -> QueryResult<HouseCharges> {
    let house = queries::houses::find(conn, house)?;
    let rows = queries::charges::for_house_month(conn, house.id, period)?;
    let penalties = queries::charges::penalties_for_house_month(conn, house.id, period)?;
    let apartments = gather(rows, penalties);
    Ok(HouseCharges {
        total: apartments.iter().map(|a| a.total).sum(),
        house,
        period,
        apartments,
    })
}

/// Lines and penalties, each in apartment id order, as apartments in that
/// order: each penalty ends its apartment's bill and counts in its total.
fn gather(
    rows: Vec<(Apartment, Charge)>,
    penalties: Vec<(Apartment, String, PenaltyCharge)>,
) -> Vec<ApartmentCharges> {
    let billed = |apartment: Apartment| ApartmentCharges {
        id: apartment.id,
        number: apartment.number,
        area: apartment.area,
        total: Decimal::ZERO,
        lines: Vec::new(),
        penalty: None,
    };
    let mut apartments: Vec<ApartmentCharges> = Vec::new();
    for (apartment, charge) in rows {
        let line = ChargeLine::new(charge);
        if apartments.last().is_none_or(|last| last.id != apartment.id) {
            apartments.push(billed(apartment));
        }
        if let Some(last) = apartments.last_mut() {
            last.total += line.amount;
            last.lines.push(line);
        }
    }
    for (apartment, account, penalty) in penalties {
        let line = PenaltyLine::new(account, penalty);
        // A penalty is charged with its apartment's lines, so the apartment
        // is there; should it not be, it is billed the penalty alone.
        let at = match apartments.binary_search_by_key(&apartment.id, |a| a.id) {
            Ok(at) => at,
            Err(at) => {
                apartments.insert(at, billed(apartment));
                at
            }
        };
        apartments[at].total += line.amount;
        apartments[at].penalty = Some(line);
    }
    apartments
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::db::models::{AccountId, BillingRunId, ChargeId};

    fn apartment(id: i64) -> Apartment {
        Apartment {
            id: ApartmentId(id),
            house_id: HouseId(1),
            number: id.to_string(),
            area: dec!(50),
            created_at: chrono::Utc::now(),
            owners: 1,
            meter_impossible: false,
        }
    }

    fn maintenance(apartment: i64, amount: Decimal) -> Charge {
        let period = Period::new(2026, 8).unwrap();
        Charge {
            id: ChargeId(apartment),
            run_id: BillingRunId(1),
            apartment_id: ApartmentId(apartment),
            period,
            service: Service::Maintenance,
            quantity: dec!(50),
            unit: Unit::SquareMetre,
            unit_price: dec!(30),
            amount,
            tariff_id: TariffId(1),
            tariff_valid_from: period,
            missing_reading: false,
            explanation: serde_json::json!({"basis": "area", "area": "50.00"}),
            created_at: chrono::Utc::now(),
            method: LineMethod::Area,
            coefficient: None,
            excess: Decimal::ZERO,
        }
    }

    fn penalty(apartment: i64, amount: Decimal) -> (Apartment, String, PenaltyCharge) {
        let charge = PenaltyCharge {
            run_id: BillingRunId(1),
            account_id: AccountId(apartment),
            period: Period::new(2026, 8).unwrap(),
            amount,
            explanation: serde_json::json!([]),
        };
        (self::apartment(apartment), format!("A{apartment}"), charge)
    }

    #[test]
    fn a_penalty_ends_its_apartments_bill_and_counts_in_its_total() {
        let rows = vec![
            (apartment(1), maintenance(1, dec!(1500.00))),
            (apartment(3), maintenance(3, dec!(1200.00))),
        ];
        // Apartment 2's penalty without lines (never so in a run) is still
        // billed, in its place.
        let penalties = vec![penalty(2, dec!(1.50)), penalty(3, dec!(9.12))];
        let apartments = gather(rows, penalties);
        let summary: Vec<_> = apartments
            .iter()
            .map(|a| {
                let penalty = a.penalty.as_ref().map(|p| (p.account.as_str(), p.amount));
                (a.id.0, a.lines.len(), penalty, a.total)
            })
            .collect();
        assert_eq!(
            summary,
            [
                (1, 1, None, dec!(1500.00)),
                (2, 0, Some(("A2", dec!(1.50))), dec!(1.50)),
                (3, 1, Some(("A3", dec!(9.12))), dec!(1209.12)),
            ]
        );
        let line = apartments[2].penalty.as_ref().unwrap();
        assert_eq!(line.debts, Some(Vec::new()));
        assert_eq!(line.note(Locale::En), "");
    }
}
