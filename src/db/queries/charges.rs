use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::db::models::{Apartment, ApartmentId, Charge, HouseId, NewCharge};
use crate::db::schema::{apartments, charges};
use crate::domain::Period;

/// Writes charge lines; a line already billed for the same apartment, month
/// and service is replaced, so billing a month again never duplicates.
pub fn upsert(conn: &mut PgConnection, lines: &[NewCharge]) -> QueryResult<usize> {
    diesel::insert_into(charges::table)
        .values(lines)
        .on_conflict((charges::apartment_id, charges::period, charges::service))
        .do_update()
        .set((
            charges::run_id.eq(excluded(charges::run_id)),
            charges::quantity.eq(excluded(charges::quantity)),
            charges::unit.eq(excluded(charges::unit)),
            charges::unit_price.eq(excluded(charges::unit_price)),
            charges::amount.eq(excluded(charges::amount)),
            charges::tariff_id.eq(excluded(charges::tariff_id)),
            charges::tariff_valid_from.eq(excluded(charges::tariff_valid_from)),
            charges::missing_reading.eq(excluded(charges::missing_reading)),
            charges::explanation.eq(excluded(charges::explanation)),
        ))
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
