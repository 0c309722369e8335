//! The house page of a 2,000-apartment house: its server time over HTTP next
//! to the time of the same data's SQL queries run directly, in one run.
//!
//!     DATABASE_URL=postgres://… cargo bench --bench house_page
//!
//! Creates a database of its own on DATABASE_URL's server (the role needs
//! CREATEDB), loads one house — 2,000 apartments, a cold and a hot meter
//! each, six months of readings, one billed month — serves the app in-process
//! on a free port and times each case RUNS times, HTTP and direct SQL
//! alternating. Prints figures; asserts nothing about time. The database is
//! dropped at the end, also after a panic.

mod support;

use std::time::{Duration, Instant};

use diesel::prelude::*;
use kvartplata::db::models::{
    ApartmentId, BillingRunChangeset, HouseId, NewBillingRun, NewCharge, NewReading,
};
use kvartplata::db::queries::house_listing::{self, ApartmentQuery};
use kvartplata::db::{migrations, queries};
use kvartplata::domain::{
    MeterKind, Period, ReadingSource, RunStatus, Service, TimeZone, round_kopecks,
};
use kvartplata::services;
use kvartplata::services::apartments::{AddApartment, People};
use kvartplata::services::houses::AddHouse;
use kvartplata::services::meters::AddMeter;
use kvartplata::services::tariffs::AddTariff;
use rust_decimal::Decimal;
use support::{Databases, serve};

const APARTMENTS: usize = 2_000;
const MONTHS: usize = 6;
const RUNS: usize = 30;
const WARM_UP: usize = 3;
/// Rows per multi-row INSERT (a handful of parameters each).
const CHUNK: usize = 5_000;

