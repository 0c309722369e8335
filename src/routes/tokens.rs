//! The API tokens page: each user creates, lists and revokes their own
//! tokens (an admin sees and revokes everyone's; viewers only look). A new
//! token is shown once, in the answer to the form, and never again.

use actix_web::http::StatusCode;
use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::page::{CsrfForm, NoFields, PageCtx, done};
use crate::auth::Identity;
use crate::db::models::{ApiTokenId, ApiTokenListing};
use crate::error::AppError;
use crate::services::accounts;
use crate::state::AppState;
use crate::views::forms::{FormErrors, Rejected, render_with_status};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/tokens", web::get().to(index))
        .route("/tokens", web::post().to(create))
        .route("/tokens/{id}/revoke", web::post().to(revoke));
}

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

fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

impl From<ApiTokenListing> for TokenLine {
    fn from(listing: ApiTokenListing) -> Self {
        let token = listing.token;
        Self {
            id: token.id,
            name: token.name,
            owner: listing.owner,
            prefix: token.prefix,
            created: when(token.created_at),
            last_used: token.last_used_at.map_or_else(|| "never".to_owned(), when),
            revoked: token.revoked_at.map(when),
        }
    }
}

async fn page(ctx: PageCtx, state: &AppState, me: &Identity) -> Result<TokensPage, AppError> {
    let (id, role) = (me.user_id, me.role);
    let tokens = state
        .db(move |conn| accounts::list_tokens(conn, id, role))
        .await?;
    Ok(TokensPage {
        ctx,
        tokens: tokens.into_iter().map(TokenLine::from).collect(),
        show_owner: role.is_admin(),
        token_name: String::new(),
        errors: FormErrors::default(),
        new_token: None,
    })
}

pub async fn index(
    ctx: PageCtx,
    state: web::Data<AppState>,
    me: Identity,
) -> Result<Html, AppError> {
    Ok(Html::new(page(ctx, &state, &me).await?.render()?))
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: Identity,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> Result<HttpResponse, AppError> {
    let (id, name) = (me.user_id, form.name.clone());
    let created = state
        .db(move |conn| accounts::create_token_for(conn, id, &name))
        .await;
    let ctx = PageCtx::extract(&req).await?;
    match created {
        // Rendered, not redirected: the token must not travel in a cookie.
        Ok(token) => {
            let page = TokensPage {
                new_token: Some(token),
                ..page(ctx, &state, &me).await?
            };
            render_with_status(&page, StatusCode::CREATED)
        }
        Err(e) => {
            let rejected = Rejected::from_error(e)?;
            let page = TokensPage {
                token_name: form.name,
                errors: rejected.errors,
                ..page(ctx, &state, &me).await?
            };
            render_with_status(&page, rejected.status)
        }
    }
}

pub async fn revoke(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: Identity,
    id: web::Path<ApiTokenId>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let (user, role, id) = (me.user_id, me.role, id.into_inner());
    let token = state
        .db(move |conn| accounts::revoke_token(conn, user, role, id))
        .await?;
    Ok(done(
        &req,
        "/tokens",
        format!("Token {} revoked: it no longer works.", token.name),
    ))
}
