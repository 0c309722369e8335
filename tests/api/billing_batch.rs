//! The batch step of a billing run against a hand-computed house: every
//! line's quantity, price and amount, the run's progress, and re-billing.

use std::str::FromStr;

use diesel::prelude::*;
use kvartplata::billing::{self, BatchOutcome, BillingError};
use kvartplata::db::models::{
    ApartmentId, BillingRun, BillingRunId, Charge, HouseId, MeterId, NewApartment, NewBillingRun,
    NewHouse, NewMeter, NewReading, NewTariff, TariffId,
};
use kvartplata::db::queries;
use kvartplata::domain::billing::{Dial, Explanation, MeterLine};
use kvartplata::domain::{MeterKind, Period, ReadingSource, RunStatus, Service};
use rust_decimal::Decimal;

use crate::helpers::TestDb;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn p(s: &str) -> Period {
    s.parse().unwrap()
}

/// House A and what the expectations below refer to by name.
struct Seeded {
    house: HouseId,
    /// apartments 1, 2, 3 in id order
    apts: [ApartmentId; 3],
    cold_sep: TariffId,
    cold_oct: TariffId,
    hot_own: TariffId,
    upkeep: TariffId,
    /// A3's cold meter, which never has a reading
    c3: MeterId,
    /// house B's apartment
    other_apartment: ApartmentId,
}

fn tariff(
    conn: &mut PgConnection,
    service: Service,
    price: &str,
    from: &str,
    house: Option<HouseId>,
) -> TariffId {
    let new = NewTariff {
        service,
        price: d(price),
        valid_from: p(from),
        house_id: house,
    };
    queries::tariffs::insert(conn, &new).unwrap().id
}

fn apartment(conn: &mut PgConnection, house: HouseId, number: &str, area: &str) -> ApartmentId {
    let new = NewApartment {
        house_id: house,
        number,
        area: d(area),
    };
    queries::apartments::insert(conn, &new).unwrap().id
}

fn meter(
    conn: &mut PgConnection,
    apartment: ApartmentId,
    serial: &str,
    kind: MeterKind,
    initial: &str,
    readings: &[(&str, &str)],
) -> MeterId {
    let new = NewMeter {
        apartment_id: apartment,
        serial,
        kind,
        initial_reading: d(initial),
        installed_on: None,
    };
    let id = queries::meters::insert(conn, &new).unwrap().id;
    let readings: Vec<NewReading> = readings
        .iter()
        .map(|(period, value)| NewReading {
            meter_id: id,
            period: p(period),
            value: d(value),
            source: ReadingSource::Form,
        })
        .collect();
    queries::readings::upsert(conn, &readings).unwrap();
    id
}

/// House A:
/// - A1, 54.30 m²: cold C1 (Aug 100.000, Sep 103.333, Oct 103.383) and C2
///   (initial 50.000, Sep 51.112, no Oct reading); hot H1 (initial 20.000,
///   Sep 22.500, Oct 23.000)
/// - A2, 33.33 m², no meters
/// - A3, 40.00 m²: hot H2 (initial 5, Sep 6.5, Oct 7.25); cold C3 never read
///
/// Tariffs: cold 40.00 from 2026-01 and 42.30 from 2026-10 (defaults); hot
/// 200.00 default, 214.76 A's own; maintenance 24.50. House B (one apartment
/// with a hot meter) pays the default hot price and is never touched.
fn seed(conn: &mut PgConnection) -> Seeded {
    let house = queries::houses::insert(conn, &NewHouse { address: "A" })
        .unwrap()
        .id;
    let other = queries::houses::insert(conn, &NewHouse { address: "B" })
        .unwrap()
        .id;
    let cold_sep = tariff(conn, Service::ColdWater, "40.00", "2026-01", None);
    let cold_oct = tariff(conn, Service::ColdWater, "42.30", "2026-10", None);
    tariff(conn, Service::HotWater, "200.00", "2026-01", None);
    let hot_own = tariff(conn, Service::HotWater, "214.76", "2026-01", Some(house));
    let upkeep = tariff(conn, Service::Maintenance, "24.50", "2026-01", None);

    let a1 = apartment(conn, house, "1", "54.30");
    meter(
        conn,
        a1,
        "C1",
        MeterKind::ColdWater,
        "0",
        &[
            ("2026-08", "100.000"),
            ("2026-09", "103.333"),
            ("2026-10", "103.383"),
        ],
    );
    meter(
        conn,
        a1,
        "C2",
        MeterKind::ColdWater,
        "50.000",
        &[("2026-09", "51.112")],
    );
    meter(
        conn,
        a1,
        "H1",
        MeterKind::HotWater,
        "20.000",
        &[("2026-09", "22.500"), ("2026-10", "23.000")],
    );
    let a2 = apartment(conn, house, "2", "33.33");
    let a3 = apartment(conn, house, "3", "40.00");
    meter(
        conn,
        a3,
        "H2",
        MeterKind::HotWater,
        "5",
        &[("2026-09", "6.5"), ("2026-10", "7.25")],
    );
    let c3 = meter(conn, a3, "C3", MeterKind::ColdWater, "0", &[]);

    let b1 = apartment(conn, other, "1", "10");
    meter(
        conn,
        b1,
        "HB",
        MeterKind::HotWater,
        "0",
        &[("2026-09", "1")],
    );
    Seeded {
        house,
        apts: [a1, a2, a3],
        cold_sep,
        cold_oct,
        hot_own,
        upkeep,
        c3,
        other_apartment: b1,
    }
}

