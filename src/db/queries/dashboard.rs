//! What the dashboard shows: the houses with their counts, the latest
//! billing runs, and for each house what blocks or weakens billing its
//! current period (meters without a reading, meters past their
//! verification, services without a tariff or normative) with that month's
//! bill. A fixed number of queries per distinct current period (houses
//! mostly share one), never one per house.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};

use super::run_listing::RunRow;
use crate::db::models::{ApartmentId, BillingRun, House, HouseId, HouseSummary, Meter, MeterId};
use crate::domain::tariff::tariff_in_effect;
use crate::domain::volume::MeterDates;
use crate::domain::{MeterKind, Period, Service};

/// A meter with no reading for the month.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct MissingMeter {
    #[diesel(sql_type = BigInt)]
    pub house_id: HouseId,
    #[diesel(sql_type = BigInt)]
    pub apartment_id: ApartmentId,
    #[diesel(sql_type = Text)]
    pub apartment_number: String,
    #[diesel(sql_type = BigInt)]
    pub meter_id: MeterId,
    #[diesel(sql_type = Text)]
    pub serial: String,
    #[diesel(sql_type = Text)]
    pub kind: MeterKind,
    /// How many meters of the house miss the reading, all of them.
    #[diesel(sql_type = BigInt)]
    pub missing_in_house: i64,
}

/// What blocks or weakens billing a house's current period.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseAttention {
    pub house: HouseSummary,
    /// The house's current period, which all of this is about.
    pub period: Period,
    /// All the meters missing the reading, however many are listed.
    pub missing: i64,
    /// The first few, in apartment order.
    pub first: Vec<MissingMeter>,
    /// Counting meters past their verification in the month.
    pub faulty: i64,
    /// Readings of the month saved with a warning (the first few).
    pub doubtful: Vec<DoubtfulReading>,
    /// Services the house bills with no tariff in effect.
    pub no_tariff: Vec<Service>,
    /// Water services the house bills with no normative in effect.
    pub no_normative: Vec<MeterKind>,
    /// The month's latest run.
    pub bill: Option<BillingRun>,
}

impl HouseAttention {
    /// Something here keeps the month from being billed well.
    pub fn needs_attention(&self) -> bool {
        self.missing > 0
            || self.faulty > 0
            || !self.doubtful.is_empty()
            || self
                .bill
                .as_ref()
                .is_some_and(|run| run.is_stale() || run.status == crate::domain::RunStatus::Failed)
            || !self.no_tariff.is_empty()
            || !self.no_normative.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub houses: Vec<HouseSummary>,
    /// Newest first.
    pub runs: Vec<RunRow>,
    /// Only the houses needing attention, by address.
    pub attention: Vec<HouseAttention>,
    /// The houses whose current period's latest run completed and is up to
    /// date, and the sum of those runs.
    pub current_billed: usize,
    pub current_total: rust_decimal::Decimal,
}

/// Loads the dashboard: at most `runs` recent billing runs and `listed`
/// missing meters named per house, each house about its current period.
pub fn load(conn: &mut PgConnection, runs: i64, listed: i64) -> QueryResult<Dashboard> {
    let houses = super::houses::list_summaries(conn)?;
    let runs = super::run_listing::latest(conn, runs)?;
    let full: HashMap<HouseId, House> = super::houses::list(conn)?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let tariffs = super::tariffs::list(conn)?;
    let normatives = super::normatives::list(conn)?;
    let mut by_period: BTreeMap<Period, Vec<HouseId>> = BTreeMap::new();
    for house in full.values() {
        by_period
            .entry(house.current_period())
            .or_default()
            .push(house.id);
    }
    let mut missing: HashMap<HouseId, Vec<MissingMeter>> = HashMap::new();
    let mut faulty: HashMap<HouseId, i64> = HashMap::new();
    let mut bills: HashMap<HouseId, BillingRun> = HashMap::new();
    let mut doubtful: HashMap<HouseId, Vec<DoubtfulReading>> = HashMap::new();
    for (&period, ids) in &by_period {
        for meter in missing_readings(conn, period, listed, ids)? {
            missing.entry(meter.house_id).or_default().push(meter);
        }
        for reading in doubtful_readings(conn, period, listed, ids)? {
            doubtful.entry(reading.house_id).or_default().push(reading);
        }
        for (house, dates) in unverified_meters(conn, period, ids)? {
            if dates.counts_in(period) && dates.is_faulty_in(period) {
                *faulty.entry(house).or_default() += 1;
            }
        }
        bills.extend(
            latest_runs(conn, period, ids)?
                .into_iter()
                .map(|r| (r.house_id, r)),
        );
    }
    let up_to_date: Vec<&BillingRun> = bills
        .values()
        .filter(|run| run.status == crate::domain::RunStatus::Completed && !run.is_stale())
        .collect();
    let current_billed = up_to_date.len();
    let current_total = up_to_date.iter().map(|run| run.amount).sum();
    let attention = houses
        .iter()
        .filter_map(|summary| {
            let house = full.get(&summary.id)?;
            let period = house.current_period();
            let first = missing.remove(&house.id).unwrap_or_default();
            let billed = |s: &Service| house.bills(*s);
            let item = HouseAttention {
                house: summary.clone(),
                period,
                missing: first.first().map_or(0, |m| m.missing_in_house),
                first,
                faulty: faulty.get(&house.id).copied().unwrap_or(0),
                doubtful: doubtful.remove(&house.id).unwrap_or_default(),
                no_tariff: Service::ALL
                    .iter()
                    .filter(|s| billed(s))
                    .filter(|s| tariff_in_effect(&tariffs, **s, Some(&house.id), period).is_none())
                    .copied()
                    .collect(),
                no_normative: MeterKind::ALL
                    .iter()
                    .filter(|k| billed(&k.service()))
                    .filter(|k| {
                        tariff_in_effect(&normatives, k.service(), Some(&house.id), period)
                            .is_none()
                    })
                    .copied()
                    .collect(),
                bill: bills.remove(&house.id),
            };
            item.needs_attention().then_some(item)
        })
        .collect();
    Ok(Dashboard {
        houses,
        runs,
        attention,
        current_billed,
        current_total,
    })
}

/// A reading of a house's current period saved with a warning.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct DoubtfulReading {
    #[diesel(sql_type = BigInt)]
    pub house_id: HouseId,
    #[diesel(sql_type = BigInt)]
    pub meter_id: MeterId,
    #[diesel(sql_type = Text)]
    pub serial: String,
    #[diesel(sql_type = diesel::sql_types::Numeric)]
    pub value: rust_decimal::Decimal,
    /// All of the house's, however many are listed.
    #[diesel(sql_type = BigInt)]
    pub in_house: i64,
}

