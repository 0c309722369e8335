//! GET /api/v1/houses/{id} of a 2,000-apartment house: one page against the
//! whole house, and the page's single statement against the five-query
//! listing the whole-house answer used before paging, in one run.
//!
//!     DATABASE_URL=postgres://… cargo bench --bench house_api
//!
//! Creates a database of its own on DATABASE_URL's server (the role needs
//! CREATEDB), loads the demo's 2,000-apartment house (two meters each, six
//! months of readings), serves the app in-process on a free port and times
//! each case RUNS times after WARM_UP runs. Prints figures; asserts nothing
//! about time. The database is dropped at the end, also after a panic.

mod support;

use std::time::{Duration, Instant};

use diesel::prelude::*;
use kvartplata::db::migrations;
use kvartplata::db::models::HouseId;
use kvartplata::db::queries::house_listing::{self, ApartmentQuery};
use kvartplata::db::queries::{self};
use kvartplata::domain::Period;
use support::{Databases, serve};

const APARTMENTS: u32 = 2_000;
const RUNS: usize = 20;
const WARM_UP: usize = 3;

fn main() {
    let server_url = support::server_url_or_exit("house_api");
    let mut dbs = Databases::new(&server_url);
    let db = dbs.create(None);
    let db_url = dbs.url(&db);
    let mut conn = PgConnection::establish(&db_url).expect("connect to the bench database");
    migrations::run_pending(&mut conn).expect("migrate the bench database");
    let started = Instant::now();
    kvartplata::demo::load(&mut conn, 1, APARTMENTS, Period::current()).expect("the demo house");
    let house = queries::houses::list(&mut conn).expect("houses")[0].id;
    println!(
        "loaded the demo's house of {APARTMENTS} apartments in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let served = runtime.block_on(async { serve(&db_url) });
    let client = served.client().build().expect("an HTTP client");
    let api = format!("{}/api/v1/houses/{house}", served.base);

    println!(
        "\n{RUNS} runs per case after {WARM_UP} warm-up runs; HTTP = request sent to body read \
         (127.0.0.1, keep-alive, debug or release as cargo built it); SQL = the queries alone \
         on one plain PgConnection\n"
    );
    println!(
        "{:<58} {:>10} {:>9} {:>9} {:>10}",
        "case", "apartments", "med ms", "p95 ms", "body KiB"
    );
    let row = |name: &str, (samples, apartments, bytes): (Vec<Duration>, usize, usize)| {
        let kib = if bytes == 0 {
            "-".to_owned()
        } else {
            format!("{:.0}", bytes as f64 / 1024.0)
        };
        println!(
            "{name:<58} {apartments:>10} {:>9.2} {:>9.2} {kib:>10}",
            ms(median(&samples)),
            ms(p95(&samples))
        );
    };

    // Baseline: what the whole-house answer read before paging.
    row(
        "SQL before: whole house, 5-query listing (with last bills)",
        time(|| {
            let all = ApartmentQuery {
                limit: None,
                ..Default::default()
            };
            let (_, rows) = house_listing::apartments(&mut conn, house, &all).expect("listing");
            (rows.len(), 0)
        }),
    );
    row(
        "SQL after: whole house, one statement",
        time(|| (page_rows(&mut conn, house, 0, None), 0)),
    );
    row(
        "SQL after: one page of 100, one statement",
        time(|| (page_rows(&mut conn, house, 0, Some(100)), 0)),
    );
    row(
        "HTTP: ?page=1&per_page=100",
        time(|| runtime.block_on(get(&client, &format!("{api}?page=1&per_page=100")))),
    );
    row(
        "HTTP: ?page=1&per_page=500",
        time(|| runtime.block_on(get(&client, &format!("{api}?page=1&per_page=500")))),
    );
    row(
        "HTTP: the whole house as 4 pages of 500",
        time(|| {
            runtime.block_on(async {
                let mut total = (0, 0);
                for page in 1..=4 {
                    let (n, bytes) = get(&client, &format!("{api}?page={page}&per_page=500")).await;
                    total = (total.0 + n, total.1 + bytes);
                }
                total
            })
        }),
    );

    runtime.block_on(served.handle.stop(true));
    drop(runtime);
    drop(conn);
    drop(dbs);
}

fn page_rows(conn: &mut PgConnection, house: HouseId, offset: i64, limit: Option<i64>) -> usize {
    house_listing::apartments_page(conn, house, offset, limit)
        .expect("a page")
        .len()
}

/// The apartments in the answer and its size.
async fn get(client: &reqwest::Client, url: &str) -> (usize, usize) {
    let response = client.get(url).send().await.expect("an answer");
    assert_eq!(response.status(), reqwest::StatusCode::OK, "GET {url}");
    let body = response.bytes().await.expect("a body");
    let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    (
        json["apartments"].as_array().map_or(0, Vec::len),
        body.len(),
    )
}

/// RUNS timings of `work` after WARM_UP untimed runs, with what it returned.
fn time(mut work: impl FnMut() -> (usize, usize)) -> (Vec<Duration>, usize, usize) {
    let mut last = (0, 0);
    for _ in 0..WARM_UP {
        last = work();
    }
    let samples = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    (samples, last.0, last.1)
}

fn median(samples: &[Duration]) -> Duration {
    let mut s = samples.to_vec();
    s.sort();
    s[s.len() / 2]
}

/// Nearest rank: the smallest sample with at least 95% at or below it.
fn p95(samples: &[Duration]) -> Duration {
    let mut s = samples.to_vec();
    s.sort();
    s[(s.len() * 95).div_ceil(100) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
