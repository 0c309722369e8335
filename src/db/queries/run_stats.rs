//! Figures about the billing queue for monitoring, read at scrape time so
//! every process reports the same state of the shared queue.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct StatusCount {
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = BigInt)]
    pub runs: i64,
}

/// How many runs stand in each status (statuses without runs are absent).
pub fn runs_by_status(conn: &mut PgConnection) -> QueryResult<Vec<StatusCount>> {
    diesel::sql_query(
        "SELECT status, count(*) AS runs FROM billing_runs GROUP BY status ORDER BY status",
    )
    .load(conn)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, QueryableByName)]
pub struct QueueCounts {
    /// Runs no worker holds now: queued, or running without a live lease
    /// (handed back, or their worker died).
    #[diesel(sql_type = BigInt)]
    pub waiting: i64,
    /// Running runs whose lease ran out without being renewed: their
    /// worker stalled or died, and another will resume them.
    #[diesel(sql_type = BigInt)]
    pub lease_expired: i64,
}

pub fn queue_counts(conn: &mut PgConnection) -> QueryResult<QueueCounts> {
    diesel::sql_query(
        "SELECT \
           count(*) FILTER (WHERE status = 'queued' \
                 OR (status = 'running' \
                     AND (lease_expires_at IS NULL OR lease_expires_at < now()))) AS waiting, \
           count(*) FILTER (WHERE status = 'running' AND lease_expires_at < now()) \
             AS lease_expired \
         FROM billing_runs",
    )
    .get_result(conn)
}
