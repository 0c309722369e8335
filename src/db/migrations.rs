//! Schema migrations, embedded in the binary and applied under a PostgreSQL
//! advisory lock so that server processes starting together take turns.

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Any constant both processes agree on; this one spells "kvartpla".
const LOCK_KEY: i64 = 0x6b76_6172_7470_6c61;

pub type MigrationError = Box<dyn std::error::Error + Send + Sync>;

/// Applies pending migrations and returns the names of those applied.
pub fn run_pending(conn: &mut PgConnection) -> Result<Vec<String>, MigrationError> {
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<BigInt, _>(LOCK_KEY)
        .execute(conn)?;
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map(|versions| versions.iter().map(ToString::to_string).collect());
    // Unlock even when a migration failed; the lock would otherwise live as
    // long as this connection.
    let unlocked = diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(LOCK_KEY)
        .execute(conn);
    let applied = applied?;
    unlocked?;
    Ok(applied)
}

/// Reverts every applied migration, newest first (used by tests and for a
/// full reset).
pub fn revert_all(conn: &mut PgConnection) -> Result<Vec<String>, MigrationError> {
    let reverted = conn.revert_all_migrations(MIGRATIONS)?;
    Ok(reverted.iter().map(ToString::to_string).collect())
}
