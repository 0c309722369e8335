//! The billing run queue: runs are started, claimed by workers under a
//! lease, renewed by a heartbeat, locked batch by batch while their
//! progress advances, and released, completed or failed.

use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Double, Integer, Nullable, Numeric, Text};
use rust_decimal::Decimal;

use crate::db::models::{
    ApartmentId, BillingRun, BillingRunChangeset, BillingRunId, HouseId, MeterId, NewBillingRun,
};
use crate::db::schema::billing_runs;
use crate::domain::{Period, RunFailure, RunStatus};

pub fn insert(conn: &mut PgConnection, run: &NewBillingRun) -> QueryResult<BillingRun> {
    diesel::insert_into(billing_runs::table)
        .values(run)
        .returning(BillingRun::as_returning())
        .get_result(conn)
}

pub fn find(conn: &mut PgConnection, id: BillingRunId) -> QueryResult<BillingRun> {
    billing_runs::table
        .find(id)
        .select(BillingRun::as_select())
        .first(conn)
}

pub fn update(
    conn: &mut PgConnection,
    id: BillingRunId,
    changes: &BillingRunChangeset,
) -> QueryResult<BillingRun> {
    diesel::update(billing_runs::table.find(id))
        .set(changes)
        .returning(BillingRun::as_returning())
        .get_result(conn)
}

/// A run of the house (of the month `period`, or of any month when None)
/// that is queued or running, if any.
pub fn active_for(
    conn: &mut PgConnection,
    house: HouseId,
    period: Option<Period>,
) -> QueryResult<Option<BillingRunId>> {
    let mut query = billing_runs::table
        .filter(billing_runs::house_id.eq(house))
        .filter(billing_runs::status.eq_any([RunStatus::Queued, RunStatus::Running]))
        .select(billing_runs::id)
        .into_boxed();
    if let Some(period) = period {
        query = query.filter(billing_runs::period.eq(period));
    }
    query.first(conn).optional()
}

/// A run a worker has claimed.
#[derive(Debug, QueryableByName)]
pub struct Claimed {
    #[diesel(embed)]
    pub run: BillingRun,
    /// Its previous lease had run out unrenewed (a worker stalled or died),
    /// rather than the run being new or released.
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub lease_expired: bool,
}

/// Takes the oldest run that is queued, or running under an expired or
/// released lease, for `owner` until `lease` from now: marks it running and
/// sets its start time once. SKIP LOCKED lets many workers of many processes
/// claim at once without waiting on each other or taking the same run.
pub fn claim(
    conn: &mut PgConnection,
    owner: &str,
    lease: Duration,
) -> QueryResult<Option<Claimed>> {
    diesel::sql_query(
        "WITH next AS ( \
             SELECT id, lease_expires_at IS NOT NULL AS lease_expired FROM billing_runs \
             WHERE status IN ('queued', 'running') \
               AND (lease_expires_at IS NULL OR lease_expires_at < now()) \
             ORDER BY created_at, id \
             LIMIT 1 \
             FOR UPDATE SKIP LOCKED) \
         UPDATE billing_runs \
         SET status = 'running', lease_owner = $1, \
             lease_expires_at = now() + make_interval(secs => $2), \
             started_at = COALESCE(started_at, now()) \
         FROM next WHERE billing_runs.id = next.id \
         RETURNING billing_runs.*, next.lease_expired",
    )
    .bind::<Text, _>(owner)
    .bind::<Double, _>(lease.as_secs_f64())
    .get_result(conn)
    .optional()
}

/// Extends `owner`'s lease of a run its worker is billing: the heartbeat.
/// Takes this queued run for `owner` until `lease` from now, as `claim`
/// does; None when it is no longer queued or someone holds it.
pub fn take(
    conn: &mut PgConnection,
    id: BillingRunId,
    owner: &str,
    lease: Duration,
) -> QueryResult<Option<BillingRun>> {
    diesel::sql_query(
        "UPDATE billing_runs \
         SET status = 'running', lease_owner = $2, \
             lease_expires_at = now() + make_interval(secs => $3), \
             started_at = COALESCE(started_at, now()) \
         WHERE id = $1 AND status = 'queued' AND lease_expires_at IS NULL \
         RETURNING *",
    )
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(owner)
    .bind::<Double, _>(lease.as_secs_f64())
    .get_result(conn)
    .optional()
}

