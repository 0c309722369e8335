use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{ApartmentId, id_type};
use crate::db::schema::meters;
use crate::domain::MeterKind;

id_type!(MeterId);

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = meters, check_for_backend(diesel::pg::Pg))]
pub struct Meter {
    pub id: MeterId,
    pub apartment_id: ApartmentId,
    pub serial: String,
    pub kind: MeterKind,
    /// m³ shown when the meter was installed
    pub initial_reading: Decimal,
    pub installed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    /// counts from the month after this one
    pub commissioned_on: Option<NaiveDate>,
    /// faulty from the month after this day's
    pub verified_until: Option<NaiveDate>,
    /// taken out (its final reading is its reading of this month)
    pub decommissioned_on: Option<NaiveDate>,
}

impl Meter {
    /// The dates ПП 354 bills a meter by.
    pub fn dates(&self) -> crate::domain::volume::MeterDates {
        crate::domain::volume::MeterDates {
            commissioned_on: self.commissioned_on,
            verified_until: self.verified_until,
            decommissioned_on: self.decommissioned_on,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = meters)]
pub struct NewMeter<'a> {
    pub apartment_id: ApartmentId,
    pub serial: &'a str,
    pub kind: MeterKind,
    pub initial_reading: Decimal,
    pub installed_on: Option<NaiveDate>,
    pub commissioned_on: Option<NaiveDate>,
    pub verified_until: Option<NaiveDate>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = meters)]
pub struct MeterChangeset<'a> {
    pub serial: Option<&'a str>,
    pub kind: Option<MeterKind>,
    pub initial_reading: Option<Decimal>,
    pub installed_on: Option<Option<NaiveDate>>,
    pub commissioned_on: Option<Option<NaiveDate>>,
    pub verified_until: Option<Option<NaiveDate>>,
    pub decommissioned_on: Option<Option<NaiveDate>>,
}
