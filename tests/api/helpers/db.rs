//! Test databases: one per test, cloned from a template that holds every
//! migration and is built once per set of migrations.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use kvartplata::db::migrations;

/// The server the tests create their databases on; its role needs CREATEDB.
pub fn server_url() -> String {
    std::env::var("DATABASE_URL").expect(
        "DATABASE_URL must name a PostgreSQL database whose role may create databases; \
         ./scripts/test.sh sets it up",
    )
}

pub fn url_for_database(name: &str) -> String {
    let mut url = url::Url::parse(&server_url()).expect("DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

fn server_conn() -> PgConnection {
    PgConnection::establish(&server_url()).expect("connect to DATABASE_URL")
}

/// A database of its own for one test, dropped when the test ends.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    /// A fresh database with every migration applied.
    pub fn migrated() -> Self {
        Self::create(Some(template()))
    }

    /// A fresh database with nothing in it.
    pub fn empty() -> Self {
        Self::create(None)
    }

    fn create(template: Option<&str>) -> Self {
        let name = format!("kvartplata_test_{}", uuid::Uuid::new_v4().simple());
        let sql = match template {
            Some(t) => format!(r#"CREATE DATABASE "{name}" TEMPLATE "{t}""#),
            None => format!(r#"CREATE DATABASE "{name}""#),
        };
        let mut conn = server_conn();
        // Cloning fails while anyone is connected to the template; nobody
        // stays connected, but a moment's overlap is possible.
        let mut attempt = 0;
        while let Err(e) = diesel::sql_query(&sql).execute(&mut conn) {
            attempt += 1;
            assert!(
                attempt < 50 && e.to_string().contains("being accessed by other users"),
                "creating {name}: {e}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let url = url_for_database(&name);
        Self { name, url }
    }

    pub fn conn(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connect to the test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let sql = format!(r#"DROP DATABASE IF EXISTS "{}" WITH (FORCE)"#, self.name);
        if let Err(e) = diesel::sql_query(sql).execute(&mut server_conn()) {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}

#[derive(QueryableByName)]
struct DatabaseName {
    #[diesel(sql_type = Text)]
    datname: String,
}

/// The migrated template, built once per set of migrations by whichever test
/// process gets there first (the others wait on an advisory lock).
fn template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("kvartplata_tpl_{:016x}", migrations_fingerprint());
        let mut conn = server_conn();
        let lock = 0x6b76_7465_6d70_6c61_i64; // "kvtempla"
        diesel::sql_query("SELECT pg_advisory_lock($1)")
            .bind::<BigInt, _>(lock)
            .execute(&mut conn)
            .unwrap();
        let templates: Vec<DatabaseName> = diesel::sql_query(
            r"SELECT datname FROM pg_database WHERE datname LIKE 'kvartplata\_tpl\_%'",
        )
        .load(&mut conn)
        .unwrap();
        if !templates.iter().any(|t| t.datname == name) {
            // Build under another name and rename, so a half-built template
            // (a killed test run) is never cloned. Templates of other
            // migration sets are left alone: another checkout may be testing
            // with one right now; scripts/test.sh drops them all.
            let building = format!("{name}_building");
            diesel::sql_query(format!(
                r#"DROP DATABASE IF EXISTS "{building}" WITH (FORCE)"#
            ))
            .execute(&mut conn)
            .unwrap();
            diesel::sql_query(format!(r#"CREATE DATABASE "{building}""#))
                .execute(&mut conn)
                .unwrap();
            {
                let mut tpl = PgConnection::establish(&url_for_database(&building)).unwrap();
                migrations::run_pending(&mut tpl).unwrap();
            }
            diesel::sql_query(format!(r#"ALTER DATABASE "{building}" RENAME TO "{name}""#))
                .execute(&mut conn)
                .unwrap();
        }
        diesel::sql_query("SELECT pg_advisory_unlock($1)")
            .bind::<BigInt, _>(lock)
            .execute(&mut conn)
            .unwrap();
        name
    })
}

/// Changes whenever a migration file changes.
fn migrations_fingerprint() -> u64 {
    fn visit(dir: &Path, hasher: &mut DefaultHasher) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            path.file_name().hash(hasher);
            if path.is_dir() {
                visit(&path, hasher);
            } else {
                std::fs::read(&path).unwrap().hash(hasher);
            }
        }
    }
    let mut hasher = DefaultHasher::new();
    visit(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations"),
        &mut hasher,
    );
    hasher.finish()
}
