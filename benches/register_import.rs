//! Setting up a house of 300 apartments, 600 meters and 300 personal
//! accounts from one apartment register (POST /api/v1/houses/{id}/register),
//! next to the same house sent as one bulk JSON POST /api/v1/houses (the
//! API's fastest way to create it), and the same register uploaded a
//! second time (nothing to change), in one run.
//!
//!     DATABASE_URL=postgres://… cargo bench --bench register_import
//!
//! Creates a database of its own on DATABASE_URL's server (the role needs
//! CREATEDB), serves the app in-process on a free port and times each case
//! ROUNDS times, each round on new houses with serials and account numbers
//! of their own. Prints the medians and the ratio to the JSON POST; asserts
//! what was stored, nothing about time (the target: under 5 s).
//! Without `--bench` (as `cargo test --all-targets` runs it) one round of
//! 20 apartments. The database is dropped at the end, also after a panic.

mod support;

use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use kvartplata::db::migrations;
use serde_json::{Value, json};
use support::{Databases, serve};

fn full_size() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Apartment `i` of round `round`: its register lines and its JSON.
fn apartment(round: usize, i: usize) -> ([String; 2], Value) {
    let (area, residents) = (format!("{},{}", 30 + i % 50, i % 10), i % 4 + 1);
    let account = format!("{round}{i:07}");
    let (cold, hot) = (format!("ХВ-{round}-{i:05}"), format!("ГВ-{round}-{i:05}"));
    let lines = [
        format!(
            "{i};{area};{residents};1;{account};Жилец {i};1 234,56;05.2026;{cold};ХВС;12,345;15.01.2024;15.01.2030"
        ),
        format!("{i};;;;;;;;{hot};ГВС;0;;"),
    ];
    let json = json!({
        "number": i.to_string(),
        "area": area.replace(',', "."),
        "residents": residents,
        "owners": 1,
        "account": {
            "number": account,
            "holder": format!("Жилец {i}"),
            "opening_balance": "1234.56",
            "opening_period": "2026-05",
        },
        "meters": [
            {"serial": cold, "kind": "cold_water", "initial_reading": "12.345",
             "commissioned_on": "2024-01-15", "verified_until": "2030-01-15"},
            {"serial": hot, "kind": "hot_water", "initial_reading": "0"},
        ],
    });
    (lines, json)
}

/// The register as Excel saves it (Windows-1251, `;`, CRLF) and the same
/// apartments as JSON.
fn house(round: usize, apartments: usize) -> (Vec<u8>, Vec<Value>) {
    let mut lines = vec!["Квартира;Площадь;Проживающих;Собственников;Лицевой счёт;ФИО;Сальдо;Месяц сальдо;Счётчик;Вид;Начальное показание;Дата ввода;Поверен до".to_owned()];
    let mut json = Vec::new();
    for i in 1..=apartments {
        let (two, one) = apartment(round, i);
        lines.extend(two);
        json.push(one);
    }
    let text = lines.join("\r\n");
    let bytes = encoding_rs::WINDOWS_1251.encode(&text).0.into_owned();
    (bytes, json)
}

async fn timed(request: reqwest::RequestBuilder) -> (Duration, Value) {
    let started = Instant::now();
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    let body: Value = response.json().await.expect("a JSON answer");
    assert!(status.is_success(), "{status}: {body}");
    (started.elapsed(), body)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// (apartments, meters, accounts) stored in the house.
fn stored(conn: &mut PgConnection, house: i64) -> (i64, i64, i64) {
    let mut count = |sql: &str| {
        diesel::sql_query(sql)
            .bind::<BigInt, _>(house)
            .get_result::<Count>(conn)
            .expect("a count")
            .count
    };
    (
        count("SELECT count(*) AS count FROM apartments WHERE house_id = $1"),
        count(
            "SELECT count(*) AS count FROM meters m JOIN apartments a ON a.id = m.apartment_id \
             WHERE a.house_id = $1",
        ),
        count(
            "SELECT count(*) AS count FROM accounts c JOIN apartments a ON a.id = c.apartment_id \
             WHERE a.house_id = $1",
        ),
    )
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let server_url = support::server_url_or_exit("register_import");
    let (apartments, rounds) = if full_size() { (300, 5) } else { (20, 1) };
    let mut dbs = Databases::new(&server_url);
    let db = dbs.create(None);
    let db_url = dbs.url(&db);
    let mut conn = PgConnection::establish(&db_url).expect("connect to the bench database");
    migrations::run_pending(&mut conn).expect("migrate the bench database");

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let served = runtime.block_on(async { serve(&db_url) });
    let client = served.client().build().expect("an HTTP client");
    let url = |path: &str| format!("{}/api/v1{path}", served.base);
    let expected = (apartments as i64, 2 * apartments as i64, apartments as i64);

    let (mut register, mut again, mut bulk) = (Vec::new(), Vec::new(), Vec::new());
    for round in 1..=rounds {
        runtime.block_on(async {
            let (file, _) = house(2 * round, apartments);
            let (_, empty) = timed(client.post(url("/houses")).json(&json!({
                "address": format!("г. Самара, ул. Реестровая, д. {round}")
            })))
            .await;
            let id = empty["id"].as_i64().expect("a house id");
            let path = url(&format!("/houses/{id}/register"));
            let (took, body) = timed(
                client
                    .post(&path)
                    .header("content-type", "text/csv")
                    .body(file.clone()),
            )
            .await;
            assert_eq!(body["created"]["meters"], 2 * apartments);
            assert_eq!(stored(&mut conn, id), expected);
            register.push(took);
            let (took, body) = timed(
                client
                    .post(&path)
                    .header("content-type", "text/csv")
                    .body(file),
            )
            .await;
            assert_eq!(body["unchanged"], apartments, "{body}");
            again.push(took);

            let (_, json) = house(2 * round + 1, apartments);
            let (took, body) = timed(client.post(url("/houses")).json(&json!({
                "address": format!("г. Самара, ул. Сплошная, д. {round}"),
                "apartments": json,
            })))
            .await;
            let id = body["id"].as_i64().expect("a house id");
            assert_eq!(stored(&mut conn, id), expected);
            bulk.push(took);
        });
    }
    runtime.block_on(served.handle.stop(true));

    let (register, again, bulk) = (median(register), median(again), median(bulk));
    println!(
        "\n{apartments} apartments, {} meters, {apartments} accounts; median of {rounds} rounds \
         (debug or release as cargo built it)\n",
        2 * apartments
    );
    let row = |name: &str, took: Duration| {
        println!(
            "{name:<52} {:>9.1} ms {:>6.2}×",
            took.as_secs_f64() * 1000.0,
            took.as_secs_f64() / bulk.as_secs_f64()
        )
    };
    row("baseline: bulk JSON POST /houses", bulk);
    row("register upload, new house (target < 5 s)", register);
    row("the same register again (nothing to change)", again);
}
