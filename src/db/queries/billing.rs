//! What a billing run reads and writes per batch: a fixed number of
//! statements per batch, whatever its size, so a large house costs no more
//! round trips per apartment than a small one.

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Numeric, Text};
use rust_decimal::Decimal;

use crate::db::models::{ApartmentId, BillingRun, BillingRunId, HouseId, Tariff};
use crate::db::schema::{apartments, billing_runs, tariffs};
use crate::domain::{MeterKind, Period, Service};

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

/// The run's row, locked until the transaction ends: one batch at a time.
pub fn lock_run(conn: &mut PgConnection, id: BillingRunId) -> QueryResult<BillingRun> {
    billing_runs::table
        .find(id)
        .for_update()
        .select(BillingRun::as_select())
        .first(conn)
}

/// Deletes the month's lines of these apartments whose service is not among
/// `keep` (pairs of apartment and service): what no longer applies when a
/// month is billed again.
pub fn delete_other_lines(
    conn: &mut PgConnection,
    apartments: &[ApartmentId],
    period: Period,
    keep: &[(ApartmentId, Service)],
) -> QueryResult<usize> {
    if apartments.is_empty() {
        return Ok(0);
    }
    let (keep_apartments, keep_services): (Vec<ApartmentId>, Vec<Service>) =
        keep.iter().copied().unzip();
    diesel::sql_query(
        "DELETE FROM charges c \
         WHERE c.apartment_id = ANY($1) AND c.period = $2 \
           AND NOT EXISTS ( \
               SELECT 1 FROM unnest($3::int8[], $4::text[]) AS k(apartment_id, service) \
               WHERE k.apartment_id = c.apartment_id AND k.service = c.service)",
    )
    .bind::<Array<BigInt>, _>(apartments)
    .bind::<Date, _>(period)
    .bind::<Array<BigInt>, _>(keep_apartments)
    .bind::<Array<Text>, _>(keep_services)
    .execute(conn)
}

/// Records a committed batch: `processed` more apartments, the last one
/// billed, and their amount. The total grows if apartments were added after
/// the run started, so progress never exceeds it.
pub fn advance_run(
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
    .bind::<diesel::sql_types::Integer, _>(processed)
    .bind::<BigInt, _>(cursor)
    .bind::<Numeric, _>(amount)
    .execute(conn)
}

/// Marks the run completed: the total becomes what was billed (apartments
/// deleted meanwhile are not waited for) and its lease is released.
pub fn complete_run(conn: &mut PgConnection, id: BillingRunId) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE billing_runs \
         SET status = 'completed', total = processed, finished_at = now(), \
             lease_owner = NULL, lease_expires_at = NULL \
         WHERE id = $1",
    )
    .bind::<BigInt, _>(id)
    .execute(conn)
}
