//! Operations on houses, apartments, meters and tariffs that the pages and
//! the API share: checked input in, rows or an [`AppError`] out. Each write
//! takes one command (`houses::AddHouse`, `tariffs::ChangeTariff`, …) that
//! both channels build, each reporting its own field errors (a form by field
//! name, the API by JSON path). Each runs in one transaction and turns
//! constraint violations into messages naming the field, so a race between
//! two managers still gets a clear answer.

pub mod accounts;
pub mod apartments;
pub mod houses;
pub mod logins;
pub mod meters;
pub mod normatives;
pub mod organization;
pub mod payments;
pub mod periods;
pub mod readings;
pub mod receipts;
pub mod register;
pub mod tariffs;

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::db::models::HouseId;
use crate::domain::Problem;
use crate::error::AppError;

/// Refuses (422 naming `house_id`) a house id no house has: a price
/// (tariff or normative) for a house must name one.
fn named_house_exists(conn: &mut diesel::PgConnection, house: HouseId) -> Result<(), AppError> {
    match crate::db::queries::houses::find(conn, house) {
        Ok(_) => Ok(()),
        Err(DieselError::NotFound) => Err(AppError::invalid_field(
            "house_id",
            Problem::NoSuchHouse(house.0),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Bytes (a digest) as lowercase hex, as the database keeps them.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Maps the unique violation of `constraint` to a 409 naming `field`; any
/// other error keeps its general mapping.
fn taken(e: DieselError, constraint: &str, field: &str, message: impl Into<Problem>) -> AppError {
    match &e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
            if info.constraint_name() == Some(constraint) =>
        {
            AppError::conflict_field(field, message)
        }
        _ => e.into(),
    }
}
