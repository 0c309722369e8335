//! The billing workers as real `kvartplata serve` processes sharing one
//! database (docs/billing.md, "Background billing"): killed with SIGKILL mid-run and
//! restarted on the same or another port, two processes sharing the queue,
//! a run started in-process, a graceful stop handing its run back.
//!
//! Runs are started with `billing::start` on a direct connection (the API is
//! tested elsewhere); idle workers find them within their 1 s poll.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitStatus;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamptz};
use kvartplata::billing;
use kvartplata::db::models::{BillingRunId, HouseId};
use kvartplata::domain::{MeterKind, Period, Service};
use rust_decimal_macros::dec;

use crate::helpers::app::{eventually, free_port, free_ports, spawn_app};
use crate::helpers::db::TestDb;
use crate::helpers::fixtures::{HouseBuilder, TariffBuilder, add_normative};
use crate::helpers::proxy::DbProxy;
use crate::helpers::server::ServeProcess;

/// The month billed; the one before holds the previous readings.
const MONTH: &str = "2026-10";

fn month() -> Period {
    MONTH.parse().unwrap()
}

/// Default tariffs for every service, with a cold water price change in the
/// billed month (the new one applies), and normatives for both waters.
fn seed_tariffs(conn: &mut PgConnection) {
    let january: Period = "2026-01".parse().unwrap();
    for (service, price, from) in [
        (Service::ColdWater, dec!(42.30), january),
        (Service::ColdWater, dec!(45.17), month()),
        (Service::HotWater, dec!(214.76), january),
        (Service::Sewerage, dec!(30.90), january),
        (Service::Maintenance, dec!(24.50), january),
    ] {
        TariffBuilder::new(service, price, from).insert(&mut *conn);
    }
    add_normative(&mut *conn, MeterKind::ColdWater, dec!(3.16), january);
    add_normative(&mut *conn, MeterKind::HotWater, dec!(2.5), january);
}

/// A house of `apartments` apartments numbered 1.., with varied areas. Every
/// 50th has no meters; the others have a cold and a hot meter read in
/// September and October, except every 13th meter, unread in October (a
/// missing reading).
fn seed_house(conn: &mut PgConnection, address: &str, apartments: i32) -> HouseId {
    let house = HouseBuilder::new(address).insert(&mut *conn).id();
    // The rest set-based: thousands of apartments in a moment, their meters
    // and readings drawn from their ids.
    diesel::sql_query(
        "INSERT INTO apartments (house_id, number, area) \
         SELECT $1, g::text, 30 + g % 70 + (g % 100) / 100.0 FROM generate_series(1, $2) g",
    )
    .bind::<BigInt, _>(house)
    .bind::<Integer, _>(apartments)
    .execute(conn)
    .unwrap();
    diesel::sql_query(
        "INSERT INTO meters (apartment_id, serial, kind, initial_reading) \
         SELECT a.id, k.prefix || a.id, k.kind, a.id % 9 \
         FROM apartments a CROSS JOIN (VALUES ('C-', 'cold_water'), ('H-', 'hot_water')) \
              AS k(prefix, kind) \
         WHERE a.house_id = $1 AND a.number::int % 50 <> 0",
    )
    .bind::<BigInt, _>(house)
    .execute(conn)
    .unwrap();
    diesel::sql_query(
        "INSERT INTO readings (meter_id, period, value, source) \
         SELECT m.id, '2026-09-01', m.initial_reading + (m.id % 11) * 1.25, 'csv' \
         FROM meters m JOIN apartments a ON a.id = m.apartment_id WHERE a.house_id = $1",
    )
    .bind::<BigInt, _>(house)
    .execute(conn)
    .unwrap();
    diesel::sql_query(
        "INSERT INTO readings (meter_id, period, value, source) \
         SELECT r.meter_id, '2026-10-01', r.value + (r.meter_id % 7) * 0.333 + 0.5, 'csv' \
         FROM readings r JOIN meters m ON m.id = r.meter_id \
              JOIN apartments a ON a.id = m.apartment_id \
         WHERE a.house_id = $1 AND r.period = '2026-09-01' AND r.meter_id % 13 <> 0",
    )
    .bind::<BigInt, _>(house)
    .execute(conn)
    .unwrap();
    house
}

/// Lines a house seeded with `apartments` apartments gets: each of the four
/// services for each (water by the normative where it has no meters).
fn expected_lines(apartments: i64) -> i64 {
    4 * apartments
}

fn start_run(conn: &mut PgConnection, house: HouseId) -> BillingRunId {
    billing::start(conn, house, month(), Period::current())
        .unwrap()
        .id
}

/// How a server process bills.
#[derive(Clone, Copy)]
struct Workers {
    threads: u32,
    batch: u32,
    lease_secs: u32,
}

/// A `kvartplata serve` process billing with `Workers`.
struct Server(ServeProcess);

impl std::ops::Deref for Server {
    type Target = ServeProcess;
    fn deref(&self) -> &ServeProcess {
        &self.0
    }
}

