//! Sign-in attempts counted per key in a fixed window, shared by every
//! process on the database.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Interval, Text, Timestamptz};

/// The attempts counted so far in the key's current window (this one
/// included) and when that window started. One statement, so parallel
/// attempts each see their own count.
pub fn count(
    conn: &mut PgConnection,
    key: &str,
    window: TimeDelta,
) -> QueryResult<(i32, DateTime<Utc>)> {
    #[derive(QueryableByName)]
    struct Counted {
        #[diesel(sql_type = Integer)]
        attempts: i32,
        #[diesel(sql_type = Timestamptz)]
        window_started_at: DateTime<Utc>,
    }
    let window = diesel::pg::data_types::PgInterval::from_microseconds(
        window.num_microseconds().unwrap_or(i64::MAX),
    );
    let counted: Counted = diesel::sql_query(
        "INSERT INTO login_attempts AS a (key, attempts, window_started_at) \
         VALUES ($1, 1, now()) \
         ON CONFLICT (key) DO UPDATE SET \
           attempts = CASE WHEN a.window_started_at <= now() - $2 THEN 1 \
                      ELSE a.attempts + 1 END, \
           window_started_at = CASE WHEN a.window_started_at <= now() - $2 THEN now() \
                               ELSE a.window_started_at END \
         RETURNING attempts, window_started_at",
    )
    .bind::<Text, _>(key)
    .bind::<Interval, _>(window)
    .get_result(conn)?;
    Ok((counted.attempts, counted.window_started_at))
}

/// Takes back one counted attempt of each key (it succeeded).
pub fn uncount(conn: &mut PgConnection, keys: &[String]) -> QueryResult<usize> {
    use crate::db::schema::login_attempts::dsl::*;
    diesel::update(
        login_attempts
            .filter(key.eq_any(keys))
            .filter(attempts.gt(0)),
    )
    .set(attempts.eq(attempts - 1))
    .execute(conn)
}

/// Forgets the key's attempts (a successful sign-in clears the name's).
pub fn clear(conn: &mut PgConnection, cleared: &str) -> QueryResult<usize> {
    use crate::db::schema::login_attempts::dsl::*;
    diesel::delete(login_attempts.find(cleared)).execute(conn)
}

/// Deletes keys whose window ended, at most `limit` of them.
pub fn delete_stale(conn: &mut PgConnection, window: TimeDelta, limit: i64) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM login_attempts WHERE key IN \
         (SELECT key FROM login_attempts WHERE window_started_at <= $1 LIMIT $2)",
    )
    .bind::<Timestamptz, _>(Utc::now() - window)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .execute(conn)
}
