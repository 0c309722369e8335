//! The batch step of a billing run against a hand-computed house under the
//! rules of ПП 354: every line's quantity, price, amount, method,
//! coefficient and excess, each meter's volume, the run's progress, and
//! re-billing.

use diesel::prelude::*;
use kvartplata::billing::{self, BatchOutcome, BillingError};
use kvartplata::db::models::{
    ApartmentId, BillingRun, BillingRunId, Charge, HouseChangeset, HouseId, MeterId, NewBillingRun,
    TariffId,
};
use kvartplata::db::queries;
use kvartplata::db::schema::meter_volumes;
use kvartplata::domain::billing::Explanation;
use kvartplata::domain::lines::{Basis, MeterPart, NormativeVolume, People};
use kvartplata::domain::volume::{Base, Found};
use kvartplata::domain::{LineMethod, MeterKind, Period, RunStatus, Service};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::helpers::db::TestDb;
use crate::helpers::fixtures::{
    ApartmentBuilder, HouseBuilder, MeterBuilder, TariffBuilder, add_normative, month,
};

/// House A and what the expectations below refer to by name.
struct Seeded {
    house: HouseId,
    /// apartments 1, 2, 3 in id order
    apts: [ApartmentId; 3],
    cold_sep: TariffId,
    cold_oct: TariffId,
    hot_own: TariffId,
    sewerage: TariffId,
    upkeep: TariffId,
    /// A1's cold meters, the second unread in October
    c1: MeterId,
    c2: MeterId,
    /// A3's cold meter, which has no reading before October
    c3: MeterId,
    /// house B's apartment
    other_apartment: ApartmentId,
}

/// House A, billing all four services:
/// - A1, 54.30 m², 2 residents: cold C1 (Aug 100.000, Sep 103.333, Oct
///   103.383) and C2 (initial 50.000, Sep 51.112, no Oct reading); hot H1
///   (initial 20.000, Sep 22.500, Oct 23.000)
/// - A2, 33.33 m², nobody registered, 1 owner, no meters
/// - A3, 40.00 m², 3 residents: hot H2 (initial 5, Sep 6.5, Oct 7.25); cold
///   C3 (initial 0) unread
///
/// Tariffs: cold 40.00 from 2026-01 and 42.30 from 2026-10 (defaults); hot
/// 200.00 default, 214.76 A's own; sewerage 30.00; maintenance 24.50.
/// Normatives: cold 4 m³, hot 3 m³ per person; coefficients as the
/// migration seeds them (cold 3 from 2025-12, hot 1.5). House B (one
/// apartment with a hot meter) pays the default hot price and is never
/// touched.
fn seed(conn: &mut PgConnection) -> Seeded {
    let a = HouseBuilder::new("A")
        .apartment(
            ApartmentBuilder::new("1")
                .area(dec!(54.30))
                .residents(None, 2)
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
                .residents(None, 3)
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
    let sewerage = tariff(Service::Sewerage, dec!(30.00), "2026-01").insert(&mut *conn);
    let upkeep = tariff(Service::Maintenance, dec!(24.50), "2026-01").insert(&mut *conn);
    add_normative(&mut *conn, MeterKind::ColdWater, dec!(4), month("2026-01"));
    add_normative(&mut *conn, MeterKind::HotWater, dec!(3), month("2026-01"));
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
        sewerage: sewerage.id,
        upkeep: upkeep.id,
        c1: a.meter("C1").id,
        c2: a.meter("C2").id,
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
    method: LineMethod,
    coefficient: Option<Decimal>,
    excess: Decimal,
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
            method: c.method,
            coefficient: c.coefficient,
            excess: c.excess,
            explanation: c.explanation,
        })
        .collect()
}

/// (apartment, service, quantity, unit price, amount, tariff, method,
/// missing)
type Expected = (
    ApartmentId,
    Service,
    Decimal,
    Decimal,
    Decimal,
    TariffId,
    LineMethod,
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
                l.method,
                l.missing_reading,
            )
        })
        .collect();
    assert_eq!(actual, expected);
}

