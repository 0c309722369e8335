use diesel::prelude::*;

use crate::db::models::{ApartmentId, HouseId, Meter, MeterChangeset, MeterId, NewMeter};
use crate::db::schema::meters;
use crate::domain::lookalike_key;

pub fn list_for_apartments(
    conn: &mut PgConnection,
    apartments: &[ApartmentId],
) -> QueryResult<Vec<Meter>> {
    meters::table
        .filter(meters::apartment_id.eq_any(apartments))
        .order_by((meters::apartment_id, meters::kind, meters::serial))
        .select(Meter::as_select())
        .load(conn)
}

pub fn find(conn: &mut PgConnection, id: MeterId) -> QueryResult<Meter> {
    meters::table
        .find(id)
        .select(Meter::as_select())
        .first(conn)
}

/// The meter with this serial, compared by [`lookalike_key`]; a meter whose
/// serial is exactly the one given wins over a look-alike twin left from
/// before keys were unique.
pub fn find_by_serial(conn: &mut PgConnection, serial: &str) -> QueryResult<Meter> {
    meters::table
        .filter(
            meters::serial
                .eq(serial)
                .or(meters::serial_key.eq(lookalike_key(serial))),
        )
        .order_by((meters::serial.eq(serial).desc(), meters::id))
        .select(Meter::as_select())
        .first(conn)
}

pub fn insert(conn: &mut PgConnection, meter: &NewMeter) -> QueryResult<Meter> {
    diesel::insert_into(meters::table)
        .values(meter)
        .returning(Meter::as_returning())
        .get_result(conn)
}

/// Inserts many meters in one statement; rows come back in input order.
pub fn insert_many(conn: &mut PgConnection, new: &[NewMeter]) -> QueryResult<Vec<Meter>> {
    diesel::insert_into(meters::table)
        .values(new)
        .returning(Meter::as_returning())
        .get_results(conn)
}

pub fn update(
    conn: &mut PgConnection,
    id: MeterId,
    changes: &MeterChangeset,
) -> QueryResult<Meter> {
    diesel::update(meters::table.find(id))
        .set(changes)
        .returning(Meter::as_returning())
        .get_result(conn)
}

/// The database refuses while the meter has readings.
pub fn delete(conn: &mut PgConnection, id: MeterId) -> QueryResult<usize> {
    diesel::delete(meters::table.find(id)).execute(conn)
}

/// Which of these keys (see [`lookalike_key`]) some meter's serial already has.
pub fn existing_serial_keys(conn: &mut PgConnection, keys: &[String]) -> QueryResult<Vec<String>> {
    meters::table
        .filter(meters::serial_key.eq_any(keys))
        .select(meters::serial_key)
        .load(conn)
}

/// The meters whose serials have these look-alike keys, with the number of
/// the apartment each is in and its house.
pub fn by_serial_keys(
    conn: &mut PgConnection,
    keys: &[String],
) -> QueryResult<Vec<(Meter, String, crate::db::models::HouseId)>> {
    use crate::db::schema::apartments;
    meters::table
        .inner_join(apartments::table)
        .filter(meters::serial_key.eq_any(keys))
        .select((Meter::as_select(), apartments::number, apartments::house_id))
        .load(conn)
}

pub fn reading_count(conn: &mut PgConnection, id: MeterId) -> QueryResult<i64> {
    use crate::db::schema::readings;
    readings::table
        .filter(readings::meter_id.eq(id))
        .count()
        .get_result(conn)
}

/// The meters with these ids or serials (exactly as given, or by
/// [`lookalike_key`]), each with its house, in id order, locked until the
/// transaction ends so that readings saved meanwhile by others cannot break
/// the checks.
pub fn lock_by_ids_or_serials(
    conn: &mut PgConnection,
    ids: &[MeterId],
    serials: &[&str],
) -> QueryResult<Vec<(Meter, HouseId)>> {
    use crate::db::schema::apartments;
    let keys: Vec<String> = serials.iter().map(|s| lookalike_key(s)).collect();
    meters::table
        .inner_join(apartments::table)
        .filter(
            meters::id
                .eq_any(ids)
                .or(meters::serial.eq_any(serials))
                .or(meters::serial_key.eq_any(keys)),
        )
        .order_by(meters::id)
        // Locks the apartment rows too: harmless, they are only read here.
        .for_update()
        .select((Meter::as_select(), apartments::house_id))
        .load(conn)
}