impl std::ops::DerefMut for Server {
    fn deref_mut(&mut self) -> &mut ServeProcess {
        &mut self.0
    }
}

/// Lets the tests read the servers' /metrics.
const METRICS_TOKEN: &str = "billing-workers-metrics";

impl Server {
    fn start(db: &TestDb, port: u16, workers: Workers) -> Self {
        Self::start_at(&db.url, port, workers)
    }

    /// A server reaching its database through `database_url`.
    fn start_at(database_url: &str, port: u16, workers: Workers) -> Self {
        let (threads, batch, lease) = (
            workers.threads.to_string(),
            workers.batch.to_string(),
            workers.lease_secs.to_string(),
        );
        Server(ServeProcess::start(
            database_url,
            port,
            &[
                ("BILLING_WORKERS", Some(&threads)),
                ("BILLING_BATCH_SIZE", Some(&batch)),
                ("BILLING_LEASE_SECS", Some(&lease)),
                ("DB_POOL_SIZE", Some("4")),
                ("RUST_LOG", Some("info")),
                ("METRICS_TOKEN", Some(METRICS_TOKEN)),
            ],
        ))
    }

    /// Waits until the server answers HTTP: its workers are up (they poll
    /// the queue every second) and so is its SIGTERM handler, installed
    /// with the HTTP server after the workers start.
    fn wait_ready(&mut self) {
        self.0.wait_ready(Duration::from_secs(20));
        assert!(self.log().contains("billing worker(s) started as"));
    }

    /// The value of the metric `name` (without labels) that /metrics shows.
    fn metric(&self, name: &str) -> Option<f64> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let request = format!(
            "GET /metrics HTTP/1.0\r\nHost: localhost\r\nAuthorization: Bearer {METRICS_TOKEN}\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.0 200"), "{response}");
        response.lines().find_map(|line| {
            let (metric, value) = line.split_once(' ')?;
            (metric == name).then(|| value.parse().unwrap())
        })
    }

    /// SIGTERM, then waits for the process to exit by itself.
    fn terminate(&mut self, timeout: Duration) -> ExitStatus {
        self.signal_term();
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.exited() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "still running {timeout:?} after SIGTERM:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The ids of the runs this process logged as finished.
    fn finished_runs(&self) -> Vec<i64> {
        self.log()
            .lines()
            .filter_map(|line| {
                let rest = &line[line.find("billing run ")? + "billing run ".len()..];
                rest.strip_suffix(" finished")?.parse().ok()
            })
            .collect()
    }
}

/// A run's progress next to what is saved, read in one statement (one
/// snapshot), so the two can be compared at any moment.
#[derive(Debug, Clone, QueryableByName)]
struct Progress {
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Integer)]
    processed: i32,
    #[diesel(sql_type = Integer)]
    total: i32,
    #[diesel(sql_type = Nullable<BigInt>)]
    cursor: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    lease_owner: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    lease_expires_at: Option<DateTime<Utc>>,
    /// The database's clock at this snapshot.
    #[diesel(sql_type = Timestamptz)]
    now: DateTime<Utc>,
    /// Apartments that have lines of this run.
    #[diesel(sql_type = BigInt)]
    billed: i64,
    /// The last of them.
    #[diesel(sql_type = Nullable<BigInt>)]
    last_billed: Option<i64>,
    #[diesel(sql_type = Text)]
    amount: String,
    /// The sum of the run's lines.
    #[diesel(sql_type = Text)]
    lines_amount: String,
}

impl Progress {
    /// Progress never claims unsaved work, and saved work is all claimed:
    /// the processed apartments are exactly those with lines, up to the
    /// cursor, and the run's amount is their sum.
    fn assert_consistent(&self) {
        assert_eq!(
            i64::from(self.processed),
            self.billed,
            "processed vs apartments with lines: {self:?}"
        );
        assert_eq!(self.cursor, self.last_billed, "cursor: {self:?}");
        assert_eq!(self.amount, self.lines_amount, "amount: {self:?}");
        assert_ne!(self.status, "failed", "{self:?}");
    }
}

fn progress(conn: &mut PgConnection, run: BillingRunId) -> Progress {
    diesel::sql_query(
        "SELECT r.status, r.processed, r.total, r.cursor, r.lease_owner, r.lease_expires_at, \
                now() AS now, r.amount::text AS amount, \
                count(DISTINCT c.apartment_id) AS billed, max(c.apartment_id) AS last_billed, \
                COALESCE(sum(c.amount), 0)::numeric(14, 2)::text AS lines_amount \
         FROM billing_runs r LEFT JOIN charges c ON c.run_id = r.id \
         WHERE r.id = $1 GROUP BY r.id",
    )
    .bind::<BigInt, _>(run)
    .get_result(conn)
    .unwrap()
}