/// The month's meter volumes of house A's meters: (meter, method, m³).
fn volumes(conn: &mut PgConnection, period: &str) -> Vec<(MeterId, LineMethod, Decimal)> {
    meter_volumes::table
        .filter(meter_volumes::period.eq(month(period)))
        .order_by(meter_volumes::meter_id)
        .select((
            meter_volumes::meter_id,
            meter_volumes::method,
            meter_volumes::volume,
        ))
        .load(conn)
        .unwrap()
}

fn run_row(conn: &mut PgConnection, run: BillingRunId) -> BillingRun {
    queries::run_queue::find(conn, run).unwrap()
}

fn basis(line: &Line) -> Basis {
    match serde_json::from_value(line.explanation.clone()).unwrap() {
        Explanation::Rules(basis) => basis,
        other => panic!("not by the rules: {other:?}"),
    }
}

#[test]
fn a_hand_computed_house_is_billed_in_batches_of_two() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let s = seed(conn);
    let [a1, a2, a3] = s.apts;
    let house = queries::houses::find(conn, s.house).unwrap();
    assert_eq!(
        billing::unpriced(conn, &house, month("2026-09")).unwrap(),
        (vec![], vec![])
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
    // A1 2253.40 + A2 2473.01
    assert_eq!(after_first.amount, dec!(4726.41));
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
    use LineMethod::{Actual, Area, Normative, Sum};
    use Service::{ColdWater as Cold, HotWater as Hot, Maintenance as Upkeep, Sewerage};
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
                Actual,
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
                Actual,
                false,
            ),
            // 4.445 + 2.5 = 6.945 m³ × 30.00 = 208.35.
            (
                a1,
                Sewerage,
                dec!(6.945),
                dec!(30.00),
                dec!(208.35),
                s.sewerage,
                Sum,
                false,
            ),
            (
                a1,
                Upkeep,
                dec!(54.30),
                dec!(24.50),
                dec!(1330.35),
                s.upkeep,
                Area,
                false,
            ),
            // No meters, nobody registered: the owner × normative, raised by
            // K: 1 × 4 m³ × 40.00 × 3 = 480.00; 1 × 3 × 214.76 × 1.5 = 966.42.
            (
                a2,
                Cold,
                dec!(4),
                dec!(40.00),
                dec!(480.00),
                s.cold_sep,
                Normative,
                false,
            ),
            (
                a2,
                Hot,
                dec!(3),
                dec!(214.76),
                dec!(966.42),
                s.hot_own,
                Normative,
                false,
            ),
            // Sewerage is the volume without K: 7 m³ × 30.00.
            (
                a2,
                Sewerage,
                dec!(7),
                dec!(30.00),
                dec!(210.00),
                s.sewerage,
                Sum,
                false,
            ),
            // 33.33 × 24.50 = 816.585 → 816.59.
            (
                a2,
                Upkeep,
                dec!(33.33),
                dec!(24.50),
                dec!(816.59),
                s.upkeep,
                Area,
                false,
            ),
            // C3 was never read and has no average: the whole normative of
            // its 3 residents, 12 m³ × 40.00, without K (it is not faulty).
            (
                a3,
                Cold,
                dec!(12),
                dec!(40.00),
                dec!(480.00),
                s.cold_sep,
                Normative,
                true,
            ),
            (
                a3,
                Hot,
                dec!(1.5),
                dec!(214.76),
                dec!(322.14),
                s.hot_own,
                Actual,
                false,
            ),
            (
                a3,
                Sewerage,
                dec!(13.5),
                dec!(30.00),
                dec!(405.00),
                s.sewerage,
                Sum,
                false,
            ),
            (
                a3,
                Upkeep,
                dec!(40.00),
                dec!(24.50),
                dec!(980.00),
                s.upkeep,
                Area,
                false,
            ),
        ],
    );
    assert_eq!(september[0].tariff_valid_from, month("2026-01"));
    // K is kept with the line, and what it added: 480.00 − 160.00, 966.42 − 644.28.
    let raised: Vec<_> = september
        .iter()
        .map(|l| (l.coefficient, l.excess))
        .collect();
    assert_eq!(raised[4], (Some(dec!(3)), dec!(320.00)));
    assert_eq!(raised[5], (Some(dec!(1.5)), dec!(322.14)));
    assert!(
        raised
            .iter()
            .enumerate()
            .all(|(i, r)| i == 4 || i == 5 || *r == (None, dec!(0)))
    );
    let Basis::Meters { meters, normative } = basis(&september[0]) else {
        panic!("by meters");
    };
    assert_eq!(normative, None);
    assert_eq!(
        meters[0],
        MeterPart {
            serial: "C1".into(),
            found: Found::Actual {
                base: Base {
                    period: Some(month("2026-08")),
                    value: dec!(100.000)
                },
                estimated: dec!(0),
                estimated_months: None,
                reading: dec!(103.333),
                volume: dec!(3.333),
            },
            volume: dec!(3.333),
            raised: false,
        }
    );
    assert_eq!(
        basis(&september[4]),
        Basis::NoMeter {
            normative: NormativeVolume {
                people: People {
                    residents: 0,
                    owners: 1
                },
                normative: dec!(4),
                volume: dec!(4),
                meters: 0,
                coefficient: Some(dec!(3)),
            }
        }
    );
    assert_eq!(
        basis(&september[6]),
        Basis::Sum {
            cold: dec!(4),
            hot: dec!(3)
        }
    );
    assert_eq!(basis(&september[7]), Basis::Area { area: dec!(33.33) });
    // Every counting meter's volume is kept with the lines, C3's estimate too.
    let by_meter = volumes(conn, "2026-09");
    assert_eq!(by_meter.len(), 5, "C1, C2, H1, H2, C3: {by_meter:?}");
    assert!(by_meter.contains(&(s.c3, Normative, dec!(12))));
    assert!(by_meter.contains(&(s.c1, Actual, dec!(3.333))));

    let done = run_row(conn, run);
    assert_eq!(done.status, RunStatus::Completed);
    assert!(done.finished_at.is_some());
    assert_eq!((done.processed, done.total), (3, 3));
    assert_eq!(done.cursor, Some(a3));
    // 2253.40 + 2473.01 + 2187.14
    assert_eq!(done.amount, dec!(6913.55));
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
fn an_unread_meter_of_two_takes_half_the_normative_in_the_next_month() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let s = seed(conn);
    let [a1, _, a3] = s.apts;
    let run = start(conn, s.house, "2026-10");
    assert_eq!(run_to_end(conn, run, 2).len(), 2);

    use LineMethod::{Actual, Mixed, Normative, Sum};
    use Service::{ColdWater as Cold, HotWater as Hot, Sewerage};
    let october = lines(conn, &s, "2026-10");
    let of = |apartment, service| {
        october
            .iter()
            .find(|l| l.apartment == apartment && l.service == service)
            .map(|l| {
                (
                    l.quantity,
                    l.unit_price,
                    l.amount,
                    l.tariff,
                    l.method,
                    l.missing_reading,
                )
            })
            .unwrap()
    };
    // C1 103.333 → 103.383 = 0.050; C2 has no October reading and no
    // average (one reading in six months): half of 2 × 4 m³, without K.
    // 4.050 × 42.30 = 171.315 → 171.32, half a kopeck away from zero.
    assert_eq!(
        of(a1, Cold),
        (
            dec!(4.050),
            dec!(42.30),
            dec!(171.32),
            s.cold_oct,
            Mixed,
            true
        )
    );
    assert_eq!(
        of(a1, Hot),
        (
            dec!(0.5),
            dec!(214.76),
            dec!(107.38),
            s.hot_own,
            Actual,
            false
        )
    );
    assert_eq!(
        of(a1, Sewerage),
        (
            dec!(4.55),
            dec!(30.00),
            dec!(136.50),
            s.sewerage,
            Sum,
            false
        )
    );
    assert_eq!(
        of(a3, Cold),
        (
            dec!(12),
            dec!(42.30),
            dec!(507.60),
            s.cold_oct,
            Normative,
            true
        )
    );
    let cold = october.iter().find(|l| l.apartment == a1).unwrap();
    assert_eq!(cold.tariff_valid_from, month("2026-10"));
    let Basis::Meters { meters, normative } = basis(cold) else {
        panic!("by meters");
    };
    assert_eq!(
        (meters[1].found.clone(), meters[1].volume),
        (Found::Normative { faulty: false }, dec!(4))
    );
    assert_eq!(
        normative,
        Some(NormativeVolume {
            people: People {
                residents: 2,
                owners: 1
            },
            normative: dec!(4),
            volume: dec!(8),
            meters: 2,
            coefficient: None,
        })
    );
    let by_meter = volumes(conn, "2026-10");
    assert!(by_meter.contains(&(s.c2, Normative, dec!(4))));
    let run = run_row(conn, run);
    assert_eq!((run.processed, run.total), (3, 3));
    // A1 1745.55 + A2 2500.61 + A3 2031.17
    assert_eq!(run.amount, dec!(6277.33));
    // September was not billed by the October run.
    assert!(lines(conn, &s, "2026-09").is_empty());
}

