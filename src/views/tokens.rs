//! The API tokens page: a user's tokens (everyone's for an admin), the
//! create form, and a new token shown once.

use askama::Template;
use chrono::{DateTime, Utc};

use super::forms::FormErrors;
use super::page::PageCtx;
use crate::db::models::{ApiTokenId, ApiTokenListing};
use crate::i18n::Locale;
use crate::i18n::format::{self, DEFAULT_TIME_ZONE};

#[derive(Template)]
#[template(path = "tokens/index.html")]
pub struct TokensPage {
    pub ctx: PageCtx,
    pub tokens: Vec<TokenLine>,
    /// Whether the list has other users' tokens (an admin's view).
    pub show_owner: bool,
    /// The create form's name field as typed.
    pub token_name: String,
    pub errors: FormErrors,
    /// The token just created: shown this once.
    pub new_token: Option<String>,
}

pub struct TokenLine {
    pub id: ApiTokenId,
    pub name: String,
    pub owner: String,
    pub prefix: String,
    pub created: String,
    pub last_used: String,
    pub revoked: Option<String>,
}

impl TokensPage {
    pub fn revoked(&self, at: &str) -> String {
        self.ctx
            .locale
            .text_with("token-revoked", &[("at", at.into())])
    }
}

impl TokenLine {
    pub fn new(listing: ApiTokenListing, locale: Locale) -> Self {
        let when = |at: DateTime<Utc>| format::date_time(at, DEFAULT_TIME_ZONE, locale);
        let token = listing.token;
        Self {
            id: token.id,
            name: token.name,
            owner: listing.owner,
            prefix: token.prefix,
            created: when(token.created_at),
            last_used: token
                .last_used_at
                .map_or_else(|| locale.text("token-never"), when),
            revoked: token.revoked_at.map(when),
        }
    }
}
