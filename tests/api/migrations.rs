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

const DOMAIN_TABLES: [&str; 15] = [
    "apartments",
    "api_tokens",
    "audit_log",
    "billing_run_prices",
    "billing_runs",
    "charges",
    "houses",
    "login_attempts",
    "meters",
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
    assert_eq!(applied.len(), 15);
    assert_eq!(tables(&mut conn), DOMAIN_TABLES);

    let reverted = migrations::revert_all(&mut conn).unwrap();
    assert_eq!(reverted.len(), 15);
    assert!(
        tables(&mut conn).is_empty(),
        "down.sql leaves nothing behind"
    );

    assert_eq!(migrations::run_pending(&mut conn).unwrap().len(), 15);
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
