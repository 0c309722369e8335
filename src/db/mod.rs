//! Everything that speaks SQL: the schema, row types, queries, migrations and
//! the connection pool.

pub mod migrations;
pub mod models;
pub mod queries;
pub mod schema;
mod sql_types;

use std::time::Duration;

use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};

pub type PgPool = Pool<ConnectionManager<PgConnection>>;
pub type PgPooled = PooledConnection<ConnectionManager<PgConnection>>;

/// How long a request waits for a connection before it answers 503.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(5);

/// A pool that opens connections lazily: `main` has already proved the
/// database answers, and the app must keep running (and answer 503 on
/// /healthz) while it is away.
pub fn build_pool(database_url: &str, size: u32) -> PgPool {
    Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        .connection_timeout(CHECKOUT_TIMEOUT)
        .build_unchecked(ConnectionManager::new(database_url))
}

/// Opens one connection, or says in one line where we tried to connect —
/// host, port and database, never the password — and what to try.
pub fn connect(database_url: &str) -> Result<PgConnection, ConnectError> {
    PgConnection::establish(database_url).map_err(|e| ConnectError {
        target: describe_target(database_url),
        reason: e
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned(),
    })
}

#[derive(Debug, thiserror::Error)]
#[error(
    "cannot connect to PostgreSQL {target}: {reason}. Is the server running and is DATABASE_URL right? \
     (./scripts/run.sh starts a local one)"
)]
pub struct ConnectError {
    target: String,
    reason: String,
}

/// `at HOST:PORT, database "NAME"` from a postgres:// URL, without user or password.
pub fn describe_target(database_url: &str) -> String {
    match url::Url::parse(database_url) {
        Ok(url) if matches!(url.scheme(), "postgres" | "postgresql") => {
            let host = url
                .host_str()
                .filter(|h| !h.is_empty())
                .unwrap_or("localhost");
            let port = url.port().unwrap_or(5432);
            let database = url.path().trim_start_matches('/');
            let database = if database.is_empty() {
                "(default)"
            } else {
                database
            };
            format!("at {host}:{port}, database \"{database}\"")
        }
        _ => "named in DATABASE_URL (not a postgres:// URL)".to_owned(),
    }
}

/// What a health probe found.
#[derive(Debug)]
pub enum DatabaseHealth {
    /// The database answered, and the pool has room.
    Up,
    /// The database answered on a connection of the probe's own, but every
    /// pooled connection is in use: requests queue for one.
    Busy,
    /// The database did not answer.
    Down(anyhow::Error),
}

/// Asks the database for `SELECT 1` without waiting for the pool: on an
/// idle pooled connection if there is one, else on a connection of its own
/// (opened within `connect_timeout`), so a pool busy with billing is told
/// apart from a database that does not answer.
pub fn probe(pool: &PgPool, database_url: &str, connect_timeout: Duration) -> DatabaseHealth {
    if let Some(mut conn) = pool.try_get()
        && select_one(&mut conn).is_ok()
    {
        return DatabaseHealth::Up;
    }
    let answered = connect_within(database_url, connect_timeout)
        .map_err(anyhow::Error::from)
        .and_then(|mut conn| Ok(select_one(&mut conn)?));
    match answered {
        Ok(()) => {
            let state = pool.state();
            if state.idle_connections == 0 && state.connections >= pool.max_size() {
                DatabaseHealth::Busy
            } else {
                // The pool is still opening its connections (at start-up,
                // or after an outage).
                DatabaseHealth::Up
            }
        }
        Err(e) => DatabaseHealth::Down(e),
    }
}

fn select_one(conn: &mut PgConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT 1").execute(conn).map(drop)
}

/// A connection of its own, given up after `timeout` (libpq's
/// `connect_timeout`, whole seconds, at least 2).
fn connect_within(database_url: &str, timeout: Duration) -> ConnectionResult<PgConnection> {
    let seconds = timeout.as_secs().max(2).to_string();
    let url = match url::Url::parse(database_url) {
        Ok(mut url) if matches!(url.scheme(), "postgres" | "postgresql") => {
            url.query_pairs_mut()
                .append_pair("connect_timeout", &seconds);
            url.to_string()
        }
        // The key=value form.
        _ => format!("{database_url} connect_timeout={seconds}"),
    };
    PgConnection::establish(&url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_names_host_port_and_database_but_not_the_password() {
        let t = describe_target("postgres://app:s3cret@db.example:6543/billing?sslmode=require");
        assert_eq!(t, "at db.example:6543, database \"billing\"");
        assert!(!t.contains("s3cret") && !t.contains("app"));
    }

    #[test]
    fn target_defaults_port_and_handles_other_strings() {
        assert_eq!(
            describe_target("postgresql://localhost/kv"),
            "at localhost:5432, database \"kv\""
        );
        assert!(!describe_target("host=x password=hunter2").contains("hunter2"));
    }
}
