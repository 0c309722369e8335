use diesel::prelude::*;

use std::collections::HashMap;

use crate::db::models::{
    Apartment, ApartmentChangeset, ApartmentId, HouseId, NewApartment, NewResidents, Residents,
};
use crate::db::schema::{apartment_residents, apartments};
use crate::domain::residents::ResidentsFrom;

/// A house's apartments in id order (the order billing processes them).
pub fn list_for_house(conn: &mut PgConnection, house: HouseId) -> QueryResult<Vec<Apartment>> {
    apartments::table
        .filter(apartments::house_id.eq(house))
        .order_by(apartments::id)
        .select(Apartment::as_select())
        .load(conn)
}

/// The apartments with these ids, in id order.
pub fn by_ids(conn: &mut PgConnection, ids: &[ApartmentId]) -> QueryResult<Vec<Apartment>> {
    apartments::table
        .filter(apartments::id.eq_any(ids))
        .order_by(apartments::id)
        .select(Apartment::as_select())
        .load(conn)
}

pub fn find(conn: &mut PgConnection, id: ApartmentId) -> QueryResult<Apartment> {
    apartments::table
        .find(id)
        .select(Apartment::as_select())
        .first(conn)
}

pub fn insert(conn: &mut PgConnection, apartment: &NewApartment) -> QueryResult<Apartment> {
    diesel::insert_into(apartments::table)
        .values(apartment)
        .returning(Apartment::as_returning())
        .get_result(conn)
}

/// Inserts many apartments in one statement; rows come back in input order.
pub fn insert_many(conn: &mut PgConnection, new: &[NewApartment]) -> QueryResult<Vec<Apartment>> {
    diesel::insert_into(apartments::table)
        .values(new)
        .returning(Apartment::as_returning())
        .get_results(conn)
}

pub fn update(
    conn: &mut PgConnection,
    id: ApartmentId,
    changes: &ApartmentChangeset,
) -> QueryResult<Apartment> {
    diesel::update(apartments::table.find(id))
        .set(changes)
        .returning(Apartment::as_returning())
        .get_result(conn)
}

/// Deletes the apartment with its meters; the database refuses while any of
/// them has readings or charges.
pub fn delete(conn: &mut PgConnection, id: ApartmentId) -> QueryResult<usize> {
    diesel::delete(apartments::table.find(id)).execute(conn)
}

/// How many readings (of its meters) and charges an apartment has.
pub fn history_counts(conn: &mut PgConnection, id: ApartmentId) -> QueryResult<(i64, i64)> {
    use crate::db::schema::{charges, meters, readings};
    let readings = readings::table
        .inner_join(meters::table)
        .filter(meters::apartment_id.eq(id))
        .count()
        .get_result(conn)?;
    let charges = charges::table
        .filter(charges::apartment_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok((readings, charges))
}

pub fn insert_residents(conn: &mut PgConnection, rows: &[NewResidents]) -> QueryResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    diesel::insert_into(apartment_residents::table)
        .values(rows)
        .execute(conn)
}

/// Sets the count of the row's month (or of the row without a month).
pub fn upsert_residents(conn: &mut PgConnection, row: &NewResidents) -> QueryResult<usize> {
    let same_apartment = apartment_residents::table
        .filter(apartment_residents::apartment_id.eq(row.apartment_id))
        .select(apartment_residents::id)
        .into_boxed();
    let same_month = match row.valid_from {
        Some(month) => same_apartment.filter(apartment_residents::valid_from.eq(month)),
        None => same_apartment.filter(apartment_residents::valid_from.is_null()),
    };
    let existing = same_month
        .first::<crate::db::models::ResidentsId>(conn)
        .optional()?;
    match existing {
        Some(id) => diesel::update(apartment_residents::table.find(id))
            .set(apartment_residents::count.eq(row.count))
            .execute(conn),
        None => insert_residents(conn, std::slice::from_ref(row)),
    }
}

/// Replaces an apartment's whole residents history; rows that stay as they
/// were are left alone, so the audit log names only what changed.
pub fn replace_residents(
    conn: &mut PgConnection,
    apartment: ApartmentId,
    rows: &[NewResidents],
) -> QueryResult<()> {
    let kept: Vec<Residents> = apartment_residents::table
        .filter(apartment_residents::apartment_id.eq(apartment))
        .select(Residents::as_select())
        .load(conn)?;
    let gone: Vec<_> = kept
        .iter()
        .filter(|k| !rows.iter().any(|r| r.valid_from == k.valid_from))
        .map(|k| k.id)
        .collect();
    diesel::delete(apartment_residents::table.filter(apartment_residents::id.eq_any(gone)))
        .execute(conn)?;
    for row in rows {
        let same = kept
            .iter()
            .any(|k| k.valid_from == row.valid_from && k.count == row.count);
        if !same {
            upsert_residents(conn, row)?;
        }
    }
    Ok(())
}

/// The residents history of each apartment, oldest first (the row without
/// a month before the others).
pub fn residents_of(
    conn: &mut PgConnection,
    ids: &[ApartmentId],
) -> QueryResult<HashMap<ApartmentId, Vec<ResidentsFrom>>> {
    let rows: Vec<Residents> = apartment_residents::table
        .filter(apartment_residents::apartment_id.eq_any(ids))
        .order_by((
            apartment_residents::apartment_id,
            apartment_residents::valid_from.asc().nulls_first(),
        ))
        .select(Residents::as_select())
        .load(conn)?;
    let mut by_apartment: HashMap<ApartmentId, Vec<ResidentsFrom>> = HashMap::new();
    for row in rows {
        by_apartment
            .entry(row.apartment_id)
            .or_default()
            .push(ResidentsFrom {
                valid_from: row.valid_from,
                count: u32::try_from(row.count).unwrap_or(0),
            });
    }
    Ok(by_apartment)
}