fn main() {
    let server_url = support::server_url_or_exit("house_page");
    let mut dbs = Databases::new(&server_url);
    let db = dbs.create(None);
    let db_url = dbs.url(&db);
    let mut conn = PgConnection::establish(&db_url).expect("connect to the bench database");
    migrations::run_pending(&mut conn).expect("migrate the bench database");

    let started = Instant::now();
    let house = load_house(&mut conn);
    println!(
        "loaded 1 house, {APARTMENTS} apartments, {} meters, {} months of readings, \
         one billed month in {:.1} s",
        APARTMENTS * 2,
        MONTHS,
        started.elapsed().as_secs_f64()
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let served = runtime.block_on(async { serve(&db_url) });
    let base = served.base.clone();
    let client = served.client().build().expect("an HTTP client");

    let serial = format!("ГВ-{:04}-01", APARTMENTS * 2 / 3);
    let id = house.0;
    let cases = [
        Case {
            name: "house page 1",
            path: format!("/houses/{id}"),
            query: vec![],
            sql: ApartmentQuery {
                search: Some(""),
                offset: 0,
                limit: Some(50),
            },
            expect: "",
        },
        Case {
            name: "house page 40 (the last)",
            path: format!("/houses/{id}"),
            query: vec![("page", "40".into())],
            sql: ApartmentQuery {
                search: Some(""),
                offset: 39 * 50,
                limit: Some(50),
            },
            expect: "",
        },
        Case {
            name: "search by meter serial",
            path: format!("/houses/{id}"),
            query: vec![("q", serial.clone())],
            sql: ApartmentQuery {
                search: Some(&serial),
                offset: 0,
                limit: Some(50),
            },
            expect: &serial,
        },
        Case {
            name: "search \"12\" (number or serial)",
            path: format!("/houses/{id}"),
            query: vec![("q", "12".into())],
            sql: ApartmentQuery {
                search: Some("12"),
                offset: 0,
                limit: Some(50),
            },
            expect: "",
        },
        Case {
            name: "API GET /api/v1/houses/{id}",
            path: format!("/api/v1/houses/{id}"),
            query: vec![],
            sql: ApartmentQuery {
                search: None,
                offset: 0,
                limit: None,
            },
            expect: "\"apartments\"",
        },
    ];

    println!(
        "\n{RUNS} runs per case after {WARM_UP} warm-up runs; HTTP = request sent to body read \
         (127.0.0.1, keep-alive); direct SQL = houses::find + house_listing::apartments on one \
         plain PgConnection, as the handler calls them\n"
    );
    println!(
        "{:<32} {:>7} {:>6} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9}",
        "case",
        "matches",
        "shown",
        "HTTP med",
        "HTTP p95",
        "SQL med",
        "SQL p95",
        "HTTP/SQL",
        "body KiB"
    );
    for case in &cases {
        match measure(&runtime, &client, &base, &mut conn, house, case) {
            Ok(m) => println!(
                "{:<32} {:>7} {:>6} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>8.2} {:>9.0}",
                case.name,
                m.matching,
                m.shown,
                ms(median(&m.http)),
                ms(p95(&m.http)),
                ms(median(&m.sql)),
                ms(p95(&m.sql)),
                median(&m.http).as_secs_f64() / median(&m.sql).as_secs_f64(),
                m.body_bytes as f64 / 1024.0,
            ),
            Err(why) => println!("{:<32} not measured: {why}", case.name),
        }
    }

    runtime.block_on(served.handle.stop(true));
    drop(runtime);
    drop(conn);
    drop(dbs);
}

struct Case<'a> {
    name: &'a str,
    path: String,
    query: Vec<(&'static str, String)>,
    sql: ApartmentQuery<'a>,
    /// Text the answer must contain (checked once, outside the timing).
    expect: &'a str,
}

struct Measured {
    http: Vec<Duration>,
    sql: Vec<Duration>,
    body_bytes: usize,
    /// Apartments the query matched, and how many it returned.
    matching: i64,
    shown: usize,
}

/// Times `case` over HTTP and as direct SQL, alternating so that both see
/// the same state of PostgreSQL's caches.
fn measure(
    runtime: &tokio::runtime::Runtime,
    client: &reqwest::Client,
    base: &str,
    conn: &mut PgConnection,
    house: HouseId,
    case: &Case,
) -> Result<Measured, String> {
    let mut url = url::Url::parse(&format!("{base}{}", case.path)).expect("a URL");
    if !case.query.is_empty() {
        url.query_pairs_mut().extend_pairs(&case.query);
    }
    let get = || async {
        let response = client
            .get(url.clone())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response.text().await.map_err(|e| e.to_string())?;
        if status != reqwest::StatusCode::OK {
            return Err(format!("GET {} answered {status}", case.path));
        }
        Ok(body)
    };
    let mut sql = || -> (Duration, i64, usize) {
        let started = Instant::now();
        queries::houses::find(conn, house).expect("the house");
        let (matching, apartments) =
            house_listing::apartments(conn, house, &case.sql).expect("the house's apartments");
        let took = started.elapsed();
        assert!(!apartments.is_empty(), "{}: no apartments", case.name);
        (took, matching, apartments.len())
    };

    let mut measured = Measured {
        http: Vec::with_capacity(RUNS),
        sql: Vec::with_capacity(RUNS),
        body_bytes: 0,
        matching: 0,
        shown: 0,
    };
    for _ in 0..WARM_UP {
        let body = runtime.block_on(get())?;
        if !body.contains(case.expect) {
            return Err(format!("the answer lacks {:?}", case.expect));
        }
        measured.body_bytes = body.len();
        (_, measured.matching, measured.shown) = sql();
    }
    for _ in 0..RUNS {
        let started = Instant::now();
        runtime.block_on(get())?;
        measured.http.push(started.elapsed());
        measured.sql.push(sql().0);
    }
    Ok(measured)
}

fn sorted(samples: &[Duration]) -> Vec<Duration> {
    let mut s = samples.to_vec();
    s.sort();
    s
}

fn median(samples: &[Duration]) -> Duration {
    let s = sorted(samples);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2
    }
}