/// The readings of `period` saved with a warning in `houses`, at most
/// `per_house` of each, by serial.
fn doubtful_readings(
    conn: &mut PgConnection,
    period: Period,
    per_house: i64,
    houses: &[HouseId],
) -> QueryResult<Vec<DoubtfulReading>> {
    diesel::sql_query(
        "SELECT house_id, meter_id, serial, value, in_house FROM ( \
           SELECT a.house_id, m.id AS meter_id, m.serial, r.value, \
                  count(*) OVER (PARTITION BY a.house_id) AS in_house, \
                  row_number() OVER (PARTITION BY a.house_id ORDER BY m.serial) AS rn \
           FROM reading_doubts d \
           JOIN readings r ON r.meter_id = d.meter_id AND r.period = d.period \
           JOIN meters m ON m.id = d.meter_id \
           JOIN apartments a ON a.id = m.apartment_id \
           WHERE d.period = $1 AND a.house_id = ANY($3)) doubts \
         WHERE rn <= $2 ORDER BY house_id, rn",
    )
    .bind::<Date, _>(period)
    .bind::<BigInt, _>(per_house)
    .bind::<diesel::sql_types::Array<BigInt>, _>(houses.iter().map(|h| h.0).collect::<Vec<_>>())
    .load(conn)
}

/// The meters of `houses` whose verification ended before `period`, with
/// their dates (few: the rule of which count is `MeterDates`').
fn unverified_meters(
    conn: &mut PgConnection,
    period: Period,
    houses: &[HouseId],
) -> QueryResult<Vec<(HouseId, MeterDates)>> {
    use crate::db::schema::{apartments, meters};
    let rows: Vec<(HouseId, Meter)> = meters::table
        .inner_join(apartments::table)
        .filter(apartments::house_id.eq_any(houses))
        .filter(meters::verified_until.lt(period.first_day()))
        .select((apartments::house_id, Meter::as_select()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(h, m)| (h, m.dates())).collect())
}

/// The latest run of each of `houses` for `period`.
fn latest_runs(
    conn: &mut PgConnection,
    period: Period,
    houses: &[HouseId],
) -> QueryResult<Vec<BillingRun>> {
    use crate::db::schema::billing_runs;
    billing_runs::table
        .filter(billing_runs::house_id.eq_any(houses))
        .filter(billing_runs::period.eq(period))
        .distinct_on(billing_runs::house_id)
        .order_by((billing_runs::house_id, billing_runs::id.desc()))
        .select(BillingRun::as_select())
        .load(conn)
}

/// Meters of `houses` without a reading for `period`, at most `per_house`
/// of each house (each row carrying its house's full count), in natural
/// apartment order. Only a meter that counts in the month needs its reading
/// (`MeterDates::counts_in`, in SQL): not one installed after it, commissioned
/// in or after it, or taken out before it.
pub fn missing_readings(
    conn: &mut PgConnection,
    period: Period,
    per_house: i64,
    houses: &[HouseId],
) -> QueryResult<Vec<MissingMeter>> {
    diesel::sql_query(
        "SELECT house_id, apartment_id, apartment_number, meter_id, serial, kind, missing_in_house \
         FROM ( \
           SELECT a.house_id, a.id AS apartment_id, a.number AS apartment_number, \
                  m.id AS meter_id, m.serial, m.kind, \
                  count(*) OVER (PARTITION BY a.house_id) AS missing_in_house, \
                  row_number() OVER (PARTITION BY a.house_id ORDER BY \
                    a.number_order NULLS LAST, a.number, m.serial) AS rn \
           FROM meters m JOIN apartments a ON a.id = m.apartment_id \
           WHERE a.house_id = ANY($3) \
             AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id AND r.period = $1) \
             AND (m.installed_on IS NULL OR m.installed_on < ($1 + interval '1 month')) \
             AND (m.commissioned_on IS NULL OR date_trunc('month', m.commissioned_on) < $1) \
             AND (m.decommissioned_on IS NULL OR $1 <= date_trunc('month', m.decommissioned_on)) \
         ) missing \
         WHERE rn <= $2 \
         ORDER BY house_id, rn",
    )
    .bind::<Date, _>(period)
    .bind::<BigInt, _>(per_house)
    .bind::<diesel::sql_types::Array<BigInt>, _>(houses.iter().map(|h| h.0).collect::<Vec<_>>())
    .load(conn)
}
