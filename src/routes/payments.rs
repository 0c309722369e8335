//! Payment pages: the bank register upload (all or nothing, through
//! services::payments::import) with the past imports, the unmatched
//! payments and their assignment to an account, and the key rates (an
//! admin changes them; the middleware keeps the others to reading).

use actix_multipart::Multipart;
use actix_session::SessionExt;
use actix_web::http::StatusCode;
use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;

use crate::db::models::{KeyRateId, PaymentId};
use crate::db::queries;
use crate::domain::input::{self, Checker};
use crate::error::AppError;
use crate::http::upload::read_upload;
use crate::http::{
    CsrfForm, FlashKind, FlashLink, NoFields, done, flash, flash_with_link, see_other, verify_csrf,
};
use crate::i18n::{Arg, format};
use crate::services;
use crate::services::payments::ImportError;
use crate::state::AppState;
use crate::views::forms::{Rejected, checked, render_with_status};
use crate::views::page::{PageCtx, request_locale};
use crate::views::pager::page_number;
use crate::views::payments::{
    AssignForm, ImportPage, KeyRateForm, KeyRatesPage, PageQuery, RefusedAssign, ReportLine,
    UNMATCHED_PER_PAGE, UnmatchedPage, imported_text,
};
use crate::views::upload::Refusal;

/// Past imports the upload page lists.
const IMPORTS_LISTED: i64 = 50;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/payments/import", web::get().to(import_page))
        .route("/payments/import", web::post().to(import))
        .route("/payments/unmatched", web::get().to(unmatched))
        .route("/payments/{id}/assign", web::post().to(assign))
        .route("/key-rates", web::get().to(key_rates))
        .route("/key-rates", web::post().to(add_key_rate))
        .route("/key-rates/{id}/delete", web::post().to(delete_key_rate));
}

async fn import_page_of(ctx: PageCtx, state: &AppState) -> Result<ImportPage, AppError> {
    let (imports, unmatched) = state
        .db(|conn| {
            Ok::<_, diesel::result::Error>((
                queries::payments::imports(conn, IMPORTS_LISTED)?,
                queries::payments::count_unmatched(conn)?,
            ))
        })
        .await?;
    Ok(ImportPage::new(ctx, imports, unmatched))
}

/// GET /payments/import
async fn import_page(ctx: PageCtx, state: web::Data<AppState>) -> Result<Html, AppError> {
    Ok(Html::new(import_page_of(ctx, &state).await?.render()?))
}

