//! `kvartplata demo`, run as the binary against a database of its own.

use std::collections::HashMap;

use diesel::prelude::*;
use kvartplata::db::schema::{
    accounts, apartments, houses, key_rates, meters, payments, readings, tariffs,
};
use kvartplata::domain::{MeterKind, Period, ReadingSource};
use rust_decimal::Decimal;

use crate::helpers::app::kvartplata;
use crate::helpers::db::TestDb;

fn demo(db: &TestDb, args: &[&str]) -> String {
    let out = kvartplata(&[&["demo"], args].concat(), &db.url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[derive(Debug, PartialEq)]
struct Counts {
    houses: i64,
    apartments: i64,
    meters: i64,
    readings: i64,
    tariffs: i64,
}

fn counts(conn: &mut PgConnection) -> Counts {
    Counts {
        houses: houses::table.count().get_result(conn).unwrap(),
        apartments: apartments::table.count().get_result(conn).unwrap(),
        meters: meters::table.count().get_result(conn).unwrap(),
        readings: readings::table.count().get_result(conn).unwrap(),
        tariffs: tariffs::table.count().get_result(conn).unwrap(),
    }
}

#[test]
fn demo_migrates_an_empty_database_and_loads_a_realistic_data_set() {
    let db = TestDb::empty();
    let out = demo(&db, &["--houses", "2", "--apartments", "60"]);
    assert_eq!(out.matches("  created  г. ").count(), 2, "{out}");
    assert!(out.contains("tariffs: 9 created"), "{out}");
    assert!(out.contains("normatives: 2 created"), "{out}");

    let mut conn = db.conn();
    let c = counts(&mut conn);
    assert_eq!((c.houses, c.apartments, c.tariffs), (2, 120, 9), "{c:?}");

    // Every apartment has its account, the first house's numbered as the
    // sample register names them; a key rate makes penalties.
    let numbers: Vec<String> = accounts::table
        .select(accounts::number)
        .order_by(accounts::number)
        .load(&mut conn)
        .unwrap();
    assert_eq!(numbers.len(), 120);
    assert_eq!(numbers[..3], ["1001001001", "1001001002", "1001001003"]);
    let rates: i64 = key_rates::table.count().get_result(&mut conn).unwrap();
    let paid: i64 = payments::table.count().get_result(&mut conn).unwrap();
    assert!(rates == 1 && paid > 0, "{rates} key rates, {paid} payments");
    assert!(out.contains("key rates: 1 created"), "{out}");
    // The receipts have an executor and a QR code to pay by.
    let organization = kvartplata::db::queries::organization::find(&mut conn)
        .unwrap()
        .expect("the demo's organisation");
    assert_eq!(organization.bic, "044525225");
    assert!(
        out.contains("the organisation's details: set for the demo"),
        "{out}"
    );

    let addresses: Vec<String> = houses::table
        .select(houses::address)
        .load(&mut conn)
        .unwrap();
    assert!(
        addresses.iter().all(|a| a.starts_with("г. ")),
        "{addresses:?}"
    );

    let flats: Vec<(i64, String, Decimal)> = apartments::table
        .select((apartments::id, apartments::number, apartments::area))
        .load(&mut conn)
        .unwrap();
    assert!(
        flats.iter().any(|(_, n, _)| n.ends_with('А')),
        "a lettered one"
    );
    assert!(
        flats.iter().all(|(_, _, area)| {
            *area >= Decimal::new(2840, 2) && *area <= Decimal::new(11890, 2)
        })
    );

    // One cold and one hot meter per apartment; some with two cold, a few with none.
    let all_meters: Vec<(i64, i64, MeterKind, Decimal)> = meters::table
        .select((
            meters::id,
            meters::apartment_id,
            meters::kind,
            meters::initial_reading,
        ))
        .load(&mut conn)
        .unwrap();
    assert_eq!(all_meters.len() as i64, c.meters);
    let mut per_flat: HashMap<i64, Vec<MeterKind>> = HashMap::new();
    for (_, flat, kind, _) in &all_meters {
        per_flat.entry(*flat).or_default().push(*kind);
    }
    assert!(per_flat.len() < flats.len(), "a few flats have no meters");
    assert!(per_flat.values().any(|k| k.len() == 3));
    assert!(per_flat.values().all(|kinds| {
        kinds.contains(&MeterKind::ColdWater) && kinds.contains(&MeterKind::HotWater)
    }));

    // Six months ending with the previous one, rising by realistic amounts;
    // a few meters still wait for the last month.
    let last = Period::current().previous();
    let first = (0..5).fold(last, |p, _| p.previous());
    let mut by_meter: HashMap<i64, Vec<(Period, Decimal)>> = HashMap::new();
    for (meter, period, value) in readings::table
        .select((readings::meter_id, readings::period, readings::value))
        .order_by((readings::meter_id, readings::period))
        .load::<(i64, Period, Decimal)>(&mut conn)
        .unwrap()
    {
        by_meter.entry(meter).or_default().push((period, value));
    }
    // Each house has one meter replaced three months ago: its successor is
    // read from the month after.
    let replaced: Vec<(i64, Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)> = meters::table
        .filter(
            meters::decommissioned_on
                .is_not_null()
                .or(meters::serial.like("%-З")),
        )
        .select((
            meters::id,
            meters::commissioned_on,
            meters::decommissioned_on,
        ))
        .load(&mut conn)
        .unwrap();
    assert_eq!(replaced.len(), 4, "{replaced:?}");
    let successors: Vec<i64> = replaced
        .iter()
        .filter(|(_, _, out)| out.is_none())
        .map(|(id, ..)| *id)
        .collect();
    let finals: i64 = readings::table
        .filter(readings::source.eq(ReadingSource::Final))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!((successors.len(), finals), (2, 2));
    let mut waiting = 0;
    let mut unread = 0;
    for (id, _, kind, initial) in &all_meters {
        let series = &by_meter[id];
        let successor = successors.contains(id);
        let start = if successor { last.previous() } else { first };
        assert_eq!(series[0].0, start, "meter {id}");
        let (lo, hi) = match kind {
            MeterKind::ColdWater => (2, 9),
            MeterKind::HotWater => (1, 5),
        };
        let mut previous = *initial;
        let mut period = start;
        for (p, value) in series {
            assert_eq!(*p, period, "consecutive months");
            let used = value - previous;
            assert!(
                used >= Decimal::from(lo) && used <= Decimal::from(hi),
                "meter {id} used {used} m³ in {p}"
            );
            previous = *value;
            period = period.next();
        }
        match series.len() {
            6 => assert_eq!(series[5].0, last),
            5 => waiting += 1,
            3 => unread += 1,
            // Replaced: read up to its final reading, or read since.
            4 | 2 => assert!(replaced.iter().any(|r| r.0 == *id)),
            n => panic!("meter {id} has {n} readings"),
        }
    }
    assert!(waiting > 0, "some meters miss last month's reading");
    assert_eq!(unread, 2, "one meter a house unread for three months");
    assert_eq!(
        by_meter.values().map(Vec::len).sum::<usize>() as i64,
        c.readings
    );

    // The first three months are billed and closed, the next three open.
    let closed_through = first.next().next();
    assert_eq!(
        out.matches(&format!("billed and closed through {closed_through}"))
            .count(),
        2,
        "{out}"
    );
    let closed: Vec<Option<kvartplata::domain::Period>> = houses::table
        .select(houses::closed_through)
        .load(&mut conn)
        .unwrap();
    assert_eq!(closed, [Some(closed_through); 2]);
    #[derive(QueryableByName, Debug, PartialEq)]
    struct Billed {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        runs: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        lines: i64,
        #[diesel(sql_type = diesel::sql_types::Text)]
        methods: String,
    }
    let billed: Billed = diesel::sql_query(
        "SELECT (SELECT count(*) FROM billing_runs WHERE status = 'completed' \
                 AND stale_at IS NULL) AS runs, \
                (SELECT count(*) FROM charges) AS lines, \
                (SELECT string_agg(DISTINCT method, ' ') FROM charges) AS methods",
    )
    .get_result(&mut conn)
    .unwrap();
    // 2 houses × 3 months; 120 apartments × 4 services × 3 months; water by
    // readings, or by the normative where there is no meter (the estimates
    // come in the open months, which miss readings).
    assert_eq!(
        billed,
        Billed {
            runs: 6,
            lines: 1440,
            methods: "actual area normative sum".into()
        }
    );
}

#[test]
fn running_demo_again_adds_nothing_and_more_houses_adds_only_those() {
    let db = TestDb::empty();
    demo(&db, &["--houses", "1", "--apartments", "10"]);
    let once = counts(&mut db.conn());

    let out = demo(&db, &["--houses", "1", "--apartments", "10"]);
    assert!(
        out.contains("skipped  г. Казань, ул. Баумана, д. 12"),
        "{out}"
    );
    assert!(out.contains("tariffs: 0 created, 9 skipped"), "{out}");
    assert_eq!(counts(&mut db.conn()), once);

    let out = demo(&db, &["--houses", "2", "--apartments", "10"]);
    assert_eq!(out.matches("  created  ").count(), 1, "{out}");
    let twice = counts(&mut db.conn());
    assert_eq!(
        (twice.houses, twice.apartments, twice.tariffs),
        (2, 20, 9),
        "{twice:?}"
    );
    assert!(twice.meters > once.meters && twice.readings > once.readings);
}

#[test]
fn demo_keeps_prices_a_service_already_has() {
    let db = TestDb::empty();
    assert!(kvartplata(&["migrate"], &db.url).status.success());
    diesel::sql_query(
        "INSERT INTO tariffs (service, price, valid_from) VALUES ('cold_water', 50, '2020-01-01')",
    )
    .execute(&mut db.conn())
    .unwrap();
    let out = demo(&db, &["--houses", "1", "--apartments", "5"]);
    assert!(out.contains("tariffs: 7 created, 2 skipped"), "{out}");
    let cold: i64 = tariffs::table
        .filter(tariffs::service.eq("cold_water"))
        .count()
        .get_result(&mut db.conn())
        .unwrap();
    assert_eq!(cold, 1);
}

#[test]
fn absurd_sizes_are_refused_before_touching_the_database() {
    // Nothing listens on port 1: a refusal must come from the arguments.
    let url = "postgres://u:pw@127.0.0.1:1/nowhere";
    for (arg, flag) in [
        ("--houses=0", "--houses"),
        ("--houses=1000", "--houses"),
        ("--houses=-3", "--houses"),
        ("--apartments=0", "--apartments"),
        ("--apartments=1000000", "--apartments"),
        ("--apartments=lots", "--apartments"),
    ] {
        let out = kvartplata(&["demo", arg], url);
        assert_eq!(out.status.code(), Some(2), "{arg}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(flag), "{arg}: {stderr}");
        assert!(!stderr.contains("cannot connect"), "{stderr}");
    }
}