fn start(conn: &mut PgConnection, house: HouseId, period: &str) -> BillingRunId {
    let total = queries::billing_inputs::apartment_count(conn, house).unwrap();
    let new = NewBillingRun {
        house_id: house,
        period: p(period),
        total: i32::try_from(total).unwrap(),
    };
    let id = queries::run_queue::insert(conn, &new).unwrap().id;
    let claimed = queries::run_queue::claim(conn, OWNER, LEASE).unwrap();
    assert_eq!(claimed.map(|r| r.id), Some(id), "the new run is claimed");
    id
}

/// The worker these tests play.
const OWNER: &str = "test-worker/1";
const LEASE: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs batches of `size` until done; returns each batch's outcome.
fn run_to_end(conn: &mut PgConnection, run: BillingRunId, size: usize) -> Vec<BatchOutcome> {
    let mut outcomes = Vec::new();
    loop {
        let outcome = billing::run_batch(conn, run, OWNER, size).unwrap();
        outcomes.push(outcome);
        if outcome.done {
            return outcomes;
        }
        assert!(outcomes.len() < 100, "the run never ends");
    }
}

/// A stored line without what differs between runs (id, run, created_at).
#[derive(Debug, PartialEq)]
struct Line {
    apartment: ApartmentId,
    service: Service,
    quantity: Decimal,
    unit_price: Decimal,
    amount: Decimal,
    tariff: TariffId,
    tariff_valid_from: Period,
    missing_reading: bool,
    explanation: serde_json::Value,
}

fn lines(conn: &mut PgConnection, s: &Seeded, period: &str) -> Vec<Line> {
    queries::charges::list_for_apartments(conn, &s.apts, p(period))
        .unwrap()
        .into_iter()
        .map(|c: Charge| Line {
            apartment: c.apartment_id,
            service: c.service,
            quantity: c.quantity,
            unit_price: c.unit_price,
            amount: c.amount,
            tariff: c.tariff_id,
            tariff_valid_from: c.tariff_valid_from,
            missing_reading: c.missing_reading,
            explanation: c.explanation,
        })
        .collect()
}

/// (apartment, service, quantity, unit price, amount, tariff, missing)
type Expected = (
    ApartmentId,
    Service,
    &'static str,
    &'static str,
    &'static str,
    TariffId,
    bool,
);

fn assert_lines(actual: &[Line], expected: &[Expected]) {
    let actual: Vec<_> = actual
        .iter()
        .map(|l| {
            (
                l.apartment,
                l.service,
                l.quantity,
                l.unit_price,
                l.amount,
                l.tariff,
                l.missing_reading,
            )
        })
        .collect();
    let expected: Vec<_> = expected
        .iter()
        .map(|&(a, s, q, u, m, t, missing)| (a, s, d(q), d(u), d(m), t, missing))
        .collect();
    assert_eq!(actual, expected);
}

fn run_row(conn: &mut PgConnection, run: BillingRunId) -> BillingRun {
    queries::run_queue::find(conn, run).unwrap()
}

