use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{HouseId, id_type};
use crate::db::schema::{apartment_residents, apartments};
use crate::domain::Period;

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
    /// counted for a normative when nobody lives there
    pub owners: i32,
    /// an act says no meter can be installed: no increasing coefficient
    pub meter_impossible: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = apartments)]
pub struct NewApartment<'a> {
    pub house_id: HouseId,
    pub number: &'a str,
    pub area: Decimal,
    pub owners: i32,
    pub meter_impossible: bool,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = apartments)]
pub struct ApartmentChangeset<'a> {
    pub number: Option<&'a str>,
    pub area: Option<Decimal>,
    pub owners: Option<i32>,
    pub meter_impossible: Option<bool>,
}

id_type!(ResidentsId);

/// How many people live in an apartment from a month on.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = apartment_residents, check_for_backend(diesel::pg::Pg))]
pub struct Residents {
    pub id: ResidentsId,
    pub apartment_id: ApartmentId,
    /// None: before any month (the count the apartment was created with)
    pub valid_from: Option<Period>,
    pub count: i32,
}

#[derive(Debug, Clone, Copy, Insertable)]
#[diesel(table_name = apartment_residents)]
pub struct NewResidents {
    pub apartment_id: ApartmentId,
    pub valid_from: Option<Period>,
    pub count: i32,
}