/// The upload page again (422) saying why nothing was saved: the file's
/// one problem, or every bad line.
async fn refused(
    req: &HttpRequest,
    state: &AppState,
    problem: String,
    report: Vec<ReportLine>,
) -> Result<HttpResponse, AppError> {
    let page = ImportPage {
        problem: Some(problem),
        report,
        ..import_page_of(PageCtx::extract(req).await?, state).await?
    };
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

/// POST /payments/import (multipart): saves every payment of the register,
/// or none and lists what is wrong with it.
async fn import(
    req: HttpRequest,
    state: web::Data<AppState>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    // Held until the file is saved or refused: reading one takes memory.
    let _slot = state.uploads.take().await?;
    let upload = read_upload(&req, multipart).await?;
    verify_csrf(&req.get_session(), &upload.csrf_token)?;
    let locale = request_locale(&req);
    let bytes = match upload.file {
        Some(bytes) if !bytes.is_empty() => bytes,
        // Browsers send an empty part when no file was chosen.
        _ => {
            let problem = locale.text("upload-choose-file");
            return refused(&req, &state, problem, Vec::new()).await;
        }
    };
    let name = upload.file_name;
    let outcome = state
        .db(
            move |conn| match services::payments::import(conn, &name, bytes) {
                Ok(imported) => Ok(Ok(imported)),
                Err(ImportError::Refused(lines)) => Ok(Err(lines)),
                Err(ImportError::App(e)) => Err(e),
            },
        )
        .await?;
    match outcome {
        Ok(imported) => {
            let message = imported_text(&imported, locale);
            let kind = if imported.import.is_none() || imported.unmatched > 0 {
                FlashKind::Warning
            } else {
                FlashKind::Success
            };
            let link = (imported.unmatched > 0).then(|| FlashLink {
                href: "/payments/unmatched".to_owned(),
                label: locale.text("pay-unmatched-assign"),
            });
            flash_with_link(&req, kind, message, link);
            Ok(see_other("/payments/import"))
        }
        Err(lines) => match Refusal::of(lines.into_iter().map(|e| (e.line, e.problem)), locale) {
            Refusal::File(problem) => refused(&req, &state, problem, Vec::new()).await,
            Refusal::Lines(report) => {
                let problem =
                    locale.text_with("pay-import-refused", &[("count", Arg::from(report.len()))]);
                refused(&req, &state, problem, report).await
            }
        },
    }
}

async fn unmatched_page(
    ctx: PageCtx,
    state: &AppState,
    page: i64,
) -> Result<UnmatchedPage, AppError> {
    let offset = (page - 1) * UNMATCHED_PER_PAGE;
    let (payments, total) = state
        .db(move |conn| {
            Ok::<_, diesel::result::Error>((
                queries::payments::unmatched(conn, UNMATCHED_PER_PAGE, offset)?,
                queries::payments::count_unmatched(conn)?,
            ))
        })
        .await?;
    Ok(UnmatchedPage::new(ctx, payments, total, page))
}

/// GET /payments/unmatched?page=
async fn unmatched(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<Html, AppError> {
    let page = unmatched_page(ctx, &state, page_number(&query.page)).await?;
    Ok(Html::new(page.render()?))
}

/// POST /payments/{id}/assign: gives an unmatched payment to the account
/// typed in its row; a number that names none comes back beside the row.
async fn assign(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<AssignForm>,
) -> Result<HttpResponse, AppError> {
    let id = PaymentId(id.into_inner());
    let page = page_number(&form.page);
    let back = match page {
        1 => "/payments/unmatched".to_owned(),
        page => format!("/payments/unmatched?page={page}"),
    };
    let locale = request_locale(&req);
    let saved = match input::account_number(&form.account) {
        Ok(number) => {
            state
                .db(move |conn| services::payments::assign(conn, id, &number))
                .await
        }
        Err(problem) => Err(AppError::invalid_field("account", problem)),
    };
    match saved {
        Ok(payment) => {
            let message = locale.text_with(
                "pay-assigned",
                &[
                    ("amount", format::money(payment.amount, locale).into()),
                    ("number", Arg::from(form.account.trim())),
                ],
            );
            Ok(done(&req, &back, message))
        }
        // Deleted or assigned meanwhile: the list says what is left.
        Err(AppError::Conflict { message, fields }) if fields.is_empty() => {
            flash(&req, FlashKind::Error, locale.problem(&message));
            Ok(see_other(&back))
        }
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let message = rejected
                .errors
                .get("account")
                .map(str::to_owned)
                .unwrap_or_default();
            let ctx = PageCtx::extract(&req).await?;
            let page = UnmatchedPage {
                refused_assign: Some(RefusedAssign {
                    payment: id,
                    message,
                    account: form.account,
                }),
                ..unmatched_page(ctx, &state, page).await?
            };
            render_with_status(&page, rejected.status)
        }
    }
}

async fn key_rates_page(ctx: PageCtx, state: &AppState) -> Result<KeyRatesPage, AppError> {
    let (rates, caps, due_days) = state
        .db(|conn| {
            Ok::<_, diesel::result::Error>((
                queries::payments::key_rates(conn)?,
                queries::payments::caps(conn)?,
                queries::payments::due_days(conn)?,
            ))
        })
        .await?;
    Ok(KeyRatesPage::new(ctx, rates, caps, due_days))
}

/// GET /key-rates
async fn key_rates(ctx: PageCtx, state: web::Data<AppState>) -> Result<Html, AppError> {
    Ok(Html::new(key_rates_page(ctx, &state).await?.render()?))
}

fn check_key_rate(
    form: &KeyRateForm,
) -> Result<(chrono::NaiveDate, rust_decimal::Decimal), AppError> {
    let mut c = Checker::default();
    let valid_from = c.check("valid_from", input::date(&form.valid_from));
    let rate = c.check("rate", input::decimal(&form.rate).and_then(input::key_rate));
    let both = valid_from.zip(rate);
    checked(c, both)
}

/// POST /key-rates (admin)
async fn add_key_rate(
    req: HttpRequest,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<KeyRateForm>,
) -> Result<HttpResponse, AppError> {
    let saved = match check_key_rate(&form) {
        Ok((valid_from, rate)) => {
            state
                .db(move |conn| services::payments::add_key_rate(conn, valid_from, rate))
                .await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => {
            let message = request_locale(&req).text("kr-added");
            Ok(done(&req, "/key-rates", message))
        }
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let page = KeyRatesPage {
                errors: rejected.errors,
                form,
                ..key_rates_page(PageCtx::extract(&req).await?, &state).await?
            };
            render_with_status(&page, rejected.status)
        }
    }
}

/// POST /key-rates/{id}/delete (admin)
async fn delete_key_rate(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = KeyRateId(id.into_inner());
    state
        .db(move |conn| services::payments::delete_key_rate(conn, id))
        .await?;
    let message = request_locale(&req).text("kr-deleted");
    Ok(done(&req, "/key-rates", message))
}
