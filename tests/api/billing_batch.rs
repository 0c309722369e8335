//! The batch step of a billing run against a hand-computed house: every
//! line's quantity, price and amount, the run's progress, and re-billing.

use diesel::prelude::*;
use kvartplata::billing::{self, BatchOutcome, BillingError};
use kvartplata::db::models::{
    ApartmentId, BillingRun, BillingRunId, Charge, HouseId, MeterId, NewBillingRun, TariffId,
};
use kvartplata::db::queries;
use kvartplata::domain::billing::{Dial, Explanation, MeterLine};
use kvartplata::domain::{Period, RunStatus, Service};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::helpers::db::TestDb;
use crate::helpers::fixtures::{
    ApartmentBuilder, HouseBuilder, MeterBuilder, TariffBuilder, month,
};

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
    let a = HouseBuilder::new("A")
        .apartment(
            ApartmentBuilder::new("1")
                .area(dec!(54.30))
                .meter(MeterBuilder::cold("C1").readings_from(
                    month("2026-08"),
                    [dec!(100.000), dec!(103.333), dec!(103.383)],
                ))
                .meter(
                    MeterBuilder::cold("C2")
                        .initial(dec!(50.000))
                        .reading(month("2026-09"), dec!(51.112)),
                )
                .meter(
                    MeterBuilder::hot("H1")
                        .initial(dec!(20.000))
                        .readings_from(month("2026-09"), [dec!(22.500), dec!(23.000)]),
                ),
        )
        .apartment(ApartmentBuilder::new("2").area(dec!(33.33)))
        .apartment(
            ApartmentBuilder::new("3")
                .area(dec!(40.00))
                .meter(
                    MeterBuilder::hot("H2")
                        .initial(dec!(5))
                        .readings_from(month("2026-09"), [dec!(6.5), dec!(7.25)]),
                )
                .meter(MeterBuilder::cold("C3")),
        )
        .insert(&mut *conn);
    let b = HouseBuilder::new("B")
        .apartment(
            ApartmentBuilder::new("1")
                .area(dec!(10))
                .meter(MeterBuilder::hot("HB").reading(month("2026-09"), dec!(1))),
        )
        .insert(&mut *conn);
    let tariff = |service, price, from| TariffBuilder::new(service, price, month(from));
    let cold_sep = tariff(Service::ColdWater, dec!(40.00), "2026-01").insert(&mut *conn);
    let cold_oct = tariff(Service::ColdWater, dec!(42.30), "2026-10").insert(&mut *conn);
    tariff(Service::HotWater, dec!(200.00), "2026-01").insert(&mut *conn);
    let hot_own = tariff(Service::HotWater, dec!(214.76), "2026-01")
        .for_house(a.id())
        .insert(&mut *conn);
    let upkeep = tariff(Service::Maintenance, dec!(24.50), "2026-01").insert(&mut *conn);
    Seeded {
        house: a.id(),
        apts: [
            a.apartment("1").id,
            a.apartment("2").id,
            a.apartment("3").id,
        ],
        cold_sep: cold_sep.id,
        cold_oct: cold_oct.id,
        hot_own: hot_own.id,
        upkeep: upkeep.id,
        c3: a.meter("C3").id,
        other_apartment: b.apartment("1").id,
    }
}