pub fn renew_lease(
    conn: &mut PgConnection,
    id: BillingRunId,
    owner: &str,
    lease: Duration,
) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE billing_runs SET lease_expires_at = now() + make_interval(secs => $3) \
         WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
    )
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(owner)
    .bind::<Double, _>(lease.as_secs_f64())
    .execute(conn)
}

/// Gives up the leases of runs whose owner name matches `pattern` (LIKE),
/// so any worker may resume them at once: at shutdown, and at start-up for
/// what an earlier process at the same address left behind.
pub fn release_leases(conn: &mut PgConnection, pattern: &str) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE billing_runs SET lease_owner = NULL, lease_expires_at = NULL \
         WHERE lease_owner LIKE $1 AND status = 'running'",
    )
    .bind::<Text, _>(pattern)
    .execute(conn)
}

/// Gives up `owner`'s lease of one run, so any worker may resume it.
pub fn release(conn: &mut PgConnection, id: BillingRunId, owner: &str) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE billing_runs SET lease_owner = NULL, lease_expires_at = NULL \
         WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
    )
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(owner)
    .execute(conn)
}

/// Marks the run failed for `failure`, said in English by `error`, if
/// `owner` still holds it.
pub fn fail(
    conn: &mut PgConnection,
    id: BillingRunId,
    owner: &str,
    failure: RunFailure,
    error: &str,
) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE billing_runs \
         SET status = 'failed', failure = $3, error = $4, finished_at = now(), \
             lease_owner = NULL, lease_expires_at = NULL \
         WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
    )
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(owner)
    .bind::<Text, _>(failure)
    .bind::<Text, _>(error)
    .execute(conn)
}

/// The run's row, locked until the transaction ends: one batch at a time.
/// Keeps the services the run bills, when it starts.
pub fn keep_services(
    conn: &mut PgConnection,
    id: BillingRunId,
    services: &[crate::domain::Service],
) -> QueryResult<usize> {
    diesel::update(billing_runs::table.find(id))
        .set(billing_runs::services.eq(services))
        .execute(conn)
}

pub fn lock(conn: &mut PgConnection, id: BillingRunId) -> QueryResult<BillingRun> {
    billing_runs::table
        .find(id)
        .for_update()
        .select(BillingRun::as_select())
        .first(conn)
}

/// Records a committed batch: `processed` more apartments, the last one
/// billed, and their amount. The total grows if apartments were added after
/// the run started, so progress never exceeds it.
pub fn advance(
    conn: &mut PgConnection,
    id: BillingRunId,
    processed: i32,
    cursor: ApartmentId,
    amount: Decimal,
) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE billing_runs \
         SET processed = processed + $2, total = GREATEST(total, processed + $2), \
             cursor = $3, amount = amount + $4 \
         WHERE id = $1",
    )
    .bind::<BigInt, _>(id)
    .bind::<Integer, _>(processed)
    .bind::<BigInt, _>(cursor)
    .bind::<Numeric, _>(amount)
    .execute(conn)
}

/// Marks the run completed: the total becomes what was billed (apartments
/// deleted meanwhile are not waited for) and its lease is released.
pub fn complete(conn: &mut PgConnection, id: BillingRunId) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE billing_runs \
         SET status = 'completed', total = processed, finished_at = now(), \
             lease_owner = NULL, lease_expires_at = NULL \
         WHERE id = $1",
    )
    .bind::<BigInt, _>(id)
    .execute(conn)
}

