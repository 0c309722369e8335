//! Billing runs as pages and the API list them: with their house's address,
//! paged, filtered, and the runs that tell a house's charges page what its
//! months hold.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt};

use crate::db::models::{BillingRun, BillingRunId, House, HouseId};
use crate::db::schema::{billing_runs, houses};
use crate::domain::{Period, RunStatus, TimeZone};

/// A run with the address and time zone of its house, and the newer run
/// whose lines replaced its own, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    pub run: BillingRun,
    pub address: String,
    pub time_zone: TimeZone,
    pub replaced_by: Option<BillingRunId>,
}

type Found = (BillingRun, String, TimeZone);

fn rows(conn: &mut PgConnection, found: Vec<Found>) -> QueryResult<Vec<RunRow>> {
    let ids: Vec<BillingRunId> = found.iter().map(|(run, ..)| run.id).collect();
    let mut newer = replaced_by(conn, &ids)?;
    Ok(found
        .into_iter()
        .map(|(run, address, time_zone)| RunRow {
            replaced_by: newer.remove(&run.id),
            run,
            address,
            time_zone,
        })
        .collect())
}

/// The newest `limit` runs of every house.
pub fn latest(conn: &mut PgConnection, limit: i64) -> QueryResult<Vec<RunRow>> {
    let found = billing_runs::table
        .inner_join(houses::table)
        .select((BillingRun::as_select(), houses::address, houses::time_zone))
        .order_by(billing_runs::id.desc())
        .limit(limit)
        .load(conn)?;
    rows(conn, found)
}

/// For each of `runs` that a later run of the same house and month has
/// replaced, the newest such run. Lines are stored per apartment, month and
/// service, so a later run that billed anything overwrote the earlier's.
pub fn replaced_by(
    conn: &mut PgConnection,
    runs: &[BillingRunId],
) -> QueryResult<HashMap<BillingRunId, BillingRunId>> {
    #[derive(QueryableByName)]
    struct Replaced {
        #[diesel(sql_type = BigInt)]
        run: BillingRunId,
        #[diesel(sql_type = BigInt)]
        newer: BillingRunId,
    }
    if runs.is_empty() {
        return Ok(HashMap::new());
    }
    let found = diesel::sql_query(
        "SELECT r.id AS run, max(n.id) AS newer FROM billing_runs r \
         JOIN billing_runs n ON n.house_id = r.house_id AND n.period = r.period \
              AND n.id > r.id AND n.processed > 0 \
         WHERE r.id = ANY($1) GROUP BY r.id",
    )
    .bind::<Array<BigInt>, _>(runs)
    .load::<Replaced>(conn)?;
    Ok(found.into_iter().map(|r| (r.run, r.newer)).collect())
}

/// All runs (of one house when `house` is given), newest first: how many
/// there are, and the `limit` after `offset`.
pub fn page(
    conn: &mut PgConnection,
    house: Option<HouseId>,
    offset: i64,
    limit: i64,
) -> QueryResult<(i64, Vec<RunRow>)> {
    let mut count = billing_runs::table.count().into_boxed();
    let mut list = billing_runs::table
        .inner_join(houses::table)
        .select((BillingRun::as_select(), houses::address, houses::time_zone))
        .order_by(billing_runs::id.desc())
        .offset(offset)
        .limit(limit)
        .into_boxed();
    if let Some(house) = house {
        count = count.filter(billing_runs::house_id.eq(house));
        list = list.filter(billing_runs::house_id.eq(house));
    }
    let total = count.get_result(conn)?;
    let found = list.load(conn)?;
    Ok((total, rows(conn, found)?))
}

/// The run and its house; NotFound for an unknown run.
pub fn find_with_house(
    conn: &mut PgConnection,
    id: BillingRunId,
) -> QueryResult<(BillingRun, House)> {
    billing_runs::table
        .inner_join(houses::table)
        .filter(billing_runs::id.eq(id))
        .select((BillingRun::as_select(), House::as_select()))
        .first(conn)
}

/// The newest run of the house and month, whatever its status.
pub fn latest_for(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
) -> QueryResult<Option<BillingRun>> {
    billing_runs::table
        .filter(billing_runs::house_id.eq(house))
        .filter(billing_runs::period.eq(period))
        .order_by(billing_runs::id.desc())
        .select(BillingRun::as_select())
        .first(conn)
        .optional()
}

/// The months a run of the house completed for, latest first.
pub fn billed_periods(conn: &mut PgConnection, house: HouseId) -> QueryResult<Vec<Period>> {
    billing_runs::table
        .filter(billing_runs::house_id.eq(house))
        .filter(billing_runs::status.eq(RunStatus::Completed))
        .select(billing_runs::period)
        .distinct()
        .order_by(billing_runs::period.desc())
        .load(conn)
}

/// The newest `limit` runs, of `house` and of `period` when given.
pub fn list(
    conn: &mut PgConnection,
    house: Option<HouseId>,
    period: Option<Period>,
    limit: i64,
) -> QueryResult<Vec<BillingRun>> {
    let mut query = billing_runs::table
        .select(BillingRun::as_select())
        .order_by(billing_runs::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(house) = house {
        query = query.filter(billing_runs::house_id.eq(house));
    }
    if let Some(period) = period {
        query = query.filter(billing_runs::period.eq(period));
    }
    query.load(conn)
}
