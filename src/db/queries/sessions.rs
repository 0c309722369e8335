//! Server-side sessions (found by the SHA-256 of the cookie's random id),
//! the secret that signs the cookies, and the forms kept for a user whose
//! session ended while they filled them in.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamptz};
use serde_json::Value;

use crate::db::models::UserId;
use crate::db::schema::{pending_forms, server_secrets, sessions};

/// How many expired rows one clean-up deletes at most, so it stays short.
const CLEAN_UP_BATCH: i64 = 1000;

/// A session's state, if it has not expired; notes that it was seen (at
/// most once a minute, so a busy page does not write a row per request).
pub fn load(conn: &mut PgConnection, id_hash: &str) -> QueryResult<Option<Value>> {
    let now = Utc::now();
    let found: Option<(Value, DateTime<Utc>)> = sessions::table
        .find(id_hash)
        .filter(sessions::expires_at.gt(now))
        .select((sessions::state, sessions::last_seen_at))
        .first(conn)
        .optional()?;
    let Some((state, last_seen)) = found else {
        return Ok(None);
    };
    if now - last_seen > TimeDelta::minutes(1) {
        diesel::update(sessions::table.find(id_hash))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok(Some(state))
}

pub fn insert(
    conn: &mut PgConnection,
    id_hash: &str,
    user: Option<UserId>,
    state: &Value,
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(id_hash),
            sessions::user_id.eq(user),
            sessions::state.eq(state),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

/// Replaces the state of a live session; false when it is gone (ended
/// meanwhile, or expired), so the caller does not bring it back.
pub fn update(
    conn: &mut PgConnection,
    id_hash: &str,
    user: Option<UserId>,
    state: &Value,
) -> QueryResult<bool> {
    let changed = diesel::update(
        sessions::table
            .find(id_hash)
            .filter(sessions::expires_at.gt(Utc::now())),
    )
    .set((
        sessions::state.eq(state),
        sessions::user_id.eq(user),
        sessions::last_seen_at.eq(Utc::now()),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}

pub fn delete(conn: &mut PgConnection, id_hash: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.find(id_hash)).execute(conn)
}

/// Ends every session of `user`; the number ended.
pub fn delete_for_user(conn: &mut PgConnection, user: UserId) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user))).execute(conn)
}

/// How many live sessions `user` has (the user's admin page).
pub fn count_for_user(conn: &mut PgConnection, user: UserId) -> QueryResult<i64> {
    sessions::table
        .filter(sessions::user_id.eq(user))
        .filter(sessions::expires_at.gt(Utc::now()))
        .count()
        .get_result(conn)
}

/// Deletes expired sessions and pending forms older than `form_lifetime`,
/// at most a batch of each.
pub fn delete_expired(conn: &mut PgConnection, form_lifetime: TimeDelta) -> QueryResult<usize> {
    let sessions = diesel::sql_query(
        "DELETE FROM sessions WHERE id_hash IN \
         (SELECT id_hash FROM sessions WHERE expires_at <= now() LIMIT $1)",
    )
    .bind::<BigInt, _>(CLEAN_UP_BATCH)
    .execute(conn)?;
    let forms = diesel::sql_query(
        "DELETE FROM pending_forms WHERE id_hash IN \
         (SELECT id_hash FROM pending_forms WHERE created_at <= $1 LIMIT $2)",
    )
    .bind::<Timestamptz, _>(Utc::now() - form_lifetime)
    .bind::<BigInt, _>(CLEAN_UP_BATCH)
    .execute(conn)?;
    Ok(sessions + forms)
}

/// The secret called `name`, made from `candidate` if there is none yet:
/// every process on the database ends up with the same one.
pub fn secret(conn: &mut PgConnection, name: &str, candidate: &str) -> QueryResult<String> {
    diesel::insert_into(server_secrets::table)
        .values((
            server_secrets::name.eq(name),
            server_secrets::secret.eq(candidate),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    server_secrets::table
        .find(name)
        .select(server_secrets::secret)
        .first(conn)
}

pub fn insert_pending_form(
    conn: &mut PgConnection,
    id_hash: &str,
    action: &str,
    fields: &Value,
) -> QueryResult<()> {
    diesel::insert_into(pending_forms::table)
        .values((
            pending_forms::id_hash.eq(id_hash),
            pending_forms::action.eq(action),
            pending_forms::fields.eq(fields),
        ))
        .execute(conn)
        .map(drop)
}

/// Takes a pending form younger than `lifetime`: its action and fields,
/// deleted as they are read so it is offered once.
pub fn take_pending_form(
    conn: &mut PgConnection,
    id_hash: &str,
    lifetime: TimeDelta,
) -> QueryResult<Option<(String, Value)>> {
    diesel::delete(
        pending_forms::table
            .find(id_hash)
            .filter(pending_forms::created_at.gt(Utc::now() - lifetime)),
    )
    .returning((pending_forms::action, pending_forms::fields))
    .get_result(conn)
    .optional()
}