fn explanation(line: &Line) -> Explanation {
    serde_json::from_value(line.explanation.clone()).unwrap()
}

#[test]
fn a_hand_computed_house_is_billed_in_batches_of_two() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let s = seed(conn);
    let [a1, a2, a3] = s.apts;
    assert!(
        billing::missing_services(conn, s.house, p("2026-09"))
            .unwrap()
            .is_empty()
    );

    let run = start(conn, s.house, "2026-09");
    let first = billing::run_batch(conn, run, OWNER, 2).unwrap();
    assert_eq!(
        first,
        BatchOutcome {
            processed_now: 2,
            done: false
        }
    );
    // Progress claims exactly what is saved: A1 and A2, nothing of A3.
    let after_first = run_row(conn, run);
    assert_eq!(after_first.processed, 2);
    assert_eq!(after_first.cursor, Some(a2));
    assert_eq!(after_first.amount, d("2861.64"));
    assert_eq!(after_first.status, RunStatus::Running);
    assert!(lines(conn, &s, "2026-09").iter().all(|l| l.apartment != a3));

    let second = billing::run_batch(conn, run, OWNER, 2).unwrap();
    assert_eq!(
        second,
        BatchOutcome {
            processed_now: 1,
            done: true
        }
    );

    let september = lines(conn, &s, "2026-09");
    use Service::{ColdWater as Cold, HotWater as Hot, Maintenance as Upkeep};
    assert_lines(
        &september,
        &[
            // C1 100.000 → 103.333 (Aug is the latest before Sep) + C2 initial
            // 50.000 → 51.112: 4.445 m³ × 40.00 = 177.80, one rounding.
            (a1, Cold, "4.445", "40.00", "177.80", s.cold_sep, false),
            // The house's own hot price, not the default 200.00: 2.5 × 214.76.
            (a1, Hot, "2.500", "214.76", "536.90", s.hot_own, false),
            (a1, Upkeep, "54.30", "24.50", "1330.35", s.upkeep, false),
            // No meters: maintenance only; 33.33 × 24.50 = 816.585 → 816.59.
            (a2, Upkeep, "33.33", "24.50", "816.59", s.upkeep, false),
            // C3 has no reading: adds 0 and marks the line.
            (a3, Cold, "0", "40.00", "0.00", s.cold_sep, true),
            (a3, Hot, "1.5", "214.76", "322.14", s.hot_own, false),
            (a3, Upkeep, "40.00", "24.50", "980.00", s.upkeep, false),
        ],
    );
    assert_eq!(september[0].tariff_valid_from, p("2026-01"));
    assert_eq!(
        explanation(&september[0]),
        Explanation::Meters {
            meters: vec![
                MeterLine {
                    serial: "C1".into(),
                    previous: Dial {
                        period: Some(p("2026-08")),
                        value: d("100.000")
                    },
                    current: Some(d("103.333")),
                    consumption: d("3.333"),
                },
                MeterLine {
                    serial: "C2".into(),
                    previous: Dial {
                        period: None,
                        value: d("50.000")
                    },
                    current: Some(d("51.112")),
                    consumption: d("1.112"),
                },
            ],
        }
    );
    assert_eq!(
        explanation(&september[3]),
        Explanation::Area { area: d("33.33") }
    );

    let done = run_row(conn, run);
    assert_eq!(done.status, RunStatus::Completed);
    assert!(done.finished_at.is_some());
    assert_eq!((done.processed, done.total), (3, 3));
    assert_eq!(done.cursor, Some(a3));
    // 177.80 + 536.90 + 1330.35 + 816.59 + 0.00 + 322.14 + 980.00
    assert_eq!(done.amount, d("4163.78"));
    let sum: Decimal = september.iter().map(|l| l.amount).sum();
    assert_eq!(sum, done.amount);

    // Another batch of a completed run changes nothing.
    assert_eq!(
        billing::run_batch(conn, run, OWNER, 2).unwrap(),
        BatchOutcome {
            processed_now: 0,
            done: true
        }
    );
    assert_eq!(run_row(conn, run), done);
    // House B was not billed.
    assert!(
        queries::charges::list_for_apartments(conn, &[s.other_apartment], p("2026-09"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_next_month_uses_the_new_tariff_and_the_september_readings() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let s = seed(conn);
    let [a1, a2, a3] = s.apts;
    let run = start(conn, s.house, "2026-10");
    assert_eq!(run_to_end(conn, run, 2).len(), 2);

    use Service::{ColdWater as Cold, HotWater as Hot, Maintenance as Upkeep};
    let october = lines(conn, &s, "2026-10");
    assert_lines(
        &october,
        &[
            // C1 103.333 → 103.383 = 0.050; C2 unread in Oct adds 0 and marks
            // the line. 0.050 × 42.30 = 2.115: half a kopeck, away from zero.
            (a1, Cold, "0.050", "42.30", "2.12", s.cold_oct, true),
            (a1, Hot, "0.5", "214.76", "107.38", s.hot_own, false),
            (a1, Upkeep, "54.30", "24.50", "1330.35", s.upkeep, false),
            (a2, Upkeep, "33.33", "24.50", "816.59", s.upkeep, false),
            (a3, Cold, "0", "42.30", "0.00", s.cold_oct, true),
            (a3, Hot, "0.75", "214.76", "161.07", s.hot_own, false),
            (a3, Upkeep, "40.00", "24.50", "980.00", s.upkeep, false),
        ],
    );
    assert_eq!(october[0].tariff_valid_from, p("2026-10"));
    match explanation(&october[0]) {
        Explanation::Meters { meters } => {
            assert_eq!(
                meters[0].previous,
                Dial {
                    period: Some(p("2026-09")),
                    value: d("103.333")
                }
            );
            // C2's latest reading before October is September's.
            assert_eq!(
                meters[1].previous,
                Dial {
                    period: Some(p("2026-09")),
                    value: d("51.112")
                }
            );
            assert_eq!(meters[1].current, None);
        }
        other => panic!("{other:?}"),
    }
    let run = run_row(conn, run);
    assert_eq!((run.processed, run.total), (3, 3));
    assert_eq!(run.amount, d("3397.51"));
    // September was not billed by the October run.
    assert!(lines(conn, &s, "2026-09").is_empty());
}

#[test]
fn billing_a_month_again_gives_the_same_lines_whatever_the_batch_size() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let s = seed(conn);

    let by_one = start(conn, s.house, "2026-09");
    let outcomes = run_to_end(conn, by_one, 1);
    // Three apartments, then an empty batch that finds nothing left.
    assert_eq!(
        outcomes.iter().map(|o| o.processed_now).collect::<Vec<_>>(),
        [1, 1, 1, 0]
    );
    let first = lines(conn, &s, "2026-09");
    assert_eq!(first.len(), 7);

    let all_at_once = start(conn, s.house, "2026-09");
    assert_eq!(
        run_to_end(conn, all_at_once, 100),
        [BatchOutcome {
            processed_now: 3,
            done: true
        }]
    );
    let second = lines(conn, &s, "2026-09");
    assert_eq!(second, first, "identical lines, no duplicates");
    // The lines now belong to the second run; both runs billed the same.
    let by_run = queries::charges::list_for_apartments(conn, &s.apts, p("2026-09")).unwrap();
    assert!(by_run.iter().all(|c| c.run_id == all_at_once));
    assert_eq!(
        run_row(conn, by_one).amount,
        run_row(conn, all_at_once).amount
    );
}

#[test]
fn billing_again_drops_lines_that_no_longer_apply() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let s = seed(conn);
    let [_, _, a3] = s.apts;
    let first = start(conn, s.house, "2026-09");
    run_to_end(conn, first, 2);
    let before = lines(conn, &s, "2026-09");
    assert!(
        before
            .iter()
            .any(|l| l.apartment == a3 && l.service == Service::ColdWater)
    );

    // A3's cold meter is removed: its cold line must go, the rest stay.
    queries::meters::delete(conn, s.c3).unwrap();
    let again = start(conn, s.house, "2026-09");
    run_to_end(conn, again, 2);
    let after = lines(conn, &s, "2026-09");
    let expected: Vec<&Line> = before
        .iter()
        .filter(|l| !(l.apartment == a3 && l.service == Service::ColdWater))
        .collect();
    assert_eq!(after.iter().collect::<Vec<_>>(), expected);
    assert_eq!(run_row(conn, again).amount, d("4163.78"));
}

