//! Normatives and increasing coefficients: listed like tariffs, by service
//! then newest first (normatives: defaults before houses' own).

use diesel::prelude::*;

use crate::db::models::{
    Coefficient, CoefficientChangeset, CoefficientId, NewCoefficient, NewNormative, Normative,
    NormativeChangeset, NormativeId,
};
use crate::db::schema::{coefficients, normatives};

pub fn list(conn: &mut PgConnection) -> QueryResult<Vec<Normative>> {
    normatives::table
        .order_by((
            normatives::service,
            normatives::house_id.asc().nulls_first(),
            normatives::valid_from.desc(),
        ))
        .select(Normative::as_select())
        .load(conn)
}

pub fn find(conn: &mut PgConnection, id: NormativeId) -> QueryResult<Normative> {
    normatives::table
        .find(id)
        .select(Normative::as_select())
        .first(conn)
}

pub fn insert(conn: &mut PgConnection, new: &NewNormative) -> QueryResult<Normative> {
    diesel::insert_into(normatives::table)
        .values(new)
        .returning(Normative::as_returning())
        .get_result(conn)
}

pub fn update(
    conn: &mut PgConnection,
    id: NormativeId,
    changes: &NormativeChangeset,
) -> QueryResult<Normative> {
    diesel::update(normatives::table.find(id))
        .set(changes)
        .returning(Normative::as_returning())
        .get_result(conn)
}

pub fn delete(conn: &mut PgConnection, id: NormativeId) -> QueryResult<usize> {
    diesel::delete(normatives::table.find(id)).execute(conn)
}

pub fn list_coefficients(conn: &mut PgConnection) -> QueryResult<Vec<Coefficient>> {
    coefficients::table
        .order_by((coefficients::service, coefficients::valid_from.desc()))
        .select(Coefficient::as_select())
        .load(conn)
}

pub fn find_coefficient(conn: &mut PgConnection, id: CoefficientId) -> QueryResult<Coefficient> {
    coefficients::table
        .find(id)
        .select(Coefficient::as_select())
        .first(conn)
}

pub fn insert_coefficient(
    conn: &mut PgConnection,
    new: &NewCoefficient,
) -> QueryResult<Coefficient> {
    diesel::insert_into(coefficients::table)
        .values(new)
        .returning(Coefficient::as_returning())
        .get_result(conn)
}

pub fn update_coefficient(
    conn: &mut PgConnection,
    id: CoefficientId,
    changes: &CoefficientChangeset,
) -> QueryResult<Coefficient> {
    diesel::update(coefficients::table.find(id))
        .set(changes)
        .returning(Coefficient::as_returning())
        .get_result(conn)
}

pub fn delete_coefficient(conn: &mut PgConnection, id: CoefficientId) -> QueryResult<usize> {
    diesel::delete(coefficients::table.find(id)).execute(conn)
}

/// Lets `domain::tariff` choose the normative in effect by the tariffs' rule.
impl crate::domain::tariff::TariffTerms for Normative {
    type House = crate::db::models::HouseId;

    fn service(&self) -> crate::domain::Service {
        self.service.service()
    }

    fn house(&self) -> Option<&Self::House> {
        self.house_id.as_ref()
    }

    fn valid_from(&self) -> crate::domain::Period {
        self.valid_from
    }
}

/// Coefficients have one scope (every house): the rule of choice sees them
/// as default tariffs of their service.
impl crate::domain::tariff::TariffTerms for crate::db::models::Coefficient {
    type House = crate::db::models::HouseId;

    fn service(&self) -> crate::domain::Service {
        self.service.service()
    }

    fn house(&self) -> Option<&Self::House> {
        None
    }

    fn valid_from(&self) -> crate::domain::Period {
        self.valid_from
    }
}
