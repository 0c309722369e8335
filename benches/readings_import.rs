//! Importing 200,000 meter readings: PostgreSQL's own COPY of the rows next
//! to the API (POST /api/v1/readings, batches of 10,000) and the CSV path —
//! in-process (parse each house's file, then save it) and over HTTP (the
//! upload form takes one house's file: 100 uploads of 2,000 rows) — in one
//! run.
//!
//!     DATABASE_URL=postgres://… cargo bench --bench readings_import
//!
//! The import is a month's readings of a large property manager: 100 houses
//! × 1,000 apartments × a cold and a hot meter = 200,000 meters, one reading
//! each for the current month — what a monthly upload or API sync brings —
//! on top of five months of history (1,000,000 stored readings). One reading
//! per meter makes the import resolve and lock 200,000 distinct meters, the
//! costly part of an import; five months each of 40,000 meters would be a
//! one-off backfill.
//!
//! The data is loaded once into a template database; every measurement gets
//! a fresh clone of it, so each path starts from the same state (autovacuum
//! is off in the clones so it cannot run during a measurement). Every
//! import is checked to have stored all rows. Prints figures; asserts
//! nothing about time. The databases are dropped at the end, also after a
//! panic. The role needs CREATEDB.

mod support;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use kvartplata::csv::readings as readings_csv;
use kvartplata::db::models::{HouseId, MeterId, NewApartment, NewHouse, NewMeter, NewReading};
use kvartplata::db::schema::readings;
use kvartplata::db::{migrations, queries};
use kvartplata::domain::{MeterKind, Period, ReadingSource, Service, TimeZone};
use kvartplata::services::readings::{
    self as service, BatchRow, MAX_BATCH_ROWS, MeterRef, ReadingEntry,
};
use rust_decimal::Decimal;
use support::{Databases, serve};

/// `cargo bench` passes `--bench`: 100 houses, 200,000 readings. Run by
/// `cargo test --all-targets` the same code is a quick smoke test on 2.
fn houses() -> usize {
    if std::env::args().any(|a| a == "--bench") {
        100
    } else {
        2
    }
}
const APARTMENTS: usize = 1_000;
const HISTORY_MONTHS: usize = 5;
/// Readings per POST /api/v1/readings (the API takes at least 10,000 in one request).
const API_BATCH: usize = 10_000;
/// Each path is measured this many times, alternating, each on a fresh clone.
const ROUNDS: usize = 2;

fn main() {
    let server_url = support::server_url_or_exit("readings_import");
    let mut dbs = Databases::new(&server_url);
    let template = dbs.create(None);
    let started = Instant::now();
    let import = {
        let mut conn = PgConnection::establish(&dbs.url(&template)).expect("connect");
        migrations::run_pending(&mut conn).expect("migrate the bench database");
        load(&mut conn)
    };
    println!(
        "loaded {} houses, {} apartments, {} meters, {} stored readings in {:.1} s; \
         importing {} readings for {}",
        houses(),
        houses() * APARTMENTS,
        import.len(),
        import.len() * HISTORY_MONTHS,
        started.elapsed().as_secs_f64(),
        import.len(),
        Period::current(),
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let api_bodies = api_bodies(&import);
    // A file takes one house's readings (and at most MAX_BATCH_ROWS): the
    // same rows, a file per house.
    let house_files: Vec<(HouseId, Vec<u8>)> = import
        .chunk_by(|a, b| a.house == b.house)
        .map(|rows| (rows[0].house, csv_file(rows)))
        .collect();
    let copy_rows: Vec<NewReading> = import
        .iter()
        .map(|r| NewReading {
            meter_id: r.meter_id,
            period: Period::current(),
            value: r.value,
            source: ReadingSource::Csv,
        })
        .collect();
    let copy_text = queries::readings::copy_text(&copy_rows);

    let paths = [Path::Copy, Path::Api, Path::Csv, Path::Upload];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); paths.len()];
    for round in 1..=ROUNDS {
        for (i, path) in paths.iter().enumerate() {
            let db = dbs.create(Some(&template));
            let url = dbs.url(&db);
            let mut conn = PgConnection::establish(&url).expect("connect to a clone");
            warm_up(&mut conn);
            let took = match path {
                Path::Copy => time(|| {
                    queries::readings::copy_in(&mut conn, copy_text.as_bytes())
                        .expect("COPY readings");
                }),
                Path::Api => runtime.block_on(post_batches(&url, &api_bodies)),
                Path::Upload => runtime.block_on(upload_files(&url, &house_files)),
                Path::Csv => time(|| {
                    let mut created = 0;
                    for (house, file) in &house_files {
                        let parsed = readings_csv::parse(file.clone(), MAX_BATCH_ROWS)
                            .expect("the CSV parses");
                        assert!(parsed.errors.is_empty(), "{:?}", &parsed.errors[..1]);
                        let entries: Vec<BatchRow> = parsed
                            .rows
                            .into_iter()
                            .map(|row| {
                                Ok(ReadingEntry {
                                    meter: MeterRef::Serial(row.serial),
                                    period: row.period,
                                    value: row.value,
                                })
                            })
                            .collect();
                        created += service::save(
                            &mut conn,
                            ReadingSource::Csv,
                            &entries,
                            Some(*house),
                            Period::current().next(),
                        )
                        .expect("save the CSV's readings")
                        .created;
                    }
                    assert_eq!(created, import.len());
                }),
            };
            let stored: i64 = readings::table
                .filter(readings::period.eq(Period::current()))
                .count()
                .get_result(&mut conn)
                .expect("count the month's readings");
            assert_eq!(
                stored as usize,
                import.len(),
                "{}: rows stored",
                path.name()
            );
            println!(
                "round {round}: {:<66} {:>7.2} s",
                path.name(),
                took.as_secs_f64()
            );
            times[i].push(took);
            drop(conn);
            dbs.drop_one(&db);
        }
    }

    println!(
        "\n{} readings, best of {ROUNDS} runs each on a fresh clone of the same database\n",
        import.len()
    );
    println!(
        "{:<66} {:>9} {:>11} {:>9}",
        "path", "time s", "rows/s", "× COPY"
    );
    let best: Vec<Duration> = times
        .iter()
        .map(|t| *t.iter().min().expect("measured"))
        .collect();
    for (path, took) in paths.iter().zip(&best) {
        println!(
            "{:<66} {:>9.2} {:>11.0} {:>9.2}",
            path.name(),
            took.as_secs_f64(),
            import.len() as f64 / took.as_secs_f64(),
            took.as_secs_f64() / best[0].as_secs_f64(),
        );
    }
    drop(runtime);
    drop(dbs);
}