#[test]
fn missing_services_names_the_service_without_a_tariff() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let house = queries::houses::insert(conn, &NewHouse { address: "C" })
        .unwrap()
        .id;
    // No apartments: nothing is needed.
    assert!(
        billing::missing_services(conn, house, p("2026-09"))
            .unwrap()
            .is_empty()
    );

    let a = apartment(conn, house, "1", "20");
    assert_eq!(
        billing::missing_services(conn, house, p("2026-09")).unwrap(),
        [Service::Maintenance]
    );
    tariff(conn, Service::Maintenance, "10", "2026-01", None);
    meter(conn, a, "HC", MeterKind::HotWater, "0", &[]);
    // Cold water is not needed (no cold meter); hot water is.
    assert_eq!(
        billing::missing_services(conn, house, p("2026-09")).unwrap(),
        [Service::HotWater]
    );
    // Another house's own tariff and a future one do not count.
    let other = queries::houses::insert(conn, &NewHouse { address: "D" })
        .unwrap()
        .id;
    tariff(conn, Service::HotWater, "100", "2026-01", Some(other));
    let future = tariff(conn, Service::HotWater, "100", "2026-10", Some(house));
    assert_eq!(
        billing::missing_services(conn, house, p("2026-09")).unwrap(),
        [Service::HotWater]
    );
    assert!(
        billing::missing_services(conn, house, p("2026-10"))
            .unwrap()
            .is_empty()
    );
    let prices = billing::prices(conn, house, p("2026-10")).unwrap();
    assert_eq!(prices[&Service::HotWater].tariff, future);
    assert!(!prices.contains_key(&Service::ColdWater));
}

