//! Normatives (m³ per person per month, a house's own or the default) and
//! the increasing coefficients (for every house): added, changed and
//! deleted by an admin like tariffs.

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{named_house_exists, taken};
use crate::db::models::{
    Coefficient, CoefficientChangeset, CoefficientId, HouseId, NewCoefficient, NewNormative,
    Normative, NormativeChangeset, NormativeId,
};
use crate::db::queries;
use crate::domain::{MeterKind, Period, Problem};
use crate::error::AppError;

const NORMATIVE_KEY: &str = "normatives_service_house_valid_from_key";
const COEFFICIENT_KEY: &str = "coefficients_service_valid_from_key";

/// A normative or coefficient to add, checked field by field; a
/// coefficient has no house.
#[derive(Debug, Clone)]
pub struct AddRate {
    pub service: MeterKind,
    pub value: Decimal,
    pub valid_from: Period,
    pub house: Option<HouseId>,
}

/// What may change; its service and house never do (that is another row).
#[derive(Debug, Default, Clone, Copy)]
pub struct ChangeRate {
    pub value: Option<Decimal>,
    pub valid_from: Option<Period>,
}

impl ChangeRate {
    fn is_empty(&self) -> bool {
        self.value.is_none() && self.valid_from.is_none()
    }
}

pub fn create(conn: &mut PgConnection, new: &AddRate) -> Result<Normative, AppError> {
    conn.transaction(|conn| {
        if let Some(house) = new.house {
            named_house_exists(conn, house)?;
        }
        let row = NewNormative {
            service: new.service,
            value: new.value,
            valid_from: new.valid_from,
            house_id: new.house,
        };
        queries::normatives::insert(conn, &row)
            .map_err(|e| taken(e, NORMATIVE_KEY, "valid_from", Problem::NormativeTaken))
    })
}

pub fn update(
    conn: &mut PgConnection,
    id: NormativeId,
    change: &ChangeRate,
) -> Result<Normative, AppError> {
    if change.is_empty() {
        return Ok(queries::normatives::find(conn, id)?);
    }
    let changes = NormativeChangeset {
        value: change.value,
        valid_from: change.valid_from,
    };
    queries::normatives::update(conn, id, &changes)
        .map_err(|e| taken(e, NORMATIVE_KEY, "valid_from", Problem::NormativeTaken))
}

pub fn delete(conn: &mut PgConnection, id: NormativeId) -> Result<Normative, AppError> {
    conn.transaction(|conn| {
        let normative = queries::normatives::find(conn, id)?;
        queries::normatives::delete(conn, id)?;
        Ok(normative)
    })
}

pub fn create_coefficient(conn: &mut PgConnection, new: &AddRate) -> Result<Coefficient, AppError> {
    let row = NewCoefficient {
        service: new.service,
        value: new.value,
        valid_from: new.valid_from,
    };
    queries::normatives::insert_coefficient(conn, &row)
        .map_err(|e| taken(e, COEFFICIENT_KEY, "valid_from", Problem::CoefficientTaken))
}

pub fn update_coefficient(
    conn: &mut PgConnection,
    id: CoefficientId,
    change: &ChangeRate,
) -> Result<Coefficient, AppError> {
    if change.is_empty() {
        return Ok(queries::normatives::find_coefficient(conn, id)?);
    }
    let changes = CoefficientChangeset {
        value: change.value,
        valid_from: change.valid_from,
    };
    queries::normatives::update_coefficient(conn, id, &changes)
        .map_err(|e| taken(e, COEFFICIENT_KEY, "valid_from", Problem::CoefficientTaken))
}

pub fn delete_coefficient(
    conn: &mut PgConnection,
    id: CoefficientId,
) -> Result<Coefficient, AppError> {
    conn.transaction(|conn| {
        let coefficient = queries::normatives::find_coefficient(conn, id)?;
        queries::normatives::delete_coefficient(conn, id)?;
        Ok(coefficient)
    })
}