#[test]
fn a_late_reading_gives_back_what_the_normative_billed_too_much() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let s = seed(conn);
    let [_, _, a3] = s.apts;
    let september = start(conn, s.house, "2026-09");
    run_to_end(conn, september, 10);
    // C3 billed 12 m³ by the normative in September; October reads 5.
    crate::helpers::fixtures::add_reading(&mut *conn, "C3", "2026-10", "5");
    let october = start(conn, s.house, "2026-10");
    run_to_end(conn, october, 10);
    let lines = lines(conn, &s, "2026-10");
    let of = |service| {
        lines
            .iter()
            .find(|l| l.apartment == a3 && l.service == service)
            .unwrap()
    };
    // 5 − (0 initial + 12 estimated) = −7 m³ × 42.30: a recalculation.
    let cold = of(Service::ColdWater);
    assert_eq!(
        (
            cold.quantity,
            cold.amount,
            cold.method,
            cold.missing_reading
        ),
        (dec!(-7), dec!(-296.10), LineMethod::Actual, false)
    );
    let Basis::Meters { meters, .. } = basis(cold) else {
        panic!("by meters");
    };
    assert_eq!(
        meters[0].found,
        Found::Actual {
            base: Base {
                period: None,
                value: dec!(0)
            },
            estimated: dec!(12),
            estimated_months: Some((month("2026-09"), month("2026-09"))),
            reading: dec!(5),
            volume: dec!(-7),
        }
    );
    // Sewerage follows the water, recalculation included: (−7 + 0.75) × 30.
    assert_eq!(of(Service::Sewerage).amount, dec!(-187.50));
    assert!(volumes(conn, "2026-10").contains(&(s.c3, LineMethod::Actual, dec!(-7))));
    // What C3 was billed adds up to what it counted: 12 − 7 = 5.
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
    assert_eq!(first.len(), 12);
    let first_volumes = volumes(conn, "2026-09");

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
    assert_eq!(volumes(conn, "2026-09"), first_volumes);
    // The lines now belong to the second run; both runs billed the same.
    let by_run = queries::charges::list_for_apartments(conn, &s.apts, month("2026-09")).unwrap();
    assert!(by_run.iter().all(|c| c.run_id == all_at_once));
    assert_eq!(
        run_row(conn, by_one).amount,
        run_row(conn, all_at_once).amount
    );
}