/// Samples the run every 25 ms until `until` holds, checking at every
/// sample that progress matches what is saved; returns that sample.
fn watch(
    conn: &mut PgConnection,
    run: BillingRunId,
    timeout: Duration,
    mut until: impl FnMut(&Progress) -> bool,
) -> Progress {
    let deadline = Instant::now() + timeout;
    loop {
        let now = progress(conn, run);
        now.assert_consistent();
        if until(&now) {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "run {run} not there after {timeout:?}: {now:?}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Waits until PostgreSQL has seen off every session but ours: a killed
/// process's last COMMIT, if sent, is then visible, and its open
/// transaction rolled back.
fn wait_disconnected(conn: &mut PgConnection) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let others = diesel::sql_query(
            "SELECT count(*) AS n FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid() \
             AND backend_type = 'client backend'",
        )
        .get_result::<Count>(conn)
        .unwrap()
        .n;
        if others == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{others} sessions stay connected"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A stored line without what differs between runs (id, run_id, created_at).
#[derive(Debug, PartialEq, QueryableByName)]
struct Line {
    #[diesel(sql_type = BigInt)]
    apartment_id: i64,
    #[diesel(sql_type = Text)]
    service: String,
    #[diesel(sql_type = Text)]
    quantity: String,
    #[diesel(sql_type = Text)]
    unit: String,
    #[diesel(sql_type = Text)]
    unit_price: String,
    #[diesel(sql_type = Text)]
    amount: String,
    #[diesel(sql_type = BigInt)]
    tariff_id: i64,
    #[diesel(sql_type = Text)]
    tariff_valid_from: String,
    #[diesel(sql_type = Bool)]
    missing_reading: bool,
    #[diesel(sql_type = Text)]
    explanation: String,
}

fn house_lines(conn: &mut PgConnection, house: HouseId) -> Vec<Line> {
    diesel::sql_query(
        "SELECT c.apartment_id, c.service, c.quantity::text AS quantity, c.unit, \
                c.unit_price::text AS unit_price, c.amount::text AS amount, c.tariff_id, \
                c.tariff_valid_from::text AS tariff_valid_from, c.missing_reading, \
                c.explanation::text AS explanation \
         FROM charges c JOIN apartments a ON a.id = c.apartment_id \
         WHERE a.house_id = $1 AND c.period = '2026-10-01' \
         ORDER BY c.apartment_id, c.service",
    )
    .bind::<BigInt, _>(house)
    .load(conn)
    .unwrap()
}

/// Compares thousands of lines, naming the first difference only.
fn assert_same_lines(actual: &[Line], expected: &[Line]) {
    if let Some((a, e)) = actual.iter().zip(expected).find(|(a, e)| a != e) {
        panic!("lines differ:\n  got      {a:?}\n  expected {e:?}");
    }
    assert_eq!(actual.len(), expected.len(), "number of lines");
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut PgConnection, sql: &str, id: i64) -> i64 {
    diesel::sql_query(sql)
        .bind::<BigInt, _>(id)
        .get_result::<Count>(conn)
        .unwrap()
        .n
}

/// A completed run of a house: every apartment billed exactly once by this
/// run (a maintenance line each, no service twice, every line of the house
/// and month this run's), and progress saying so.
fn assert_house_billed(
    conn: &mut PgConnection,
    house: HouseId,
    run: BillingRunId,
    apartments: i64,
) -> Progress {
    let done = progress(conn, run);
    done.assert_consistent();
    assert_eq!(done.status, "completed", "{done:?}");
    assert_eq!(i64::from(done.processed), apartments, "{done:?}");
    assert_eq!(i64::from(done.total), apartments, "{done:?}");
    assert_eq!(done.lease_owner, None);
    let no_maintenance = count(
        conn,
        "SELECT count(*) AS n FROM apartments a WHERE a.house_id = $1 AND NOT EXISTS ( \
             SELECT 1 FROM charges c WHERE c.apartment_id = a.id \
               AND c.period = '2026-10-01' AND c.service = 'maintenance')",
        house.0,
    );
    assert_eq!(no_maintenance, 0, "apartments left without a line (gaps)");
    let twice = count(
        conn,
        "SELECT count(*) AS n FROM (SELECT 1 FROM charges c \
             JOIN apartments a ON a.id = c.apartment_id \
             WHERE a.house_id = $1 AND c.period = '2026-10-01' \
             GROUP BY c.apartment_id, c.service HAVING count(*) > 1) AS d",
        house.0,
    );
    assert_eq!(twice, 0, "a service billed twice to one apartment");
    let others = count(
        conn,
        "SELECT count(*) AS n FROM charges c JOIN apartments a ON a.id = c.apartment_id \
         JOIN billing_runs r ON r.house_id = a.house_id AND r.period = c.period \
         WHERE r.id = $1 AND c.run_id <> r.id",
        run.0,
    );
    assert_eq!(others, 0, "lines of the house and month from another run");
    let lines = count(
        conn,
        "SELECT count(*) AS n FROM charges WHERE run_id = $1",
        run.0,
    );
    assert_eq!(lines, expected_lines(apartments));
    done
}

/// Each saved line of the run's apartments up to `cursor` with its row
/// version: unchanged versions mean the lines were never written again.
fn saved_versions(conn: &mut PgConnection, run: BillingRunId, cursor: i64) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Version {
        #[diesel(sql_type = Text)]
        v: String,
    }
    diesel::sql_query(
        "SELECT c.id || ':' || c.xmin::text AS v FROM charges c \
         WHERE c.run_id = $1 AND c.apartment_id <= $2 ORDER BY c.id",
    )
    .bind::<BigInt, _>(run)
    .bind::<BigInt, _>(cursor)
    .load::<Version>(conn)
    .unwrap()
    .into_iter()
    .map(|v| v.v)
    .collect()
}

/// 3,000 apartments, 5,880 meters: a large house.
const BIG_HOUSE: i32 = 3_000;

/// Kills the only server with SIGKILL mid-run and starts another, on the
/// same port (`lease_secs` long, so resuming at once is told apart from
/// waiting for the lease) or on another one (which must wait for the lease).
fn killed_mid_run_then_restarted(same_port: bool, lease_secs: u32) {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    seed_tariffs(conn);
    let house = seed_house(conn, "Big house", BIG_HOUSE);
    let workers = Workers {
        threads: 1,
        batch: 50,
        lease_secs,
    };
    let [port, other_port] = free_ports();
    let mut first = Server::start(&db, port, workers);
    let run = start_run(conn, house);

    let began = Instant::now();
    let mid = watch(conn, run, Duration::from_secs(30), |p| p.processed >= 200);
    first.kill();
    wait_disconnected(conn);
    let killed = progress(conn, run);
    eprintln!(
        "killed at {}/{} after {:?} (seen at {})",
        killed.processed,
        killed.total,
        began.elapsed(),
        mid.processed
    );
    killed.assert_consistent();
    assert_eq!(killed.status, "running");
    assert!(
        0 < killed.processed && killed.processed < killed.total,
        "not mid-run: {killed:?}"
    );
    let dead = killed.lease_owner.clone().expect("the dead worker's lease");
    let dead_until = killed.lease_expires_at.expect("its expiry");
    let saved = saved_versions(conn, run, killed.cursor.unwrap());
    assert_eq!(saved.len() as i64, expected_lines(killed.billed));

    let restarted = Instant::now();
    let second_port = if same_port { port } else { other_port };
    let second = Server::start(&db, second_port, workers);
    let resumed = watch(conn, run, Duration::from_secs(20), |p| {
        p.processed > killed.processed || p.lease_owner.as_deref().is_some_and(|o| o != dead)
    });
    eprintln!(
        "resumed {:?} after the restart, {}s before the dead lease's expiry",
        restarted.elapsed(),
        (dead_until - resumed.now).num_milliseconds() as f64 / 1000.0
    );
    if same_port {
        assert!(
            resumed.now < dead_until,
            "resumed at once, not after the lease: {resumed:?}"
        );
    } else {
        assert!(
            resumed.now > dead_until,
            "taken from a live-looking lease: {resumed:?}"
        );
    }
    watch(conn, run, Duration::from_secs(40), |p| {
        p.status == "completed"
    });
    eprintln!("completed {:?} after the restart", restarted.elapsed());
    let done = assert_house_billed(conn, house, run, BIG_HOUSE.into());
    assert_eq!(
        saved_versions(conn, run, killed.cursor.unwrap()),
        saved,
        "lines saved before the kill were written again"
    );
    let log = second.log();
    assert!(
        log.contains(&format!(
            "billing run {run} (house {house}, {MONTH}) from {}/{}",
            killed.processed, killed.total
        )),
        "resumed from the cursor:\n{log}"
    );
    assert_eq!(
        log.contains("resuming 1 billing run(s) of an earlier process"),
        same_port
    );
    // A run released by its owner's successor is not an expired lease.
    assert_eq!(
        second.metric("kvartplata_billing_expired_leases_taken_over_total"),
        Some(if same_port { 0.0 } else { 1.0 })
    );
    let interrupted = house_lines(conn, house);

    // The same month billed again without interruption gives the same lines.
    let again = start_run(conn, house);
    watch(conn, again, Duration::from_secs(40), |p| {
        p.status == "completed"
    });
    let uninterrupted = assert_house_billed(conn, house, again, BIG_HOUSE.into());
    assert_same_lines(&interrupted, &house_lines(conn, house));
    assert_eq!(uninterrupted.amount, done.amount);
    eprintln!("billed again {:?} after the restart", restarted.elapsed());
}

#[test]
fn a_run_killed_mid_way_resumes_at_once_on_restart_at_the_same_address() {
    killed_mid_run_then_restarted(true, 60);
}

#[test]
fn a_run_killed_mid_way_resumes_elsewhere_once_its_lease_expires() {
    killed_mid_run_then_restarted(false, 2);
}

/// Where a house's lines of the month stand around a cursor while a second
/// run replaces them: every count should be 0.
#[derive(Debug, PartialEq, QueryableByName)]
struct Replacing {
    /// lines up to the cursor still of the earlier run
    #[diesel(sql_type = BigInt)]
    stale_before: i64,
    /// lines after the cursor already of the new run
    #[diesel(sql_type = BigInt)]
    replaced_after: i64,
    /// maintenance lines up to the cursor not at the new price
    #[diesel(sql_type = BigInt)]
    old_price_before: i64,
    /// maintenance lines after the cursor at the new price
    #[diesel(sql_type = BigInt)]
    new_price_after: i64,
}

fn replacing(
    conn: &mut PgConnection,
    house: HouseId,
    cursor: i64,
    run: BillingRunId,
    new_price: i64,
) -> Replacing {
    diesel::sql_query(
        "SELECT count(*) FILTER (WHERE c.apartment_id <= $2 AND c.run_id <> $3) AS stale_before, \
                count(*) FILTER (WHERE c.apartment_id > $2 AND c.run_id = $3) AS replaced_after, \
                count(*) FILTER (WHERE c.service = 'maintenance' AND c.apartment_id <= $2 \
                                   AND c.tariff_id <> $4) AS old_price_before, \
                count(*) FILTER (WHERE c.service = 'maintenance' AND c.apartment_id > $2 \
                                   AND c.tariff_id = $4) AS new_price_after \
         FROM charges c JOIN apartments a ON a.id = c.apartment_id \
         WHERE a.house_id = $1 AND c.period = '2026-10-01'",
    )
    .bind::<BigInt, _>(house)
    .bind::<BigInt, _>(cursor)
    .bind::<BigInt, _>(run)
    .bind::<BigInt, _>(new_price)
    .get_result(conn)
    .unwrap()
}

#[test]
fn billing_a_month_again_killed_mid_way_replaces_every_line_once() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    seed_tariffs(conn);
    let house = seed_house(conn, "Big house", BIG_HOUSE);
    let workers = Workers {
        threads: 1,
        batch: 50,
        lease_secs: 60,
    };
    let [port] = free_ports();
    let mut first = Server::start(&db, port, workers);
    let billed = start_run(conn, house);
    watch(conn, billed, Duration::from_secs(30), |p| {
        p.status == "completed"
    });
    let before = assert_house_billed(conn, house, billed, BIG_HOUSE.into());

    // The house gets its own maintenance price for the month, so billing it
    // again changes every apartment's maintenance line.
    let own = TariffBuilder::new(Service::Maintenance, dec!(26.00), month())
        .for_house(house)
        .insert(&mut *conn)
        .id
        .0;
    let again = start_run(conn, house);
    watch(conn, again, Duration::from_secs(30), |p| p.processed >= 200);
    first.kill();
    wait_disconnected(conn);
    let killed = progress(conn, again);
    killed.assert_consistent();
    assert!(
        0 < killed.processed && killed.processed < killed.total,
        "not mid-run: {killed:?}"
    );
    // Up to the cursor the new run's lines at the new price; after it the
    // first run's, untouched; nothing lost on the way.
    let cursor = killed.cursor.unwrap();
    assert_eq!(
        replacing(conn, house, cursor, again, own),
        Replacing {
            stale_before: 0,
            replaced_after: 0,
            old_price_before: 0,
            new_price_after: 0
        }
    );
    assert_eq!(
        house_lines(conn, house).len() as i64,
        expected_lines(BIG_HOUSE.into())
    );

    let _second = Server::start(&db, port, workers);
    watch(conn, again, Duration::from_secs(40), |p| {
        p.status == "completed"
    });
    let done = assert_house_billed(conn, house, again, BIG_HOUSE.into());
    assert_eq!(
        replacing(conn, house, i64::MAX, again, own),
        Replacing {
            stale_before: 0,
            replaced_after: 0,
            old_price_before: 0,
            new_price_after: 0
        }
    );
    assert_ne!(done.amount, before.amount, "the new price counts");
    let resumed = house_lines(conn, house);

    let third = start_run(conn, house);
    watch(conn, third, Duration::from_secs(40), |p| {
        p.status == "completed"
    });
    let uninterrupted = assert_house_billed(conn, house, third, BIG_HOUSE.into());
    assert_same_lines(&resumed, &house_lines(conn, house));
    assert_eq!(uninterrupted.amount, done.amount);
}

#[test]
fn two_processes_bill_twenty_houses_at_once_each_apartment_once() {
    const HOUSES: usize = 20;
    const APARTMENTS: i32 = 400;
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    seed_tariffs(conn);
    let houses: Vec<HouseId> = (1..=HOUSES)
        .map(|i| seed_house(conn, &format!("House {i}"), APARTMENTS))
        .collect();
    // One house pays its own hot water price.
    let own_hot = TariffBuilder::new(Service::HotWater, dec!(199.99), "2026-01".parse().unwrap())
        .for_house(houses[2])
        .insert(&mut *conn)
        .id;

    let workers = Workers {
        threads: 2,
        batch: 25,
        lease_secs: 15,
    };
    let [port_a, port_b] = free_ports();
    let mut a = Server::start(&db, port_a, workers);
    let mut b = Server::start(&db, port_b, workers);
    a.wait_ready();
    b.wait_ready();

    let began = Instant::now();
    let all = billing::start_all(conn, month(), Period::current()).unwrap();
    assert!(all.refused.is_empty(), "{:?}", all.refused);
    let runs: BTreeMap<HouseId, BillingRunId> =
        all.started.iter().map(|r| (r.house_id, r.id)).collect();
    assert_eq!(runs.len(), HOUSES);

    let deadline = Instant::now() + Duration::from_secs(50);
    loop {
        let mut active = 0;
        for &run in runs.values() {
            let now = progress(conn, run);
            now.assert_consistent();
            active += usize::from(now.status != "completed");
        }
        if active == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{active} runs still active");
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!(
        "{HOUSES} houses billed by two processes in {:?}",
        began.elapsed()
    );

    for (&house, &run) in &runs {
        assert_house_billed(conn, house, run, APARTMENTS.into());
    }
    let not_own = count(
        conn,
        "SELECT count(*) AS n FROM charges c JOIN apartments a ON a.id = c.apartment_id \
         WHERE a.house_id = $1 AND c.service = 'hot_water' AND c.tariff_id <> \
               (SELECT id FROM tariffs WHERE house_id = $1)",
        houses[2].0,
    );
    assert_eq!(
        not_own, 0,
        "house 3's hot water at its own price ({own_hot})"
    );

    // Each run was claimed once and finished once, by one of the two, and
    // both took part.
    let (by_a, by_b) = (a.finished_runs(), b.finished_runs());
    eprintln!("finished by a: {by_a:?}, by b: {by_b:?}");
    assert!(
        !by_a.is_empty() && !by_b.is_empty(),
        "a: {by_a:?}, b: {by_b:?}"
    );
    let mut finished: Vec<i64> = by_a.iter().chain(&by_b).copied().collect();
    finished.sort_unstable();
    let expected: Vec<i64> = runs
        .values()
        .map(|r| r.0)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(finished, expected, "each run finished exactly once");
    let logs = a.log() + &b.log();
    for run in runs.values() {
        let claims = logs.matches(&format!("billing run {run} (house ")).count();
        assert_eq!(claims, 1, "run {run} claimed {claims} times");
    }
    assert!(!logs.contains("lease lost"), "{logs}");
}

#[tokio::test]
async fn a_run_started_in_process_completes_by_itself() {
    let app = spawn_app().await;
    let conn = &mut app.db.conn();
    seed_tariffs(conn);
    let house = seed_house(conn, "Small house", 120);
    let run = start_run(conn, house);
    let completed = eventually(Duration::from_secs(20), || {
        let now = progress(conn, run);
        now.assert_consistent();
        async move { now.status == "completed" }
    })
    .await;
    assert!(completed, "{:?}", progress(conn, run));
    assert_house_billed(conn, house, run, 120);
}

#[test]
fn a_stopped_server_hands_its_run_back_and_another_resumes_it_at_once() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    seed_tariffs(conn);
    let house = seed_house(conn, "Big house", BIG_HOUSE);
    // A lease far longer than the test: only a released run resumes soon.
    // Small batches: the stop takes a few hundred milliseconds (the HTTP
    // server's own graceful shutdown), while which the run must go on.
    let workers = Workers {
        threads: 1,
        batch: 10,
        lease_secs: 120,
    };
    let [port, other_port] = free_ports();
    let mut first = Server::start(&db, port, workers);
    // A SIGTERM before the handler is in place would end it like a SIGKILL.
    first.wait_ready();
    let run = start_run(conn, house);
    let mid = watch(conn, run, Duration::from_secs(30), |p| p.processed >= 100);
    let held_until = mid.lease_expires_at.expect("a lease while running");

    let asked = Instant::now();
    let status = first.terminate(Duration::from_secs(20));
    assert!(status.success(), "{status}:\n{}", first.log());
    let stopped = progress(conn, run);
    eprintln!(
        "asked to stop at {}, stopped at {}/{} after {:?}",
        mid.processed,
        stopped.processed,
        stopped.total,
        asked.elapsed()
    );
    stopped.assert_consistent();
    assert_eq!(stopped.status, "running");
    assert!(
        stopped.processed < stopped.total,
        "the run ended before the stop: {stopped:?}"
    );
    assert_eq!(
        (stopped.lease_owner.as_deref(), stopped.lease_expires_at),
        (None, None),
        "the lease is handed back"
    );
    let saved = saved_versions(conn, run, stopped.cursor.unwrap());

    let restarted = Instant::now();
    let second = Server::start(&db, other_port, workers);
    let resumed = watch(conn, run, Duration::from_secs(20), |p| {
        p.processed > stopped.processed
    });
    eprintln!(
        "resumed {:?} after the other server started",
        restarted.elapsed()
    );
    assert!(resumed.now < held_until, "{resumed:?}");
    watch(conn, run, Duration::from_secs(40), |p| {
        p.status == "completed"
    });
    eprintln!(
        "completed {:?} after the other server started",
        restarted.elapsed()
    );
    assert_house_billed(conn, house, run, BIG_HOUSE.into());
    assert_eq!(
        saved_versions(conn, run, stopped.cursor.unwrap()),
        saved,
        "lines saved before the stop were written again"
    );
    assert!(
        second.log().contains(&format!(
            "billing run {run} (house {house}, {MONTH}) from {}/{}",
            stopped.processed, stopped.total
        )),
        "{}",
        second.log()
    );
}

/// Clients hammering the server over keep-alive connections until `stop`:
/// each task reuses its pooled connection for request after request.
fn keep_alive_load(
    port: u16,
    tasks: usize,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<u64> {
    use std::sync::atomic::Ordering;
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let client = reqwest::Client::builder()
                .pool_idle_timeout(Duration::from_secs(60))
                .build()
                .unwrap();
            let url = format!("http://127.0.0.1:{port}/static/css/app.css");
            let handles: Vec<_> = (0..tasks)
                .map(|_| {
                    let (client, url, stop) = (client.clone(), url.clone(), stop.clone());
                    tokio::spawn(async move {
                        let mut answered = 0u64;
                        while !stop.load(Ordering::Relaxed) {
                            let body = match client.get(&url).send().await {
                                Ok(response) => response.bytes().await.ok(),
                                Err(_) => None,
                            };
                            match body {
                                Some(_) => answered += 1,
                                None => tokio::time::sleep(Duration::from_millis(20)).await,
                            }
                        }
                        answered
                    })
                })
                .collect();
            let mut answered = 0;
            for handle in handles {
                answered += handle.await.unwrap();
            }
            answered
        })
    })
}

