//! Importing a 100,000-payment bank register (Сбербанк style, as DESIGN.md
//! "Bank register" describes it) through POST /api/v1/payments/import,
//! next to PostgreSQL's own COPY of the same rows, in one run.
//!
//!     DATABASE_URL=postgres://… cargo bench --bench payments_import
//!
//! The data: 20 houses × 1,000 apartments, each with its personal account
//! (seeded by set-based SQL), in a template database; the register pays
//! them 100,000 times (five payments an account) in the month just ended,
//! 300 of its rows naming accounts that do not exist (kept unmatched). It is
//! written as the bank writes it: Windows-1251, `;`, no header, CRLF, decimal
//! commas with spaces between thousands, a payer's name sometimes in quotes,
//! some rows without the month paid for, and the totals line.
//!
//! Every measurement gets a fresh clone of the template (autovacuum off in
//! the clones), so each path starts from the same state:
//! - COPY payments FROM STDIN of the rows as the import stores them (the
//!   accounts' ids resolved beforehand, the import's record inserted in the
//!   same transaction): the baseline;
//! - the API: the file as the body of POST /api/v1/payments/import to the
//!   app served in-process, token-authenticated (the time from the request
//!   sent to the answer read);
//! - `services::payments::import` called directly (the same work without
//!   HTTP), and `csv::bank_register::read` alone (no database): where the
//!   API's time goes.
//!
//! Asserts what the import must do — every row stored, their count and sum
//! those of the totals line, the unknown accounts' rows unmatched, the
//! answer's counts, and the same file again all duplicates — and nothing
//! about time: it prints the times, rows/s and the API's ratio to COPY next
//! to the target (at most 3×). Without `--bench` (as `cargo test
//! --all-targets` runs it) the same code runs on 2 houses of 50
//! apartments and 1,000 rows. The databases are dropped at the end, also
//! after a panic. The role needs CREATEDB.

mod support;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric, Text};
use kvartplata::csv::bank_register;
use kvartplata::db::migrations;
use kvartplata::db::schema::payments;
use kvartplata::domain::Period;
use kvartplata::services::payments as service;
use rust_decimal::Decimal;
use support::{Databases, serve};

/// `cargo bench` passes `--bench`: the full size. Run by `cargo test
/// --all-targets` the same code is a quick smoke test.
fn full_size() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn houses() -> i64 {
    if full_size() { 20 } else { 2 }
}

fn apartments_per_house() -> i64 {
    if full_size() { 1_000 } else { 50 }
}

fn payments_in_register() -> usize {
    if full_size() { 100_000 } else { 1_000 }
}

/// Every this-many-th row names an account that does not exist: 300 of
/// 100,000 (10 of 1,000 in the smoke test).
fn unknown_every() -> usize {
    if full_size() { 333 } else { 100 }
}

/// Each path is measured this many times, alternating, each on a fresh clone.
const ROUNDS: usize = 2;

