use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{named_house_exists, taken};
use crate::billing::mark_stale_if_prices_changed;
use crate::db::models::{HouseId, NewTariff, Tariff, TariffChangeset, TariffId};
use crate::db::queries;
use crate::domain::{Period, Problem, Service};
use crate::error::AppError;

const TAKEN: Problem = Problem::TariffTaken;

/// A tariff to add, already checked field by field.
#[derive(Debug, Clone)]
pub struct AddTariff {
    pub service: Service,
    pub price: Decimal,
    pub valid_from: Period,
    /// `None`: the default for every house without its own.
    pub house: Option<HouseId>,
}

/// What may change on a tariff; `None` keeps the current value. Its service
/// and house never change: that would be another tariff.
#[derive(Debug, Default, Clone, Copy)]
pub struct ChangeTariff {
    pub price: Option<Decimal>,
    pub valid_from: Option<Period>,
}

/// Adds a tariff: the default one (no house) or a house's own.
pub fn create(conn: &mut PgConnection, new: &AddTariff) -> Result<Tariff, AppError> {
    conn.transaction(|conn| {
        if let Some(house) = new.house {
            named_house_exists(conn, house)?;
        }
        let row = NewTariff {
            service: new.service,
            price: new.price,
            valid_from: new.valid_from,
            house_id: new.house,
        };
        let tariff = queries::tariffs::insert(conn, &row).map_err(|e| {
            taken(
                e,
                "tariffs_service_house_valid_from_key",
                "valid_from",
                TAKEN,
            )
        })?;
        mark_stale_if_prices_changed(conn, tariff.house_id, tariff.valid_from)?;
        Ok(tariff)
    })
}

/// Changes a tariff's price or start month, unless charges were billed at it:
/// those stay as billed, so a new price needs a new tariff from a later month.
pub fn update(
    conn: &mut PgConnection,
    id: TariffId,
    change: &ChangeTariff,
) -> Result<Tariff, AppError> {
    let ChangeTariff { price, valid_from } = *change;
    if price.is_none() && valid_from.is_none() {
        return Ok(queries::tariffs::find(conn, id)?);
    }
    conn.transaction(|conn| {
        let old = refuse_if_billed(conn, id, false)?;
        let tariff = queries::tariffs::update(conn, id, &TariffChangeset { price, valid_from })
            .map_err(|e| {
                taken(
                    e,
                    "tariffs_service_house_valid_from_key",
                    "valid_from",
                    TAKEN,
                )
            })?;
        let from = old.valid_from.min(tariff.valid_from);
        mark_stale_if_prices_changed(conn, tariff.house_id, from)?;
        Ok(tariff)
    })
}

pub fn delete(conn: &mut PgConnection, id: TariffId) -> Result<Tariff, AppError> {
    conn.transaction(|conn| {
        let tariff = refuse_if_billed(conn, id, true)?;
        // The run's lines will refer to it.
        if let Some(run) = queries::billing_inputs::active_run_keeping(conn, id)? {
            return Err(AppError::conflict(Problem::TariffInRun(run.0)));
        }
        queries::tariffs::delete(conn, id)?;
        mark_stale_if_prices_changed(conn, tariff.house_id, tariff.valid_from)?;
        Ok(tariff)
    })
}

fn refuse_if_billed(
    conn: &mut PgConnection,
    id: TariffId,
    deleting: bool,
) -> Result<Tariff, AppError> {
    let tariff = queries::tariffs::find(conn, id)?;
    let charges = queries::tariffs::charge_count(conn, id)?;
    if charges > 0 {
        return Err(AppError::conflict(Problem::TariffBilled {
            charges,
            deleting,
        }));
    }
    Ok(tariff)
}
