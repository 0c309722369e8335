use diesel::prelude::*;
use rust_decimal::Decimal;

use super::meters::{self, AddMeter};
use super::taken;
use crate::db::models::{
    Apartment, ApartmentChangeset, ApartmentId, HouseId, NewApartment, NewResidents,
};
use crate::db::queries;
use crate::domain::residents::ResidentsFrom;
use crate::domain::{Holder, Problem};
use crate::error::AppError;

const NUMBER_TAKEN: Problem = Problem::NumberTaken;

/// An apartment to add with its meters, already checked field by field.
#[derive(Debug, Clone)]
pub struct AddApartment {
    pub number: String,
    pub area: Decimal,
    pub people: People,
    pub meters: Vec<AddMeter>,
    pub account: Option<super::accounts::SetAccount>,
}

/// Who lives in and owns an apartment, and whether a meter can be installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct People {
    pub residents: Vec<ResidentsFrom>,
    pub owners: u32,
    pub meter_impossible: bool,
}

impl Default for People {
    /// Nobody registered, one owner, a meter possible.
    fn default() -> Self {
        Self {
            residents: Vec::new(),
            owners: 1,
            meter_impossible: false,
        }
    }
}

impl People {
    pub(super) fn new_apartment<'a>(
        &self,
        house: HouseId,
        number: &'a str,
        area: Decimal,
    ) -> NewApartment<'a> {
        NewApartment {
            house_id: house,
            number,
            area,
            owners: stored(self.owners),
            meter_impossible: self.meter_impossible,
        }
    }
}

/// A count of people as its column holds it (`input::people` bounds it far
/// below `i32::MAX`).
fn stored(count: u32) -> i32 {
    i32::try_from(count).unwrap_or(i32::MAX)
}

/// The residents rows of `apartment` to insert.
pub(super) fn residents_rows(
    apartment: ApartmentId,
    history: &[ResidentsFrom],
) -> Vec<NewResidents> {
    history
        .iter()
        .map(|r| NewResidents {
            apartment_id: apartment,
            valid_from: r.valid_from,
            count: stored(r.count),
        })
        .collect()
}

/// What may change on an apartment; `None` keeps the current value.
#[derive(Debug, Default, Clone)]
pub struct ChangeApartment {
    pub number: Option<String>,
    pub area: Option<Decimal>,
    pub owners: Option<u32>,
    pub meter_impossible: Option<bool>,
    /// The whole history, replacing what is stored.
    pub residents: Option<Vec<ResidentsFrom>>,
}

impl ChangeApartment {
    fn changes_the_row(&self) -> bool {
        self.number.is_some()
            || self.area.is_some()
            || self.owners.is_some()
            || self.meter_impossible.is_some()
    }
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
            &input.people.new_apartment(house, &input.number, input.area),
        )
        .map_err(|e| taken(e, "apartments_house_id_number_key", "number", NUMBER_TAKEN))?;
        queries::apartments::insert_residents(
            conn,
            &residents_rows(apartment.id, &input.people.residents),
        )?;
        let pairs: Vec<_> = input.meters.iter().map(|m| (apartment.id, m)).collect();
        meters::insert_all(conn, &pairs)?;
        if let Some(account) = &input.account {
            super::accounts::set(conn, apartment.id, account).map_err(|e| e.within("account"))?;
        }
        Ok(apartment)
    })
}

pub fn update(
    conn: &mut PgConnection,
    id: ApartmentId,
    change: &ChangeApartment,
) -> Result<Apartment, AppError> {
    let changeset = ApartmentChangeset {
        number: change.number.as_deref(),
        area: change.area,
        owners: change.owners.map(stored),
        meter_impossible: change.meter_impossible,
    };
    conn.transaction(|conn| {
        let apartment = queries::apartments::find(conn, id)?;
        if !change.changes_the_row() && change.residents.is_none() {
            return Ok(apartment);
        }
        // Its area, number and people are inputs of every billed month.
        queries::run_queue::mark_stale(conn, apartment.house_id, None)?;
        if let Some(history) = &change.residents {
            queries::apartments::replace_residents(conn, id, &residents_rows(id, history))?;
        }
        // An UPDATE with nothing to set is an error in diesel.
        if !change.changes_the_row() {
            return Ok(apartment);
        }
        queries::apartments::update(conn, id, &changeset)
            .map_err(|e| taken(e, "apartments_house_id_number_key", "number", NUMBER_TAKEN))
    })
}

/// Sets how many people live in the apartment from a month on (replacing
/// that month's row), and marks its house's bills from that month stale.
pub fn set_residents(
    conn: &mut PgConnection,
    id: ApartmentId,
    residents: ResidentsFrom,
) -> Result<Vec<ResidentsFrom>, AppError> {
    conn.transaction(|conn| {
        let apartment = queries::apartments::find(conn, id)?;
        queries::apartments::upsert_residents(conn, &residents_rows(id, &[residents])[0])?;
        queries::run_queue::mark_stale(conn, apartment.house_id, residents.valid_from)?;
        Ok(queries::apartments::residents_of(conn, &[id])?
            .remove(&id)
            .unwrap_or_default())
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
