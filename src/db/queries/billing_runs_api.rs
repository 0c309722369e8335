//! Runs as the JSON API lists them: optionally one house's or one month's,
//! newest first.

use diesel::prelude::*;

use crate::db::models::{BillingRun, HouseId};
use crate::db::schema::billing_runs;
use crate::domain::Period;

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
