use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date, Jsonb, Numeric, Text};

use crate::db::models::{Apartment, ApartmentId, Charge, HouseId, NewCharge};
use crate::db::schema::{apartments, charges};
use crate::domain::{Period, Service};

/// Writes charge lines; a line already billed for the same apartment, month
/// and service is replaced, so billing a month again never duplicates. The
/// lines travel as one array per column: a batch of thousands of lines is
/// one statement with 12 parameters, not 12 per line.
pub fn upsert(conn: &mut PgConnection, lines: &[NewCharge]) -> QueryResult<usize> {
    if lines.is_empty() {
        return Ok(0);
    }
    diesel::sql_query(
        "INSERT INTO charges (run_id, apartment_id, period, service, quantity, unit, unit_price, \
                              amount, tariff_id, tariff_valid_from, missing_reading, explanation) \
         SELECT * FROM unnest($1::int8[], $2::int8[], $3::date[], $4::text[], $5::numeric[], \
                              $6::text[], $7::numeric[], $8::numeric[], $9::int8[], $10::date[], \
                              $11::bool[], $12::jsonb[]) \
         ON CONFLICT (apartment_id, period, service) DO UPDATE SET \
             run_id = excluded.run_id, quantity = excluded.quantity, unit = excluded.unit, \
             unit_price = excluded.unit_price, amount = excluded.amount, \
             tariff_id = excluded.tariff_id, tariff_valid_from = excluded.tariff_valid_from, \
             missing_reading = excluded.missing_reading, explanation = excluded.explanation",
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
    .execute(conn)
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
        .order_by((charges::apartment_id, charges::service))
        .select(Charge::as_select())
        .load(conn)
}

/// The month's lines of the house's apartments, with their apartment, in
/// apartment id order, water before maintenance.
pub fn for_house_month(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
) -> QueryResult<Vec<(Apartment, Charge)>> {
    charges::table
        .inner_join(apartments::table)
        .filter(apartments::house_id.eq(house))
        .filter(charges::period.eq(period))
        .order_by((apartments::id, charges::service))
        .select((Apartment::as_select(), Charge::as_select()))
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