fn main() {
    let server_url = support::server_url_or_exit("payments_import");
    // The payments of the month just ended, as the bank sends them.
    let period = Period::current().previous();
    let mut dbs = Databases::new(&server_url);
    let template = dbs.create(None);
    let started = Instant::now();
    let accounts = {
        let mut conn = PgConnection::establish(&dbs.url(&template)).expect("connect");
        migrations::run_pending(&mut conn).expect("migrate the bench database");
        seed(&mut conn)
    };
    let register = Register::new(&accounts, period);
    let bytes = register.windows_1251();
    println!(
        "loaded {} houses, {} accounts in {:.1} s; importing a register of {} payments \
         ({} of them to unknown accounts), {:.1} MiB in Windows-1251, paid in {period}",
        houses(),
        accounts.len(),
        started.elapsed().as_secs_f64(),
        register.rows.len(),
        register.unknown(),
        bytes.len() as f64 / (1024.0 * 1024.0),
    );
    let copy_text = register.copy_text();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let paths = [Path::Copy, Path::Api, Path::Service, Path::Parse];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); paths.len()];
    for round in 1..=ROUNDS {
        for (i, path) in paths.iter().enumerate() {
            let took = match path {
                Path::Parse => {
                    let file = bytes.clone();
                    let started = Instant::now();
                    let read = bank_register::read(file).expect("the register reads");
                    let took = started.elapsed();
                    assert_eq!(read.payments.len(), register.rows.len());
                    assert_eq!(read.totals.amount, register.total());
                    took
                }
                _ => {
                    let db = dbs.create(Some(&template));
                    let url = dbs.url(&db);
                    let mut conn = PgConnection::establish(&url).expect("connect to a clone");
                    warm_up(&mut conn);
                    let took = match path {
                        Path::Copy => copy(&mut conn, copy_text.as_bytes()),
                        Path::Api => runtime.block_on(post_register(&url, &bytes, &register)),
                        Path::Service => {
                            let file = bytes.clone();
                            let started = Instant::now();
                            let imported = service::import(&mut conn, "register.txt", file)
                                .unwrap_or_else(|e| panic!("the import failed: {e:?}"));
                            let took = started.elapsed();
                            assert_eq!(imported.imported, register.matched());
                            assert_eq!(imported.unmatched, register.unknown());
                            took
                        }
                        Path::Parse => unreachable!("no database"),
                    };
                    check_stored(&mut conn, &register, path.name());
                    drop(conn);
                    dbs.drop_one(&db);
                    took
                }
            };
            println!(
                "round {round}: {:<62} {:>7.3} s",
                path.name(),
                took.as_secs_f64()
            );
            times[i].push(took);
        }
    }

    let best: Vec<Duration> = times
        .iter()
        .map(|t| *t.iter().min().expect("measured"))
        .collect();
    println!(
        "\n{} payments, best of {ROUNDS} runs each on a fresh clone of the same database; \
         every path stored them all: count {} and sum {} as the totals line says, {} unmatched\n",
        register.rows.len(),
        register.rows.len(),
        register.total(),
        register.unknown(),
    );
    println!(
        "{:<62} {:>9} {:>11} {:>9}",
        "path", "time s", "rows/s", "× COPY"
    );
    for (path, took) in paths.iter().zip(&best) {
        println!(
            "{:<62} {:>9.3} {:>11.0} {:>9.2}",
            path.name(),
            took.as_secs_f64(),
            register.rows.len() as f64 / took.as_secs_f64(),
            took.as_secs_f64() / best[0].as_secs_f64(),
        );
    }
    println!(
        "ratio API import / COPY: {:.2} (target <= 3)",
        best[1].as_secs_f64() / best[0].as_secs_f64()
    );
    drop(runtime);
    drop(dbs);
}

#[derive(Clone, Copy)]
enum Path {
    Copy,
    Api,
    Service,
    Parse,
}

impl Path {
    fn name(self) -> &'static str {
        match self {
            Path::Copy => "COPY payments FROM STDIN (account ids resolved)",
            Path::Api => "API: POST /api/v1/payments/import, the file as the body",
            Path::Service => "  services::payments::import called directly (no HTTP)",
            Path::Parse => "  of which csv::bank_register::read (decode and parse)",
        }
    }
}

/// An account as the register pays it.
#[derive(QueryableByName)]
struct Account {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    number: String,
    #[diesel(sql_type = Text)]
    address: String,
}

