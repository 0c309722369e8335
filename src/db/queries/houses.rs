use std::collections::HashMap;

use diesel::dsl::count;
use diesel::prelude::*;

use crate::db::models::{House, HouseChangeset, HouseId, HouseSummary, NewHouse};
use crate::db::schema::{apartments, houses, meters};
use crate::domain::Period;

/// Every house with its apartment and meter counts, by address.
pub fn list_summaries(conn: &mut PgConnection) -> QueryResult<Vec<HouseSummary>> {
    houses::table
        .left_join(apartments::table.left_join(meters::table))
        .group_by((houses::id, houses::address))
        .select((
            houses::id,
            houses::address,
            count(apartments::id.nullable()).aggregate_distinct(),
            count(meters::id.nullable()).aggregate_distinct(),
        ))
        .order_by(houses::address)
        .load(conn)
}

pub fn find(conn: &mut PgConnection, id: HouseId) -> QueryResult<House> {
    houses::table
        .find(id)
        .select(House::as_select())
        .first(conn)
}

/// Every house, by address.
pub fn list(conn: &mut PgConnection) -> QueryResult<Vec<House>> {
    houses::table
        .order_by(houses::address)
        .select(House::as_select())
        .load(conn)
}

/// The house, locked until the transaction ends; no apartment can be added
/// to it meanwhile (their foreign key check needs a share lock).
pub fn lock(conn: &mut PgConnection, id: HouseId) -> QueryResult<House> {
    houses::table
        .find(id)
        .for_update()
        .select(House::as_select())
        .first(conn)
}

/// Each house's last closed month, the houses share-locked until the
/// transaction ends: no month of theirs closes meanwhile, and savers do not
/// wait for each other.
pub fn closed_through_shared(
    conn: &mut PgConnection,
    ids: &[HouseId],
) -> QueryResult<HashMap<HouseId, Option<Period>>> {
    let found: Vec<(HouseId, Option<Period>)> = houses::table
        .filter(houses::id.eq_any(ids))
        .order_by(houses::id)
        .for_share()
        .select((houses::id, houses::closed_through))
        .load(conn)?;
    Ok(found.into_iter().collect())
}

/// Closes the house's months through `last` (none when None).
pub fn set_closed_through(
    conn: &mut PgConnection,
    id: HouseId,
    last: Option<Period>,
) -> QueryResult<House> {
    diesel::update(houses::table.find(id))
        .set(houses::closed_through.eq(last))
        .returning(House::as_returning())
        .get_result(conn)
}

pub fn insert(conn: &mut PgConnection, house: &NewHouse) -> QueryResult<House> {
    diesel::insert_into(houses::table)
        .values(house)
        .returning(House::as_returning())
        .get_result(conn)
}

pub fn update(
    conn: &mut PgConnection,
    id: HouseId,
    changes: &HouseChangeset,
) -> QueryResult<House> {
    diesel::update(houses::table.find(id))
        .set(changes)
        .returning(House::as_returning())
        .get_result(conn)
}

/// Deletes the house with its apartments and meters; the database refuses
/// (foreign key violation) while any of them has readings or charges.
pub fn delete(conn: &mut PgConnection, id: HouseId) -> QueryResult<usize> {
    diesel::delete(houses::table.find(id)).execute(conn)
}

/// How many readings (of its meters) and charges (of its apartments) a
/// house has: what deleting it would destroy.
pub fn history_counts(conn: &mut PgConnection, id: HouseId) -> QueryResult<(i64, i64)> {
    use crate::db::schema::{charges, readings};
    let readings = readings::table
        .inner_join(meters::table.inner_join(apartments::table))
        .filter(apartments::house_id.eq(id))
        .count()
        .get_result(conn)?;
    let charges = charges::table
        .inner_join(apartments::table)
        .filter(apartments::house_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok((readings, charges))
}