#[test]
fn billing_again_drops_lines_and_volumes_that_no_longer_apply() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let s = seed(conn);
    let first = start(conn, s.house, "2026-09");
    run_to_end(conn, first, 2);
    let before = lines(conn, &s, "2026-09");

    // The house stops billing hot water and sewerage: their lines and the
    // hot meters' volumes go, the rest stay as they were.
    let services = [Service::ColdWater, Service::Maintenance];
    let changes = HouseChangeset {
        services: Some(&services),
        ..HouseChangeset::default()
    };
    queries::houses::update(conn, s.house, &changes).unwrap();
    let again = start(conn, s.house, "2026-09");
    run_to_end(conn, again, 2);
    let after = lines(conn, &s, "2026-09");
    let expected: Vec<&Line> = before
        .iter()
        .filter(|l| services.contains(&l.service))
        .collect();
    assert_eq!(after.iter().collect::<Vec<_>>(), expected);
    let kept: Vec<MeterId> = volumes(conn, "2026-09").iter().map(|v| v.0).collect();
    assert_eq!(kept, [s.c1, s.c2, s.c3]);
    // 177.80 + 1330.35 + 480.00 + 816.59 + 480.00 + 980.00
    assert_eq!(run_row(conn, again).amount, dec!(4264.74));
}

