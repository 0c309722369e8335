use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date, Jsonb, Nullable, Numeric, Text};

use crate::db::models::{
    Apartment, ApartmentId, Charge, HouseId, MeterId, MeterVolume, NewCharge, PenaltyCharge,
};
use crate::db::schema::{accounts, apartments, charges, penalties};
use crate::domain::{Period, Service};

/// Writes charge lines; a line already billed for the same apartment, month
/// and service is replaced, so billing a month again never duplicates. The
/// lines travel as one array per column: a batch of thousands of lines is
/// one statement with 15 parameters, not 15 per line.
pub fn upsert(conn: &mut PgConnection, lines: &[NewCharge]) -> QueryResult<usize> {
    if lines.is_empty() {
        return Ok(0);
    }
    diesel::sql_query(
        "INSERT INTO charges (run_id, apartment_id, period, service, quantity, unit, unit_price, \
                              amount, tariff_id, tariff_valid_from, missing_reading, explanation, \
                              method, coefficient, excess) \
         SELECT * FROM unnest($1::int8[], $2::int8[], $3::date[], $4::text[], $5::numeric[], \
                              $6::text[], $7::numeric[], $8::numeric[], $9::int8[], $10::date[], \
                              $11::bool[], $12::jsonb[], $13::text[], $14::numeric[], \
                              $15::numeric[]) \
         ON CONFLICT (apartment_id, period, service) DO UPDATE SET \
             run_id = excluded.run_id, quantity = excluded.quantity, unit = excluded.unit, \
             unit_price = excluded.unit_price, amount = excluded.amount, \
             tariff_id = excluded.tariff_id, tariff_valid_from = excluded.tariff_valid_from, \
             missing_reading = excluded.missing_reading, explanation = excluded.explanation, \
             method = excluded.method, coefficient = excluded.coefficient, \
             excess = excluded.excess",
    )
    .bind::<Array<BigInt>, _>(lines.iter().map(|l| l.run_id).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(lines.iter().map(|l| l.apartment_id).collect::<Vec<_>>())
    .bind::<Array<Date>, _>(lines.iter().map(|l| l.period).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(lines.iter().map(|l| l.service).collect::<Vec<_>>())
    .bind::<Array<Numeric>, _>(lines.iter().map(|l| l.quantity).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(lines.iter().map(|l| l.unit).collect::<Vec<_>>())
    .bind::<Array<Numeric>, _>(lines.iter().map(|l| l.unit_price).collect::<Vec<_>>())
    .bind::<Array<Numeric>, _>(lines.iter().map(|l| l.amount).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(lines.iter().map(|l| l.tariff_id).collect::<Vec<_>>())
    .bind::<Array<Date>, _>(
        lines
            .iter()
            .map(|l| l.tariff_valid_from)
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Bool>, _>(lines.iter().map(|l| l.missing_reading).collect::<Vec<_>>())
    .bind::<Array<Jsonb>, _>(lines.iter().map(|l| &l.explanation).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(lines.iter().map(|l| l.method).collect::<Vec<_>>())
    .bind::<Array<Nullable<Numeric>>, _>(lines.iter().map(|l| l.coefficient).collect::<Vec<_>>())
    .bind::<Array<Numeric>, _>(lines.iter().map(|l| l.excess).collect::<Vec<_>>())
    .execute(conn)
}

/// Replaces the month's volumes of these meters (the batch's) with
/// `volumes`: a meter that no longer counts loses its row.
pub fn replace_meter_volumes(
    conn: &mut PgConnection,
    meters: &[MeterId],
    period: Period,
    volumes: &[MeterVolume],
) -> QueryResult<usize> {
    if meters.is_empty() {
        return Ok(0);
    }
    // One statement: the delete sees the rows as they were before the
    // insert, which touches none of the rows it deletes.
    diesel::sql_query(
        "WITH gone AS ( \
             DELETE FROM meter_volumes \
             WHERE meter_id = ANY($6) AND period = $7 AND NOT meter_id = ANY($1)) \
         INSERT INTO meter_volumes (meter_id, period, method, volume, run_id) \
         SELECT * FROM unnest($1::int8[], $2::date[], $3::text[], $4::numeric[], $5::int8[]) \
         ON CONFLICT (meter_id, period) DO UPDATE SET \
             method = excluded.method, volume = excluded.volume, run_id = excluded.run_id",
    )
    .bind::<Array<BigInt>, _>(volumes.iter().map(|v| v.meter_id).collect::<Vec<_>>())
    .bind::<Array<Date>, _>(volumes.iter().map(|v| v.period).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(volumes.iter().map(|v| v.method).collect::<Vec<_>>())
    .bind::<Array<Numeric>, _>(volumes.iter().map(|v| v.volume).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(volumes.iter().map(|v| v.run_id).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(meters)
    .bind::<Date, _>(period)
    .execute(conn)
}

/// Lines in the order of a bill: the water, its sewerage, maintenance.
fn service_order()
-> diesel::expression::SqlLiteral<diesel::sql_types::Nullable<diesel::sql_types::Integer>> {
    diesel::dsl::sql(
        "array_position(ARRAY['cold_water', 'hot_water', 'sewerage', 'maintenance'], \
         charges.service)",
    )
}

/// The lines billed to these apartments for a month, by apartment and service.
pub fn list_for_apartments(
    conn: &mut PgConnection,
    apartments: &[ApartmentId],
    period: Period,
) -> QueryResult<Vec<Charge>> {
    charges::table
        .filter(charges::apartment_id.eq_any(apartments))
        .filter(charges::period.eq(period))
        .order_by((charges::apartment_id, service_order()))
        .select(Charge::as_select())
        .load(conn)
}

/// The month's lines of the house's apartments, with their apartment, in
/// apartment id order, water, sewerage, then maintenance.
pub fn for_house_month(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
) -> QueryResult<Vec<(Apartment, Charge)>> {
    charges::table
        .inner_join(apartments::table)
        .filter(apartments::house_id.eq(house))
        .filter(charges::period.eq(period))
        .order_by((apartments::id, service_order()))
        .select((Apartment::as_select(), Charge::as_select()))
        .load(conn)
}

/// The month's penalties of the house's accounts, each with its apartment
/// and account number, in apartment id order: the line each apartment's
/// bill ends with (stored apart from the charges, which are per service).
pub fn penalties_for_house_month(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
) -> QueryResult<Vec<(Apartment, String, PenaltyCharge)>> {
    penalties::table
        .inner_join(accounts::table.inner_join(apartments::table))
        .filter(apartments::house_id.eq(house))
        .filter(penalties::period.eq(period))
        .order_by(apartments::id)
        .select((
            Apartment::as_select(),
            accounts::number,
            PenaltyCharge::as_select(),
        ))
        .load(conn)
}

/// Deletes the month's lines of these apartments whose service is not among
/// `keep` (pairs of apartment and service): what no longer applies when a
/// month is billed again.
pub fn delete_other_lines(
    conn: &mut PgConnection,
    apartments: &[ApartmentId],
    period: Period,
    keep: &[(ApartmentId, Service)],
) -> QueryResult<usize> {
    if apartments.is_empty() {
        return Ok(0);
    }
    let (keep_apartments, keep_services): (Vec<ApartmentId>, Vec<Service>) =
        keep.iter().copied().unzip();
    diesel::sql_query(
        "DELETE FROM charges c \
         WHERE c.apartment_id = ANY($1) AND c.period = $2 \
           AND NOT EXISTS ( \
               SELECT 1 FROM unnest($3::int8[], $4::text[]) AS k(apartment_id, service) \
               WHERE k.apartment_id = c.apartment_id AND k.service = c.service)",
    )
    .bind::<Array<BigInt>, _>(apartments)
    .bind::<Date, _>(period)
    .bind::<Array<BigInt>, _>(keep_apartments)
    .bind::<Array<Text>, _>(keep_services)
    .execute(conn)
}
