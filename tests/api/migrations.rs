use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use kvartplata::db::migrations;

use crate::helpers::db::TestDb;

#[derive(QueryableByName, Debug, PartialEq)]
struct Table {
    #[diesel(sql_type = Text)]
    table_name: String,
}

fn tables(conn: &mut PgConnection) -> Vec<String> {
    diesel::sql_query(
        "SELECT table_name::text AS table_name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_name NOT LIKE '\\_\\_%' ORDER BY table_name COLLATE \"C\"",
    )
    .load::<Table>(conn)
    .unwrap()
    .into_iter()
    .map(|t| t.table_name)
    .collect()
}

/// How many migrations the project has.
const MIGRATIONS: usize = 21;

const DOMAIN_TABLES: [&str; 29] = [
    "accounts",
    "apartment_residents",
    "apartments",
    "api_tokens",
    "audit_log",
    "billing_run_prices",
    "billing_run_rates",
    "billing_runs",
    "charges",
    "coefficients",
    "due_days",
    "houses",
    "key_rates",
    "login_attempts",
    "meter_volumes",
    "meters",
    "normatives",
    "organization",
    "payment_imports",
    "payments",
    "penalties",
    "penalty_caps",
    "pending_forms",
    "reading_doubts",
    "readings",
    "server_secrets",
    "sessions",
    "tariffs",
    "users",
];

#[test]
fn every_migration_runs_up_down_and_up_again() {
    let db = TestDb::empty();
    let mut conn = db.conn();

    let applied = migrations::run_pending(&mut conn).unwrap();
    assert_eq!(applied.len(), MIGRATIONS);
    assert_eq!(tables(&mut conn), DOMAIN_TABLES);

    let reverted = migrations::revert_all(&mut conn).unwrap();
    assert_eq!(reverted.len(), MIGRATIONS);
    assert!(
        tables(&mut conn).is_empty(),
        "down.sql leaves nothing behind"
    );

    assert_eq!(
        migrations::run_pending(&mut conn).unwrap().len(),
        MIGRATIONS
    );
    assert_eq!(tables(&mut conn), DOMAIN_TABLES);
    assert!(migrations::run_pending(&mut conn).unwrap().is_empty());
}

#[test]
fn two_processes_migrating_at_once_do_not_collide() {
    let db = TestDb::empty();
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_kvartplata"))
            .arg("migrate")
            .env("DATABASE_URL", &db.url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (spawn(), spawn());
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{:?}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(tables(&mut db.conn()), DOMAIN_TABLES);
}

/// Houses that existed before services were stored keep billing what they
/// did: maintenance and the water of their meters' kinds, no sewerage.
#[test]
fn existing_houses_keep_the_services_they_billed() {
    let db = TestDb::empty();
    let mut conn = db.conn();
    migrated_to_before(&mut conn, "20261202000004");
    conn.batch_execute(
        "INSERT INTO houses (id, address) VALUES (1, 'ул. Холодная, 1'), (2, 'ул. Пустая, 2');
         INSERT INTO apartments (id, house_id, number, area) VALUES (1, 1, '1', 40);
         INSERT INTO meters (apartment_id, serial, kind) VALUES (1, 'ХВ-1', 'cold_water');",
    )
    .unwrap();
    migrations::run_pending(&mut conn).unwrap();

    #[derive(QueryableByName)]
    struct Services {
        #[diesel(sql_type = diesel::sql_types::Array<Text>)]
        services: Vec<String>,
    }
    let services: Vec<Vec<String>> = diesel::sql_query("SELECT services FROM houses ORDER BY id")
        .load::<Services>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|s| s.services)
        .collect();
    assert_eq!(
        services,
        [vec!["cold_water", "maintenance"], vec!["maintenance"]]
    );
    // The migration itself is nobody's change.
    let logged: i64 = diesel::sql_query(
        "SELECT count(*) AS n FROM audit_log WHERE entity = 'house' AND action = 'update'",
    )
    .get_result::<Count>(&mut conn)
    .unwrap()
    .n;
    assert_eq!(logged, 0);
}

