use chrono::Utc;
use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::db::models::{MeterId, NewReading, Reading};
use crate::db::schema::readings;

/// A meter's readings, oldest first.
pub fn list_for_meter(conn: &mut PgConnection, meter: MeterId) -> QueryResult<Vec<Reading>> {
    readings::table
        .filter(readings::meter_id.eq(meter))
        .order_by(readings::period)
        .select(Reading::as_select())
        .load(conn)
}

/// Saves readings; one already stored for the same meter and month is
/// corrected rather than duplicated. Returns how many rows were written.
pub fn upsert(conn: &mut PgConnection, new: &[NewReading]) -> QueryResult<usize> {
    diesel::insert_into(readings::table)
        .values(new)
        .on_conflict((readings::meter_id, readings::period))
        .do_update()
        .set((
            readings::value.eq(excluded(readings::value)),
            readings::source.eq(excluded(readings::source)),
            readings::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
}