/// Houses, apartments and their accounts by set-based SQL; returns the
/// accounts with their apartments' addresses.
fn seed(conn: &mut PgConnection) -> Vec<Account> {
    let statements = [
        "INSERT INTO houses (address) \
         SELECT 'г. Казань, ул. Баумана, д. ' || h FROM generate_series(1, $1) h",
        "INSERT INTO apartments (house_id, number, area) \
         SELECT h.id, a::text, ((2840 + (a * 3517 + h.id * 131) % 9050) / 100.0)::numeric(8, 2) \
         FROM houses h CROSS JOIN generate_series(1, $2) a ORDER BY h.id, a",
        // Numbered as the demo numbers them: 10 digits, by house and apartment.
        "INSERT INTO accounts (apartment_id, number, holder, opening_balance, opening_period) \
         SELECT a.id, (1000000000 + a.house_id * 1000000 + a.number::int)::text, \
                'Владелец кв. ' || a.number, 0, \
                (date_trunc('month', now()) - interval '1 year')::date \
         FROM apartments a ORDER BY a.id",
    ];
    for sql in statements {
        diesel::sql_query(sql)
            .bind::<BigInt, _>(houses())
            .bind::<BigInt, _>(apartments_per_house())
            .execute(conn)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    for sql in [
        "VACUUM ANALYZE houses, apartments, accounts, payments, payment_imports",
        "ALTER TABLE payments SET (autovacuum_enabled = false)",
        "ALTER TABLE audit_log SET (autovacuum_enabled = false)",
    ] {
        diesel::sql_query(sql).execute(conn).expect(sql);
    }
    diesel::sql_query(
        "SELECT c.id, c.number, h.address || ', кв. ' || a.number AS address \
         FROM accounts c JOIN apartments a ON a.id = c.apartment_id \
         JOIN houses h ON h.id = a.house_id ORDER BY c.id",
    )
    .load(conn)
    .expect("the accounts")
}

/// Reads the tables the import looks into, so that every path starts with
/// the same caches.
fn warm_up(conn: &mut PgConnection) {
    for sql in [
        "SELECT count(*) FROM accounts",
        "SELECT count(*) FROM payments",
    ] {
        diesel::sql_query(sql).execute(conn).expect(sql);
    }
}

/// One payment of the register.
struct Row {
    /// None: the number names no account.
    account_id: Option<i64>,
    number: String,
    paid_on: NaiveDate,
    /// Seconds into the day.
    paid_at: u32,
    cashier: u32,
    operation: u64,
    payer: String,
    address: String,
    period: Option<Period>,
    kopecks: i64,
}

impl Row {
    /// The bank's 1 % (at least a kopeck).
    fn commission(&self) -> i64 {
        ((self.kopecks + 50) / 100).max(1)
    }
}

/// The register's payments, generated from a fixed rule (the same file
/// every run).
struct Register {
    rows: Vec<Row>,
}

const SURNAMES: [&str; 12] = [
    "Иванов",
    "Петрова",
    "Сидоров",
    "Кузнецова",
    "Смирнов",
    "Попова",
    "Васильев",
    "Соколова",
    "Михайлов",
    "Новикова",
    "Фёдоров",
    "Морозова",
];
const INITIALS: [char; 12] = ['А', 'Б', 'В', 'Г', 'Д', 'Е', 'И', 'Л', 'М', 'Н', 'О', 'С'];

impl Register {
    fn new(accounts: &[Account], period: Period) -> Self {
        let first = period.first_day();
        let days = u64::try_from((period.next().first_day() - first).num_days()).expect("days");
        let named = Period::containing(first - chrono::Duration::days(1));
        let rows = (0..payments_in_register())
            .map(|i| {
                let n = i as u64;
                let (account_id, number, address) = if i % unknown_every() == unknown_every() - 1 {
                    // No such account: a typo of the payer's.
                    (
                        None,
                        format!("9{n:09}"),
                        "г. Казань, ул. Пушкина, д. 1".to_owned(),
                    )
                } else {
                    // Spread over the accounts, about five payments each.
                    let a = &accounts[(i * 7_919) % accounts.len()];
                    (Some(a.id), a.number.clone(), a.address.clone())
                };
                let payer = if i % 500 == 7 {
                    "ООО \"Ромашка\"".to_owned()
                } else {
                    format!(
                        "{} {}. {}.",
                        SURNAMES[i % SURNAMES.len()],
                        INITIALS[(i / 7) % INITIALS.len()],
                        INITIALS[(i / 3) % INITIALS.len()]
                    )
                };
                Row {
                    account_id,
                    number,
                    paid_on: first + chrono::Duration::days(((n * 13) % days) as i64),
                    paid_at: u32::try_from((n * 7_753) % 86_400).expect("a second of the day"),
                    cashier: u32::try_from(n % 40).expect("a cashier"),
                    operation: 100_000_000 + n,
                    payer,
                    address,
                    // Some payers name no month.
                    period: (i % 10 != 3).then_some(named),
                    // 500,00–9 499,99 ₽.
                    kopecks: 50_000 + i64::try_from((n * 7_919_993) % 900_000).expect("kopecks"),
                }
            })
            .collect();
        Self { rows }
    }

    fn unknown(&self) -> usize {
        self.rows.iter().filter(|r| r.account_id.is_none()).count()
    }

    fn matched(&self) -> usize {
        self.rows.len() - self.unknown()
    }

    fn total(&self) -> Decimal {
        Decimal::new(self.rows.iter().map(|r| r.kopecks).sum(), 2)
    }

    /// The file as the bank sends it: Windows-1251, CRLF, the totals line.
    fn windows_1251(&self) -> Vec<u8> {
        let mut text = String::with_capacity(self.rows.len() * 130);
        let (mut amount, mut transferred, mut commission) = (0, 0, 0);
        for r in &self.rows {
            let fee = r.commission();
            let period = r
                .period
                .map(|p| format!("{:02}{}", p.first_day().month(), p.first_day().year()))
                .unwrap_or_default();
            write!(
                text,
                "{};{:02}-{:02}-{:02};8610;{:04};{};{};{};{};{period};{};{};{}\r\n",
                r.paid_on.format("%d-%m-%Y"),
                r.paid_at / 3_600,
                r.paid_at / 60 % 60,
                r.paid_at % 60,
                r.cashier,
                r.operation,
                r.number,
                r.payer,
                r.address,
                rubles(r.kopecks, true),
                rubles(r.kopecks - fee, true),
                rubles(fee, true),
            )
            .expect("a String");
            amount += r.kopecks;
            transferred += r.kopecks - fee;
            commission += fee;
        }
        write!(
            text,
            "={};{};{};{}\r\n",
            self.rows.len(),
            rubles(amount, false),
            rubles(transferred, false),
            rubles(commission, false)
        )
        .expect("a String");
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&text);
        assert!(!unmappable, "the register is Windows-1251");
        bytes.into_owned()
    }

    /// The rows as the import stores them, in COPY's text format (columns
    /// of [`copy`]), the import's id being 1.
    fn copy_text(&self) -> String {
        let mut text = String::with_capacity(self.rows.len() * 150);
        for r in &self.rows {
            let account = r.account_id.map_or("\\N".to_owned(), |id| id.to_string());
            let period = r
                .period
                .map_or("\\N".to_owned(), |p| p.first_day().to_string());
            writeln!(
                text,
                "{account}\t{}\t{}\t{}\t{period}\tbank\t{}\t{}\t{}\t1",
                copy_escaped(&r.number),
                r.paid_on,
                Decimal::new(r.kopecks, 2),
                r.operation,
                copy_escaped(&r.payer),
                copy_escaped(&r.address),
            )
            .expect("a String");
        }
        text
    }
}