/// Under keep-alive load a SIGTERM'd server stops claiming at once, hands
/// its run back after the current batch and exits within the bound; the
/// run queued meanwhile is left for another process, which bills both to
/// exactly the lines of an uninterrupted run.
#[test]
fn a_sigterm_under_keep_alive_load_exits_in_time_claiming_nothing_more() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    seed_tariffs(conn);
    let big = seed_house(conn, "Big house", BIG_HOUSE);
    let small = seed_house(conn, "Small house", 40);
    let workers = Workers {
        threads: 1,
        batch: 10,
        lease_secs: 120,
    };
    let [port, other_port] = free_ports();
    let mut first = Server::start(&db, port, workers);
    first.wait_ready();
    let stop_load = Arc::new(AtomicBool::new(false));
    let load = keep_alive_load(port, 8, stop_load.clone());
    let run = start_run(conn, big);
    watch(conn, run, Duration::from_secs(30), |p| p.processed >= 100);
    // The only worker is busy: this one waits in the queue.
    let queued = start_run(conn, small);
    std::thread::sleep(Duration::from_millis(300));

    let asked = Instant::now();
    let status = first.terminate(Duration::from_secs(10));
    let took = asked.elapsed();
    stop_load.store(true, Ordering::Relaxed);
    let answered = load.join().unwrap();
    eprintln!("exited {took:?} after SIGTERM; {answered} requests answered under load");
    assert!(status.success(), "{status}:\n{}", first.log());
    assert!(answered > 0, "the load reached the server");

    let log = first.log();
    let stopping = log
        .find("stopping: no new billing runs are claimed")
        .unwrap_or_else(|| panic!("no stop logged:\n{log}"));
    assert!(
        !log[stopping..].contains("claimed the run"),
        "claimed after the signal:\n{log}"
    );
    let stopped = progress(conn, run);
    stopped.assert_consistent();
    assert_eq!(stopped.status, "running");
    assert!(stopped.processed < stopped.total, "{stopped:?}");
    assert_eq!(
        (stopped.lease_owner.as_deref(), stopped.lease_expires_at),
        (None, None),
        "the lease is handed back"
    );
    let untouched = count(
        conn,
        "SELECT count(*) AS n FROM billing_runs WHERE id = $1 AND status = 'queued' \
           AND started_at IS NULL AND lease_owner IS NULL",
        queued.0,
    );
    assert_eq!(untouched, 1, "the queued run was never claimed");

    let _second = Server::start(&db, other_port, workers);
    for (house, run, apartments) in [(big, run, BIG_HOUSE), (small, queued, 40)] {
        watch(conn, run, Duration::from_secs(60), |p| {
            p.status == "completed"
        });
        assert_house_billed(conn, house, run, apartments.into());
    }
    let interrupted = house_lines(conn, big);
    let again = start_run(conn, big);
    watch(conn, again, Duration::from_secs(60), |p| {
        p.status == "completed"
    });
    assert_house_billed(conn, big, again, BIG_HOUSE.into());
    assert_same_lines(&interrupted, &house_lines(conn, big));
}

