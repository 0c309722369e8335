use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{ApartmentInput, MeterInput, history_phrase, meters, taken};
use crate::db::models::{Apartment, ApartmentChangeset, ApartmentId, HouseId, NewApartment};
use crate::db::queries;
use crate::error::AppError;

const NUMBER_TAKEN: &str = "This house already has an apartment with this number.";

/// Adds an apartment (with its meters) to a house.
pub fn create(
    conn: &mut PgConnection,
    house: HouseId,
    input: &ApartmentInput,
) -> Result<Apartment, AppError> {
    conn.transaction(|conn| {
        queries::houses::find(conn, house)?;
        let paths: Vec<(String, &MeterInput)> = input
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
    number: Option<&str>,
    area: Option<Decimal>,
) -> Result<Apartment, AppError> {
    // An UPDATE with nothing to set is an error in diesel: nothing to do.
    if number.is_none() && area.is_none() {
        return Ok(queries::apartments::find(conn, id)?);
    }
    queries::apartments::update(conn, id, &ApartmentChangeset { number, area })
        .map_err(|e| taken(e, "apartments_house_id_number_key", "number", NUMBER_TAKEN))
}

/// Deletes an apartment (and its meters) that has no readings or charges.
pub fn delete(conn: &mut PgConnection, id: ApartmentId) -> Result<Apartment, AppError> {
    conn.transaction(|conn| {
        let apartment = queries::apartments::find(conn, id)?;
        let (readings, charges) = queries::apartments::history_counts(conn, id)?;
        if readings + charges > 0 {
            return Err(AppError::conflict(format!(
                "Apartment {} has {}; billing history is never deleted.",
                apartment.number,
                history_phrase(readings, charges)
            )));
        }
        queries::apartments::delete(conn, id)?;
        Ok(apartment)
    })
}
