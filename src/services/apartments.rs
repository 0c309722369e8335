use diesel::prelude::*;
use rust_decimal::Decimal;

use super::meters::{self, AddMeter};
use super::taken;
use crate::db::models::{Apartment, ApartmentChangeset, ApartmentId, HouseId, NewApartment};
use crate::db::queries;
use crate::domain::{Holder, Problem};
use crate::error::AppError;

const NUMBER_TAKEN: Problem = Problem::NumberTaken;

/// An apartment to add with its meters, already checked field by field.
#[derive(Debug, Clone)]
pub struct AddApartment {
    pub number: String,
    pub area: Decimal,
    pub meters: Vec<AddMeter>,
}

/// What may change on an apartment; `None` keeps the current value.
#[derive(Debug, Default, Clone)]
pub struct ChangeApartment {
    pub number: Option<String>,
    pub area: Option<Decimal>,
}

/// Adds an apartment (with its meters) to a house.
pub fn create(
    conn: &mut PgConnection,
    house: HouseId,
    input: &AddApartment,
) -> Result<Apartment, AppError> {
    conn.transaction(|conn| {
        queries::houses::find(conn, house)?;
        // The house's runs did not bill this apartment.
        queries::run_queue::mark_stale(conn, house, None)?;
        let paths: Vec<(String, &AddMeter)> = input
            .meters
            .iter()
            .enumerate()
            .map(|(j, m)| (format!("meters[{j}]"), m))
            .collect();
        meters::refuse_repeated_serials(&paths)?;
        meters::refuse_existing_serials(conn, &paths)?;
        let apartment = queries::apartments::insert(
            conn,
            &NewApartment {
                house_id: house,
                number: &input.number,
                area: input.area,
            },
        )
        .map_err(|e| taken(e, "apartments_house_id_number_key", "number", NUMBER_TAKEN))?;
        let pairs: Vec<_> = input.meters.iter().map(|m| (apartment.id, m)).collect();
        meters::insert_all(conn, &pairs)?;
        Ok(apartment)
    })
}

pub fn update(
    conn: &mut PgConnection,
    id: ApartmentId,
    change: &ChangeApartment,
) -> Result<Apartment, AppError> {
    // An UPDATE with nothing to set is an error in diesel: nothing to do.
    if change.number.is_none() && change.area.is_none() {
        return Ok(queries::apartments::find(conn, id)?);
    }
    let changeset = ApartmentChangeset {
        number: change.number.as_deref(),
        area: change.area,
    };
    conn.transaction(|conn| {
        let apartment = queries::apartments::find(conn, id)?;
        // Its area and number are on the lines of every billed month.
        queries::run_queue::mark_stale(conn, apartment.house_id, None)?;
        queries::apartments::update(conn, id, &changeset)
            .map_err(|e| taken(e, "apartments_house_id_number_key", "number", NUMBER_TAKEN))
    })
}

/// Deletes an apartment (and its meters) that has no readings or charges.
pub fn delete(conn: &mut PgConnection, id: ApartmentId) -> Result<Apartment, AppError> {
    conn.transaction(|conn| {
        let apartment = queries::apartments::find(conn, id)?;
        let (readings, charges) = queries::apartments::history_counts(conn, id)?;
        if readings + charges > 0 {
            return Err(AppError::conflict(Problem::HasHistory {
                holder: Holder::Apartment(apartment.number),
                readings,
                charges,
            }));
        }
        queries::run_queue::mark_stale(conn, apartment.house_id, None)?;
        queries::apartments::delete(conn, id)?;
        Ok(apartment)
    })
}