/// The database goes away mid-run for longer than the pool's 5 s checkout
/// timeout but less than the lease, then comes back: the run must go on.
/// The worker gives the run up without being able to release it; the
/// heartbeat renews only runs being billed, so the lease runs out and the
/// run is resumed.
#[test]
fn a_run_cut_off_from_the_database_resumes_when_it_is_back() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let proxy = rt.block_on(DbProxy::start());
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    seed_tariffs(conn);
    let house = seed_house(conn, "Big house", BIG_HOUSE);
    let workers = Workers {
        threads: 1,
        batch: 25,
        lease_secs: 15,
    };
    let _server = Server::start_at(&proxy.url_for(&db.name), free_port(), workers);
    let run = start_run(conn, house);
    watch(conn, run, Duration::from_secs(30), |p| p.processed >= 100);
    proxy.go_down();
    std::thread::sleep(Duration::from_secs(7));
    proxy.come_back();
    // However the lease ran before, it has expired 15 s after the cut.
    let back = Instant::now();
    watch(conn, run, Duration::from_secs(30), |p| {
        p.status == "completed"
    });
    eprintln!(
        "completed {:?} after the database came back",
        back.elapsed()
    );
    assert_house_billed(conn, house, run, BIG_HOUSE.into());
}

/// The text of a span's field on a log line: `id` of `request{id=… …}`.
fn span_field<'a>(line: &'a str, span: &str, field: &str) -> Option<&'a str> {
    let fields = &line[line.find(&format!("{span}{{"))? + span.len() + 1..];
    let fields = &fields[..fields.find('}')?];
    fields
        .split(' ')
        .find_map(|pair| pair.strip_prefix(field)?.strip_prefix('='))
}

