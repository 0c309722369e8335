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
pub mod meters;
pub mod readings;
pub mod tariffs;

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::error::AppError;

/// Maps the unique violation of `constraint` to a 409 naming `field`; any
/// other error keeps its general mapping.
fn taken(e: DieselError, constraint: &str, field: &str, message: impl Into<String>) -> AppError {
    match &e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
            if info.constraint_name() == Some(constraint) =>
        {
            AppError::conflict_field(field, message)
        }
        _ => e.into(),
    }
}

/// "3 readings and 2 charges", for refusals to delete history.
fn history_phrase(readings: i64, charges: i64) -> String {
    let count = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (readings, charges) {
        (r, 0) => count(r, "reading", "readings"),
        (0, c) => count(c, "charge", "charges"),
        (r, c) => format!(
            "{} and {}",
            count(r, "reading", "readings"),
            count(c, "charge", "charges")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_is_counted_in_words() {
        assert_eq!(history_phrase(1, 0), "1 reading");
        assert_eq!(history_phrase(0, 3), "3 charges");
        assert_eq!(history_phrase(2, 1), "2 readings and 1 charge");
    }
}