#[derive(Clone, Copy)]
enum Path {
    Copy,
    Api,
    Csv,
    Upload,
}

impl Path {
    fn name(self) -> &'static str {
        match self {
            Path::Copy => "COPY readings FROM STDIN (by meter id)",
            Path::Api => "API: POST /api/v1/readings, 10,000 a request (serials)",
            Path::Csv => "CSV: readings_csv::parse + readings::save, a file a house",
            Path::Upload => "CSV upload: POST /houses/{id}/readings/upload, a file a house",
        }
    }
}

fn time(f: impl FnOnce()) -> Duration {
    let started = Instant::now();
    f();
    started.elapsed()
}

/// One reading of the import.
struct Import {
    house: HouseId,
    meter_id: MeterId,
    serial: String,
    value: Decimal,
}

/// Houses, apartments and meters through the query functions, the history
/// by COPY; returns this month's reading of every meter.
fn load(conn: &mut PgConnection) -> Vec<Import> {
    let months: Vec<Period> = {
        let mut p = Period::current();
        let mut months: Vec<_> = (0..HISTORY_MONTHS)
            .map(|_| {
                p = p.previous();
                p
            })
            .collect();
        months.reverse();
        months
    };
    let mut import = Vec::with_capacity(houses() * APARTMENTS * 2);
    let mut history = Vec::with_capacity(houses() * APARTMENTS * 2 * HISTORY_MONTHS);
    for h in 1..=houses() {
        let address = format!("г. Казань, ул. Баумана, д. {h}");
        let house = queries::houses::insert(
            conn,
            &NewHouse {
                address: &address,
                time_zone: TimeZone::default(),
                services: Service::ALL,
            },
        )
        .expect("house");
        let numbers: Vec<String> = (1..=APARTMENTS).map(|a| a.to_string()).collect();
        let flats: Vec<NewApartment> = numbers
            .iter()
            .enumerate()
            .map(|(a, number)| NewApartment {
                house_id: house.id,
                number,
                area: Decimal::new(2_840 + (a as i64 * 3_517) % 9_050, 2),
                owners: 1,
                meter_impossible: false,
            })
            .collect();
        let flats = queries::apartments::insert_many(conn, &flats).expect("apartments");
        let serials: Vec<(String, MeterKind)> = (1..=APARTMENTS)
            .flat_map(|a| {
                [("ХВ", MeterKind::ColdWater), ("ГВ", MeterKind::HotWater)]
                    .map(|(prefix, kind)| (format!("{prefix}-{h:03}-{a:04}"), kind))
            })
            .collect();
        let meters: Vec<NewMeter> = serials
            .iter()
            .enumerate()
            .map(|(m, (serial, kind))| NewMeter {
                apartment_id: flats[m / 2].id,
                serial,
                kind: *kind,
                initial_reading: Decimal::new((m as i64 * 37) % 3_000, 3),
                installed_on: None,
                commissioned_on: None,
                verified_until: None,
            })
            .collect();
        for meter in queries::meters::insert_many(conn, &meters).expect("meters") {
            let n = meter.id.0 as usize;
            let mut value = meter.initial_reading;
            // 2–9 m³ of cold water, 1–5 m³ of hot a month, varying by meter and month.
            let used = |k: usize| {
                let litres = match meter.kind {
                    MeterKind::ColdWater => 2_000 + (n * 7_919 + k * 1_237) % 7_000,
                    MeterKind::HotWater => 1_000 + (n * 6_271 + k * 2_141) % 4_000,
                };
                Decimal::new(litres as i64, 3)
            };
            for (k, period) in months.iter().enumerate() {
                value += used(k);
                history.push(NewReading {
                    meter_id: meter.id,
                    period: *period,
                    value,
                    source: ReadingSource::Csv,
                });
            }
            import.push(Import {
                house: house.id,
                meter_id: meter.id,
                serial: meter.serial,
                value: value + used(HISTORY_MONTHS),
            });
        }
    }
    queries::readings::insert_new(conn, &history).expect("COPY the history");
    // A database in steady state: statistics and visibility map up to date;
    // no autovacuum in the clones while they are measured.
    for sql in [
        "VACUUM ANALYZE houses, apartments, meters, readings",
        "ALTER TABLE readings SET (autovacuum_enabled = false)",
        "ALTER TABLE meters SET (autovacuum_enabled = false)",
    ] {
        diesel::sql_query(sql).execute(conn).expect(sql);
    }
    import
}

