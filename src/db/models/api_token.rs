use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::{UserId, id_type};
use crate::db::schema::api_tokens;

id_type!(ApiTokenId);

/// An API token as stored: its SHA-256, never the token itself.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = api_tokens, check_for_backend(diesel::pg::Pg))]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub user_id: UserId,
    pub name: String,
    pub token_hash: String,
    /// The token's first characters, to recognise it in a list.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct NewApiToken<'a> {
    pub user_id: UserId,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub prefix: &'a str,
}

/// A token with its owner's name, for the tokens page.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct ApiTokenListing {
    pub token: ApiToken,
    pub owner: String,
}
