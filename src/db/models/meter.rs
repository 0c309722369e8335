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
}

#[derive(Debug, Insertable)]
#[diesel(table_name = meters)]
pub struct NewMeter<'a> {
    pub apartment_id: ApartmentId,
    pub serial: &'a str,
    pub kind: MeterKind,
    pub initial_reading: Decimal,
    pub installed_on: Option<NaiveDate>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = meters)]
pub struct MeterChangeset<'a> {
    pub serial: Option<&'a str>,
    pub kind: Option<MeterKind>,
    pub initial_reading: Option<Decimal>,
    pub installed_on: Option<Option<NaiveDate>>,
}
