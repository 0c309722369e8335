use diesel::dsl::{exists, select};
use diesel::prelude::*;

use crate::db::models::{NewUser, User, UserId};
use crate::db::schema::users;
use crate::domain::Role;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

pub fn insert(conn: &mut PgConnection, user: &NewUser) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(user)
        .returning(User::as_returning())
        .get_result(conn)
}

pub fn find(conn: &mut PgConnection, id: UserId) -> QueryResult<User> {
    users::table.find(id).select(User::as_select()).first(conn)
}

/// The user of that name, compared without regard to case.
pub fn find_by_name(conn: &mut PgConnection, name: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(lower(users::name).eq(name.to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Whether anyone can sign in yet (the first-run setup page is open until then).
pub fn any(conn: &mut PgConnection) -> QueryResult<bool> {
    select(exists(users::table.select(users::id))).get_result(conn)
}

/// Every user, by name.
pub fn list(conn: &mut PgConnection) -> QueryResult<Vec<User>> {
    users::table
        .order_by(lower(users::name))
        .select(User::as_select())
        .load(conn)
}

pub fn set_role(conn: &mut PgConnection, id: UserId, role: Role) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set(users::role.eq(role))
        .returning(User::as_returning())
        .get_result(conn)
}

/// How many admins can act (not blocked), so the last one cannot be
/// demoted or blocked.
pub fn count_admins(conn: &mut PgConnection) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq(Role::Admin))
        .filter(users::blocked_at.is_null())
        .count()
        .get_result(conn)
}

pub fn set_password_hash(conn: &mut PgConnection, id: UserId, hash: &str) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set(users::password_hash.eq(hash))
        .returning(User::as_returning())
        .get_result(conn)
}

/// Blocks (keeping the time of a block already in force) or unblocks.
pub fn set_blocked(conn: &mut PgConnection, id: UserId, blocked: bool) -> QueryResult<User> {
    if blocked {
        diesel::update(users::table.find(id).filter(users::blocked_at.is_null()))
            .set(users::blocked_at.eq(diesel::dsl::now))
            .execute(conn)?;
    } else {
        diesel::update(users::table.find(id))
            .set(users::blocked_at.eq(None::<chrono::DateTime<chrono::Utc>>))
            .execute(conn)?;
    }
    find(conn, id)
}

pub fn set_full_name(
    conn: &mut PgConnection,
    id: UserId,
    full_name: Option<&str>,
) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set(users::full_name.eq(full_name))
        .returning(User::as_returning())
        .get_result(conn)
}

pub fn set_locale(conn: &mut PgConnection, id: UserId, locale: &str) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set(users::locale.eq(locale))
        .returning(User::as_returning())
        .get_result(conn)
}

pub fn note_sign_in(conn: &mut PgConnection, id: UserId) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::last_sign_in_at.eq(diesel::dsl::now))
        .execute(conn)
}

/// Serialises role changes, so two admins demoting each other at once
/// cannot leave nobody in charge.
pub fn lock_all(conn: &mut PgConnection) -> QueryResult<()> {
    diesel::sql_query("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
        .execute(conn)
        .map(drop)
}
