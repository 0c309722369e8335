//! Billing 100 houses × 1,000 apartments (about 200,000 meters, seven months
//! of readings) under the rules of ПП 354 through the real server's
//! workers, with the penalties of their 100,000 personal accounts, next to
//! set-based SQL on the same data, in one run.
//!
//!     DATABASE_URL=postgres://… cargo bench --bench billing
//!
//! Creates a database of its own on DATABASE_URL's server (the role needs
//! CREATEDB) and seeds it by set-based SQL (`seed` says what the rules meet:
//! 10% of the billed month's readings missing, estimates caught up, 1%
//! faulty meters, 2% apartments without meters, sewerage, normatives, the
//! seeded coefficients, a house's own price and normative; and the money:
//! an account per apartment, opened six months before the billed month
//! (some later, some owing or in advance at the opening), the lines of
//! those six months in completed runs, payments in full, partial, late and
//! none, and a key rate that changes within the month, so that most
//! accounts owe a penalty).
//!
//! 1. Baselines, each timed ROUNDS times in a transaction rolled back: the
//!    rules in SQL (`RULES`, `LINES`, `VOLUMES`: every line and meter volume
//!    the app must write), its SELECT alone, and the yardstick — the
//!    v1 lines of actual readings only (`V1_LINES`) into `charges` and into
//!    a copy without indexes and foreign keys (what those cost).
//! 2. Where the app's time goes, without the server: `billing::run_batch`
//!    of each house (one batch of all its apartments) called directly,
//!    rolled back; `billing::load_batch`, `domain::lines::bill` and the
//!    accounts' penalties (their histories read and `ledger::penalty`)
//!    timed apart.
//! 3. `kvartplata serve` (the binary cargo built with this bench) is spawned
//!    as a child process with BILLING_WORKERS=2 and BILLING_BATCH_SIZE=1000
//!    (or the values of those variables in the bench's environment);
//!    POST /api/v1/billing-runs starts every house, and the database is
//!    polled until no run is queued or running, while the child's VmRSS is
//!    sampled from /proc, and the CPU of the child and of its PostgreSQL
//!    backends is counted.
//! 4. Every run must be completed, and the app's lines and meter volumes
//!    must equal the set-based ones: sums per service and every row (both
//!    directions of EXCEPT over every column but id, run_id, created_at and
//!    the explanation, whose sentences the domain's tests check). Penalties
//!    must have been charged, each account's equal to
//!    `domain::ledger::penalty` of its history as the bench reads it, and
//!    those of the accounts that paid nothing equal to the penalty formula
//!    in SQL.
//!
//! Prints the times, the ratios (the app with penalties against the v1
//! lines: target at most 2.5×), ms per apartment and the server's peak RSS;
//! asserts the lines and penalties, nothing about time. Without `--bench`
//! (as `cargo test --all-targets` runs it) the same code runs on 3 houses
//! of 40 apartments. The database is dropped at the end, also after a
//! panic.

mod support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Numeric, Text};
use kvartplata::db::migrations;
use kvartplata::domain::Period;
use rust_decimal::Decimal;
use support::Databases;

/// `cargo bench` passes `--bench`: the full size. Run by `cargo test
/// --all-targets` the same code is a quick smoke test.
fn full_size() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn houses() -> i64 {
    if full_size() { 100 } else { 3 }
}

fn apartments_per_house() -> i64 {
    if full_size() { 1_000 } else { 40 }
}

/// The set-based statement is timed this many times; the best counts.
const ROUNDS: usize = 2;
/// How often the database is asked whether the runs are done, and the
/// server's memory sampled.
const POLL: Duration = Duration::from_millis(20);
/// A run of the full size that takes longer than this has gone wrong.
const TIMEOUT: Duration = Duration::from_secs(3_600);

fn main() {
    let server_url = support::server_url_or_exit("billing");
    // The month just ended, as a manager bills it.
    let period = Period::current().previous();
    let apartments = houses() * apartments_per_house();

    if std::env::var_os("BENCH_PRINT_SQL").is_some() {
        println!("{};\n{};", with_rules(LINES), with_rules(VOLUMES));
        return;
    }
    let mut dbs = Databases::new(&server_url);
    let db = dbs.create(None);
    let url = dbs.url(&db);
    let mut conn = PgConnection::establish(&url).expect("connect to the bench database");
    migrations::run_pending(&mut conn).expect("migrate the bench database");
    let started = Instant::now();
    seed(&mut conn, period);
    let meters: i64 = count(&mut conn, "SELECT count(*) AS n FROM meters");
    let readings: i64 = count(&mut conn, "SELECT count(*) AS n FROM readings");
    let history = count(&mut conn, "SELECT count(*) AS n FROM charges");
    let accounts = count(&mut conn, "SELECT count(*) AS n FROM accounts");
    let payments = count(&mut conn, "SELECT count(*) AS n FROM payments");
    println!(
        "loaded {} houses, {apartments} apartments, {meters} meters, {readings} readings, \
         {accounts} accounts with six months of history ({history} lines, {payments} payments) \
         in {:.1} s; billing {period}",
        houses(),
        started.elapsed().as_secs_f64(),
    );

    // (a) The set-based statement.
    let mut set_based = Vec::with_capacity(ROUNDS);
    for round in 1..=ROUNDS {
        warm_up(&mut conn);
        let cpu = Cpu::now(&mut conn, None);
        let (took, lines) = time_set_based(&mut conn, period);
        let cpu = cpu.since(&mut conn);
        println!(
            "round {round}: set-based INSERT INTO charges … SELECT: {lines} lines in {:.3} s; \
             its backend's CPU {:.2} s",
            took.as_secs_f64(),
            cpu.postgres
        );
        set_based.push(took);
    }
    let select_only = time_select_only(&mut conn, period);
    // (a') The v1 lines (actual readings only), into charges and into a
    // copy of it without indexes and foreign keys.
    diesel::sql_query(
        "CREATE TABLE bench_bare_charges (LIKE charges INCLUDING DEFAULTS INCLUDING IDENTITY)",
    )
    .execute(&mut conn)
    .expect("a bare copy of charges");
    let mut v1 = Vec::with_capacity(ROUNDS);
    let mut bare = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        warm_up(&mut conn);
        v1.push(time_v1_set_based(&mut conn, period, "charges").0);
        warm_up(&mut conn);
        bare.push(time_v1_set_based(&mut conn, period, "bench_bare_charges").0);
    }
    let v1 = *v1.iter().min().expect("measured");
    let bare = *bare.iter().min().expect("measured");
    keep_expected_lines(&mut conn, period);
    // (b) Where the app's time goes.
    let steps = time_batch_steps(&mut conn, period);
    // Rolled-back inserts leave dead rows behind; the app gets them cleaned
    // away (charges keeps the earlier months' lines, so no TRUNCATE).
    let vacuum = "VACUUM ANALYZE charges, billing_runs, meter_volumes, penalties, audit_log";
    diesel::sql_query(vacuum).execute(&mut conn).expect(vacuum);
    warm_up(&mut conn);

    // (c) The app.
    let app = bill_through_server(&url, &mut conn, period);

    // The lines must be the same, and the penalties those of the ledger.
    check_runs(&mut conn, period);
    let lines = check_lines(&mut conn, period);
    let penalties = check_penalties(&mut conn, period);

    let set_based = *set_based.iter().min().expect("measured");
    let per_apartment = |d: Duration| d.as_secs_f64() * 1_000.0 / apartments as f64;
    let (workers, batch) = worker_settings();
    println!(
        "\n{apartments} apartments, {meters} meters, {lines} lines of {period}; \
         the app's lines and meter volumes equal the set-based ones; {} of {accounts} accounts \
         charged penalties of {} ₽ in all, each equal to ledger::penalty of its history \
         ({} of the non-payers' also to the set-based formula)\n",
        penalties.charged, penalties.sum, penalties.by_formula
    );
    println!("{:<62} {:>9} {:>12}", "", "time s", "ms/apartment");
    println!(
        "{:<62} {:>9.3} {:>12.4}",
        format!("set-based INSERT … SELECT (best of {ROUNDS}, rolled back)"),
        set_based.as_secs_f64(),
        per_apartment(set_based)
    );
    println!(
        "{:<62} {:>9.3} {:>12.4}",
        "  of which computing the lines (the SELECT alone, not written)",
        select_only.as_secs_f64(),
        per_apartment(select_only)
    );
    println!(
        "{:<62} {:>9.3} {:>12.4}",
        format!("v1 set-based INSERT … SELECT, actual readings only (best of {ROUNDS})"),
        v1.as_secs_f64(),
        per_apartment(v1)
    );
    println!(
        "{:<62} {:>9.3} {:>12.4}",
        "  the same into a copy of charges without indexes and FKs",
        bare.as_secs_f64(),
        per_apartment(bare)
    );
    println!(
        "{:<62} {:>9.3} {:>12.4}",
        format!(
            "app: POST /api/v1/billing-runs → {} runs completed",
            houses()
        ),
        app.took.as_secs_f64(),
        per_apartment(app.took)
    );
    println!(
        "{:<62} {:>9.3} {:>12.4}",
        format!(
            "app's batch step called directly: {} batches in a row",
            steps.batches
        ),
        steps.total.as_secs_f64(),
        per_apartment(steps.total)
    );
    println!(
        "{:<62} {:>9.3} {:>12.4}",
        "  of which reading the apartments and meters (load_batch)",
        steps.read.as_secs_f64(),
        per_apartment(steps.read)
    );
    println!(
        "{:<62} {:>9.3} {:>12.4}",
        "  of which the rules (domain::lines::bill, timed apart)",
        steps.rules.as_secs_f64(),
        per_apartment(steps.rules)
    );
    println!(
        "{:<62} {:>9.3} {:>12.4}",
        "  of which reading the accounts' histories (timed apart)",
        steps.penalty_reads.as_secs_f64(),
        per_apartment(steps.penalty_reads)
    );
    println!(
        "{:<62} {:>9.3} {:>12.4}",
        "  of which the penalties (domain::ledger::penalty, timed apart)",
        steps.penalties.as_secs_f64(),
        per_apartment(steps.penalties)
    );
    let rest = steps
        .total
        .saturating_sub(steps.read + steps.rules + steps.penalty_reads + steps.penalties);
    println!(
        "{:<62} {:>9.3} {:>12.4}",
        "  of which writing lines, volumes and penalties, the rest",
        rest.as_secs_f64(),
        per_apartment(rest)
    );
    println!(
        "ratio app (with penalties) / v1 set-based: {:.2} (target <= 2.5); \
         app / set-based rules: {:.2}",
        app.took.as_secs_f64() / v1.as_secs_f64(),
        app.took.as_secs_f64() / set_based.as_secs_f64()
    );
    println!(
        "charges' indexes and foreign keys cost the v1 INSERT {:.3} s of {:.3} s",
        (v1.as_secs_f64() - bare.as_secs_f64()).max(0.0),
        v1.as_secs_f64()
    );
    println!(
        "app: {workers} workers, batches of {batch} (progress committed every {batch} \
         apartments); the POST answered in {:.3} s; CPU during \
         the runs: server process {:.2} s, its PostgreSQL backends {:.2} s",
        app.post.as_secs_f64(),
        app.cpu.server,
        app.cpu.postgres,
    );
    println!(
        "server RSS: {:.1} MB before the runs, peak {:.1} MB sampled during them, \
         VmHWM {:.1} MB (target < 150 MB)",
        mb(app.rss_before_kb),
        mb(app.rss_peak_kb),
        mb(app.hwm_kb)
    );
    drop(conn);
    drop(dbs);
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut PgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .n
}

