//! A house's apartments with their meters, each meter's last reading and
//! each apartment's last bill, residents and account: in seven queries whatever the page size
//! (never one query per row).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;

use crate::db::models::{Account, Apartment, ApartmentId, HouseId, Meter, MeterId};
use crate::db::schema::{apartments, meters, readings};
use crate::domain::residents::ResidentsFrom;
use crate::domain::{MeterKind, Period, lookalike_key};

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
    /// Who lives there from which month, oldest first.
    pub residents: Vec<ResidentsFrom>,
    /// The latest billed month and the apartment's total for it (its
    /// lines and its account's penalty).
    pub last_bill: Option<(Period, Decimal)>,
    /// Its personal account, once it has one.
    pub account: Option<Account>,
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
        .order_by(apartments::number_order.asc().nulls_last())
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
    let mut residents = super::apartments::residents_of(conn, &ids)?;
    let mut accounts = accounts_of(conn, &ids)?;

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
            residents: residents.remove(&apartment.id).unwrap_or_default(),
            account: accounts.remove(&apartment.id),
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
    // The month's lines and its account's penalty, as the results total them.
    let rows: Vec<LastBill> = diesel::sql_query(
        "SELECT b.apartment_id, b.period, b.total + coalesce(p.amount, 0) AS total \
         FROM ( \
             SELECT DISTINCT ON (apartment_id) apartment_id, period, sum(amount) AS total \
             FROM charges WHERE apartment_id = ANY($1) \
             GROUP BY apartment_id, period ORDER BY apartment_id, period DESC) b \
         LEFT JOIN accounts a ON a.apartment_id = b.apartment_id \
         LEFT JOIN penalties p ON p.account_id = a.id AND p.period = b.period",
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

/// One row of [`apartments_page`]: an apartment and one of its meters (or
/// none) with the meter's latest reading.
#[derive(QueryableByName)]
struct PageRow {
    #[diesel(sql_type = BigInt)]
    apartment_id: ApartmentId,
    #[diesel(sql_type = Text)]
    number: String,
    #[diesel(sql_type = Numeric)]
    area: Decimal,
    #[diesel(sql_type = Timestamptz)]
    apartment_created_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    owners: i32,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    meter_impossible: bool,
    #[diesel(sql_type = Nullable<BigInt>)]
    meter_id: Option<MeterId>,
    #[diesel(sql_type = Nullable<Text>)]
    serial: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    kind: Option<MeterKind>,
    #[diesel(sql_type = Nullable<Numeric>)]
    initial_reading: Option<Decimal>,
    #[diesel(sql_type = Nullable<Date>)]
    installed_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    meter_created_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Date>)]
    commissioned_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Date>)]
    verified_until: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Date>)]
    decommissioned_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Date>)]
    reading_period: Option<Period>,
    #[diesel(sql_type = Nullable<Numeric>)]
    reading_value: Option<Decimal>,
}

/// A slice of a house's apartments in natural number order (as
/// [`apartments`] lists them) with their meters and each meter's latest
/// reading in one statement, and their residents in a second; without last
/// bills, which the API does not show. `limit` `None`: all of them.
pub fn apartments_page(
    conn: &mut PgConnection,
    house: HouseId,
    offset: i64,
    limit: Option<i64>,
) -> QueryResult<Vec<ApartmentRow>> {
    let rows: Vec<PageRow> = diesel::sql_query(
        "WITH page AS ( \
             SELECT id, number, area, created_at, number_order, owners, meter_impossible \
             FROM apartments WHERE house_id = $1 \
             ORDER BY number_order ASC NULLS LAST, number, id \
             OFFSET $2 LIMIT $3) \
         SELECT p.id AS apartment_id, p.number, p.area, p.created_at AS apartment_created_at, \
                p.owners, p.meter_impossible, \
                m.id AS meter_id, m.serial, m.kind, m.initial_reading, m.installed_on, \
                m.created_at AS meter_created_at, m.commissioned_on, m.verified_until, \
                m.decommissioned_on, \
                r.period AS reading_period, r.value AS reading_value \
         FROM page p \
         LEFT JOIN meters m ON m.apartment_id = p.id \
         LEFT JOIN LATERAL ( \
             SELECT period, value FROM readings WHERE readings.meter_id = m.id \
             ORDER BY period DESC LIMIT 1) r ON true \
         ORDER BY p.number_order ASC NULLS LAST, p.number, p.id, m.kind, m.serial",
    )
    .bind::<BigInt, _>(house)
    .bind::<BigInt, _>(offset)
    .bind::<Nullable<BigInt>, _>(limit)
    .load(conn)?;

    let mut page: Vec<ApartmentRow> = Vec::new();
    for row in rows {
        if page.last().map(|a| a.apartment.id) != Some(row.apartment_id) {
            page.push(ApartmentRow {
                apartment: Apartment {
                    id: row.apartment_id,
                    house_id: house,
                    number: row.number,
                    area: row.area,
                    created_at: row.apartment_created_at,
                    owners: row.owners,
                    meter_impossible: row.meter_impossible,
                },
                meters: Vec::new(),
                residents: Vec::new(),
                last_bill: None,
                account: None,
            });
        }
        let (
            Some(id),
            Some(serial),
            Some(kind),
            Some(initial_reading),
            Some(created_at),
            Some(apartment),
        ) = (
            row.meter_id,
            row.serial,
            row.kind,
            row.initial_reading,
            row.meter_created_at,
            page.last_mut(),
        )
        else {
            continue;
        };
        apartment.meters.push(MeterRow {
            meter: Meter {
                id,
                apartment_id: row.apartment_id,
                serial,
                kind,
                initial_reading,
                installed_on: row.installed_on,
                created_at,
                commissioned_on: row.commissioned_on,
                verified_until: row.verified_until,
                decommissioned_on: row.decommissioned_on,
            },
            last_reading: row.reading_period.zip(row.reading_value),
        });
    }
    let ids: Vec<ApartmentId> = page.iter().map(|a| a.apartment.id).collect();
    let mut residents = super::apartments::residents_of(conn, &ids)?;
    let mut accounts = accounts_of(conn, &ids)?;
    for apartment in &mut page {
        apartment.residents = residents
            .remove(&apartment.apartment.id)
            .unwrap_or_default();
        apartment.account = accounts.remove(&apartment.apartment.id);
    }
    Ok(page)
}

/// How many apartments the house has.
pub fn apartment_count(conn: &mut PgConnection, house: HouseId) -> QueryResult<i64> {
    apartments::table
        .filter(apartments::house_id.eq(house))
        .count()
        .get_result(conn)
}

/// These apartments' accounts, by apartment.
fn accounts_of(
    conn: &mut PgConnection,
    ids: &[ApartmentId],
) -> QueryResult<HashMap<ApartmentId, Account>> {
    Ok(super::accounts::of_apartments(conn, ids)?
        .into_iter()
        .map(|a| (a.apartment_id, a))
        .collect())
}
