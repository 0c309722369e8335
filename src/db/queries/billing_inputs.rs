//! What a billing run reads: the tariffs a house can pay, what its
//! apartments need, and its apartments batch by batch. A fixed number of
//! statements per batch, whatever its size, so a large house costs no more
//! round trips per apartment than a small one.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use rust_decimal::Decimal;

use crate::db::models::{ApartmentId, BillingRunId, HouseId, RunPrice, Tariff, TariffId};
use crate::db::schema::{apartments, billing_run_prices, billing_runs, tariffs};
use crate::domain::{MeterKind, Period, RunStatus};

/// The tariffs that can be in effect for `house` in `period`: its own and
/// the defaults, started in or before the month.
pub fn tariffs_for_house(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
) -> QueryResult<Vec<Tariff>> {
    tariffs::table
        .filter(tariffs::house_id.is_null().or(tariffs::house_id.eq(house)))
        .filter(tariffs::valid_from.le(period))
        .select(Tariff::as_select())
        .load(conn)
}

/// Whether the house has apartments, and the kinds of meter found in it.
/// The meters are reached apartment by apartment through their index
/// (OFFSET 0 keeps the planner from hashing every meter of every house):
/// 1.6 ms instead of 17 ms per house at 200,000 meters, which matters when
/// a hundred houses are started at once.
pub fn house_needs(conn: &mut PgConnection, house: HouseId) -> QueryResult<(bool, Vec<MeterKind>)> {
    #[derive(QueryableByName)]
    struct Kind {
        #[diesel(sql_type = Text)]
        kind: MeterKind,
    }
    let has_apartments: bool = diesel::select(diesel::dsl::exists(
        apartments::table.filter(apartments::house_id.eq(house)),
    ))
    .get_result(conn)?;
    let kinds = diesel::sql_query(
        "SELECT DISTINCT m.kind FROM apartments a \
         CROSS JOIN LATERAL (SELECT mm.kind FROM meters mm WHERE mm.apartment_id = a.id OFFSET 0) m \
         WHERE a.house_id = $1",
    )
    .bind::<BigInt, _>(house)
    .load::<Kind>(conn)?;
    Ok((has_apartments, kinds.into_iter().map(|k| k.kind).collect()))
}

/// How many apartments the house has: a run's total.
pub fn apartment_count(conn: &mut PgConnection, house: HouseId) -> QueryResult<i64> {
    apartments::table
        .filter(apartments::house_id.eq(house))
        .count()
        .get_result(conn)
}

/// The next `limit` apartments of the house after `after`, in id order:
/// (id, area).
pub fn apartments_after(
    conn: &mut PgConnection,
    house: HouseId,
    after: Option<ApartmentId>,
    limit: i64,
) -> QueryResult<Vec<(ApartmentId, Decimal)>> {
    let mut query = apartments::table
        .filter(apartments::house_id.eq(house))
        .order_by(apartments::id)
        .limit(limit)
        .select((apartments::id, apartments::area))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(apartments::id.gt(after));
    }
    query.load(conn)
}

/// Keeps the prices a run bills at, when it starts.
pub fn keep_prices(conn: &mut PgConnection, prices: &[RunPrice]) -> QueryResult<usize> {
    diesel::insert_into(billing_run_prices::table)
        .values(prices)
        .execute(conn)
}

/// The prices the run was started with, by service.
pub fn run_prices(conn: &mut PgConnection, run: BillingRunId) -> QueryResult<Vec<RunPrice>> {
    billing_run_prices::table
        .filter(billing_run_prices::run_id.eq(run))
        .order_by(billing_run_prices::service)
        .select(RunPrice::as_select())
        .load(conn)
}

/// A queued or running run that bills at `tariff`, if any.
pub fn active_run_keeping(
    conn: &mut PgConnection,
    tariff: TariffId,
) -> QueryResult<Option<BillingRunId>> {
    billing_run_prices::table
        .inner_join(billing_runs::table)
        .filter(billing_run_prices::tariff_id.eq(tariff))
        .filter(billing_runs::status.eq_any([RunStatus::Queued, RunStatus::Running]))
        .select(billing_runs::id)
        .first(conn)
        .optional()
}