/// Houses, apartments with their residents, meters, seven months of
/// readings, the volumes estimated in the two months before, tariffs and
/// normatives, by set-based SQL (identity ids start at 1 in the fresh
/// database). What the rules of ПП 354 meet in the billed month P:
/// - 2% of the apartments have no meters (half of them with an act that
///   none can be installed: no coefficient), every 50th of the others two
///   cold meters and no hot one: their water is billed by the normative;
/// - 10% of the meters have no reading for P (billed by their average),
///   every 17th missed P−2 and P−1 as well (billed by average then: their
///   reading in P is measured from P−3 plus those estimates), every 101st
///   was never read (a share of the normative);
/// - 1% are past their verification since P−3 (the raised normative);
/// - 1% were commissioned in P−3 (too young for an average when unread).
fn seed(conn: &mut PgConnection, period: Period) {
    let statements = [
        "INSERT INTO houses (address) \
         SELECT 'г. Казань, ул. Баумана, д. ' || h FROM generate_series(1, $1) h",
        // Areas 28.40–118.89 m², varying by apartment and house.
        "INSERT INTO apartments (house_id, number, area, meter_impossible) \
         SELECT h.id, a::text, ((2840 + (a * 3517 + h.id * 131) % 9050) / 100.0)::numeric(8, 2), \
                false \
         FROM houses h CROSS JOIN generate_series(1, $2) a ORDER BY h.id, a",
        "UPDATE apartments SET meter_impossible = true WHERE id % 100 = 0",
        // 0–4 residents (nobody: the one owner counts).
        "INSERT INTO apartment_residents (apartment_id, valid_from, count) \
         SELECT id, NULL, id % 5 FROM apartments",
        // A cold and a hot meter, or two cold ones; none in every 50th.
        "INSERT INTO meters (apartment_id, serial, kind, initial_reading) \
         SELECT a.id, \
                CASE WHEN k.n = 2 AND a.id % 50 = 25 THEN 'ХВ2' ELSE k.prefix END || '-' || a.id, \
                CASE WHEN k.n = 2 AND a.id % 50 = 25 THEN 'cold_water' ELSE k.kind END, \
                ((a.id * 37 + k.n * 11) % 3000 / 1000.0)::numeric(12, 3) \
         FROM apartments a \
         CROSS JOIN (VALUES (1, 'ХВ', 'cold_water'), (2, 'ГВ', 'hot_water')) k (n, prefix, kind) \
         WHERE a.id % 50 <> 0 \
         ORDER BY a.id, k.n",
        "UPDATE meters SET verified_until = ($3::date - interval '4 months' + interval '19 days')::date \
         WHERE id % 100 = 7",
        "UPDATE meters SET commissioned_on = ($3::date - interval '3 months' + interval '14 days')::date \
         WHERE id % 100 = 11",
        // Month k (0–6, P−6 … P): the initial reading plus k + 1 months of
        // 0.5–4.5 m³ (from commissioning for the young meters).
        "INSERT INTO readings (meter_id, period, value, source) \
         SELECT m.id, ($3::date - make_interval(months => 6 - k))::date, \
                m.initial_reading \
                + (CASE WHEN m.commissioned_on IS NULL THEN k + 1 ELSE k - 3 END) \
                  * ((m.id * 6271 % 4000 + 500) / 1000.0), \
                'csv' \
         FROM meters m CROSS JOIN generate_series(0, 6) k \
         WHERE m.id % 101 <> 0 \
           AND (m.commissioned_on IS NULL OR k >= 4) \
           AND NOT (k = 6 AND m.id % 10 = 3) \
           AND NOT (k IN (4, 5) AND m.id % 17 = 0)",
        // The six months before were billed: runs, and the averages the
        // meters unread in P−2 and P−1 were billed by (their monthly
        // consumption).
        "INSERT INTO billing_runs (house_id, period, status, total, processed, finished_at) \
         SELECT h.id, ($3::date - make_interval(months => k))::date, 'completed', $2, $2, now() \
         FROM houses h CROSS JOIN generate_series(1, 6) k",
        "INSERT INTO meter_volumes (meter_id, period, method, volume, run_id) \
         SELECT m.id, r.period, 'average', (m.id * 6271 % 4000 + 500) / 1000.0, r.id \
         FROM meters m \
         JOIN apartments a ON a.id = m.apartment_id \
         JOIN billing_runs r ON r.house_id = a.house_id AND r.period < $3 \
                            AND r.period >= $3::date - interval '2 months' \
         WHERE m.id % 17 = 0 AND m.id % 101 <> 0 AND m.commissioned_on IS NULL \
           AND m.verified_until IS NULL",
        // Defaults: cold water changes price in the billed month, hot water
        // next month (not in effect yet); the first house has its own hot
        // price, the second its own cold normative.
        "INSERT INTO tariffs (service, price, valid_from, house_id) VALUES \
         ('cold_water', 40.0000, $4, NULL), ('cold_water', 42.3000, $3, NULL), \
         ('hot_water', 214.7600, $4, NULL), \
         ('hot_water', 230.1000, $3::date + interval '1 month', NULL), \
         ('sewerage', 30.9000, $4, NULL), ('maintenance', 24.5050, $4, NULL)",
        "INSERT INTO tariffs (service, price, valid_from, house_id) \
         SELECT 'hot_water', 199.9950, $3::date - interval '1 month', min(id) FROM houses",
        "INSERT INTO normatives (service, value, valid_from, house_id) VALUES \
         ('cold_water', 4.8500, $4, NULL), ('hot_water', 3.5000, $4, NULL)",
        "INSERT INTO normatives (service, value, valid_from, house_id) \
         SELECT 'cold_water', 5.1000, $3::date - interval '1 month', min(id) + 1 FROM houses",
        // Those months' lines (what penalties are charged on): each
        // apartment's four services at the year-old prices, 2.0–6.9 m³ of
        // cold water and 1.0–3.9 m³ of hot a month, sewerage their sum,
        // maintenance by the area.
        "INSERT INTO charges (run_id, apartment_id, period, service, quantity, unit, unit_price, \
                              amount, tariff_id, tariff_valid_from, missing_reading, \
                              explanation, method, coefficient, excess) \
         SELECT r.id, a.id, r.period, t.service, q.quantity, \
                CASE t.service WHEN 'maintenance' THEN 'm2' ELSE 'm3' END, t.price, \
                round(t.price * q.quantity, 2), t.id, t.valid_from, false, '{}', \
                CASE t.service WHEN 'maintenance' THEN 'area' WHEN 'sewerage' THEN 'sum' \
                               ELSE 'actual' END, NULL, 0 \
         FROM billing_runs r \
         JOIN apartments a ON a.house_id = r.house_id \
         JOIN tariffs t ON t.house_id IS NULL AND t.valid_from = $4 \
         CROSS JOIN LATERAL ( \
             SELECT ((a.id * 7 + extract(month from r.period)::int * 13) % 50 + 20) / 10.0 \
                        AS cold, \
                    ((a.id * 11 + extract(month from r.period)::int * 5) % 30 + 10) / 10.0 \
                        AS hot) v \
         CROSS JOIN LATERAL ( \
             SELECT CASE t.service WHEN 'maintenance' THEN a.area WHEN 'cold_water' THEN v.cold \
                                   WHEN 'hot_water' THEN v.hot ELSE v.cold + v.hot END \
                        AS quantity) q \
         WHERE r.period < $3 \
         ORDER BY r.id, a.id, t.service",
        // Every apartment's account, opened six months before P (every
        // 13th three months before), every 7th owing 1 500 ₽ at its
        // opening (paid first, accruing nothing), the next 800 ₽ in
        // advance.
        "INSERT INTO accounts (apartment_id, number, holder, opening_balance, opening_period) \
         SELECT a.id, (1000000000 + a.id)::text, 'Владелец кв. ' || a.number, \
                CASE a.id % 7 WHEN 0 THEN 1500.00 WHEN 1 THEN -800.00 ELSE 0 END, \
                ($3::date - make_interval(months => CASE WHEN a.id % 13 = 0 THEN 3 \
                                                          ELSE 6 END))::date \
         FROM apartments a ORDER BY a.id",
        // What they paid for each month Q of their ledger before P, by
        // account id % 10 — 0–3: all of it, on the 10th after Q (before the
        // due day); 4–5: 60 % of it then (a debt that grows); 6–7: all of
        // it, 50 days after the due 15th (late; those after P are not paid
        // yet); 8: nothing.
        "INSERT INTO payments (account_id, account_number, paid_on, amount, period, source, \
                               operation, payer) \
         SELECT c.id, c.number, x.paid_on, x.amount, m.period, 'bank', \
                c.number || '-' || to_char(m.period, 'YYYYMM'), c.holder \
         FROM accounts c \
         JOIN (SELECT apartment_id, period, sum(amount) AS amount FROM charges \
               WHERE period < $3 GROUP BY apartment_id, period) m \
           ON m.apartment_id = c.apartment_id AND m.period >= c.opening_period \
         CROSS JOIN LATERAL ( \
             SELECT CASE WHEN c.id % 10 < 6 THEN (m.period + interval '1 month 9 days')::date \
                         ELSE (m.period + interval '1 month 64 days')::date END AS paid_on, \
                    CASE WHEN c.id % 10 IN (4, 5) THEN round(m.amount * 0.6, 2) \
                         ELSE m.amount END AS amount) x \
         WHERE c.id % 10 < 8 AND x.paid_on < $3::date + interval '1 month'",
        // 9: all they owe in one payment on the 20th of P.
        "INSERT INTO payments (account_id, account_number, paid_on, amount, source, operation, \
                               payer) \
         SELECT c.id, c.number, ($3::date + interval '19 days')::date, \
                sum(m.amount) + greatest(c.opening_balance, 0), 'bank', c.number || '-all', \
                c.holder \
         FROM accounts c \
         JOIN charges m ON m.apartment_id = c.apartment_id AND m.period >= c.opening_period \
                       AND m.period < $3 \
         WHERE c.id % 10 = 9 \
         GROUP BY c.id",
        // A key rate for the year, capped at 9.5 % by the migration's cap,
        // lowered to 8.5 % (under the cap) from the 17th of P.
        "INSERT INTO key_rates (valid_from, rate) \
         VALUES ($4, 21.000), ($3::date + interval '16 days', 8.500)",
    ];
    let year_ago = (0..12).fold(period, |p, _| p.previous());
    for sql in statements {
        // Every statement gets every parameter (typed, so unused ones are
        // fine): $1 houses, $2 apartments a house, $3 the billed month, $4
        // a year before.
        diesel::sql_query(sql)
            .bind::<BigInt, _>(houses())
            .bind::<BigInt, _>(apartments_per_house())
            .bind::<Date, _>(period)
            .bind::<Date, _>(year_ago)
            .execute(conn)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    for sql in [
        "VACUUM ANALYZE houses, apartments, apartment_residents, meters, readings, tariffs, \
         normatives, meter_volumes, billing_runs, charges, accounts, payments, key_rates",
        "ALTER TABLE readings SET (autovacuum_enabled = false)",
        "ALTER TABLE meters SET (autovacuum_enabled = false)",
        "ALTER TABLE charges SET (autovacuum_enabled = false)",
        "ALTER TABLE meter_volumes SET (autovacuum_enabled = false)",
        "ALTER TABLE penalties SET (autovacuum_enabled = false)",
    ] {
        diesel::sql_query(sql).execute(conn).expect(sql);
    }
}

/// Reads the tables once so that both sides start with the same caches.
fn warm_up(conn: &mut PgConnection) {
    for sql in [
        "SELECT count(*) AS n FROM apartments",
        "SELECT count(*) AS n FROM meters",
        "SELECT count(*) AS n FROM readings",
    ] {
        count(conn, sql);
    }
}

/// Months from `b` to `a` (dates of first days), as SQL.
macro_rules! months {
    ($a:literal, $b:literal) => {
        concat!(
            "((extract(year from ",
            $a,
            ") - extract(year from ",
            $b,
            ")) * 12 \
             + extract(month from ",
            $a,
            ") - extract(month from ",
            $b,
            "))"
        )
    };
}

/// docs/billing.md's rules for the month `$1` as one set of CTEs, up to
/// `part`: each counting meter's volume in the bill (method, volume
/// without K, whether K raises it), with what its apartment's lines need.
/// The tariff, normative and coefficient are chosen as the app chooses
/// them; a meter's base is its latest usable reading before the month plus
/// the estimates billed since; its average spans at least three months
/// back from the base to the earliest usable reading (or the commissioning)
/// within six; a normative share is rounded to 0.0001 with the remainder on
/// the last meter when all of a kind fall to it.
const RULES: &str = concat!(
    "WITH tariff AS ( \
        SELECT DISTINCT ON (h.id, s.service) \
               h.id AS house_id, s.service, t.id AS tariff_id, t.price, t.valid_from \
        FROM houses h \
        CROSS JOIN unnest(h.services) AS s (service) \
        JOIN tariffs t ON t.service = s.service AND t.valid_from <= $1 \
                      AND (t.house_id = h.id OR t.house_id IS NULL) \
        ORDER BY h.id, s.service, t.house_id IS NULL, t.valid_from DESC \
    ), normative AS ( \
        SELECT DISTINCT ON (h.id, n.service) h.id AS house_id, n.service AS kind, n.value \
        FROM houses h \
        JOIN normatives n ON n.valid_from <= $1 AND (n.house_id = h.id OR n.house_id IS NULL) \
        ORDER BY h.id, n.service, n.house_id IS NULL, n.valid_from DESC \
    ), k AS ( \
        SELECT DISTINCT ON (service) service AS kind, value FROM coefficients \
        WHERE valid_from <= $1 ORDER BY service, valid_from DESC \
    ), people AS MATERIALIZED ( \
        SELECT a.id AS apartment_id, a.house_id, a.area, a.meter_impossible, h.services, \
               COALESCE(NULLIF((SELECT r.count FROM apartment_residents r \
                                WHERE r.apartment_id = a.id \
                                  AND (r.valid_from IS NULL OR r.valid_from <= $1) \
                                ORDER BY r.valid_from DESC NULLS LAST LIMIT 1), 0), \
                        a.owners) AS n, \
               nc.value AS cold_normative, nh.value AS hot_normative \
        FROM apartments a \
        JOIN houses h ON h.id = a.house_id \
        LEFT JOIN normative nc ON nc.house_id = a.house_id AND nc.kind = 'cold_water' \
        LEFT JOIN normative nh ON nh.house_id = a.house_id AND nh.kind = 'hot_water' \
    ), counting AS ( \
        SELECT m.*, m.verified_until IS NOT NULL AND m.verified_until < $1 AS faulty \
        FROM meters m \
        WHERE (m.commissioned_on IS NULL OR date_trunc('month', m.commissioned_on) < $1) \
          AND (m.decommissioned_on IS NULL OR $1 <= date_trunc('month', m.decommissioned_on)) \
    ), state AS ( \
        SELECT c.id, c.apartment_id, c.kind, c.faulty, \
               CASE WHEN NOT c.faulty THEN cur.value END AS reading, \
               base.period AS pa, COALESCE(base.value, c.initial_reading) AS va, \
               start.period AS pb, start.value AS vb, \
               (SELECT COALESCE(sum(v.volume), 0) FROM meter_volumes v \
                WHERE v.meter_id = c.id AND v.period < $1 AND v.method <> 'actual' \
                  AND (base.period IS NULL OR v.period > base.period)) AS estimated \
        FROM counting c \
        LEFT JOIN readings cur ON cur.meter_id = c.id AND cur.period = $1 \
        LEFT JOIN LATERAL ( \
            SELECT r.period, r.value FROM readings r \
            WHERE r.meter_id = c.id AND r.period < $1 \
              AND (c.verified_until IS NULL OR r.period <= c.verified_until) \
            ORDER BY r.period DESC LIMIT 1) base ON true \
        LEFT JOIN LATERAL ( \
            SELECT b.period, b.value FROM ( \
                SELECT r.period, r.value, 1 AS rank FROM readings r \
                WHERE r.meter_id = c.id AND r.period >= base.period - interval '6 months' \
                  AND r.period < base.period \
                  AND (c.verified_until IS NULL OR r.period <= c.verified_until) \
                UNION ALL \
                SELECT date_trunc('month', c.commissioned_on)::date, c.initial_reading, 0 \
                WHERE date_trunc('month', c.commissioned_on) >= base.period - interval '6 months' \
                  AND date_trunc('month', c.commissioned_on) < base.period) b \
            ORDER BY b.period, b.rank LIMIT 1) start ON true \
    ), found AS ( \
        SELECT s.*, \
               CASE WHEN s.reading IS NOT NULL THEN 'actual' \
                    WHEN s.pa IS NOT NULL AND ",
    months!("$1", "s.pa"),
    " <= 3 \
                         AND s.pb IS NOT NULL AND ",
    months!("s.pa", "s.pb"),
    " >= 3 \
                    THEN 'average' ELSE 'normative' END AS method \
        FROM state s \
    ), part AS MATERIALIZED ( \
        SELECT f.id AS meter_id, f.apartment_id, p.house_id, f.kind, f.method, f.faulty, \
               CASE f.method \
                   WHEN 'actual' THEN f.reading - f.va - f.estimated \
                   WHEN 'average' THEN round((f.va - f.vb) / ",
    months!("f.pa", "f.pb"),
    ", 3) \
                   WHEN 'normative' THEN CASE \
                       WHEN bool_and(f.method = 'normative') OVER w \
                            AND f.id = max(f.id) OVER w \
                       THEN p.n * nv.value \
                            - round(p.n * nv.value / count(*) OVER w, 4) * (count(*) OVER w - 1) \
                       ELSE round(p.n * nv.value / count(*) OVER w, 4) END \
               END AS volume, \
               f.method = 'normative' AND f.faulty AND NOT p.meter_impossible AS raised \
        FROM found f \
        JOIN people p ON p.apartment_id = f.apartment_id AND f.kind = ANY (p.services) \
        CROSS JOIN LATERAL (SELECT CASE f.kind WHEN 'cold_water' THEN p.cold_normative \
                                               ELSE p.hot_normative END AS value) nv \
        WINDOW w AS (PARTITION BY f.apartment_id, f.kind) \
    )"
);

/// Every line of every apartment of every house for the month `$1`, as the
/// app stores them (but for the explanation), with the apartment's house:
/// water by the counting meters' volumes (K on the raised ones) or, with
/// none of its kind, by the normative raised by K unless no meter can be
/// installed; sewerage as the water's quantities; maintenance by the area.
const LINES: &str = concat!(
    "/* RULES */ ",
    ", metered AS ( \
        SELECT apartment_id, house_id, kind AS service, sum(volume) AS quantity, \
               COALESCE(sum(volume) FILTER (WHERE raised), 0) AS raised, \
               bool_or(method <> 'actual') AS missing_reading, \
               CASE WHEN count(DISTINCT method) = 1 THEN min(method) ELSE 'mixed' END AS method \
        FROM part GROUP BY apartment_id, house_id, kind \
    ), unmetered AS ( \
        SELECT p.apartment_id, p.house_id, s.kind AS service, \
               p.n * CASE s.kind WHEN 'cold_water' THEN p.cold_normative \
                                 ELSE p.hot_normative END AS quantity, \
               p.meter_impossible \
        FROM people p \
        CROSS JOIN unnest(ARRAY['cold_water', 'hot_water']) AS s (kind) \
        WHERE s.kind = ANY (p.services) \
          AND NOT EXISTS (SELECT 1 FROM part x \
                          WHERE x.apartment_id = p.apartment_id AND x.kind = s.kind) \
    ), water AS ( \
        SELECT m.apartment_id, m.house_id, m.service, m.quantity, m.missing_reading, m.method, \
               round(t.price * (m.quantity - m.raised + COALESCE(k.value, 1) * m.raised), 2) \
                   AS amount, \
               CASE WHEN COALESCE(k.value, 1) > 1 AND m.raised <> 0 THEN k.value END \
                   AS coefficient, \
               t.price, t.tariff_id, t.valid_from \
        FROM metered m \
        JOIN tariff t ON t.house_id = m.house_id AND t.service = m.service \
        LEFT JOIN k ON k.kind = m.service \
        UNION ALL \
        SELECT u.apartment_id, u.house_id, u.service, u.quantity, false, 'normative', \
               round(t.price * u.quantity \
                     * CASE WHEN u.meter_impossible THEN 1 ELSE COALESCE(k.value, 1) END, 2), \
               CASE WHEN NOT u.meter_impossible AND COALESCE(k.value, 1) > 1 THEN k.value END, \
               t.price, t.tariff_id, t.valid_from \
        FROM unmetered u \
        JOIN tariff t ON t.house_id = u.house_id AND t.service = u.service \
        LEFT JOIN k ON k.kind = u.service \
    ), line AS ( \
        SELECT apartment_id, house_id, service, quantity, 'm3' AS unit, price, amount, \
               tariff_id, valid_from, missing_reading, method, coefficient \
        FROM water \
        UNION ALL \
        SELECT p.apartment_id, p.house_id, 'sewerage', COALESCE(sum(w.quantity), 0), 'm3', \
               t.price, round(t.price * COALESCE(sum(w.quantity), 0), 2), t.tariff_id, \
               t.valid_from, false, 'sum', NULL \
        FROM people p \
        JOIN tariff t ON t.house_id = p.house_id AND t.service = 'sewerage' \
        LEFT JOIN water w ON w.apartment_id = p.apartment_id \
        GROUP BY p.apartment_id, p.house_id, t.price, t.tariff_id, t.valid_from \
        UNION ALL \
        SELECT p.apartment_id, p.house_id, 'maintenance', p.area, 'm2', t.price, \
               round(t.price * p.area, 2), t.tariff_id, t.valid_from, false, 'area', NULL \
        FROM people p \
        JOIN tariff t ON t.house_id = p.house_id AND t.service = 'maintenance' \
    ) \
    SELECT house_id, apartment_id, $1 AS period, service, quantity, unit, price AS unit_price, \
           amount, tariff_id, valid_from AS tariff_valid_from, missing_reading, method, \
           coefficient, amount - round(price * quantity, 2) AS excess \
    FROM line"
);

/// The volume each counting meter adds to the month `$1`'s bill.
const VOLUMES: &str =
    "/* RULES */ SELECT meter_id, $1 AS period, method, volume, house_id FROM part";

/// `LINES` or `VOLUMES` with the rules in front.
fn with_rules(sql: &str) -> String {
    sql.replace("/* RULES */", RULES)
}

/// The columns a line is compared on: all but id, run_id and created_at,
/// and the explanation (its sentences are the domain's, tested there).
const COMPARED: &str = "apartment_id, period, service, quantity, unit, unit_price, amount, \
                        tariff_id, tariff_valid_from, missing_reading, method, coefficient, \
                        excess";

/// The columns a meter volume is compared on.
const VOLUME_COMPARED: &str = "meter_id, period, method, volume";

/// The v1 lines (docs/billing.md before the rules: water by the readings
/// alone, a missing one adding 0; maintenance by the area), the baseline the
/// issue measures against: what a set-based bill of actual readings costs.
const V1_LINES: &str = "\
WITH tariff AS ( \
    SELECT DISTINCT ON (h.id, s.service) \
           h.id AS house_id, s.service, t.id AS tariff_id, t.price, t.valid_from \
    FROM houses h \
    CROSS JOIN (VALUES ('cold_water'), ('hot_water'), ('maintenance')) AS s (service) \
    JOIN tariffs t ON t.service = s.service AND t.valid_from <= $1 \
                  AND (t.house_id = h.id OR t.house_id IS NULL) \
    ORDER BY h.id, s.service, t.house_id IS NULL, t.valid_from DESC \
), previous AS ( \
    SELECT DISTINCT ON (meter_id) meter_id, period, value \
    FROM readings WHERE period < $1 \
    ORDER BY meter_id, period DESC \
), dial AS ( \
    SELECT m.apartment_id, m.kind, m.serial, p.period AS previous_period, \
           CASE WHEN p.meter_id IS NULL THEN m.initial_reading ELSE p.value END AS previous_value, \
           c.value AS current_value \
    FROM meters m \
    LEFT JOIN previous p ON p.meter_id = m.id \
    LEFT JOIN readings c ON c.meter_id = m.id AND c.period = $1 \
), used AS ( \
    SELECT d.*, COALESCE(d.current_value - d.previous_value, 0) AS consumption FROM dial d \
), line AS ( \
    SELECT u.apartment_id, u.kind AS service, sum(u.consumption) AS quantity, 'm3' AS unit, \
           bool_or(u.current_value IS NULL) AS missing_reading, \
           jsonb_build_object('basis', 'meters', 'meters', jsonb_agg(jsonb_build_object( \
               'serial', u.serial, \
               'previous', jsonb_build_object( \
                   'period', to_char(u.previous_period, 'YYYY-MM'), \
                   'value', u.previous_value::text), \
               'current', u.current_value::text, \
               'consumption', u.consumption::text) ORDER BY u.serial)) AS explanation \
    FROM used u GROUP BY u.apartment_id, u.kind \
    UNION ALL \
    SELECT a.id, 'maintenance', a.area, 'm2', false, \
           jsonb_build_object('basis', 'area', 'area', a.area::text) \
    FROM apartments a \
) \
SELECT a.house_id, l.apartment_id, $1 AS period, l.service, \
       l.quantity::numeric(14, 3) AS quantity, l.unit, t.price AS unit_price, \
       round(l.quantity * t.price, 2)::numeric(14, 2) AS amount, t.tariff_id, \
       t.valid_from AS tariff_valid_from, l.missing_reading, l.explanation \
FROM line l \
JOIN apartments a ON a.id = l.apartment_id \
JOIN tariff t ON t.house_id = a.house_id AND t.service = l.service";

/// Times `statements` (each bound to the month `$1`) run one after another,
/// with a completed run row per house for them to hang on (not timed), in a
/// transaction rolled back after; returns the time and the first one's row
/// count.
fn time_rolled_back(
    conn: &mut PgConnection,
    period: Period,
    statements: &[String],
) -> (Duration, usize) {
    let mut measured = None;
    let outcome = conn.transaction::<(), diesel::result::Error, _>(|conn| {
        diesel::sql_query(
            "INSERT INTO billing_runs (house_id, period, status, total, processed, finished_at) \
             SELECT h.id, $1, 'completed', count(a.id), count(a.id), now() \
             FROM houses h LEFT JOIN apartments a ON a.house_id = h.id GROUP BY h.id",
        )
        .bind::<Date, _>(period)
        .execute(conn)?;
        let started = Instant::now();
        let mut rows = Vec::with_capacity(statements.len());
        for sql in statements {
            rows.push(
                diesel::sql_query(sql)
                    .bind::<Date, _>(period)
                    .execute(conn)?,
            );
        }
        measured = Some((started.elapsed(), rows.first().copied().unwrap_or(0)));
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(
        matches!(outcome, Err(diesel::result::Error::RollbackTransaction)),
        "a set-based INSERT failed: {outcome:?}"
    );
    measured.expect("measured")
}

/// Times the set-based `INSERT … SELECT` of the v1 lines into `table`
/// (`charges`, or a copy without its indexes and foreign keys).
fn time_v1_set_based(conn: &mut PgConnection, period: Period, table: &str) -> (Duration, usize) {
    let lines = format!(
        "INSERT INTO {table} (run_id, apartment_id, period, service, quantity, unit, \
                              unit_price, amount, tariff_id, tariff_valid_from, \
                              missing_reading, explanation, method) \
         SELECT r.id, l.apartment_id, l.period, l.service, l.quantity, l.unit, l.unit_price, \
                l.amount, l.tariff_id, l.tariff_valid_from, l.missing_reading, l.explanation, \
                CASE l.service WHEN 'maintenance' THEN 'area' ELSE 'actual' END \
         FROM ({V1_LINES}) l \
         JOIN billing_runs r ON r.house_id = l.house_id AND r.period = $1"
    );
    time_rolled_back(conn, period, &[lines])
}

/// Times one `INSERT INTO charges … SELECT` of every line of the month by
/// the rules and one `INSERT INTO meter_volumes … SELECT` of every meter's
/// volume.
fn time_set_based(conn: &mut PgConnection, period: Period) -> (Duration, usize) {
    let columns: Vec<String> = COMPARED
        .split(", ")
        .map(|c| format!("l.{}", c.trim()))
        .collect();
    let lines = format!(
        "INSERT INTO charges (run_id, explanation, {COMPARED}) \
         SELECT r.id, '{{}}', {} FROM ({}) l \
         JOIN billing_runs r ON r.house_id = l.house_id AND r.period = $1",
        columns.join(", "),
        with_rules(LINES)
    );
    let volumes = format!(
        "INSERT INTO meter_volumes (run_id, {VOLUME_COMPARED}) \
         SELECT r.id, v.meter_id, v.period, v.method, v.volume FROM ({}) v \
         JOIN billing_runs r ON r.house_id = v.house_id AND r.period = $1",
        with_rules(VOLUMES)
    );
    time_rolled_back(conn, period, &[lines, volumes])
}

/// Times computing the same lines without writing them: the set-based
/// arithmetic alone (a materialized CTE computes every column).
fn time_select_only(conn: &mut PgConnection, period: Period) -> Duration {
    let started = Instant::now();
    let lines: Count = diesel::sql_query(format!(
        "WITH l AS MATERIALIZED ({}) SELECT count(*) AS n FROM l",
        with_rules(LINES)
    ))
    .bind::<Date, _>(period)
    .get_result(conn)
    .expect("the lines' SELECT");
    let took = started.elapsed();
    assert!(lines.n > 0);
    took
}

/// The app's batch step timed alone.
struct Steps {
    batches: usize,
    /// `billing::run_batch`: read, bill, write the lines, advance the run.
    total: Duration,
    /// `billing::load_batch` of the same apartments, timed separately.
    read: Duration,
    /// `domain::lines::bill` of what it loaded: the rules alone.
    rules: Duration,
    /// The accounts' penalties computed as the batch computes them, not
    /// written: reading the accounts, the terms and the histories…
    penalty_reads: Duration,
    /// …and `ledger::penalty` of each.
    penalties: Duration,
}

/// Where the app's time goes without the server around it (HTTP, queue,
/// threads, commits): each house billed by one `billing::run_batch` of all
/// its apartments on this connection, one house after another, each in a
/// transaction rolled back (so the lines are written into an empty month as
/// the server writes them); `billing::load_batch` is timed once more
/// separately, for the share of reading.
fn time_batch_steps(conn: &mut PgConnection, period: Period) -> Steps {
    use kvartplata::billing::{self, BillingError};
    use kvartplata::db::models::{BillingRunId, HouseId};
    use kvartplata::db::queries;
    use kvartplata::domain::ledger;
    use kvartplata::domain::lines::{MonthTerms, bill};

    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let houses: Vec<Id> = diesel::sql_query("SELECT id FROM houses ORDER BY id")
        .load(conn)
        .expect("the houses");
    let batch = usize::try_from(apartments_per_house()).expect("a size");
    let mut steps = Steps {
        batches: houses.len(),
        total: Duration::ZERO,
        read: Duration::ZERO,
        rules: Duration::ZERO,
        penalty_reads: Duration::ZERO,
        penalties: Duration::ZERO,
    };
    for house in houses {
        let outcome = conn.transaction::<(), BillingError, _>(|conn| {
            let run: Id = diesel::sql_query(
                "INSERT INTO billing_runs (house_id, period, status, total, lease_owner, \
                                           lease_expires_at) \
                 VALUES ($1, $2, 'running', $3, 'bench', now() + interval '1 hour') \
                 RETURNING id",
            )
            .bind::<BigInt, _>(house.id)
            .bind::<Date, _>(period)
            .bind::<Integer, _>(apartments_per_house() as i32)
            .get_result(conn)?;
            let started = Instant::now();
            let facts = billing::load_batch(conn, HouseId(house.id), period, None, batch)?;
            steps.read += started.elapsed();
            let terms = MonthTerms {
                period,
                services: queries::houses::find(conn, HouseId(house.id))?.services,
                prices: billing::prices(conn, HouseId(house.id), period)?,
                water: billing::rates(conn, HouseId(house.id), period)?,
            };
            let started = Instant::now();
            for (_, apartment) in &facts {
                std::hint::black_box(bill(apartment, &terms).expect("priced"));
            }
            steps.rules += started.elapsed();
            let started = Instant::now();
            let ids: Vec<_> = facts.iter().map(|(id, _)| *id).collect();
            let accounts = queries::accounts::of_apartments(conn, &ids)?;
            let penalty_terms = queries::payments::penalty_terms(conn)?;
            let histories = queries::accounts::histories(conn, &accounts, period)?;
            steps.penalty_reads += started.elapsed();
            let started = Instant::now();
            for history in histories.values() {
                std::hint::black_box(ledger::penalty(history, period, &penalty_terms));
            }
            steps.penalties += started.elapsed();
            let started = Instant::now();
            let done = billing::run_batch(conn, BillingRunId(run.id), "bench", batch)?;
            steps.total += started.elapsed();
            assert_eq!(done.processed_now, batch);
            Err(diesel::result::Error::RollbackTransaction.into())
        });
        assert!(
            matches!(
                outcome,
                Err(BillingError::Db(diesel::result::Error::RollbackTransaction))
            ),
            "run_batch failed: {outcome:?}"
        );
    }
    steps
}

/// The set-based lines, kept in `bench_expected` for the comparison.
fn keep_expected_lines(conn: &mut PgConnection, period: Period) {
    diesel::sql_query(
        "CREATE TABLE bench_expected ( \
             house_id bigint, apartment_id bigint, period date, service text, \
             quantity numeric, unit text, unit_price numeric(12, 4), \
             amount numeric(14, 2), tariff_id bigint, tariff_valid_from date, \
             missing_reading boolean, method text, coefficient numeric, excess numeric)",
    )
    .execute(conn)
    .expect("create bench_expected");
    diesel::sql_query(format!(
        "INSERT INTO bench_expected SELECT * FROM ({}) l",
        with_rules(LINES)
    ))
    .bind::<Date, _>(period)
    .execute(conn)
    .expect("keep the set-based lines");
    diesel::sql_query(format!(
        "CREATE TABLE bench_expected_volumes AS SELECT {VOLUME_COMPARED} FROM ({}) v",
        with_rules(VOLUMES)
    ))
    .bind::<Date, _>(period)
    .execute(conn)
    .expect("keep the set-based volumes");
}

/// What billing through the server took.
struct AppRun {
    took: Duration,
    /// Until POST /api/v1/billing-runs answered.
    post: Duration,
    cpu: CpuUsed,
    rss_before_kb: u64,
    rss_peak_kb: u64,
    hwm_kb: u64,
}

/// The server process, killed when dropped (also after a panic).
struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// BILLING_WORKERS and BILLING_BATCH_SIZE for the server: 2 and 1,000
/// unless set in the bench's environment (to compare settings).
fn worker_settings() -> (String, String) {
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    (
        var("BILLING_WORKERS", "2"),
        var("BILLING_BATCH_SIZE", "1000"),
    )
}

/// A free port on 127.0.0.1 (free when asked; the server binds it next).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// `kvartplata serve` on `database_url`, built by cargo with this bench
/// (release for `cargo bench`), answering /healthz.
fn spawn_server(database_url: &str) -> (Server, String) {
    let addr = format!("127.0.0.1:{}", free_port());
    let (workers, batch) = worker_settings();
    let child = Command::new(env!("CARGO_BIN_EXE_kvartplata"))
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("BIND_ADDR", &addr)
        .env("BILLING_WORKERS", workers)
        .env("BILLING_BATCH_SIZE", batch)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn kvartplata serve");
    let server = Server { child };
    let base = format!("http://{addr}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(mut stream) = std::net::TcpStream::connect(&addr) {
            use std::io::Write as _;
            let request =
                format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
            if stream.write_all(request.as_bytes()).is_ok() {
                let mut status = String::new();
                if BufReader::new(stream).read_line(&mut status).is_ok()
                    && status.starts_with("HTTP/1.1 200")
                {
                    return (server, base);
                }
            }
        }
        assert!(
            Instant::now() < deadline,
            "kvartplata serve did not answer /healthz within 60 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// CPU time used so far, from /proc/<pid>/stat: the server process's (all
/// its threads) and that of the PostgreSQL backends serving the bench
/// database (the server's pool and the bench's own connection). (This
/// machine's /proc/stat does not count idle time, so the CPU used by others
/// cannot be told.)
struct Cpu {
    server: Option<u32>,
    server_ticks: u64,
    backend_ticks: HashMap<u32, u64>,
}

/// CPU seconds used between two readings.
struct CpuUsed {
    server: f64,
    postgres: f64,
}

impl Cpu {
    fn now(conn: &mut PgConnection, server: Option<u32>) -> Self {
        Self {
            server,
            server_ticks: server.map_or(0, process_ticks),
            backend_ticks: backends(conn)
                .into_iter()
                .map(|pid| (pid, process_ticks(pid)))
                .collect(),
        }
    }

    fn since(&self, conn: &mut PgConnection) -> CpuUsed {
        let tick = 1.0 / clock_ticks_per_second();
        let server = self.server.map_or(0, |pid| {
            process_ticks(pid).saturating_sub(self.server_ticks)
        }) as f64
            * tick;
        // Backends opened meanwhile started from 0; parallel workers that
        // came and went are missed.
        let postgres = backends(conn)
            .into_iter()
            .map(|pid| {
                let before = self.backend_ticks.get(&pid).copied().unwrap_or(0);
                process_ticks(pid).saturating_sub(before)
            })
            .sum::<u64>() as f64
            * tick;
        CpuUsed { server, postgres }
    }
}

#[derive(QueryableByName)]
struct Backend {
    #[diesel(sql_type = Integer)]
    pid: i32,
}

/// The process ids of the backends connected to the bench database.
fn backends(conn: &mut PgConnection) -> Vec<u32> {
    diesel::sql_query("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        .load::<Backend>(conn)
        .expect("the database's backends")
        .into_iter()
        .filter_map(|b| u32::try_from(b.pid).ok())
        .collect()
}

/// utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat).
fn process_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name may hold spaces: count fields after its ')'.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let at = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    at(11) + at(12)
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// A field of /proc/<pid>/status in kB (VmRSS, VmHWM).
fn proc_status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

#[derive(QueryableByName)]
struct Progress {
    #[diesel(sql_type = BigInt)]
    active: i64,
    #[diesel(sql_type = BigInt)]
    all: i64,
}

/// Starts every house's run through the API of a spawned server and waits
/// until none is queued or running, sampling the server's memory.
fn bill_through_server(database_url: &str, conn: &mut PgConnection, period: Period) -> AppRun {
    // The server refuses anonymous requests: an admin and a token first.
    let token = support::admin_token(database_url);
    let (server, base) = spawn_server(database_url);
    let pid = server.child.id();
    let rss_before_kb = proc_status_kb(pid, "VmRSS").expect("the server's VmRSS");
    let peak = Arc::new(AtomicU64::new(rss_before_kb));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, stop) = (Arc::clone(&peak), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Acquire) {
                if let Some(kb) = proc_status_kb(pid, "VmRSS") {
                    peak.fetch_max(kb, Ordering::AcqRel);
                }
                std::thread::sleep(POLL);
            }
        })
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let client = support::bearer_client(&token)
        .build()
        .expect("an HTTP client");

    let cpu = Cpu::now(conn, Some(pid));
    let started = Instant::now();
    let (status, answer) = runtime.block_on(async {
        let response = client
            .post(format!("{base}/api/v1/billing-runs"))
            .json(&serde_json::json!({ "period": period.to_string() }))
            .send()
            .await
            .expect("POST /api/v1/billing-runs");
        let status = response.status();
        (status, response.text().await.expect("the answer"))
    });
    let post = started.elapsed();
    assert_eq!(status, reqwest::StatusCode::ACCEPTED, "{answer}");
    let answer: serde_json::Value = serde_json::from_str(&answer).expect("JSON");
    let started_runs = answer["started"].as_array().map_or(0, Vec::len);
    assert_eq!(started_runs as i64, houses(), "{answer}");
    assert_eq!(answer["refused"], serde_json::json!([]), "{answer}");
    loop {
        let progress: Progress = diesel::sql_query(
            "SELECT count(*) FILTER (WHERE status IN ('queued', 'running')) AS active, \
                    count(*) AS all \
             FROM billing_runs WHERE period = $1",
        )
        .bind::<Date, _>(period)
        .get_result(conn)
        .expect("the runs' progress");
        if progress.active == 0 && progress.all == houses() {
            break;
        }
        assert!(started.elapsed() < TIMEOUT, "the runs did not finish");
        std::thread::sleep(POLL);
    }
    let took = started.elapsed();
    let cpu = cpu.since(conn);
    stop.store(true, Ordering::Release);
    sampler.join().expect("the RSS sampler");
    let hwm_kb = proc_status_kb(pid, "VmHWM").expect("the server's VmHWM");
    let rss_peak_kb = peak
        .load(Ordering::Acquire)
        .max(proc_status_kb(pid, "VmRSS").unwrap_or(0));
    drop(server);
    AppRun {
        took,
        post,
        cpu,
        rss_before_kb,
        rss_peak_kb,
        hwm_kb,
    }
}

#[derive(QueryableByName, Debug)]
struct RunRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Integer)]
    processed: i32,
    #[diesel(sql_type = Integer)]
    total: i32,
}

