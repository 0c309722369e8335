//! What a billing run reads: the tariffs a house can pay, what its
//! apartments need, and its apartments batch by batch. A fixed number of
//! statements per batch, whatever its size, so a large house costs no more
//! round trips per apartment than a small one.

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date, Integer, Nullable, Numeric};
use rust_decimal::Decimal;

use crate::db::models::{
    ApartmentId, BillingRunId, Coefficient, HouseId, Meter, MeterId, Normative, RunPrice, RunRate,
    Tariff, TariffId,
};
use crate::db::schema::{
    apartments, billing_run_prices, billing_run_rates, billing_runs, coefficients, meters,
    normatives, tariffs,
};
use crate::domain::{Period, RunStatus};

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

/// How many apartments the house has: a run's total.
pub fn apartment_count(conn: &mut PgConnection, house: HouseId) -> QueryResult<i64> {
    apartments::table
        .filter(apartments::house_id.eq(house))
        .count()
        .get_result(conn)
}

/// An apartment as billing reads it, with its residents history.
#[derive(Debug, QueryableByName)]
pub struct ApartmentToBill {
    #[diesel(sql_type = BigInt)]
    pub id: ApartmentId,
    #[diesel(sql_type = Numeric)]
    pub area: Decimal,
    #[diesel(sql_type = Integer)]
    pub owners: i32,
    #[diesel(sql_type = Bool)]
    pub meter_impossible: bool,
    /// The residents' months (None: from always), and their counts.
    #[diesel(sql_type = Array<Nullable<Date>>)]
    pub resident_months: Vec<Option<Period>>,
    #[diesel(sql_type = Array<Integer>)]
    pub resident_counts: Vec<i32>,
}

/// The next `limit` apartments of the house after `after`, in id order,
/// with their residents.
pub fn apartments_after(
    conn: &mut PgConnection,
    house: HouseId,
    after: Option<ApartmentId>,
    limit: i64,
) -> QueryResult<Vec<ApartmentToBill>> {
    diesel::sql_query(
        "SELECT a.id, a.area, a.owners, a.meter_impossible, \
                ARRAY(SELECT r.valid_from FROM apartment_residents r \
                      WHERE r.apartment_id = a.id ORDER BY r.id) AS resident_months, \
                ARRAY(SELECT r.count FROM apartment_residents r \
                      WHERE r.apartment_id = a.id ORDER BY r.id) AS resident_counts \
         FROM apartments a \
         WHERE a.house_id = $1 AND a.id > COALESCE($2, 0) \
         ORDER BY a.id LIMIT $3",
    )
    .bind::<BigInt, _>(house)
    .bind::<Nullable<BigInt>, _>(after)
    .bind::<BigInt, _>(limit)
    .load(conn)
}

/// The meters of these apartments, by apartment and id.
pub fn meters_of(conn: &mut PgConnection, apartments: &[ApartmentId]) -> QueryResult<Vec<Meter>> {
    meters::table
        .filter(meters::apartment_id.eq_any(apartments))
        .order_by((meters::apartment_id, meters::id))
        .select(Meter::as_select())
        .load(conn)
}

/// A meter's reading of a month, or the volume estimated for it in the
/// bill of a month (`estimate`).
#[derive(QueryableByName)]
pub struct MeterMonth {
    #[diesel(sql_type = BigInt)]
    pub meter_id: MeterId,
    #[diesel(sql_type = Date)]
    pub period: Period,
    #[diesel(sql_type = Numeric)]
    pub value: Decimal,
    #[diesel(sql_type = Bool)]
    pub estimate: bool,
}

/// What billing `period` reads of these meters' history, in one statement,
/// and no more (`domain::volume` finds the same in it as in all of it):
/// - each meter's reading of `period`, its latest usable reading (taken
///   while it was verified) before it — the base — and, when that base is
///   not before `average_from` (an average can still be billed), the
///   earliest usable reading in the `window` months before the base;
/// - the volumes estimated (by average or normative) in the bills of the
///   months after the base and before `period`: what an actual reading is
///   measured from.
pub fn meter_history(
    conn: &mut PgConnection,
    meters: &[MeterId],
    period: Period,
    average_from: Period,
    window: u32,
) -> QueryResult<Vec<MeterMonth>> {
    diesel::sql_query(
        "WITH m AS (SELECT id, verified_until FROM meters WHERE id = ANY($1)), \
         base AS ( \
             SELECT m.id, m.verified_until, b.period, b.value FROM m \
             CROSS JOIN LATERAL (SELECT r.period, r.value FROM readings r \
                 WHERE r.meter_id = m.id AND r.period < $3 \
                   AND (m.verified_until IS NULL OR r.period <= m.verified_until) \
                 ORDER BY r.period DESC LIMIT 1) b) \
         SELECT r.meter_id, r.period, r.value, false AS estimate FROM readings r \
         WHERE r.meter_id = ANY($1) AND r.period = $3 \
         UNION ALL \
         SELECT id, period, value, false FROM base \
         UNION ALL \
         SELECT b.id, s.period, s.value, false FROM base b \
         CROSS JOIN LATERAL (SELECT r.period, r.value FROM readings r \
             WHERE r.meter_id = b.id AND r.period >= b.period - make_interval(months => $4) \
               AND r.period < b.period \
               AND (b.verified_until IS NULL OR r.period <= b.verified_until) \
             ORDER BY r.period LIMIT 1) s \
         WHERE b.period >= $2 \
         UNION ALL \
         SELECT v.meter_id, v.period, v.volume, true FROM meter_volumes v \
         LEFT JOIN base b ON b.id = v.meter_id \
         WHERE v.meter_id = ANY($1) AND v.period < $3 AND v.method <> 'actual' \
           AND (b.period IS NULL OR v.period > b.period)",
    )
    .bind::<Array<BigInt>, _>(meters)
    .bind::<Date, _>(average_from)
    .bind::<Date, _>(period)
    .bind::<Integer, _>(i32::try_from(window).unwrap_or(i32::MAX))
    .load(conn)
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

/// Keeps the normatives and coefficients a run bills at, when it starts.
pub fn keep_rates(conn: &mut PgConnection, rates: &[RunRate]) -> QueryResult<usize> {
    diesel::insert_into(billing_run_rates::table)
        .values(rates)
        .execute(conn)
}

/// The normatives and coefficients the run was started with.
pub fn run_rates(conn: &mut PgConnection, run: BillingRunId) -> QueryResult<Vec<RunRate>> {
    billing_run_rates::table
        .filter(billing_run_rates::run_id.eq(run))
        .order_by(billing_run_rates::service)
        .select(RunRate::as_select())
        .load(conn)
}

/// The normatives that can be in effect for `house` in `period`.
pub fn normatives_for_house(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
) -> QueryResult<Vec<Normative>> {
    normatives::table
        .filter(
            normatives::house_id
                .is_null()
                .or(normatives::house_id.eq(house)),
        )
        .filter(normatives::valid_from.le(period))
        .select(Normative::as_select())
        .load(conn)
}

/// The coefficients started in or before `period`.
pub fn coefficients_until(
    conn: &mut PgConnection,
    period: Period,
) -> QueryResult<Vec<Coefficient>> {
    coefficients::table
        .filter(coefficients::valid_from.le(period))
        .select(Coefficient::as_select())
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
