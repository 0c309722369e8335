use chrono::Utc;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Numeric, Text};
use diesel::upsert::excluded;
use rust_decimal::Decimal;

use crate::db::models::{HouseId, MeterId, NewReading, Reading};
use crate::db::schema::readings;
use crate::domain::{MeterKind, Period};

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

/// Every stored reading of these meters: (meter, month, value).
pub fn for_meters(
    conn: &mut PgConnection,
    meters: &[MeterId],
) -> QueryResult<Vec<(MeterId, Period, Decimal)>> {
    readings::table
        .filter(readings::meter_id.eq_any(meters))
        .select((readings::meter_id, readings::period, readings::value))
        .load(conn)
}

/// One meter of a house for the month's entry form and its API twin: the
/// meter, the latest reading before the month and the month's own reading.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct MonthRow {
    #[diesel(sql_type = BigInt)]
    pub meter_id: i64,
    #[diesel(sql_type = Text)]
    pub serial: String,
    #[diesel(sql_type = Text)]
    pub kind: MeterKind,
    #[diesel(sql_type = BigInt)]
    pub apartment_id: i64,
    #[diesel(sql_type = Text)]
    pub apartment_number: String,
    #[diesel(sql_type = Numeric)]
    pub initial_reading: Decimal,
    #[diesel(sql_type = Nullable<Date>)]
    pub previous_period: Option<Period>,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub previous_value: Option<Decimal>,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub value: Option<Decimal>,
}

/// Every meter of the house with its previous and this month's reading, by
/// apartment (natural number order) and meter, in one query.
pub fn house_month(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
) -> QueryResult<Vec<MonthRow>> {
    diesel::sql_query(
        "SELECT m.id AS meter_id, m.serial, m.kind, a.id AS apartment_id, \
                a.number AS apartment_number, m.initial_reading, \
                prev.period AS previous_period, prev.value AS previous_value, \
                cur.value AS value \
         FROM meters m \
         JOIN apartments a ON a.id = m.apartment_id \
         LEFT JOIN LATERAL ( \
             SELECT r.period, r.value FROM readings r \
             WHERE r.meter_id = m.id AND r.period < $2 \
             ORDER BY r.period DESC LIMIT 1) prev ON true \
         LEFT JOIN readings cur ON cur.meter_id = m.id AND cur.period = $2 \
         WHERE a.house_id = $1 \
         ORDER BY substring(a.number from '^[0-9]+')::numeric NULLS LAST, a.number, \
                  m.kind, m.serial",
    )
    .bind::<BigInt, _>(house.0)
    .bind::<Date, _>(period)
    .load(conn)
}
