//! Normatives (m³ per person per month, a house's own or the default) and
//! the increasing coefficients (for every house): added, changed and
//! deleted by an admin like tariffs, each change marking stale the runs it
//! changes the terms of.

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{named_house_exists, taken};
use crate::billing::mark_stale_if_prices_changed;
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

/// Each change marks stale, in its transaction, the open runs whose kept
/// normative or coefficient is no longer the one in effect.
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
        let normative = queries::normatives::insert(conn, &row)
            .map_err(|e| taken(e, NORMATIVE_KEY, "valid_from", Problem::NormativeTaken))?;
        mark_stale_if_prices_changed(conn, normative.house_id, normative.valid_from)?;
        Ok(normative)
    })
}

pub fn update(
    conn: &mut PgConnection,
    id: NormativeId,
    change: &ChangeRate,
) -> Result<Normative, AppError> {
    conn.transaction(|conn| {
        let before = queries::normatives::find(conn, id)?;
        if change.is_empty() {
            return Ok(before);
        }
        let changes = NormativeChangeset {
            value: change.value,
            valid_from: change.valid_from,
        };
        let after = queries::normatives::update(conn, id, &changes)
            .map_err(|e| taken(e, NORMATIVE_KEY, "valid_from", Problem::NormativeTaken))?;
        let from = before.valid_from.min(after.valid_from);
        mark_stale_if_prices_changed(conn, after.house_id, from)?;
        Ok(after)
    })
}

pub fn delete(conn: &mut PgConnection, id: NormativeId) -> Result<Normative, AppError> {
    conn.transaction(|conn| {
        let normative = queries::normatives::find(conn, id)?;
        queries::normatives::delete(conn, id)?;
        mark_stale_if_prices_changed(conn, normative.house_id, normative.valid_from)?;
        Ok(normative)
    })
}

pub fn create_coefficient(conn: &mut PgConnection, new: &AddRate) -> Result<Coefficient, AppError> {
    conn.transaction(|conn| {
        let row = NewCoefficient {
            service: new.service,
            value: new.value,
            valid_from: new.valid_from,
        };
        let coefficient = queries::normatives::insert_coefficient(conn, &row)
            .map_err(|e| taken(e, COEFFICIENT_KEY, "valid_from", Problem::CoefficientTaken))?;
        mark_stale_if_prices_changed(conn, None, coefficient.valid_from)?;
        Ok(coefficient)
    })
}

pub fn update_coefficient(
    conn: &mut PgConnection,
    id: CoefficientId,
    change: &ChangeRate,
) -> Result<Coefficient, AppError> {
    conn.transaction(|conn| {
        let before = queries::normatives::find_coefficient(conn, id)?;
        if change.is_empty() {
            return Ok(before);
        }
        let changes = CoefficientChangeset {
            value: change.value,
            valid_from: change.valid_from,
        };
        let after = queries::normatives::update_coefficient(conn, id, &changes)
            .map_err(|e| taken(e, COEFFICIENT_KEY, "valid_from", Problem::CoefficientTaken))?;
        mark_stale_if_prices_changed(conn, None, before.valid_from.min(after.valid_from))?;
        Ok(after)
    })
}

pub fn delete_coefficient(
    conn: &mut PgConnection,
    id: CoefficientId,
) -> Result<Coefficient, AppError> {
    conn.transaction(|conn| {
        let coefficient = queries::normatives::find_coefficient(conn, id)?;
        queries::normatives::delete_coefficient(conn, id)?;
        mark_stale_if_prices_changed(conn, None, coefficient.valid_from)?;
        Ok(coefficient)
    })
}
