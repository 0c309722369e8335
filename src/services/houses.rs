use std::collections::HashMap;

use diesel::prelude::*;

use super::apartments::AddApartment;
use super::{meters, taken};
use crate::db::models::{House, HouseChangeset, HouseId, NewHouse};
use crate::db::queries;
use crate::domain::{Holder, Problem, Service, TimeZone, lookalike_key};
use crate::error::AppError;

const ADDRESS_TAKEN: Problem = Problem::AddressTaken;

/// Rows per multi-row INSERT: well under PostgreSQL's 65535 parameters.
const CHUNK: usize = 5_000;

/// A house to add with its apartments and their meters, already checked
/// field by field.
#[derive(Debug, Clone)]
pub struct AddHouse {
    pub address: String,
    pub time_zone: TimeZone,
    pub services: Vec<Service>,
    pub apartments: Vec<AddApartment>,
}

/// What may change on a house; `None` keeps the current value.
#[derive(Debug, Default, Clone)]
pub struct ChangeHouse {
    pub address: Option<String>,
    pub time_zone: Option<TimeZone>,
    pub services: Option<Vec<Service>>,
}

/// Creates a house with its apartments and their meters, all or nothing.
/// Errors name the field as `apartments[i].meters[j].serial`.
pub fn create(conn: &mut PgConnection, new: &AddHouse) -> Result<House, AppError> {
    refuse_repeated_numbers(&new.apartments)?;
    conn.transaction(|conn| {
        let row = NewHouse {
            address: &new.address,
            time_zone: new.time_zone,
            services: &new.services,
        };
        let house = queries::houses::insert(conn, &row)
            .map_err(|e| taken(e, "houses_address_key", "address", ADDRESS_TAKEN))?;
        add_apartments(conn, house.id, &new.apartments, "apartments")?;
        Ok(house)
    })
}

/// Inserts apartments (and their meters) into an existing house, inside the
/// caller's transaction. `path` prefixes field names in errors.
pub(super) fn add_apartments(
    conn: &mut PgConnection,
    house: HouseId,
    apartments: &[AddApartment],
    path: &str,
) -> Result<(), AppError> {
    let all_meters: Vec<_> = apartments
        .iter()
        .enumerate()
        .flat_map(|(i, a)| {
            a.meters
                .iter()
                .enumerate()
                .map(move |(j, m)| (format!("{path}[{i}].meters[{j}]"), m))
        })
        .collect();
    meters::refuse_repeated_serials(&all_meters)?;
    meters::refuse_existing_serials(conn, &all_meters)?;

    let mut ids = Vec::with_capacity(apartments.len());
    for chunk in apartments.chunks(CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|a| a.people.new_apartment(house, &a.number, a.area))
            .collect();
        let inserted = queries::apartments::insert_many(conn, &rows).map_err(|e| {
            taken(
                e,
                "apartments_house_id_number_key",
                &format!("{path}.number"),
                Problem::NumberTaken,
            )
        })?;
        ids.extend(inserted.into_iter().map(|a| a.id));
    }
    let residents: Vec<_> = ids
        .iter()
        .zip(apartments)
        .flat_map(|(id, a)| super::apartments::residents_rows(*id, &a.people.residents))
        .collect();
    for chunk in residents.chunks(CHUNK) {
        queries::apartments::insert_residents(conn, chunk)?;
    }
    let pairs: Vec<_> = ids
        .iter()
        .zip(apartments)
        .flat_map(|(id, a)| a.meters.iter().map(move |m| (*id, m)))
        .collect();
    meters::insert_all(conn, &pairs)?;
    for (i, (id, a)) in ids.iter().zip(apartments).enumerate() {
        if let Some(account) = &a.account {
            super::accounts::set(conn, *id, account)
                .map_err(|e| e.within(&format!("{path}[{i}].account")))?;
        }
    }
    Ok(())
}

/// Two apartments of one request with one number can never both be saved.
fn refuse_repeated_numbers(apartments: &[AddApartment]) -> Result<(), AppError> {
    let mut numbers = HashMap::new();
    for (i, apartment) in apartments.iter().enumerate() {
        if let Some(first) = numbers.insert(lookalike_key(&apartment.number), i) {
            return Err(AppError::conflict_field(
                &format!("apartments[{i}].number"),
                Problem::NumberListedTwice {
                    number: apartment.number.clone(),
                    first: format!("apartments[{first}]"),
                },
            ));
        }
    }
    Ok(())
}

pub fn update(
    conn: &mut PgConnection,
    id: HouseId,
    change: &ChangeHouse,
) -> Result<House, AppError> {
    let changes = HouseChangeset {
        address: change.address.as_deref(),
        time_zone: change.time_zone,
        services: change.services.as_deref(),
    };
    // An UPDATE with nothing to set is an error in diesel: nothing to do.
    if changes.address.is_none() && changes.time_zone.is_none() && changes.services.is_none() {
        return Ok(queries::houses::find(conn, id)?);
    }
    conn.transaction(|conn| {
        let before = queries::houses::find(conn, id)?;
        if changes.services.is_some_and(|s| s != before.services) {
            // The services are the lines of every open month.
            queries::run_queue::mark_stale(conn, id, None)?;
        }
        queries::houses::update(conn, id, &changes)
            .map_err(|e| taken(e, "houses_address_key", "address", ADDRESS_TAKEN))
    })
}

/// Deletes an empty house, or one whose apartments and meters have no
/// history; billing history is never deleted.
pub fn delete(conn: &mut PgConnection, id: HouseId) -> Result<House, AppError> {
    conn.transaction(|conn| {
        let house = queries::houses::find(conn, id)?;
        let (readings, charges) = queries::houses::history_counts(conn, id)?;
        if readings + charges > 0 {
            return Err(AppError::conflict(Problem::HasHistory {
                holder: Holder::House(house.address),
                readings,
                charges,
            }));
        }
        queries::houses::delete(conn, id)?;
        Ok(house)
    })
}