#[test]
fn a_batch_refuses_a_service_whose_tariff_is_gone() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let s = seed(conn);
    let run = start(conn, s.house, "2026-09");
    // The only tariff of the month for maintenance disappears mid-way (no
    // line uses it yet, so the database lets it go).
    queries::tariffs::delete(conn, s.upkeep).unwrap();
    match billing::run_batch(conn, run, OWNER, 2) {
        Err(BillingError::MissingTariff(Service::Maintenance)) => {}
        other => panic!("{other:?}"),
    }
    // Nothing was saved and progress did not move.
    assert!(lines(conn, &s, "2026-09").is_empty());
    let row = run_row(conn, run);
    assert_eq!((row.processed, row.cursor), (0, None));
}

#[test]
fn a_house_without_apartments_completes_at_once_with_nothing_billed() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let house = queries::houses::insert(conn, &NewHouse { address: "E" })
        .unwrap()
        .id;
    let run = start(conn, house, "2026-09");
    assert_eq!(
        billing::run_batch(conn, run, OWNER, 50).unwrap(),
        BatchOutcome {
            processed_now: 0,
            done: true
        }
    );
    let row = run_row(conn, run);
    assert_eq!(row.status, RunStatus::Completed);
    assert_eq!((row.processed, row.total, row.cursor), (0, 0, None));
    assert_eq!(row.amount, Decimal::ZERO);
}

#[test]
fn a_worker_whose_lease_passed_on_writes_nothing() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let s = seed(conn);
    let run = start(conn, s.house, "2026-09");
    billing::run_batch(conn, run, OWNER, 1).unwrap();
    // The lease runs out (the worker stalled) and another worker takes over.
    diesel::sql_query("UPDATE billing_runs SET lease_expires_at = now() - interval '1 second'")
        .execute(conn)
        .unwrap();
    let taken = queries::run_queue::claim(conn, "other/2", LEASE).unwrap();
    assert_eq!(taken.map(|r| r.id), Some(run));
    // While it is held, no one else can claim it.
    assert!(
        queries::run_queue::claim(conn, "third/3", LEASE)
            .unwrap()
            .is_none()
    );
    match billing::run_batch(conn, run, OWNER, 1) {
        Err(BillingError::LeaseLost) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(run_row(conn, run).processed, 1);
    // The new owner goes on from the cursor.
    let outcome = billing::run_batch(conn, run, "other/2", 10).unwrap();
    assert_eq!(outcome.processed_now, 2);
    assert!(outcome.done);
    // A1's three lines, A2's one, A3's three: each once.
    assert_eq!(lines(conn, &s, "2026-09").len(), 7);
    assert_eq!(run_row(conn, run).amount, d("4163.78"));
}