/// Nearest rank: the smallest sample with at least 95% at or below it.
fn p95(samples: &[Duration]) -> Duration {
    let s = sorted(samples);
    s[(s.len() * 95).div_ceil(100) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The months of readings, oldest first, ending with the previous month.
fn months() -> Vec<Period> {
    let mut p = Period::current();
    let mut months: Vec<_> = (0..MONTHS)
        .map(|_| {
            p = p.previous();
            p
        })
        .collect();
    months.reverse();
    months
}

/// One house with its apartments, meters, readings, tariffs and a completed
/// billing run for the last month, through the services and query functions.
fn load_house(conn: &mut PgConnection) -> HouseId {
    let apartments: Vec<AddApartment> = (1..=APARTMENTS)
        .map(|i| AddApartment {
            number: i.to_string(),
            area: Decimal::new(2_840 + (i as i64 * 3_517) % 9_050, 2),
            people: People::default(),
            account: None,
            meters: [("ХВ", MeterKind::ColdWater), ("ГВ", MeterKind::HotWater)]
                .into_iter()
                .map(|(prefix, kind)| AddMeter {
                    serial: format!("{prefix}-{i:04}-01"),
                    kind,
                    initial_reading: Decimal::new((i as i64 * 37) % 3_000, 3),
                    installed_on: None,
                    commissioned_on: None,
                    verified_until: None,
                })
                .collect(),
        })
        .collect();
    let new = AddHouse {
        address: "г. Казань, ул. Баумана, д. 12".to_owned(),
        time_zone: TimeZone::default(),
        services: Service::ALL.to_vec(),
        apartments,
    };
    let house = services::houses::create(conn, &new).expect("create the house");

    let flats = queries::apartments::list_for_house(conn, house.id).expect("apartments");
    let ids: Vec<ApartmentId> = flats.iter().map(|a| a.id).collect();
    let meters = queries::meters::list_for_apartments(conn, &ids).expect("meters");
    let months = months();
    // Per meter: (apartment, kind, last month's consumption).
    let mut used_last_month = Vec::with_capacity(meters.len());
    let mut readings = Vec::with_capacity(meters.len() * MONTHS);
    for (n, meter) in meters.iter().enumerate() {
        let mut value = meter.initial_reading;
        let mut used = Decimal::ZERO;
        for (k, period) in months.iter().enumerate() {
            // 2–9 m³ of cold water, 1–5 m³ of hot, varying by meter and month.
            let litres = match meter.kind {
                MeterKind::ColdWater => 2_000 + (n * 7_919 + k * 1_237) % 7_000,
                MeterKind::HotWater => 1_000 + (n * 6_271 + k * 2_141) % 4_000,
            };
            used = Decimal::new(litres as i64, 3);
            value += used;
            readings.push(NewReading {
                meter_id: meter.id,
                period: *period,
                value,
                source: ReadingSource::Csv,
            });
        }
        used_last_month.push((meter.apartment_id, meter.kind, used));
    }
    for chunk in readings.chunks(CHUNK) {
        queries::readings::upsert(conn, chunk).expect("save readings");
    }

    bill_last_month(
        conn,
        house.id,
        &flats,
        &used_last_month,
        months[0],
        months[MONTHS - 1],
    );
    house.id
}

/// Charges as billing would write them for the last month, so the page's
/// "last bill" query reads real rows.
fn bill_last_month(
    conn: &mut PgConnection,
    house: HouseId,
    flats: &[kvartplata::db::models::Apartment],
    used: &[(ApartmentId, MeterKind, Decimal)],
    tariffs_from: Period,
    period: Period,
) {
    let mut tariff = |service, kopecks| {
        let new = AddTariff {
            service,
            price: Decimal::new(kopecks, 2),
            valid_from: tariffs_from,
            house: None,
        };
        services::tariffs::create(conn, &new).expect("a tariff")
    };
    let cold = tariff(Service::ColdWater, 4_618);
    let hot = tariff(Service::HotWater, 23_347);
    let maintenance = tariff(Service::Maintenance, 2_690);

    let run = queries::run_queue::insert(
        conn,
        &NewBillingRun {
            house_id: house,
            period,
            total: flats.len() as i32,
        },
    )
    .expect("a billing run");
    let line = |apartment, t: &kvartplata::db::models::Tariff, quantity: Decimal| NewCharge {
        run_id: run.id,
        apartment_id: apartment,
        period,
        service: t.service,
        quantity,
        unit: t.service.unit(),
        unit_price: t.price,
        amount: round_kopecks(quantity * t.price),
        tariff_id: t.id,
        tariff_valid_from: t.valid_from,
        missing_reading: false,
        explanation: serde_json::json!({}),
        method: match t.service {
            kvartplata::domain::Service::Maintenance => kvartplata::domain::LineMethod::Area,
            _ => kvartplata::domain::LineMethod::Actual,
        },
        coefficient: None,
        excess: Decimal::ZERO,
    };
    let mut lines: Vec<NewCharge> = flats
        .iter()
        .map(|a| line(a.id, &maintenance, a.area))
        .collect();
    lines.extend(used.iter().map(|(apartment, kind, quantity)| {
        let t = match kind {
            MeterKind::ColdWater => &cold,
            MeterKind::HotWater => &hot,
        };
        line(*apartment, t, *quantity)
    }));
    let total: Decimal = lines.iter().map(|l| l.amount).sum();
    for chunk in lines.chunks(CHUNK / 4) {
        queries::charges::upsert(conn, chunk).expect("save charges");
    }
    queries::run_queue::update(
        conn,
        run.id,
        &BillingRunChangeset {
            status: Some(RunStatus::Completed),
            processed: Some(flats.len() as i32),
            amount: Some(total),
            ..Default::default()
        },
    )
    .expect("complete the run");
}
