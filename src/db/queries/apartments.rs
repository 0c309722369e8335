use diesel::prelude::*;

use crate::db::models::{Apartment, ApartmentChangeset, ApartmentId, HouseId, NewApartment};
use crate::db::schema::apartments;

/// A house's apartments in id order (the order billing processes them).
pub fn list_for_house(conn: &mut PgConnection, house: HouseId) -> QueryResult<Vec<Apartment>> {
    apartments::table
        .filter(apartments::house_id.eq(house))
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
