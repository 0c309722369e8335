//! The API tokens page: each user creates, lists and revokes their own
//! tokens (an admin sees and revokes everyone's; viewers only look). A new
//! token is shown once, in the answer to the form, and never again.

use actix_web::http::StatusCode;
use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::auth::Identity;
use crate::db::models::ApiTokenId;
use crate::error::AppError;
use crate::http::{CsrfForm, NoFields, done};
use crate::services::logins;
use crate::state::AppState;
use crate::views::forms::{FormErrors, Rejected, render_with_status};
use crate::views::page::PageCtx;
use crate::views::tokens::{TokenLine, TokensPage};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/tokens", web::get().to(index))
        .route("/tokens", web::post().to(create))
        .route("/tokens/{id}/revoke", web::post().to(revoke));
}

async fn page(ctx: PageCtx, state: &AppState, me: &Identity) -> Result<TokensPage, AppError> {
    let (id, role, locale) = (me.user_id, me.role, ctx.locale);
    let tokens = state
        .db(move |conn| logins::list_tokens(conn, id, role))
        .await?;
    Ok(TokensPage {
        ctx,
        tokens: tokens
            .into_iter()
            .map(|t| TokenLine::new(t, locale))
            .collect(),
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
        .db(move |conn| logins::create_token_for(conn, id, &name))
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
            let rejected = Rejected::from_error(e, &req)?;
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
        .db(move |conn| logins::revoke_token(conn, user, role, id))
        .await?;
    let locale = me.locale;
    Ok(done(
        &req,
        "/tokens",
        locale.text_with("token-revoked-flash", &[("name", token.name.into())]),
    ))
}
