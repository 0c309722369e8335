use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{MeterId, id_type};
use crate::db::schema::readings;
use crate::domain::{Period, ReadingSource};

id_type!(ReadingId);

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = readings, check_for_backend(diesel::pg::Pg))]
pub struct Reading {
    pub id: ReadingId,
    pub meter_id: MeterId,
    pub period: Period,
    /// m³ on the meter's dial
    pub value: Decimal,
    pub source: ReadingSource,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = readings)]
pub struct NewReading {
    pub meter_id: MeterId,
    pub period: Period,
    pub value: Decimal,
    pub source: ReadingSource,
}

/// Saving a reading again for the same month corrects it.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = readings)]
pub struct ReadingChangeset {
    pub value: Decimal,
    pub source: ReadingSource,
    pub updated_at: DateTime<Utc>,
}
