//! A billing run bills one state of its inputs: its prices are fixed when it
//! starts, and a change to its house and month's inputs while it runs or
//! after it completed marks it stale. Batches are run by hand, so the
//! changes land between two batches of the same run.

use diesel::prelude::*;
use kvartplata::billing;
use kvartplata::db::models::{BillingRun, BillingRunId, Charge, HouseId};
use kvartplata::db::queries;
use kvartplata::domain::{MeterKind, Period, ReadingSource, RunStatus, Service};
use kvartplata::services::apartments::{self, ChangeApartment};
use kvartplata::services::readings::{self, MeterRef, ReadingEntry};
use kvartplata::services::tariffs::{self, AddTariff, ChangeTariff};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::helpers::db::TestDb;
use crate::helpers::fixtures::{HouseBuilder, SeededHouse, TariffBuilder, add_normative, month};

const OWNER: &str = "test-worker/1";
const LEASE: std::time::Duration = std::time::Duration::from_secs(60);
const SEPTEMBER: &str = "2026-09";

fn today() -> Period {
    month("2026-11")
}

/// Four apartments with a cold meter each, read 5 m³ in September; cold
/// water at 46.18, hot water at 200.00, sewerage at 30.00 and maintenance
/// at 20.00 from January, normatives of 4 m³ (cold) and 3 m³ (hot).
fn seed(conn: &mut PgConnection, address: &str) -> SeededHouse {
    HouseBuilder::new(address)
        .apartments(4)
        .meter_in_each(MeterKind::ColdWater, address)
        .reading_on_every_meter(month(SEPTEMBER), dec!(5))
        .insert(&mut *conn)
}

fn default_tariffs(conn: &mut PgConnection) {
    TariffBuilder::new(Service::ColdWater, dec!(46.18), month("2026-01")).insert(&mut *conn);
    TariffBuilder::new(Service::Maintenance, dec!(20.00), month("2026-01")).insert(&mut *conn);
    TariffBuilder::new(Service::HotWater, dec!(200.00), month("2026-01")).insert(&mut *conn);
    TariffBuilder::new(Service::Sewerage, dec!(30.00), month("2026-01")).insert(&mut *conn);
    add_normative(&mut *conn, MeterKind::ColdWater, dec!(4), month("2026-01"));
    add_normative(&mut *conn, MeterKind::HotWater, dec!(3), month("2026-01"));
}

/// Starts the run as the pages do (prices kept) and claims it as a worker.
fn start(conn: &mut PgConnection, house: HouseId) -> BillingRunId {
    let run = billing::start(conn, house, month(SEPTEMBER), today()).unwrap();
    let claimed = queries::run_queue::claim(conn, OWNER, LEASE).unwrap();
    assert_eq!(
        claimed.map(|c| c.run.id),
        Some(run.id),
        "the new run is claimed"
    );
    run.id
}

fn batch(conn: &mut PgConnection, run: BillingRunId, size: usize) -> bool {
    billing::run_batch(conn, run, OWNER, size).unwrap().done
}

fn finish(conn: &mut PgConnection, run: BillingRunId) {
    for _ in 0..100 {
        if batch(conn, run, 1) {
            return;
        }
    }
    panic!("run {run} never ends");
}

fn run(conn: &mut PgConnection, id: BillingRunId) -> BillingRun {
    queries::run_queue::find(conn, id).unwrap()
}

fn lines(conn: &mut PgConnection, house: &SeededHouse) -> Vec<Charge> {
    let ids: Vec<_> = house.apartments.iter().map(|a| a.id).collect();
    queries::charges::list_for_apartments(conn, &ids, month(SEPTEMBER)).unwrap()
}

fn cold_prices(conn: &mut PgConnection, house: &SeededHouse) -> Vec<Decimal> {
    lines(conn, house)
        .into_iter()
        .filter(|c| c.service == Service::ColdWater)
        .map(|c| c.unit_price)
        .collect()
}