#[test]
fn a_start_needs_a_tariff_for_every_service_and_a_normative_for_water() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let id = HouseBuilder::new("C").insert(&mut *conn).id();
    let house = queries::houses::find(conn, id).unwrap();
    let missing = |conn: &mut PgConnection, period| {
        let house = queries::houses::find(conn, id).unwrap();
        billing::unpriced(conn, &house, month(period)).unwrap()
    };
    use Service::{ColdWater as Cold, HotWater as Hot, Maintenance as Upkeep, Sewerage};
    assert_eq!(
        missing(conn, "2026-09"),
        (vec![Cold, Hot, Sewerage, Upkeep], vec![Cold, Hot])
    );
    for service in [Cold, Sewerage, Upkeep] {
        TariffBuilder::new(service, dec!(10), month("2026-01")).insert(&mut *conn);
    }
    add_normative(&mut *conn, MeterKind::ColdWater, dec!(4), month("2026-01"));
    // Another house's own tariff and a future one do not count.
    let other = HouseBuilder::new("D").insert(&mut *conn).id();
    TariffBuilder::new(Hot, dec!(100), month("2026-01"))
        .for_house(other)
        .insert(&mut *conn);
    let future = TariffBuilder::new(Hot, dec!(100), month("2026-10"))
        .for_house(id)
        .insert(&mut *conn)
        .id;
    assert_eq!(missing(conn, "2026-09"), (vec![Hot], vec![Hot]));
    assert_eq!(missing(conn, "2026-10"), (vec![], vec![Hot]));
    let prices = billing::prices(conn, id, month("2026-10")).unwrap();
    assert_eq!(prices[&Hot].tariff, future);
    // A house that bills no hot water needs neither.
    let services = [Cold, Sewerage, Upkeep];
    let changes = HouseChangeset {
        services: Some(&services),
        ..HouseChangeset::default()
    };
    queries::houses::update(conn, house.id, &changes).unwrap();
    assert_eq!(missing(conn, "2026-10"), (vec![], vec![]));
    // The coefficient in effect goes with the normative: cold 3 since 2025-12.
    let rates = billing::rates(conn, id, month("2026-10")).unwrap();
    assert_eq!(rates[&MeterKind::ColdWater].coefficient, dec!(3));
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
    // Four lines for each of the three apartments: each once.
    assert_eq!(lines(conn, &s, "2026-09").len(), 12);
    assert_eq!(run_row(conn, run).amount, dec!(6913.55));
}

#[test]
fn billing_a_month_again_makes_the_later_billed_months_stale() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let s = seed(conn);
    let september = start(conn, s.house, "2026-09");
    run_to_end(conn, september, 10);
    let october = start(conn, s.house, "2026-10");
    run_to_end(conn, october, 10);
    assert!(!run_row(conn, september).is_stale() && !run_row(conn, october).is_stale());
    // October measured C3's reading from September's estimate: billing
    // September again may change it.
    let again = start(conn, s.house, "2026-09");
    run_to_end(conn, again, 10);
    assert!(!run_row(conn, again).is_stale());
    assert!(run_row(conn, october).is_stale());
}
