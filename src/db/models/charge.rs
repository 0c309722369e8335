use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{ApartmentId, BillingRunId, MeterId, TariffId, id_type};
use crate::db::schema::{charges, meter_volumes};
use crate::domain::{LineMethod, Period, Service, Unit};

id_type!(ChargeId);

/// One line of an apartment's bill for a month.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = charges, check_for_backend(diesel::pg::Pg))]
pub struct Charge {
    pub id: ChargeId,
    pub run_id: BillingRunId,
    pub apartment_id: ApartmentId,
    pub period: Period,
    pub service: Service,
    pub quantity: Decimal,
    pub unit: Unit,
    pub unit_price: Decimal,
    pub amount: Decimal,
    pub tariff_id: TariffId,
    pub tariff_valid_from: Period,
    pub missing_reading: bool,
    pub explanation: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub method: LineMethod,
    /// K, where it raised some part of the line.
    pub coefficient: Option<Decimal>,
    /// The part of the amount K added.
    pub excess: Decimal,
}

/// Charges are never edited: billing a month again replaces the whole line
/// (`queries::charges::upsert`), so there is no changeset.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = charges)]
pub struct NewCharge {
    pub run_id: BillingRunId,
    pub apartment_id: ApartmentId,
    pub period: Period,
    pub service: Service,
    pub quantity: Decimal,
    pub unit: Unit,
    pub unit_price: Decimal,
    pub amount: Decimal,
    pub tariff_id: TariffId,
    pub tariff_valid_from: Period,
    pub missing_reading: bool,
    pub explanation: serde_json::Value,
    pub method: LineMethod,
    pub coefficient: Option<Decimal>,
    pub excess: Decimal,
}

/// The volume a counting meter contributed to a month's bill.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = meter_volumes, check_for_backend(diesel::pg::Pg))]
pub struct MeterVolume {
    pub meter_id: MeterId,
    pub period: Period,
    pub method: LineMethod,
    pub volume: Decimal,
    pub run_id: BillingRunId,
}