#[test]
fn lines_billed_before_the_rules_keep_their_method_and_read_as_they_were() {
    let db = TestDb::empty();
    let mut conn = db.conn();
    migrated_to_before(&mut conn, "20261202000005");
    conn.batch_execute(
        r#"INSERT INTO houses (id, address) VALUES (1, 'ул. Холодная, 1');
         INSERT INTO apartments (id, house_id, number, area) VALUES (1, 1, '1', 40);
         INSERT INTO tariffs (id, service, price, valid_from) VALUES
             (1, 'cold_water', 40, '2026-01-01'), (2, 'maintenance', 20, '2026-01-01');
         INSERT INTO billing_runs (id, house_id, period, status, total)
             VALUES (1, 1, '2026-09-01', 'completed', 1);
         INSERT INTO charges (run_id, apartment_id, period, service, quantity, unit, unit_price,
                              amount, tariff_id, tariff_valid_from, missing_reading, explanation)
         VALUES (1, 1, '2026-09-01', 'cold_water', 1.5, 'm3', 40, 60, 1, '2026-01-01', true,
                 '{"basis": "meters", "meters": [{"serial": "ХВ-1",
                   "previous": {"period": "2026-08", "value": "10.000"},
                   "current": "11.500", "consumption": "1.500"},
                   {"serial": "ХВ-2", "previous": {"period": null, "value": "0"},
                   "current": null, "consumption": "0"}]}'),
                (1, 1, '2026-09-01', 'maintenance', 40, 'm2', 20, 800, 2, '2026-01-01', false,
                 '{"basis": "area", "area": "40.00"}');"#,
    )
    .unwrap();
    migrations::run_pending(&mut conn).unwrap();

    let month = kvartplata::domain::Period::new(2026, 9).unwrap();
    let charges = kvartplata::billing::charges::house_month(
        &mut conn,
        kvartplata::db::models::HouseId(1),
        month,
    )
    .unwrap();
    let lines = &charges.apartments[0].lines;
    use kvartplata::domain::LineMethod;
    assert_eq!(
        lines.iter().map(|l| l.method).collect::<Vec<_>>(),
        [LineMethod::Actual, LineMethod::Area]
    );
    assert!(
        lines
            .iter()
            .all(|l| l.coefficient.is_none() && l.excess.is_zero())
    );
    assert_eq!(
        lines[0].note(kvartplata::i18n::Locale::Ru),
        "ХВ-1: август 2026 10,000 → сентябрь 2026 11,500 (1,500 м³); \
         ХВ-2: начальное 0,000 → нет показания за сентябрь 2026 (добавляет 0 м³)"
    );
    assert_eq!(
        lines[1].note(kvartplata::i18n::Locale::Ru),
        "площадь 40,00 м²"
    );
}

/// A run's amount counts its penalties from 2026-12-03 on: runs billed
/// before gain those they still hold, and lose them again going down.
#[test]
fn runs_billed_before_penalties_were_lines_gain_them_in_their_amount() {
    let db = TestDb::empty();
    let mut conn = db.conn();
    migrated_to_before(&mut conn, "20261203000001");
    conn.batch_execute(
        "INSERT INTO houses (id, address) VALUES (1, 'ул. Пеней, 1');
         INSERT INTO apartments (id, house_id, number, area) VALUES (1, 1, '1', 60), (2, 1, '2', 40);
         INSERT INTO accounts (id, apartment_id, number, opening_period)
             VALUES (1, 1, '4004001', '2026-05-01'), (2, 2, '4004002', '2026-05-01');
         INSERT INTO billing_runs (id, house_id, period, status, total, amount) VALUES
             (1, 1, '2026-08-01', 'completed', 2, 3000.00),
             (2, 1, '2026-09-01', 'completed', 2, 3000.00);
         INSERT INTO penalties (run_id, account_id, period, amount, explanation) VALUES
             (1, 1, '2026-08-01', 27.36, '[]'), (1, 2, '2026-08-01', 0.64, '[]');",
    )
    .unwrap();
    let amounts = |conn: &mut PgConnection| -> Vec<String> {
        #[derive(QueryableByName)]
        struct Amount {
            #[diesel(sql_type = Text)]
            amount: String,
        }
        diesel::sql_query("SELECT amount::text AS amount FROM billing_runs ORDER BY id")
            .load::<Amount>(conn)
            .unwrap()
            .into_iter()
            .map(|a| a.amount)
            .collect()
    };
    migrations::run_pending(&mut conn).unwrap();
    assert_eq!(amounts(&mut conn), ["3028.00", "3000.00"]);
    migrated_to_before(&mut conn, "20261203000001");
    assert_eq!(amounts(&mut conn), ["3000.00", "3000.00"]);
}

/// Every migration run, then reverted down to (and including) the one
/// whose version starts with `version`, as a database was before it.
fn migrated_to_before(conn: &mut PgConnection, version: &str) {
    use diesel_migrations::MigrationHarness;
    migrations::run_pending(conn).unwrap();
    while !conn
        .revert_last_migration(migrations::MIGRATIONS)
        .unwrap()
        .to_string()
        .replace('-', "")
        .starts_with(version)
    {}
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
