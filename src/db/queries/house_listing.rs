//! A house's apartments with their meters, each meter's last reading and
//! each apartment's last bill: in five queries whatever the page size
//! (never one query per row).

use std::collections::HashMap;

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Nullable, Numeric};
use rust_decimal::Decimal;

use crate::db::models::{Apartment, ApartmentId, HouseId, Meter, MeterId};
use crate::db::schema::{apartments, meters, readings};
use crate::domain::{Period, lookalike_key};

#[derive(Debug, Clone, PartialEq)]
pub struct MeterRow {
    pub meter: Meter,
    /// The latest reading: its month and value.
    pub last_reading: Option<(Period, Decimal)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApartmentRow {
    pub apartment: Apartment,
    pub meters: Vec<MeterRow>,
    /// The latest billed month and the apartment's total for it.
    pub last_bill: Option<(Period, Decimal)>,
}

/// Which apartments of the house to show.
#[derive(Debug, Clone, Default)]
pub struct ApartmentQuery<'a> {
    /// Matches the start of an apartment number or any part of a meter
    /// serial, through [`lookalike_key`] (case and look-alike letters aside).
    pub search: Option<&'a str>,
    pub offset: i64,
    /// `None`: all of them.
    pub limit: Option<i64>,
}

/// The matching apartments' count and the requested slice of them, in
/// natural number order (2 before 10, "12А" after 12).
pub fn apartments(
    conn: &mut PgConnection,
    house: HouseId,
    query: &ApartmentQuery,
) -> QueryResult<(i64, Vec<ApartmentRow>)> {
    let filtered = || {
        let mut q = apartments::table
            .filter(apartments::house_id.eq(house))
            .into_boxed();
        if let Some(term) = query.search.map(str::trim).filter(|t| !t.is_empty()) {
            // Compared by key: "28a" finds 28А, "xb" finds ХВ-000201.
            let escaped = lookalike_key(term)
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            let by_serial = meters::table
                .filter(meters::serial_key.like(format!("%{escaped}%")))
                .select(meters::apartment_id);
            q = q.filter(
                apartments::number_key
                    .like(format!("{escaped}%"))
                    .or(apartments::id.eq_any(by_serial)),
            );
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let mut page = filtered()
        .order_by(
            sql::<Nullable<Numeric>>("substring(apartments.number from '^[0-9]+')::numeric")
                .asc()
                .nulls_last(),
        )
        .then_order_by(apartments::number)
        .then_order_by(apartments::id)
        .offset(query.offset)
        .select(Apartment::as_select());
    if let Some(limit) = query.limit {
        page = page.limit(limit);
    }
    let apartments = page.load(conn)?;
    Ok((total, with_meters_and_bills(conn, apartments)?))
}

fn with_meters_and_bills(
    conn: &mut PgConnection,
    apartments: Vec<Apartment>,
) -> QueryResult<Vec<ApartmentRow>> {
    let ids: Vec<ApartmentId> = apartments.iter().map(|a| a.id).collect();
    let meters = super::meters::list_for_apartments(conn, &ids)?;
    let meter_ids: Vec<MeterId> = meters.iter().map(|m| m.id).collect();
    let mut last_readings: HashMap<MeterId, (Period, Decimal)> = readings::table
        .filter(readings::meter_id.eq_any(&meter_ids))
        .distinct_on(readings::meter_id)
        .order_by((readings::meter_id, readings::period.desc()))
        .select((readings::meter_id, (readings::period, readings::value)))
        .load::<(MeterId, (Period, Decimal))>(conn)?
        .into_iter()
        .collect();
    let mut last_bills = last_bills(conn, &ids)?;

    let mut meters_by_apartment: HashMap<ApartmentId, Vec<MeterRow>> = HashMap::new();
    for meter in meters {
        let last_reading = last_readings.remove(&meter.id);
        meters_by_apartment
            .entry(meter.apartment_id)
            .or_default()
            .push(MeterRow {
                meter,
                last_reading,
            });
    }
    Ok(apartments
        .into_iter()
        .map(|apartment| ApartmentRow {
            meters: meters_by_apartment
                .remove(&apartment.id)
                .unwrap_or_default(),
            last_bill: last_bills.remove(&apartment.id),
            apartment,
        })
        .collect())
}

#[derive(QueryableByName)]
struct LastBill {
    #[diesel(sql_type = BigInt)]
    apartment_id: i64,
    #[diesel(sql_type = Date)]
    period: Period,
    #[diesel(sql_type = Numeric)]
    total: Decimal,
}

fn last_bills(
    conn: &mut PgConnection,
    ids: &[ApartmentId],
) -> QueryResult<HashMap<ApartmentId, (Period, Decimal)>> {
    let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
    let rows: Vec<LastBill> = diesel::sql_query(
        "SELECT DISTINCT ON (apartment_id) apartment_id, period, sum(amount) AS total \
         FROM charges WHERE apartment_id = ANY($1) \
         GROUP BY apartment_id, period ORDER BY apartment_id, period DESC",
    )
    .bind::<Array<BigInt>, _>(ids)
    .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| (ApartmentId(r.apartment_id), (r.period, r.total)))
        .collect())
}

/// One apartment with its meters, last readings and last bill.
pub fn apartment(conn: &mut PgConnection, id: ApartmentId) -> QueryResult<ApartmentRow> {
    let apartment = super::apartments::find(conn, id)?;
    let mut views = with_meters_and_bills(conn, vec![apartment])?;
    Ok(views.remove(0))
}
