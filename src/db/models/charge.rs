use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{ApartmentId, BillingRunId, TariffId, id_type};
use crate::db::schema::charges;
use crate::domain::{Period, Service, Unit};

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
}
