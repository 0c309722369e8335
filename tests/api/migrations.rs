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
const MIGRATIONS: usize = 16;

const DOMAIN_TABLES: [&str; 18] = [
    "apartment_residents",
    "apartments",
    "api_tokens",
    "audit_log",
    "billing_run_prices",
    "billing_runs",
    "charges",
    "coefficients",
    "houses",
    "login_attempts",
    "meters",
    "normatives",
    "pending_forms",
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
    use diesel_migrations::MigrationHarness;
    let db = TestDb::empty();
    let mut conn = db.conn();
    migrations::run_pending(&mut conn).unwrap();
    // Back to before 2026-12-02-000004_billing_rules_data.
    while !conn
        .revert_last_migration(migrations::MIGRATIONS)
        .unwrap()
        .to_string()
        .replace('-', "")
        .starts_with("20261202000004")
    {}
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

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
