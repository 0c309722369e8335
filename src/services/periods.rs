//! Closing a house's month once its bill is final, and reopening the last
//! closed one (admins only, checked by the role rules). Both lock the house,
//! so no run starts and no reading of the month is saved meanwhile (savers
//! share-lock it).

use diesel::prelude::*;

use crate::db::models::{House, HouseId};
use crate::db::queries;
use crate::domain::{Period, Problem, RunStatus};
use crate::error::AppError;

/// Closes `period`: the month after the last closed one (any month while
/// none is), whose latest run completed and is not stale, while no run of
/// the house is queued or running.
pub fn close(conn: &mut PgConnection, house: HouseId, period: Period) -> Result<House, AppError> {
    conn.transaction(|conn| {
        let locked = queries::houses::lock(conn, house)?;
        locked
            .periods()
            .may_close(period)
            .map_err(AppError::conflict)?;
        if let Some(run) = queries::run_queue::active_for(conn, house, None)? {
            return Err(AppError::conflict(Problem::CloseWhileRunning(run.0)));
        }
        match queries::run_listing::latest_for(conn, house, period)? {
            Some(run) if run.status == RunStatus::Completed && !run.is_stale() => {}
            Some(run) if run.status == RunStatus::Completed => {
                return Err(AppError::conflict(Problem::CloseStale(period)));
            }
            _ => return Err(AppError::conflict(Problem::CloseUnbilled(period))),
        }
        Ok(queries::houses::set_closed_through(
            conn,
            house,
            Some(period),
        )?)
    })
}

/// Reopens `period`, the last closed month; the month before it becomes
/// the last closed.
pub fn reopen(conn: &mut PgConnection, house: HouseId, period: Period) -> Result<House, AppError> {
    conn.transaction(|conn| {
        let locked = queries::houses::lock(conn, house)?;
        let last = locked
            .periods()
            .may_reopen(period)
            .map_err(AppError::conflict)?;
        Ok(queries::houses::set_closed_through(conn, house, last)?)
    })
}