/// Every house's run completed, all its apartments processed.
fn check_runs(conn: &mut PgConnection, period: Period) {
    let runs: Vec<RunRow> = diesel::sql_query(
        "SELECT id, status, processed, total FROM billing_runs WHERE period = $1 ORDER BY id",
    )
    .bind::<Date, _>(period)
    .load(conn)
    .expect("the runs");
    assert_eq!(runs.len() as i64, houses());
    for run in &runs {
        assert_eq!(run.status, "completed", "{run:?}");
        assert_eq!(
            (run.processed, run.total),
            (apartments_per_house() as i32, apartments_per_house() as i32),
            "{run:?}"
        );
        assert!(run.id > 0);
    }
}

#[derive(QueryableByName)]
struct Sums {
    #[diesel(sql_type = Text)]
    line: String,
}

/// The app's lines against the set-based ones: per service, line by line,
/// and each line's run; returns the number of lines.
fn check_lines(conn: &mut PgConnection, period: Period) -> i64 {
    let per_service = |conn: &mut PgConnection, table: &str| -> Vec<String> {
        diesel::sql_query(format!(
            "SELECT service || ': ' || count(*) || ' lines, quantity ' \
                    || trim_scale(sum(quantity)) || ', amount ' || sum(amount) \
                    || ' (raised by K ' || trim_scale(sum(excess)) \
                    || '), missing ' || count(*) FILTER (WHERE missing_reading) \
                    || ', by method ' || string_agg(DISTINCT method, '/') AS line \
             FROM {table} WHERE period = $1 GROUP BY service ORDER BY service"
        ))
        .bind::<Date, _>(period)
        .load::<Sums>(conn)
        .expect("sums per service")
        .into_iter()
        .map(|s| s.line)
        .collect()
    };
    let app = per_service(conn, "charges");
    let expected = per_service(conn, "bench_expected");
    for line in &app {
        println!("  {line}");
    }
    assert_eq!(app, expected, "sums per service: app vs set-based");

    assert_same_rows(conn, period, COMPARED, "charges", "bench_expected");
    assert_same_rows(
        conn,
        period,
        VOLUME_COMPARED,
        "meter_volumes",
        "bench_expected_volumes",
    );
    let foreign = count(
        conn,
        &format!(
            "SELECT count(*) AS n FROM charges c \
             JOIN apartments a ON a.id = c.apartment_id \
             JOIN billing_runs r ON r.id = c.run_id \
             WHERE c.period = '{}' AND (r.house_id <> a.house_id OR r.period <> c.period)",
            period.first_day()
        ),
    );
    assert_eq!(foreign, 0, "lines written under another house's run");
    count(
        conn,
        &format!(
            "SELECT count(*) AS n FROM charges WHERE period = '{}'",
            period.first_day()
        ),
    )
}

