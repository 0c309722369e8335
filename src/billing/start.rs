//! Starting runs: the checks that let a run start (a known house, a month
//! not in the future and not closed, a tariff for every service the house
//! bills and a normative for its water, no run of the same house and month
//! already queued or running), the run's row and the prices and rates it
//! will bill at, kept with it. The workers take it from there.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::{keep_terms, unpriced};
use crate::db::models::{BillingRun, BillingRunId, House, HouseId, NewBillingRun};
use crate::db::queries;
use crate::domain::{Period, Service};

/// Why a run did not start: typed, with the month and services it is
/// about; `views::billing::StartRefusal` says it in the reader's language
/// (the API in English, through `Display`, which lives there too).
#[derive(Debug)]
pub enum StartError {
    HouseNotFound,
    /// More than a month ahead.
    FuturePeriod(Period),
    /// A closed month of the house: its charges never change.
    PeriodClosed(Period),
    /// Services the house bills without a tariff in effect for the month.
    MissingTariffs {
        period: Period,
        services: Vec<Service>,
    },
    /// Water services the house bills without a normative in effect.
    MissingNormatives {
        period: Period,
        services: Vec<Service>,
    },
    /// A run of the house and month is queued or running.
    Active(BillingRunId),
    Db(DieselError),
}

impl From<DieselError> for StartError {
    fn from(e: DieselError) -> Self {
        StartError::Db(e)
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Db(e) => Some(e),
            _ => None,
        }
    }
}

/// Starts billing `house` for `period`: a queued run whose total is the
/// house's apartment count. A house without apartments completes at once
/// with 0 / 0. `today` is the current month (passed in for tests).
pub fn start(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
    today: Period,
) -> Result<BillingRun, StartError> {
    if period > today.next() {
        return Err(StartError::FuturePeriod(period));
    }
    conn.transaction(|conn| {
        // Locking the house keeps apartments from appearing between the
        // tariff check and the run's total being counted.
        let locked = queries::houses::lock(conn, house).map_err(|e| match e {
            DieselError::NotFound => StartError::HouseNotFound,
            e => e.into(),
        })?;
        if locked.periods().is_closed(period) {
            return Err(StartError::PeriodClosed(period));
        }
        if let Some(active) = queries::run_queue::active_for(conn, house, Some(period))? {
            return Err(StartError::Active(active));
        }
        let total = queries::billing_inputs::apartment_count(conn, house)?;
        if total > 0 {
            let (tariffs, normatives) = unpriced(conn, &locked, period)?;
            if !tariffs.is_empty() {
                return Err(StartError::MissingTariffs {
                    period,
                    services: tariffs,
                });
            }
            if !normatives.is_empty() {
                return Err(StartError::MissingNormatives {
                    period,
                    services: normatives,
                });
            }
        }
        let new = NewBillingRun {
            house_id: house,
            period,
            total: i32::try_from(total).unwrap_or(i32::MAX),
        };
        let run = match queries::run_queue::insert(conn, &new) {
            // Another request started the same run between our check and
            // insert; the house lock makes this rare, the index makes it safe.
            Err(e @ DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                return Err(StartError::Db(e));
            }
            other => other?,
        };
        keep_terms(conn, &run, &locked)?;
        tracing::info!(run = %run.id, house = %house, period = %period, total, "queued a billing run");
        if total == 0 {
            return Ok(queries::run_queue::complete(conn, run.id)
                .and_then(|_| queries::run_queue::find(conn, run.id))?);
        }
        Ok(run)
    })
}

/// What starting every house did: the runs started, and each house that
/// could not start with its reason.
#[derive(Debug, Default)]
pub struct StartedAll {
    pub started: Vec<BillingRun>,
    pub refused: Vec<(House, StartError)>,
}

/// Starts billing every house for `period`; a house that cannot start (a
/// missing tariff or normative, a run in progress) is reported and does not hold back
/// the others.
pub fn start_all(
    conn: &mut PgConnection,
    period: Period,
    today: Period,
) -> Result<StartedAll, StartError> {
    if period > today.next() {
        return Err(StartError::FuturePeriod(period));
    }
    start_each(conn, today, |_| period)
}

/// Starts billing every house for its own current period (the month after
/// its last closed one), as the dashboard shows them.
pub fn start_current_periods(
    conn: &mut PgConnection,
    today: Period,
) -> Result<StartedAll, StartError> {
    start_each(conn, today, |house| house.periods().current(today))
}

fn start_each(
    conn: &mut PgConnection,
    today: Period,
    period_of: impl Fn(&House) -> Period,
) -> Result<StartedAll, StartError> {
    let mut all = StartedAll::default();
    for house in queries::houses::list(conn)? {
        match start(conn, house.id, period_of(&house), today) {
            Ok(run) => all.started.push(run),
            Err(StartError::Db(e)) => return Err(e.into()),
            Err(refused) => all.refused.push((house, refused)),
        }
    }
    Ok(all)
}
