//! Billing runs as pages and the API list them: with their house's address,
//! paged, filtered, and the runs that tell a house's charges page what its
//! months hold.

use diesel::prelude::*;

use crate::db::models::{BillingRun, BillingRunId, House, HouseId};
use crate::db::schema::{billing_runs, houses};
use crate::domain::{Period, RunStatus};

/// A run with the address of its house.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    pub run: BillingRun,
    pub address: String,
}

fn rows(found: Vec<(BillingRun, String)>) -> Vec<RunRow> {
    found
        .into_iter()
        .map(|(run, address)| RunRow { run, address })
        .collect()
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
        .select((BillingRun::as_select(), houses::address))
        .order_by(billing_runs::id.desc())
        .offset(offset)
        .limit(limit)
        .into_boxed();
    if let Some(house) = house {
        count = count.filter(billing_runs::house_id.eq(house));
        list = list.filter(billing_runs::house_id.eq(house));
    }
    let total = count.get_result(conn)?;
    Ok((total, rows(list.load(conn)?)))
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