/// Marks stale the runs of `house` for `from` and later months (every month
/// when None) that have billed something: completed, or running with a
/// committed batch. Later months count because a month's reading is the next
/// month's base. Waits for a batch in progress to commit, so the change is
/// never half-seen; called first in the changing transaction, it keeps the
/// lock order of a batch (run row, then data).
pub fn mark_stale(
    conn: &mut PgConnection,
    house: HouseId,
    from: Option<Period>,
) -> QueryResult<usize> {
    diesel::sql_query(format!(
        "UPDATE billing_runs r SET stale_at = now() \
         WHERE r.house_id = $1 AND ($2::date IS NULL OR r.period >= $2) AND {HAS_BILLED}"
    ))
    .bind::<BigInt, _>(house)
    .bind::<Nullable<Date>, _>(from)
    .execute(conn)
}

/// [`mark_stale`] for every house: a change of the penalty terms from
/// `from` on.
pub fn mark_stale_everywhere(conn: &mut PgConnection, from: Period) -> QueryResult<usize> {
    diesel::sql_query(format!(
        "UPDATE billing_runs r SET stale_at = now() WHERE r.period >= $1 AND {HAS_BILLED}"
    ))
    .bind::<Date, _>(from)
    .execute(conn)
}

/// A run `r` that is not yet stale and has billed from inputs a change
/// could contradict, of a month still open (a closed month's bill is final).
pub const HAS_BILLED: &str = "r.stale_at IS NULL \
    AND (r.status = 'completed' OR (r.status = 'running' AND r.processed > 0)) \
    AND NOT EXISTS (SELECT 1 FROM houses h \
                    WHERE h.id = r.house_id AND r.period <= h.closed_through)";

/// [`mark_stale`] for saved readings: per meter's house, from the earliest
/// month saved.
pub fn mark_stale_for_readings(
    conn: &mut PgConnection,
    readings: &[(MeterId, Period)],
) -> QueryResult<usize> {
    if readings.is_empty() {
        return Ok(0);
    }
    let (meters, periods): (Vec<MeterId>, Vec<Period>) = readings.iter().copied().unzip();
    diesel::sql_query(format!(
        "UPDATE billing_runs r SET stale_at = now() \
         FROM (SELECT a.house_id, min(x.period) AS from_period \
               FROM unnest($1::int8[], $2::date[]) AS x(meter_id, period) \
               JOIN meters m ON m.id = x.meter_id \
               JOIN apartments a ON a.id = m.apartment_id \
               GROUP BY a.house_id) changed \
         WHERE r.house_id = changed.house_id AND r.period >= changed.from_period \
           AND {HAS_BILLED}"
    ))
    .bind::<Array<BigInt>, _>(meters)
    .bind::<Array<Date>, _>(periods)
    .execute(conn)
}

/// Runs not yet stale whose kept prices a tariff of `house` (of any house
/// when None) from `from` on may contradict: queued ones too, as their
/// prices were fixed when they started; of open months only.
pub fn priced_since(
    conn: &mut PgConnection,
    house: Option<HouseId>,
    from: Period,
) -> QueryResult<Vec<BillingRun>> {
    use crate::db::schema::houses;
    let mut query = billing_runs::table
        .inner_join(houses::table)
        .filter(
            houses::closed_through
                .is_null()
                .or(billing_runs::period.nullable().gt(houses::closed_through)),
        )
        .filter(billing_runs::stale_at.is_null())
        .filter(billing_runs::status.ne(RunStatus::Failed))
        .filter(billing_runs::period.ge(from))
        .select(BillingRun::as_select())
        .order_by(billing_runs::id)
        .into_boxed();
    if let Some(house) = house {
        query = query.filter(billing_runs::house_id.eq(house));
    }
    query.load(conn)
}

/// Marks these runs stale.
pub fn mark_runs_stale(conn: &mut PgConnection, runs: &[BillingRunId]) -> QueryResult<usize> {
    if runs.is_empty() {
        return Ok(0);
    }
    diesel::update(billing_runs::table.filter(billing_runs::id.eq_any(runs)))
        .filter(billing_runs::stale_at.is_null())
        .set(billing_runs::stale_at.eq(diesel::dsl::now))
        .execute(conn)
}
