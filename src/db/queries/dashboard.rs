//! What the dashboard shows, in three queries whatever the number of houses:
//! the houses with their counts, the latest billing runs, and the meters
//! still missing a reading for the month.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};

use super::run_listing::RunRow;
use crate::db::models::{ApartmentId, HouseId, HouseSummary, MeterId};
use crate::domain::{MeterKind, Period};

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

/// A house whose meters miss readings for the month.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseAttention {
    pub house: HouseSummary,
    /// All the meters missing the reading, however many are listed.
    pub missing: i64,
    /// The first few, in apartment order.
    pub first: Vec<MissingMeter>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub period: Period,
    pub houses: Vec<HouseSummary>,
    /// Newest first.
    pub runs: Vec<RunRow>,
    /// Only houses with something missing, by address.
    pub attention: Vec<HouseAttention>,
}

/// Loads the dashboard for `period`: at most `runs` recent billing runs and
/// `listed` missing meters named per house.
pub fn load(
    conn: &mut PgConnection,
    period: Period,
    runs: i64,
    listed: i64,
) -> QueryResult<Dashboard> {
    let houses = super::houses::list_summaries(conn)?;
    let runs = super::run_listing::latest(conn, runs)?;
    let mut missing: HashMap<HouseId, Vec<MissingMeter>> = HashMap::new();
    for meter in missing_readings(conn, period, listed)? {
        missing.entry(meter.house_id).or_default().push(meter);
    }
    let attention = houses
        .iter()
        .filter_map(|house| {
            let first = missing.remove(&house.id)?;
            Some(HouseAttention {
                house: house.clone(),
                missing: first.first()?.missing_in_house,
                first,
            })
        })
        .collect();
    Ok(Dashboard {
        period,
        houses,
        runs,
        attention,
    })
}

/// Meters without a reading for `period`, at most `per_house` of each house
/// (each row carrying its house's full count), in natural apartment order.
/// A meter installed after the month needs no reading for it.
pub fn missing_readings(
    conn: &mut PgConnection,
    period: Period,
    per_house: i64,
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
           WHERE NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id AND r.period = $1) \
             AND (m.installed_on IS NULL OR m.installed_on < ($1 + interval '1 month')) \
         ) missing \
         WHERE rn <= $2 \
         ORDER BY house_id, rn",
    )
    .bind::<Date, _>(period)
    .bind::<BigInt, _>(per_house)
    .load(conn)
}
