//! The audit log page: entries newest first, filtered by house, meter and
//! user. The entries themselves are written by database triggers.

use actix_web::http::header::ContentType;
use actix_web::web;
use actix_web::{HttpResponse, HttpResponseBuilder};
use askama::Template;

use crate::db::queries;
use crate::error::AppError;
use crate::state::AppState;
use crate::views::audit::{AuditPage, AuditQuery};
use crate::views::page::PageCtx;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/audit", web::get().to(index));
}

async fn index(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let wanted = query.wanted();
    let listing = state
        .db(move |conn| queries::audit::listing(conn, wanted.as_ref()))
        .await?;
    let page = AuditPage::new(ctx, query, listing);
    let status = page.status();
    Ok(HttpResponseBuilder::new(status)
        .content_type(ContentType::html())
        .body(page.render()?))
}