fn correct(conn: &mut PgConnection, house: &SeededHouse, serial: &str, value: Decimal) {
    let entry = ReadingEntry {
        meter: MeterRef::Id(house.meter(serial).id),
        period: month(SEPTEMBER),
        value,
    };
    readings::save(conn, ReadingSource::Api, &[Ok(entry)], None, today()).unwrap();
}

#[test]
fn a_tariff_added_mid_run_changes_no_line_of_it_and_marks_it_stale() {
    let db = TestDb::migrated();
    let mut conn = db.conn();
    let conn = &mut conn;
    let house = seed(conn, "A");
    default_tariffs(conn);
    let id = start(conn, house.id());
    assert!(!batch(conn, id, 2), "two of four apartments billed");

    // A tariff from a later month is no input of September.
    let october = AddTariff {
        service: Service::ColdWater,
        price: dec!(50.00),
        valid_from: month("2026-10"),
        house: None,
    };
    tariffs::create(conn, &october).unwrap();
    assert_eq!(run(conn, id).stale_at, None, "October's tariff leaves it");

    let own = AddTariff {
        service: Service::ColdWater,
        price: dec!(99.00),
        valid_from: month(SEPTEMBER),
        house: Some(house.id()),
    };
    let added = tariffs::create(conn, &own).unwrap();
    finish(conn, id);

    assert_eq!(cold_prices(conn, &house), vec![dec!(46.18); 4]);
    let done = run(conn, id);
    assert_eq!(done.status, RunStatus::Completed);
    assert!(done.is_stale(), "the new price is in effect for its month");
    assert_eq!(
        done.amount,
        // Cold by the reading, hot by the owner's normative raised by K
        // 1.5, sewerage 5 + 3 m³, maintenance by the area.
        dec!(4)
            * (dec!(5) * dec!(46.18)
                + dec!(3) * dec!(200) * dec!(1.5)
                + dec!(8) * dec!(30)
                + dec!(45.50) * dec!(20))
    );

    // Billing again bills the price in effect now, and the new run is fresh.
    let again = start(conn, house.id());
    finish(conn, again);
    assert_eq!(cold_prices(conn, &house), vec![dec!(99.00); 4]);
    assert!(!run(conn, again).is_stale());

    // Changing that tariff's price marks the new run stale too.
    let change = ChangeTariff {
        price: Some(dec!(98.00)),
        valid_from: None,
    };
    // Charges were billed at it, so it cannot change: nothing is marked.
    assert!(tariffs::update(conn, added.id, &change).is_err());
    assert!(!run(conn, again).is_stale());
}

#[test]
fn a_tariff_changed_after_a_queued_run_started_marks_it_stale() {
    let db = TestDb::migrated();
    let mut conn = db.conn();
    let conn = &mut conn;
    let house = seed(conn, "A");
    default_tariffs(conn);
    let own = TariffBuilder::new(Service::ColdWater, dec!(60.00), month(SEPTEMBER))
        .for_house(house.id())
        .insert(&mut *conn);
    let queued = billing::start(conn, house.id(), month(SEPTEMBER), today()).unwrap();

    // The run's lines will refer to the tariff: it cannot go meanwhile.
    assert!(tariffs::delete(conn, own.id).is_err());
    assert!(!run(conn, queued.id).is_stale());

    let change = ChangeTariff {
        price: Some(dec!(65.00)),
        valid_from: None,
    };
    tariffs::update(conn, own.id, &change).unwrap();
    assert!(
        run(conn, queued.id).is_stale(),
        "its kept price is no longer in effect"
    );

    // It still bills at the price it started with.
    queries::run_queue::claim(conn, OWNER, LEASE).unwrap();
    finish(conn, queued.id);
    assert_eq!(cold_prices(conn, &house), vec![dec!(60.00); 4]);
}