fn start(conn: &mut PgConnection, house: HouseId, period: &str) -> BillingRunId {
    let total = queries::billing_inputs::apartment_count(conn, house).unwrap();
    let new = NewBillingRun {
        house_id: house,
        period: month(period),
        total: i32::try_from(total).unwrap(),
    };
    let id = queries::run_queue::insert(conn, &new).unwrap().id;
    let claimed = queries::run_queue::claim(conn, OWNER, LEASE).unwrap();
    assert_eq!(
        claimed.map(|c| c.run.id),
        Some(id),
        "the new run is claimed"
    );
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
    queries::charges::list_for_apartments(conn, &s.apts, month(period))
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
    Decimal,
    Decimal,
    Decimal,
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
        billing::missing_services(conn, s.house, month("2026-09"))
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
    assert_eq!(after_first.amount, dec!(2861.64));
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
            (
                a1,
                Cold,
                dec!(4.445),
                dec!(40.00),
                dec!(177.80),
                s.cold_sep,
                false,
            ),
            // The house's own hot price, not the default 200.00: 2.5 × 214.76.
            (
                a1,
                Hot,
                dec!(2.500),
                dec!(214.76),
                dec!(536.90),
                s.hot_own,
                false,
            ),
            (
                a1,
                Upkeep,
                dec!(54.30),
                dec!(24.50),
                dec!(1330.35),
                s.upkeep,
                false,
            ),
            // No meters: maintenance only; 33.33 × 24.50 = 816.585 → 816.59.
            (
                a2,
                Upkeep,
                dec!(33.33),
                dec!(24.50),
                dec!(816.59),
                s.upkeep,
                false,
            ),
            // C3 has no reading: adds 0 and marks the line.
            (a3, Cold, dec!(0), dec!(40.00), dec!(0.00), s.cold_sep, true),
            (
                a3,
                Hot,
                dec!(1.5),
                dec!(214.76),
                dec!(322.14),
                s.hot_own,
                false,
            ),
            (
                a3,
                Upkeep,
                dec!(40.00),
                dec!(24.50),
                dec!(980.00),
                s.upkeep,
                false,
            ),
        ],
    );
    assert_eq!(september[0].tariff_valid_from, month("2026-01"));
    assert_eq!(
        explanation(&september[0]),
        Explanation::Meters {
            meters: vec![
                MeterLine {
                    serial: "C1".into(),
                    previous: Dial {
                        period: Some(month("2026-08")),
                        value: dec!(100.000)
                    },
                    current: Some(dec!(103.333)),
                    consumption: dec!(3.333),
                },
                MeterLine {
                    serial: "C2".into(),
                    previous: Dial {
                        period: None,
                        value: dec!(50.000)
                    },
                    current: Some(dec!(51.112)),
                    consumption: dec!(1.112),
                },
            ],
        }
    );
    assert_eq!(
        explanation(&september[3]),
        Explanation::Area { area: dec!(33.33) }
    );

    let done = run_row(conn, run);
    assert_eq!(done.status, RunStatus::Completed);
    assert!(done.finished_at.is_some());
    assert_eq!((done.processed, done.total), (3, 3));
    assert_eq!(done.cursor, Some(a3));
    // 177.80 + 536.90 + 1330.35 + 816.59 + 0.00 + 322.14 + 980.00
    assert_eq!(done.amount, dec!(4163.78));
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
        queries::charges::list_for_apartments(conn, &[s.other_apartment], month("2026-09"))
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
            (
                a1,
                Cold,
                dec!(0.050),
                dec!(42.30),
                dec!(2.12),
                s.cold_oct,
                true,
            ),
            (
                a1,
                Hot,
                dec!(0.5),
                dec!(214.76),
                dec!(107.38),
                s.hot_own,
                false,
            ),
            (
                a1,
                Upkeep,
                dec!(54.30),
                dec!(24.50),
                dec!(1330.35),
                s.upkeep,
                false,
            ),
            (
                a2,
                Upkeep,
                dec!(33.33),
                dec!(24.50),
                dec!(816.59),
                s.upkeep,
                false,
            ),
            (a3, Cold, dec!(0), dec!(42.30), dec!(0.00), s.cold_oct, true),
            (
                a3,
                Hot,
                dec!(0.75),
                dec!(214.76),
                dec!(161.07),
                s.hot_own,
                false,
            ),
            (
                a3,
                Upkeep,
                dec!(40.00),
                dec!(24.50),
                dec!(980.00),
                s.upkeep,
                false,
            ),
        ],
    );
    assert_eq!(october[0].tariff_valid_from, month("2026-10"));
    match explanation(&october[0]) {
        Explanation::Meters { meters } => {
            assert_eq!(
                meters[0].previous,
                Dial {
                    period: Some(month("2026-09")),
                    value: dec!(103.333)
                }
            );
            // C2's latest reading before October is September's.
            assert_eq!(
                meters[1].previous,
                Dial {
                    period: Some(month("2026-09")),
                    value: dec!(51.112)
                }
            );
            assert_eq!(meters[1].current, None);
        }
        other => panic!("{other:?}"),
    }
    let run = run_row(conn, run);
    assert_eq!((run.processed, run.total), (3, 3));
    assert_eq!(run.amount, dec!(3397.51));
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
    let by_run = queries::charges::list_for_apartments(conn, &s.apts, month("2026-09")).unwrap();
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
    assert_eq!(run_row(conn, again).amount, dec!(4163.78));
}

#[test]
fn missing_services_names_the_service_without_a_tariff() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let house = HouseBuilder::new("C").insert(&mut *conn).id();
    // No apartments: nothing is needed.
    assert!(
        billing::missing_services(conn, house, month("2026-09"))
            .unwrap()
            .is_empty()
    );

    let a = ApartmentBuilder::new("1")
        .area(dec!(20))
        .insert(house, &mut *conn)
        .id;
    assert_eq!(
        billing::missing_services(conn, house, month("2026-09")).unwrap(),
        [Service::Maintenance]
    );
    TariffBuilder::new(Service::Maintenance, dec!(10), month("2026-01")).insert(&mut *conn);
    MeterBuilder::hot("HC").insert(a, &mut *conn);
    // Cold water is not needed (no cold meter); hot water is.
    assert_eq!(
        billing::missing_services(conn, house, month("2026-09")).unwrap(),
        [Service::HotWater]
    );
    // Another house's own tariff and a future one do not count.
    let other = HouseBuilder::new("D").insert(&mut *conn).id();
    TariffBuilder::new(Service::HotWater, dec!(100), month("2026-01"))
        .for_house(other)
        .insert(&mut *conn);
    let future = TariffBuilder::new(Service::HotWater, dec!(100), month("2026-10"))
        .for_house(house)
        .insert(&mut *conn)
        .id;
    assert_eq!(
        billing::missing_services(conn, house, month("2026-09")).unwrap(),
        [Service::HotWater]
    );
    assert!(
        billing::missing_services(conn, house, month("2026-10"))
            .unwrap()
            .is_empty()
    );
    let prices = billing::prices(conn, house, month("2026-10")).unwrap();
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
    let house = HouseBuilder::new("E").insert(&mut *conn).id();
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
    let taken = queries::run_queue::claim(conn, "other/2", LEASE)
        .unwrap()
        .unwrap();
    assert_eq!((taken.run.id, taken.lease_expired), (run, true));
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
    assert_eq!(run_row(conn, run).amount, dec!(4163.78));
}