/// One run's lines can be gathered from a busy log: each line a worker logs
/// for it, from its claim to its end, is inside the span naming the run,
/// and each line of the request that started it carries that request's id.
#[tokio::test]
async fn a_runs_log_lines_carry_its_run_id_and_its_requests_id() {
    use kvartplata::domain::Role;
    use kvartplata::services::logins;

    let db = TestDb::migrated();
    let (house, token) = {
        let conn = &mut db.conn();
        seed_tariffs(conn);
        let house = seed_house(conn, "ул. Журнальная, 1", 120);
        logins::create_user(conn, "logs", "a long enough secret", Role::Manager).unwrap();
        (house, logins::create_token(conn, "logs", "logs").unwrap())
    };
    let [port] = free_ports();
    let workers = Workers {
        threads: 1,
        batch: 25,
        lease_secs: 15,
    };
    let mut server = Server::start(&db, port, workers);
    server.wait_ready();
    let path = format!("/api/v1/houses/{house}/billing-runs");
    let response = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}{path}"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "period": MONTH }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::ACCEPTED);
    let run = response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let finished = eventually(Duration::from_secs(60), || {
        let done = server.finished_runs().contains(&run);
        async move { done }
    })
    .await;
    assert!(finished, "run {run} did not finish:\n{}", server.log());
    let log = server.log();
    let lines: Vec<&str> = log.lines().collect();

    // The request: the line saying it queued the run names the request, and
    // every line of that request (its request line too) carries the same id.
    let queued = lines
        .iter()
        .find(|l| l.contains("queued a billing run") && l.contains(&format!("run={run} ")))
        .unwrap_or_else(|| panic!("no line says run {run} was queued:\n{log}"));
    let request = span_field(queued, "request", "id")
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| panic!("no request id on {queued:?}"));
    let of_request: Vec<&&str> = lines
        .iter()
        .filter(|l| span_field(l, "request", "id") == Some(request))
        .collect();
    assert!(
        of_request
            .iter()
            .any(|l| l.contains(&format!("\"POST {path} HTTP/1.1\" 202"))),
        "the request line has no request id:\n{log}"
    );
    for line in lines.iter().filter(|l| l.contains(&format!("POST {path}"))) {
        assert_eq!(span_field(line, "request", "id"), Some(request), "{line:?}");
    }

    // The run: from its claim to its end, every line of the worker's thread
    // is inside run{id=…}, and so is every line that mentions the run.
    let claim = lines
        .iter()
        .position(|l| {
            l.contains("claimed the run") && span_field(l, "run", "id") == Some(&run.to_string())
        })
        .unwrap_or_else(|| panic!("no claim of run {run}:\n{log}"));
    let end = lines
        .iter()
        .position(|l| l.contains(&format!("billing run {run} finished")))
        .unwrap();
    assert!(claim < end, "{log}");
    let thread = lines[claim]
        .split_whitespace()
        .find(|word| word.starts_with("billing-"))
        .unwrap_or_else(|| panic!("no worker thread named on {:?}", lines[claim]));
    let house = house.to_string();
    for line in &lines[claim..=end] {
        if line.split_whitespace().any(|word| word == thread) {
            assert_eq!(
                span_field(line, "run", "id"),
                Some(run.to_string().as_str()),
                "{line:?}"
            );
            assert_eq!(
                span_field(line, "run", "house"),
                Some(house.as_str()),
                "{line:?}"
            );
            assert_eq!(span_field(line, "run", "period"), Some(MONTH), "{line:?}");
        }
    }
    for line in lines
        .iter()
        .filter(|l| l.contains(&format!("billing run {run} ")))
    {
        assert_eq!(
            span_field(line, "run", "id"),
            Some(run.to_string().as_str()),
            "{line:?}"
        );
    }
}