/// Reads the tables once so that every path starts with the same caches.
fn warm_up(conn: &mut PgConnection) {
    for sql in [
        "SELECT count(*) FROM meters",
        "SELECT count(*) FROM readings",
    ] {
        diesel::sql_query(sql).execute(conn).expect(sql);
    }
}

/// The import as JSON bodies of API_BATCH readings, meters named by serial
/// as an outside system knows them; built before timing.
fn api_bodies(import: &[Import]) -> Vec<String> {
    let period = Period::current().to_string();
    import
        .chunks(API_BATCH)
        .map(|chunk| {
            let readings: Vec<serde_json::Value> = chunk
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "serial": r.serial,
                        "period": period,
                        "value": r.value.to_string(),
                    })
                })
                .collect();
            serde_json::json!({ "readings": readings }).to_string()
        })
        .collect()
}

/// The import as Russian Excel saves a sheet: UTF-8 with BOM, `;`, decimal
/// comma, CRLF, the template's columns.
fn csv_file(import: &[Import]) -> Vec<u8> {
    let period = Period::current();
    let mut text = String::from("\u{feff}Квартира;Счётчик;Период;Показание\r\n");
    for (i, r) in import.iter().enumerate() {
        let value = format!("{:.3}", r.value).replace('.', ",");
        write!(text, "{};{};{period};{value}\r\n", i / 2 + 1, r.serial).expect("a String");
    }
    text.into_bytes()
}

/// Uploads each house's file through the upload form, as a browser sends it
/// (multipart, with the session's CSRF token, fetched before timing); the
/// time from the first upload sent to the last answer read.
async fn upload_files(database_url: &str, files: &[(HouseId, Vec<u8>)]) -> Duration {
    let served = serve(database_url);
    let base = &served.base;
    let client = served
        .client()
        .cookie_store(true)
        .build()
        .expect("an HTTP client");
    let page = client
        .get(format!("{base}/houses/{}/readings/upload", files[0].0))
        .send()
        .await
        .expect("GET the upload page")
        .text()
        .await
        .expect("the upload page");
    let marker = r#"name="csrf_token" value=""#;
    let start = page.find(marker).expect("the form's csrf_token") + marker.len();
    let token = page[start..].split('"').next().expect("a token").to_owned();

    let started = Instant::now();
    for (house, file) in files {
        let part = reqwest::multipart::Part::bytes(file.clone())
            .file_name("readings.csv")
            .mime_str("text/csv")
            .expect("a MIME type");
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token.clone())
            .part("file", part);
        let response = client
            .post(format!("{base}/houses/{house}/readings/upload"))
            .multipart(form)
            .send()
            .await
            .expect("POST the upload");
        let status = response.status();
        let answer = response.text().await.expect("the answer");
        assert_eq!(status, reqwest::StatusCode::SEE_OTHER, "{answer}");
    }
    let took = started.elapsed();
    served.handle.stop(true).await;
    took
}

/// Posts the bodies one after another to the app serving `database_url`;
/// the time from the first request sent to the last answer read.
async fn post_batches(database_url: &str, bodies: &[String]) -> Duration {
    let served = serve(database_url);
    let client = served.client().build().expect("an HTTP client");
    let url = format!("{}/api/v1/readings", served.base);

    let started = Instant::now();
    for body in bodies {
        let response = client
            .post(&url)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .expect("POST /api/v1/readings");
        let status = response.status();
        let answer = response.text().await.expect("the answer");
        assert_eq!(status, reqwest::StatusCode::OK, "{answer}");
    }
    let took = started.elapsed();
    served.handle.stop(true).await;
    took
}
