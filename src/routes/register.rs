//! The apartment register pages of a house: the register as CSV (the
//! template to fill in, or the house as it is), the upload showing what a
//! file would create and change, and applying it once confirmed — all
//! lines or none. The confirmation posts the file's text back, so nothing
//! is kept between the two steps.

use actix_multipart::Multipart;
use actix_session::SessionExt;
use actix_web::http::StatusCode;
use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;

use crate::csv::apartment_register::{self, LineError};
use crate::csv::read::Text;
use crate::db::models::HouseId;
use crate::db::queries;
use crate::db::queries::house_listing::{self, ApartmentQuery};
use crate::error::AppError;
use crate::http::upload::read_upload;
use crate::http::{FlashKind, attachment, flash, see_other, verify_csrf};
use crate::i18n::{Arg, Locale};
use crate::services::register::{self, Mode};
use crate::state::AppState;
use crate::views::forms::render_with_status;
use crate::views::page::{PageCtx, request_locale};
use crate::views::register::{Preview, RegisterPage, applied_text};
use crate::views::upload::Refusal;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/houses/{id}/register", web::get().to(page))
        .route("/houses/{id}/register", web::post().to(apply))
        .route("/houses/{id}/register.csv", web::get().to(download))
        .route("/houses/{id}/register/preview", web::post().to(preview));
}

/// The house's register as a CSV download in `locale`'s headers: what
/// the API and the page both answer.
pub async fn register_csv(
    state: &AppState,
    id: HouseId,
    locale: Locale,
) -> Result<HttpResponse, AppError> {
    let (house, rows) = state
        .db(move |conn| {
            let house = queries::houses::find(conn, id)?;
            let (_, rows) = house_listing::apartments(conn, id, &ApartmentQuery::default())?;
            Ok::<_, AppError>((house, rows))
        })
        .await?;
    let body = apartment_register::write(&rows, house.current_period(), locale);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(&format!("register-house-{id}.csv")))
        .body(body))
}

/// GET /houses/{id}/register.csv
async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
) -> Result<HttpResponse, AppError> {
    register_csv(&state, id.into_inner(), request_locale(&req)).await
}

async fn register_page(
    req: &HttpRequest,
    state: &AppState,
    id: HouseId,
) -> Result<RegisterPage, AppError> {
    let house = state
        .db(move |conn| queries::houses::find(conn, id))
        .await?;
    Ok(RegisterPage::new(PageCtx::extract(req).await?, house))
}

/// GET /houses/{id}/register
async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
) -> Result<Html, AppError> {
    let page = register_page(&req, &state, id.into_inner()).await?;
    Ok(Html::new(page.render()?))
}

/// The file of the form (the upload's file, or the text a preview posts
/// back), once its CSRF token is checked; None when no file was chosen.
async fn read_form(req: &HttpRequest, multipart: Multipart) -> Result<Option<Vec<u8>>, AppError> {
    let upload = read_upload(req, multipart).await?;
    verify_csrf(&req.get_session(), &upload.csrf_token)?;
    // Browsers send an empty part when no file was chosen.
    Ok(upload.file.filter(|bytes| !bytes.is_empty()))
}

/// The page again (422) saying why nothing was saved: the file's one
/// problem beside the field, or every bad line.
async fn refused(
    req: &HttpRequest,
    state: &AppState,
    id: HouseId,
    lines: Vec<LineError>,
) -> Result<HttpResponse, AppError> {
    let locale = request_locale(req);
    let mut page = register_page(req, state, id).await?;
    match Refusal::of(lines.into_iter().map(|e| (e.line, e.problem)), locale) {
        Refusal::File(problem) => page.problem = Some(problem),
        Refusal::Lines(report) => {
            page.problem =
                Some(locale.text_with("premises-refused", &[("count", Arg::from(report.len()))]));
            page.report = report;
        }
    }
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

async fn no_file(
    req: &HttpRequest,
    state: &AppState,
    id: HouseId,
) -> Result<HttpResponse, AppError> {
    let mut page = register_page(req, state, id).await?;
    page.problem = Some(request_locale(req).text("upload-choose-file"));
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

/// POST /houses/{id}/register/preview (multipart): what the file would
/// create and change, with the button that applies it; nothing is saved.
async fn preview(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    // Held until the file is planned or refused: reading one takes memory.
    let _slot = state.uploads.take().await?;
    let Some(bytes) = read_form(&req, multipart).await? else {
        return no_file(&req, &state, id).await;
    };
    // Posted back as the confirmation's text, whatever it was encoded in.
    let text = Text::decode(bytes).into_string();
    let file = text.clone().into_bytes();
    let planned = state
        .db(move |conn| register::import(conn, id, file, Mode::Preview))
        .await?;
    match planned {
        Ok(plan) => {
            let mut page = register_page(&req, &state, id).await?;
            page.preview = Some(Preview::new(&plan, text, page.ctx.locale));
            render_with_status(&page, StatusCode::OK)
        }
        Err(lines) => refused(&req, &state, id, lines).await,
    }
}

/// POST /houses/{id}/register (multipart): applies the file, all lines or
/// none, and goes back to the house saying what it did.
async fn apply(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let _slot = state.uploads.take().await?;
    let Some(bytes) = read_form(&req, multipart).await? else {
        return no_file(&req, &state, id).await;
    };
    let applied = state
        .db(move |conn| register::import(conn, id, bytes, Mode::Apply))
        .await?;
    match applied {
        Ok(plan) => {
            let message = applied_text(&plan, request_locale(&req));
            flash(&req, FlashKind::Success, message);
            Ok(see_other(&format!("/houses/{id}")))
        }
        Err(lines) => refused(&req, &state, id, lines).await,
    }
}
