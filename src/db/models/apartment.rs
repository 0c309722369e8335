use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{HouseId, id_type};
use crate::db::schema::apartments;

id_type!(ApartmentId);

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = apartments, check_for_backend(diesel::pg::Pg))]
pub struct Apartment {
    pub id: ApartmentId,
    pub house_id: HouseId,
    pub number: String,
    /// m²
    pub area: Decimal,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = apartments)]
pub struct NewApartment<'a> {
    pub house_id: HouseId,
    pub number: &'a str,
    pub area: Decimal,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = apartments)]
pub struct ApartmentChangeset<'a> {
    pub number: Option<&'a str>,
    pub area: Option<Decimal>,
}