/// `2 367,95` as the bank writes amounts (`2367,95` without grouping).
fn rubles(kopecks: i64, grouped: bool) -> String {
    let whole = (kopecks / 100).to_string();
    let mut out = String::with_capacity(whole.len() + 6);
    for (i, digit) in whole.chars().enumerate() {
        if grouped && i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(digit);
    }
    write!(out, ",{:02}", kopecks % 100).expect("a String");
    out
}

/// A value in COPY's text format: its four special characters escaped.
fn copy_escaped(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// The import's record, then `COPY payments (…) FROM STDIN` of `text`, in
/// one transaction (the rows' reference to the import is checked at
/// commit, as the app's is); the time of both.
fn copy(conn: &mut PgConnection, text: &[u8]) -> Duration {
    let started = Instant::now();
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        diesel::sql_query(
            "INSERT INTO payment_imports (id, file_name, file_sha256, imported, unmatched, \
                                          duplicates, amount) \
             VALUES (1, 'register.txt', repeat('0', 64), 0, 0, 0, 0)",
        )
        .execute(conn)?;
        diesel::copy_from(payments::table)
            .from_raw_data(
                (
                    payments::account_id,
                    payments::account_number,
                    payments::paid_on,
                    payments::amount,
                    payments::period,
                    payments::source,
                    payments::operation,
                    payments::payer,
                    payments::address,
                    payments::import_id,
                ),
                |out| {
                    out.write_all(text)
                        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
                },
            )
            .execute(conn)
    })
    .expect("COPY payments");
    started.elapsed()
}