/// The month's rows of `a` and `b` are the same on `columns`, duplicates
/// counted (EXCEPT ALL both ways); else the first few that differ.
fn assert_same_rows(conn: &mut PgConnection, period: Period, columns: &str, a: &str, b: &str) {
    for (from, minus) in [(a, b), (b, a)] {
        let differ: Vec<Sums> = diesel::sql_query(format!(
            "SELECT row_to_json(d)::text AS line FROM ( \
                 SELECT {columns} FROM {from} WHERE period = $1 \
                 EXCEPT ALL \
                 SELECT {columns} FROM {minus} WHERE period = $1) d \
             ORDER BY 1 LIMIT 5"
        ))
        .bind::<Date, _>(period)
        .load(conn)
        .expect("compare the rows");
        assert!(
            differ.is_empty(),
            "rows in {from} but not in {minus}:\n{}",
            differ
                .iter()
                .map(|s| s.line.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// What the penalties of the billed month came to.
struct PenaltiesFound {
    /// Accounts charged a penalty.
    charged: usize,
    sum: Decimal,
    /// Accounts that paid nothing and opened at no balance, whose penalties
    /// were also compared with the set-based formula.
    by_formula: usize,
}

#[derive(QueryableByName)]
struct AccountRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Date)]
    opening_period: Period,
    #[diesel(sql_type = Numeric)]
    opening_balance: Decimal,
}

#[derive(QueryableByName)]
struct AccountMonth {
    #[diesel(sql_type = BigInt)]
    account_id: i64,
    #[diesel(sql_type = Date)]
    period: Period,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
}

#[derive(QueryableByName)]
struct AccountDay {
    #[diesel(sql_type = BigInt)]
    account_id: i64,
    #[diesel(sql_type = Date)]
    paid_on: NaiveDate,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
}

#[derive(QueryableByName)]
struct AccountAmount {
    #[diesel(sql_type = BigInt)]
    account_id: i64,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
}

#[derive(QueryableByName)]
struct DayRate {
    #[diesel(sql_type = Date)]
    valid_from: NaiveDate,
    #[diesel(sql_type = Date)]
    valid_to: NaiveDate,
    #[diesel(sql_type = Numeric)]
    rate: Decimal,
}

#[derive(QueryableByName)]
struct DueDay {
    #[diesel(sql_type = Date)]
    valid_from: Period,
    #[diesel(sql_type = Integer)]
    day: i32,
}

/// The month's penalties as the app wrote them against the rules: each
/// account's equal to `domain::ledger::penalty` of its history, read here
/// by the bench's own statements (so the app's reading of the ledgers in
/// batches is what is checked), none where that is zero; and for the
/// accounts that paid nothing on no opening balance, equal to the penalty
/// formula (DESIGN "Penalties") written as set-based SQL. Each penalty is
/// filed under its house's run of the month.
fn check_penalties(conn: &mut PgConnection, period: Period) -> PenaltiesFound {
    use kvartplata::domain::ledger::{self, History, Payment, PenaltyCap, PenaltyTerms};

    let stored: HashMap<i64, Decimal> =
        diesel::sql_query("SELECT account_id, amount FROM penalties WHERE period = $1")
            .bind::<Date, _>(period)
            .load::<AccountAmount>(conn)
            .expect("the month's penalties")
            .into_iter()
            .map(|p| (p.account_id, p.amount))
            .collect();
    assert!(!stored.is_empty(), "no account was charged a penalty");
    let misfiled = count(
        conn,
        &format!(
            "SELECT count(*) AS n FROM penalties p \
             JOIN accounts c ON c.id = p.account_id \
             JOIN apartments a ON a.id = c.apartment_id \
             JOIN billing_runs r ON r.id = p.run_id \
             WHERE p.period = '{}' AND (r.house_id <> a.house_id OR r.period <> p.period)",
            period.first_day()
        ),
    );
    assert_eq!(misfiled, 0, "penalties filed under another house's run");

    let accounts: Vec<AccountRow> =
        diesel::sql_query("SELECT id, opening_period, opening_balance FROM accounts")
            .load(conn)
            .expect("the accounts");
    let mut histories: HashMap<i64, History> = accounts
        .iter()
        .map(|a| {
            let history = History {
                opening_period: a.opening_period,
                opening_balance: a.opening_balance,
                charges: Vec::new(),
                penalties: Vec::new(),
                payments: Vec::new(),
            };
            (a.id, history)
        })
        .collect();
    let months: Vec<AccountMonth> = diesel::sql_query(
        "SELECT c.id AS account_id, ch.period, sum(ch.amount) AS amount \
         FROM accounts c JOIN charges ch ON ch.apartment_id = c.apartment_id \
         WHERE ch.period < $1 GROUP BY c.id, ch.period",
    )
    .bind::<Date, _>(period)
    .load(conn)
    .expect("the accounts' months");
    for m in months {
        let history = histories.get_mut(&m.account_id).expect("an account");
        history.charges.push((m.period, m.amount));
    }
    let paid: Vec<AccountDay> = diesel::sql_query(
        "SELECT account_id, paid_on, amount FROM payments \
         WHERE account_id IS NOT NULL AND deleted_at IS NULL \
           AND paid_on < $1::date + interval '1 month' \
         ORDER BY account_id, paid_on, id",
    )
    .bind::<Date, _>(period)
    .load(conn)
    .expect("the accounts' payments");
    for p in paid {
        let history = histories.get_mut(&p.account_id).expect("an account");
        history.payments.push(Payment {
            paid_on: p.paid_on,
            amount: p.amount,
        });
    }
    let rates: Vec<DayRate> = diesel::sql_query(
        "SELECT valid_from, valid_from AS valid_to, rate FROM key_rates ORDER BY valid_from",
    )
    .load(conn)
    .expect("the key rates");
    let caps: Vec<DayRate> = diesel::sql_query(
        "SELECT valid_from, valid_to, rate FROM penalty_caps ORDER BY valid_from",
    )
    .load(conn)
    .expect("the caps");
    let due_days: Vec<DueDay> =
        diesel::sql_query("SELECT valid_from, day FROM due_days ORDER BY valid_from")
            .load(conn)
            .expect("the due days");
    let terms = PenaltyTerms {
        key_rates: rates.iter().map(|k| (k.valid_from, k.rate)).collect(),
        caps: caps
            .iter()
            .map(|c| PenaltyCap {
                from: c.valid_from,
                to: c.valid_to,
                rate: c.rate,
            })
            .collect(),
        due_days: due_days
            .iter()
            .map(|d| (d.valid_from, u32::try_from(d.day).expect("a day")))
            .collect(),
    };
    let expected: HashMap<i64, Decimal> = histories
        .iter()
        .filter_map(|(&id, history)| {
            let amount = ledger::penalty(history, period, &terms).amount;
            (!amount.is_zero()).then_some((id, amount))
        })
        .collect();
    assert_same_penalties(
        &stored,
        &expected,
        |_| true,
        "ledger::penalty of each history",
    );

    // Debts unpaid all month: Σ over the days of P and the months Q of
    // principal(Q) × the capped key rate / 100 × 1/300 (days 31–90 after
    // Q's due day) or 1/130 (from day 91), rounded once.
    let formula: Vec<AccountAmount> = diesel::sql_query(
        "WITH debt AS ( \
             SELECT c.id AS account_id, sum(ch.amount) AS principal, \
                    (ch.period + interval '1 month')::date \
                    + (SELECT d.day FROM due_days d WHERE d.valid_from <= ch.period \
                       ORDER BY d.valid_from DESC LIMIT 1) - 1 AS due \
             FROM accounts c \
             JOIN charges ch ON ch.apartment_id = c.apartment_id \
                            AND ch.period >= c.opening_period AND ch.period < $1 \
             WHERE c.opening_balance = 0 \
               AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.account_id = c.id) \
             GROUP BY c.id, ch.period \
         ), day AS ( \
             SELECT g.t::date AS d, \
                    least((SELECT k.rate FROM key_rates k WHERE k.valid_from <= g.t::date \
                           ORDER BY k.valid_from DESC LIMIT 1), \
                          (SELECT min(p.rate) FROM penalty_caps p \
                           WHERE g.t::date BETWEEN p.valid_from AND p.valid_to)) AS rate \
             FROM generate_series($1::date, $1::date + interval '1 month' - interval '1 day', \
                                  interval '1 day') AS g (t) \
         ) \
         SELECT account_id, \
                COALESCE(round(sum(CASE WHEN day.d - debt.due BETWEEN 31 AND 90 \
                                        THEN debt.principal * day.rate / 30000 \
                                        WHEN day.d - debt.due >= 91 \
                                        THEN debt.principal * day.rate / 13000 \
                                        ELSE 0 END), 2), 0) AS amount \
         FROM debt CROSS JOIN day GROUP BY account_id",
    )
    .bind::<Date, _>(period)
    .load(conn)
    .expect("the non-payers' penalties by the formula");
    assert!(!formula.is_empty(), "no account paid nothing");
    let non_payers: std::collections::HashSet<i64> = formula.iter().map(|f| f.account_id).collect();
    let by_formula: HashMap<i64, Decimal> = formula
        .into_iter()
        .filter(|f| !f.amount.is_zero())
        .map(|f| (f.account_id, f.amount))
        .collect();
    assert!(!by_formula.is_empty(), "the non-payers owe no penalty");
    assert_same_penalties(
        &stored,
        &by_formula,
        |id| non_payers.contains(&id),
        "the set-based formula of debts unpaid",
    );
    PenaltiesFound {
        charged: stored.len(),
        sum: stored.values().sum(),
        by_formula: non_payers.len(),
    }
}

/// The stored penalties of the accounts `checked` takes equal `expected`
/// (an account missing from either is charged none); else the first few
/// that differ.
fn assert_same_penalties(
    stored: &HashMap<i64, Decimal>,
    expected: &HashMap<i64, Decimal>,
    checked: impl Fn(i64) -> bool,
    what: &str,
) {
    let mut differ: Vec<(i64, Option<Decimal>, Option<Decimal>)> = stored
        .keys()
        .chain(expected.keys())
        .copied()
        .filter(|&id| checked(id))
        .collect::<std::collections::BTreeSet<i64>>()
        .into_iter()
        .map(|id| (id, stored.get(&id).copied(), expected.get(&id).copied()))
        .filter(|(_, app, rules)| app != rules)
        .collect();
    let total = differ.len();
    differ.truncate(5);
    assert!(
        differ.is_empty(),
        "{total} accounts' penalties differ from {what} (account, app, expected): {differ:?}"
    );
}
