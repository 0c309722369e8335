//! The database itself refuses invalid rows, whatever the application does.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

use crate::helpers::db::TestDb;

/// A house (id 1) with apartment 1, meter 1 (serial M-1) and tariff 1.
fn seeded() -> (TestDb, PgConnection) {
    let db = TestDb::migrated();
    let mut conn = db.conn();
    for sql in [
        "INSERT INTO houses (id, address) VALUES (1, 'ул. Ленина, 1')",
        "INSERT INTO apartments (id, house_id, number, area) VALUES (1, 1, '1', 54.30)",
        "INSERT INTO meters (id, apartment_id, serial, kind) VALUES (1, 1, 'M-1', 'cold_water')",
        "INSERT INTO tariffs (id, service, price, valid_from) VALUES (1, 'cold_water', 42.30, '2026-01-01')",
        "INSERT INTO billing_runs (id, house_id, period, status) VALUES (1, 1, '2026-09-01', 'running')",
    ] {
        diesel::sql_query(sql).execute(&mut conn).unwrap();
    }
    // Explicit ids leave the identity sequences behind; move them past.
    for table in ["houses", "apartments", "meters", "tariffs", "billing_runs"] {
        diesel::sql_query(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1000)"
        ))
        .execute(&mut conn)
        .unwrap();
    }
    (db, conn)
}

#[track_caller]
fn assert_refused(conn: &mut PgConnection, sql: &str, kind: DatabaseErrorKind, constraint: &str) {
    match diesel::sql_query(sql).execute(conn) {
        Err(Error::DatabaseError(actual, info)) => {
            assert_eq!(
                std::mem::discriminant(&actual),
                std::mem::discriminant(&kind),
                "{sql}: {}",
                info.message()
            );
            assert_eq!(
                info.constraint_name(),
                Some(constraint),
                "{sql}: {}",
                info.message()
            );
        }
        other => panic!("{sql} was not refused: {other:?}"),
    }
}

#[test]
fn area_must_be_positive_and_at_most_10000() {
    let (_db, mut conn) = seeded();
    for area in ["0", "-1", "10000.01"] {
        assert_refused(
            &mut conn,
            &format!("INSERT INTO apartments (house_id, number, area) VALUES (1, '2', {area})"),
            DatabaseErrorKind::CheckViolation,
            "apartments_area_check",
        );
    }
    diesel::sql_query("INSERT INTO apartments (house_id, number, area) VALUES (1, '2', 10000)")
        .execute(&mut conn)
        .unwrap();
}

#[test]
fn meter_serials_are_unique_across_the_system() {
    let (_db, mut conn) = seeded();
    diesel::sql_query("INSERT INTO apartments (id, house_id, number, area) VALUES (2, 1, '2', 40)")
        .execute(&mut conn)
        .unwrap();
    assert_refused(
        &mut conn,
        "INSERT INTO meters (apartment_id, serial, kind) VALUES (2, 'M-1', 'hot_water')",
        DatabaseErrorKind::UniqueViolation,
        "meters_serial_key",
    );
}

#[test]
fn one_active_run_per_house_and_month() {
    let (_db, mut conn) = seeded();
    for status in ["queued", "running"] {
        assert_refused(
            &mut conn,
            &format!(
                "INSERT INTO billing_runs (house_id, period, status) VALUES (1, '2026-09-01', '{status}')"
            ),
            DatabaseErrorKind::UniqueViolation,
            "billing_runs_one_active_key",
        );
    }
    // Finished runs of the same month may pile up, and other months are free.
    for sql in [
        "INSERT INTO billing_runs (house_id, period, status) VALUES (1, '2026-09-01', 'completed')",
        "INSERT INTO billing_runs (house_id, period, status) VALUES (1, '2026-09-01', 'failed')",
        "INSERT INTO billing_runs (house_id, period, status) VALUES (1, '2026-10-01', 'queued')",
    ] {
        diesel::sql_query(sql).execute(&mut conn).unwrap();
    }
}

#[test]
fn a_reading_needs_an_existing_meter() {
    let (_db, mut conn) = seeded();
    assert_refused(
        &mut conn,
        "INSERT INTO readings (meter_id, period, value, source) VALUES (999, '2026-09-01', 10, 'api')",
        DatabaseErrorKind::ForeignKeyViolation,
        "readings_meter_id_fkey",
    );
}

