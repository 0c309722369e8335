use diesel::prelude::*;

use crate::db::models::{BillingRun, BillingRunChangeset, BillingRunId, NewBillingRun};
use crate::db::schema::billing_runs;

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

/// The newest runs first.
pub fn list_recent(conn: &mut PgConnection, limit: i64) -> QueryResult<Vec<BillingRun>> {
    billing_runs::table
        .order_by(billing_runs::id.desc())
        .limit(limit)
        .select(BillingRun::as_select())
        .load(conn)
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
