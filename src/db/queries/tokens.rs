use diesel::prelude::*;

use crate::db::models::{ApiToken, ApiTokenId, ApiTokenListing, NewApiToken, User, UserId};
use crate::db::schema::{api_tokens, users};

pub fn insert(conn: &mut PgConnection, token: &NewApiToken) -> QueryResult<ApiToken> {
    diesel::insert_into(api_tokens::table)
        .values(token)
        .returning(ApiToken::as_returning())
        .get_result(conn)
}

/// The token (not revoked) with that hash, with its owner (not blocked).
pub fn find_active(conn: &mut PgConnection, hash: &str) -> QueryResult<Option<(ApiToken, User)>> {
    api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(users::blocked_at.is_null())
        .select((ApiToken::as_select(), User::as_select()))
        .first(conn)
        .optional()
}

/// Notes that the token was used, at most once a minute: a busy
/// integration does not write a row per request.
pub fn touch(conn: &mut PgConnection, id: ApiTokenId) -> QueryResult<usize> {
    let now = chrono::Utc::now();
    let a_minute_ago = now - chrono::TimeDelta::minutes(1);
    diesel::update(
        api_tokens::table.find(id).filter(
            api_tokens::last_used_at
                .is_null()
                .or(api_tokens::last_used_at.lt(a_minute_ago)),
        ),
    )
    .set(api_tokens::last_used_at.eq(now))
    .execute(conn)
}

/// Tokens newest first, with their owners' names; only `owner`'s when given.
pub fn list(conn: &mut PgConnection, owner: Option<UserId>) -> QueryResult<Vec<ApiTokenListing>> {
    let mut query = api_tokens::table
        .inner_join(users::table)
        .select((ApiToken::as_select(), users::name))
        .order_by(api_tokens::id.desc())
        .into_boxed();
    if let Some(owner) = owner {
        query = query.filter(api_tokens::user_id.eq(owner));
    }
    query.load(conn)
}

pub fn find(conn: &mut PgConnection, id: ApiTokenId) -> QueryResult<ApiToken> {
    api_tokens::table
        .find(id)
        .select(ApiToken::as_select())
        .first(conn)
}

/// Revokes the token if it is not revoked yet; the number of rows changed.
pub fn revoke(conn: &mut PgConnection, id: ApiTokenId) -> QueryResult<usize> {
    diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(diesel::dsl::now))
    .execute(conn)
}
