use diesel::prelude::*;

use crate::db::models::{NewTariff, Tariff, TariffChangeset, TariffId};
use crate::db::schema::tariffs;

/// Every tariff: by service, defaults before house overrides, newest first.
pub fn list(conn: &mut PgConnection) -> QueryResult<Vec<Tariff>> {
    tariffs::table
        .order_by((
            tariffs::service,
            tariffs::house_id.asc().nulls_first(),
            tariffs::valid_from.desc(),
        ))
        .select(Tariff::as_select())
        .load(conn)
}

pub fn find(conn: &mut PgConnection, id: TariffId) -> QueryResult<Tariff> {
    tariffs::table
        .find(id)
        .select(Tariff::as_select())
        .first(conn)
}

pub fn insert(conn: &mut PgConnection, tariff: &NewTariff) -> QueryResult<Tariff> {
    diesel::insert_into(tariffs::table)
        .values(tariff)
        .returning(Tariff::as_returning())
        .get_result(conn)
}

pub fn update(
    conn: &mut PgConnection,
    id: TariffId,
    changes: &TariffChangeset,
) -> QueryResult<Tariff> {
    diesel::update(tariffs::table.find(id))
        .set(changes)
        .returning(Tariff::as_returning())
        .get_result(conn)
}

/// The database refuses while charges were billed at this tariff.
pub fn delete(conn: &mut PgConnection, id: TariffId) -> QueryResult<usize> {
    diesel::delete(tariffs::table.find(id)).execute(conn)
}

/// How many charge lines were billed at this tariff.
pub fn charge_count(conn: &mut PgConnection, id: TariffId) -> QueryResult<i64> {
    use crate::db::schema::charges;
    charges::table
        .filter(charges::tariff_id.eq(id))
        .count()
        .get_result(conn)
}

/// Every house's id and address, by address: the houses a tariff may name.
pub fn house_choices(
    conn: &mut PgConnection,
) -> QueryResult<Vec<(crate::db::models::HouseId, String)>> {
    use crate::db::schema::houses;
    houses::table
        .order_by(houses::address)
        .select((houses::id, houses::address))
        .load(conn)
}

/// A tariff with its house's address (None for the default).
pub fn find_with_address(
    conn: &mut PgConnection,
    id: TariffId,
) -> QueryResult<(Tariff, Option<String>)> {
    use crate::db::schema::houses;
    tariffs::table
        .find(id)
        .left_join(houses::table)
        .select((Tariff::as_select(), houses::address.nullable()))
        .first(conn)
}

/// Lets `domain::tariff` choose among stored tariffs.
impl crate::domain::tariff::TariffTerms for Tariff {
    type House = crate::db::models::HouseId;

    fn service(&self) -> crate::domain::Service {
        self.service
    }

    fn house(&self) -> Option<&Self::House> {
        self.house_id.as_ref()
    }

    fn valid_from(&self) -> crate::domain::Period {
        self.valid_from
    }
}