/// The import's answer.
#[derive(serde::Deserialize, Debug)]
struct ImportBody {
    imported: usize,
    duplicates: usize,
    unmatched: usize,
    amount: Decimal,
    import_id: Option<i64>,
}

/// POSTs the register to the app serving `database_url`, as the body; the
/// time from the request sent to the answer read. Then once more, untimed:
/// the same file again must be all duplicates.
async fn post_register(database_url: &str, bytes: &[u8], register: &Register) -> Duration {
    let served = serve(database_url);
    let client = served.client().build().expect("an HTTP client");
    let url = format!("{}/api/v1/payments/import", served.base);
    let (took, first) = post_once(&client, &url, bytes).await;
    assert_eq!(
        (first.imported, first.unmatched, first.duplicates),
        (register.matched(), register.unknown(), 0),
        "{first:?}"
    );
    assert_eq!(first.amount, register.total(), "{first:?}");
    assert!(first.import_id.is_some(), "{first:?}");
    let (_, again) = post_once(&client, &url, bytes).await;
    assert_eq!(
        (again.imported, again.unmatched, again.duplicates),
        (0, 0, register.rows.len()),
        "the same file again: {again:?}"
    );
    assert_eq!(again.amount, Decimal::ZERO, "{again:?}");
    assert_eq!(again.import_id, None, "{again:?}");
    served.handle.stop(true).await;
    took
}

/// One POST of the register (copied into the request before the clock
/// starts) and its answer, which must be 200.
async fn post_once(client: &reqwest::Client, url: &str, bytes: &[u8]) -> (Duration, ImportBody) {
    let request = client
        .post(url)
        .header("content-type", "text/csv")
        .body(bytes.to_vec());
    let started = Instant::now();
    let response = request.send().await.expect("POST /api/v1/payments/import");
    let status = response.status();
    let answer = response.text().await.expect("the answer");
    let took = started.elapsed();
    assert_eq!(status, reqwest::StatusCode::OK, "{answer}");
    let body: ImportBody = serde_json::from_str(&answer).expect("the import's answer");
    (took, body)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Stored {
    #[diesel(sql_type = BigInt)]
    rows: i64,
    #[diesel(sql_type = BigInt)]
    unmatched: i64,
    #[diesel(sql_type = Nullable<Numeric>)]
    amount: Option<Decimal>,
    #[diesel(sql_type = BigInt)]
    accounts: i64,
}

/// The clone holds the register's payments: their count and sum as the
/// totals line says, the unknown numbers' rows without an account, every
/// other row on the account its number names, one import.
fn check_stored(conn: &mut PgConnection, register: &Register, path: &str) {
    let stored: Stored = diesel::sql_query(
        "SELECT count(*) AS rows, count(*) FILTER (WHERE p.account_id IS NULL) AS unmatched, \
                sum(p.amount) AS amount, \
                count(*) FILTER (WHERE upper(a.number) = upper(p.account_number)) AS accounts \
         FROM payments p LEFT JOIN accounts a ON a.id = p.account_id \
         WHERE p.source = 'bank' AND p.deleted_at IS NULL",
    )
    .get_result(conn)
    .expect("the stored payments");
    let rows = i64::try_from(register.rows.len()).expect("a count");
    let unknown = i64::try_from(register.unknown()).expect("a count");
    assert_eq!(stored.rows, rows, "{path}: payments stored");
    assert_eq!(stored.unmatched, unknown, "{path}: unmatched payments");
    assert_eq!(stored.accounts, rows - unknown, "{path}: matched payments");
    assert_eq!(stored.amount, Some(register.total()), "{path}: their sum");
    let imports: Count = diesel::sql_query("SELECT count(*) AS n FROM payment_imports")
        .get_result(conn)
        .expect("the imports");
    assert_eq!(imports.n, 1, "{path}: one import");
}