#[test]
fn a_reading_corrected_mid_run_marks_it_stale() {
    let db = TestDb::migrated();
    let mut conn = db.conn();
    let conn = &mut conn;
    let house = seed(conn, "A");
    let other = seed(conn, "B");
    default_tariffs(conn);
    let other_run = start(conn, other.id());
    finish(conn, other_run);
    let id = start(conn, house.id());
    assert!(!batch(conn, id, 1), "apartment 1 billed");

    // The same value again is no change.
    correct(conn, &house, "A-1", dec!(5));
    assert!(!run(conn, id).is_stale());

    correct(conn, &house, "A-1", dec!(7));
    assert!(run(conn, id).is_stale(), "apartment 1 was billed from 5");
    finish(conn, id);
    let done = run(conn, id);
    assert_eq!(done.status, RunStatus::Completed);
    assert!(done.is_stale(), "it stays stale once completed");
    assert!(
        !run(conn, other_run).is_stale(),
        "another house's run is untouched"
    );
}

#[test]
fn changes_after_a_run_completed_mark_it_stale_and_a_later_months_run_too() {
    let db = TestDb::migrated();
    let mut conn = db.conn();
    let conn = &mut conn;
    let house = seed(conn, "A");
    default_tariffs(conn);
    let september = start(conn, house.id());
    finish(conn, september);

    // A reading of August is September's base.
    let entry = ReadingEntry {
        meter: MeterRef::Id(house.meter("A-2").id),
        period: month("2026-08"),
        value: dec!(1),
    };
    readings::save(conn, ReadingSource::Form, &[Ok(entry)], None, today()).unwrap();
    assert!(run(conn, september).is_stale());

    let again = start(conn, house.id());
    finish(conn, again);
    assert!(!run(conn, again).is_stale());
    let change = ChangeApartment {
        area: Some(dec!(50)),
        ..ChangeApartment::default()
    };
    apartments::update(conn, house.apartment("3").id, &change).unwrap();
    assert!(
        run(conn, again).is_stale(),
        "an area is an input of every month"
    );
}

#[test]
fn a_normative_or_coefficient_changed_after_a_run_marks_it_stale_unless_restated() {
    use kvartplata::services::normatives::{self, AddRate, ChangeRate};
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let house = seed(conn, "A");
    let other = seed(conn, "B");
    default_tariffs(conn);
    let id = start(conn, house.id());
    finish(conn, id);
    let elsewhere = start(conn, other.id());
    finish(conn, elsewhere);

    // B's own normative from October: September's terms are unchanged.
    let own = AddRate {
        service: MeterKind::HotWater,
        value: dec!(2.5),
        valid_from: month("2026-10"),
        house: Some(other.id()),
    };
    let own = normatives::create(conn, &own).unwrap();
    assert!(!run(conn, id).is_stale() && !run(conn, elsewhere).is_stale());
    // Moved to September, it changes B's bill only.
    let to_september = ChangeRate {
        value: None,
        valid_from: Some(month(SEPTEMBER)),
    };
    normatives::update(conn, own.id, &to_september).unwrap();
    assert!(!run(conn, id).is_stale());
    assert!(run(conn, elsewhere).is_stale());

    // A new coefficient for hot water from September changes A's hot line.
    let coefficient = AddRate {
        service: MeterKind::HotWater,
        value: dec!(2),
        valid_from: month(SEPTEMBER),
        house: None,
    };
    let added = normatives::create_coefficient(conn, &coefficient).unwrap();
    assert!(run(conn, id).is_stale());
    // Billed again at it; restating the same value changes nothing.
    let again = start(conn, house.id());
    finish(conn, again);
    assert!(!run(conn, again).is_stale());
    let restated = ChangeRate {
        value: Some(dec!(2.00)),
        valid_from: None,
    };
    normatives::update_coefficient(conn, added.id, &restated).unwrap();
    assert!(!run(conn, again).is_stale());
    normatives::delete_coefficient(conn, added.id).unwrap();
    assert!(run(conn, again).is_stale(), "K falls back to 1.5");
}