#[test]
fn readings_are_one_per_meter_and_month_and_never_negative() {
    let (_db, mut conn) = seeded();
    diesel::sql_query(
        "INSERT INTO readings (meter_id, period, value, source) VALUES (1, '2026-09-01', 10, 'form')",
    )
    .execute(&mut conn)
    .unwrap();
    assert_refused(
        &mut conn,
        "INSERT INTO readings (meter_id, period, value, source) VALUES (1, '2026-09-01', 11, 'csv')",
        DatabaseErrorKind::UniqueViolation,
        "readings_meter_id_period_key",
    );
    assert_refused(
        &mut conn,
        "INSERT INTO readings (meter_id, period, value, source) VALUES (1, '2026-10-01', -1, 'api')",
        DatabaseErrorKind::CheckViolation,
        "readings_value_check",
    );
    assert_refused(
        &mut conn,
        "INSERT INTO readings (meter_id, period, value, source) VALUES (1, '2026-10-15', 12, 'api')",
        DatabaseErrorKind::CheckViolation,
        "readings_period_check",
    );
}

#[test]
fn kinds_services_and_prices_are_limited_to_their_values() {
    let (_db, mut conn) = seeded();
    assert_refused(
        &mut conn,
        "INSERT INTO meters (apartment_id, serial, kind) VALUES (1, 'G-1', 'gas')",
        DatabaseErrorKind::CheckViolation,
        "meters_kind_check",
    );
    assert_refused(
        &mut conn,
        "INSERT INTO tariffs (service, price, valid_from) VALUES ('heating', 1, '2026-01-01')",
        DatabaseErrorKind::CheckViolation,
        "tariffs_service_check",
    );
    assert_refused(
        &mut conn,
        "INSERT INTO tariffs (service, price, valid_from) VALUES ('hot_water', 0, '2026-01-01')",
        DatabaseErrorKind::CheckViolation,
        "tariffs_price_check",
    );
}

#[test]
fn one_tariff_per_service_house_and_month_including_the_default() {
    let (_db, mut conn) = seeded();
    assert_refused(
        &mut conn,
        "INSERT INTO tariffs (service, price, valid_from) VALUES ('cold_water', 50, '2026-01-01')",
        DatabaseErrorKind::UniqueViolation,
        "tariffs_service_house_valid_from_key",
    );
    // A house's own tariff for the same month is a different row.
    diesel::sql_query(
        "INSERT INTO tariffs (service, price, valid_from, house_id) VALUES ('cold_water', 50, '2026-01-01', 1)",
    )
    .execute(&mut conn)
    .unwrap();
}

#[test]
fn addresses_are_unique_ignoring_case_and_surrounding_spaces() {
    let (_db, mut conn) = seeded();
    assert_refused(
        &mut conn,
        "INSERT INTO houses (address) VALUES ('  УЛ. ЛЕНИНА, 1 ')",
        DatabaseErrorKind::UniqueViolation,
        "houses_address_key",
    );
    assert_refused(
        &mut conn,
        "INSERT INTO houses (address) VALUES ('   ')",
        DatabaseErrorKind::CheckViolation,
        "houses_address_check",
    );
}

#[test]
fn apartment_numbers_are_unique_within_a_house() {
    let (_db, mut conn) = seeded();
    assert_refused(
        &mut conn,
        "INSERT INTO apartments (house_id, number, area) VALUES (1, '1', 30)",
        DatabaseErrorKind::UniqueViolation,
        "apartments_house_id_number_key",
    );
}

#[test]
fn history_blocks_deleting_what_it_belongs_to() {
    let (_db, mut conn) = seeded();
    diesel::sql_query(
        "INSERT INTO readings (meter_id, period, value, source) VALUES (1, '2026-09-01', 10, 'form')",
    )
    .execute(&mut conn)
    .unwrap();
    assert_refused(
        &mut conn,
        "DELETE FROM houses WHERE id = 1",
        DatabaseErrorKind::ForeignKeyViolation,
        "readings_meter_id_fkey",
    );
}
