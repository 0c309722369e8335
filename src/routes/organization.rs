//! The organisation's requisites page: everyone reads them, an admin
//! changes them (the middleware keeps the others to reading).

use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;

use crate::error::AppError;
use crate::http::{CsrfForm, done};
use crate::services;
use crate::services::organization::Details;
use crate::state::AppState;
use crate::views::forms::{Rejected, render_with_status};
use crate::views::organization::OrganizationPage;
use crate::views::page::{PageCtx, request_locale};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/organization", web::get().to(show))
        .route("/organization", web::post().to(save));
}

async fn page_of(ctx: PageCtx, state: &AppState) -> Result<OrganizationPage, AppError> {
    let stored = state.db(services::organization::find).await?;
    Ok(OrganizationPage::new(ctx, stored))
}

/// GET /organization
async fn show(ctx: PageCtx, state: web::Data<AppState>) -> Result<Html, AppError> {
    Ok(Html::new(page_of(ctx, &state).await?.render()?))
}

/// POST /organization (admin): saves every field, or shows the form again
/// with each bad field's message and what was typed.
async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<Details>,
) -> Result<HttpResponse, AppError> {
    let details = form.clone();
    let saved = state
        .db(move |conn| services::organization::set(conn, &details))
        .await;
    match saved {
        Ok(_) => {
            let message = request_locale(&req).text("org-saved");
            Ok(done(&req, "/organization", message))
        }
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let page = OrganizationPage {
                errors: rejected.errors,
                form,
                ..page_of(PageCtx::extract(&req).await?, &state).await?
            };
            render_with_status(&page, rejected.status)
        }
    }
}
