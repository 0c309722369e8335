//! The CSV round trip of a house's readings: download a month's template,
//! upload it back filled in (all or nothing), with a report of every line
//! that could not be saved.

use actix_multipart::Multipart;
use actix_session::SessionExt;
use actix_web::http::StatusCode;
use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use diesel::PgConnection;

use super::readings::current_period;
use crate::auth::Identity;
use crate::csv::readings::{self as readings_csv, LineError, Parsed, Row, TemplateRow};
use crate::db::models::{House, HouseId};
use crate::db::queries;
use crate::domain::Problem;
use crate::domain::{Period, ReadingSource};
use crate::error::AppError;
use crate::http::upload::read_upload;
use crate::http::{attachment, flash, see_other, verify_csrf};
use crate::i18n::Locale;
use crate::services::readings::{
    self as service, BatchRow, MAX_BATCH_ROWS, MeterRef, ReadingEntry, Saved, Unreadable,
};
use crate::state::AppState;
use crate::views::forms::render_with_status;
use crate::views::page::PageCtx;
use crate::views::page::request_locale;
use crate::views::readings::{MonthAsked, saved_flash};
use crate::views::upload::{ReportRow, UploadPage};

/// Lines of a refused file listed on the page; a file wrong throughout
/// (the wrong house, the wrong columns) is fixed as a whole, not line by line.
const MAX_REPORT: usize = 500;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/houses/{id}/readings/template.csv",
        web::get().to(template),
    )
    .route("/houses/{id}/readings/upload", web::get().to(upload_page))
    .route("/houses/{id}/readings/upload", web::post().to(upload));
}

/// The template's month (`?period=`, the house's current period without
/// one): at most next month, the last one readings may be entered for.
fn template_period(asked: Option<Period>, current: Period) -> Result<Period, AppError> {
    let period = asked.unwrap_or(current);
    let latest = Period::current().next();
    if period > latest {
        return Err(AppError::BadRequest(Problem::PeriodTooFarAhead {
            period,
            latest,
        }));
    }
    Ok(period)
}

/// GET /houses/{id}/readings/template.csv?period=YYYY-MM: every meter of the
/// house with its previous reading, the month's value left to fill in.
pub async fn template(
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    query: web::Query<MonthAsked>,
    user: Identity,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let asked = query.period()?;
    let (period, month) = state
        .db(move |conn| {
            let period = template_period(asked, current_period(conn, id)?)?;
            Ok::<_, AppError>((period, queries::readings::house_month(conn, id, period)?))
        })
        .await?;
    let rows: Vec<TemplateRow> = month
        .into_iter()
        .map(|m| TemplateRow {
            apartment: m.apartment_number,
            serial: m.serial,
            kind: m.kind,
            previous: m.previous_value.unwrap_or(m.initial_reading),
            value: m.value,
        })
        .collect();
    let body = readings_csv::write_template(period, &rows, user.locale);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(&format!("readings-house-{id}-{period}.csv")))
        .body(body))
}

/// GET /houses/{id}/readings/upload
pub async fn upload_page(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
) -> Result<Html, AppError> {
    let id = id.into_inner();
    let house = state
        .db(move |conn| queries::houses::find(conn, id))
        .await?;
    let period = house.current_period();
    Ok(Html::new(UploadPage::new(ctx, house, period).render()?))
}

/// POST /houses/{id}/readings/upload (multipart): saves every reading of the
/// file, or none and shows what to correct.
pub async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    // Held until the file is saved or refused: reading one takes memory.
    let _slot = state.uploads.take().await?;
    let upload = read_upload(&req, multipart).await?;
    verify_csrf(&req.get_session(), &upload.csrf_token)?;
    let house = state
        .db(move |conn| queries::houses::find(conn, id))
        .await?;
    let bytes = match upload.file {
        Some(bytes) if !bytes.is_empty() => bytes,
        // Browsers send an empty part when no file was chosen.
        _ => {
            let problem = request_locale(&req).text("upload-choose-file");
            return refused(&req, house, problem, Vec::new()).await;
        }
    };
    let locale = request_locale(&req);
    let parsed = match web::block(move || readings_csv::parse(bytes, MAX_BATCH_ROWS)).await? {
        Ok(parsed) => parsed,
        Err(e) => {
            let message = locale.problem(&e.into());
            return refused(&req, house, message, Vec::new()).await;
        }
    };
    let latest = Period::current().next();
    // Afterwards the month's entry page shows the file's (latest) month.
    let shown = parsed.rows.iter().map(|r| r.period).max();
    match state
        .db(move |conn| save_upload(conn, id, &parsed, latest, locale))
        .await?
    {
        Outcome::Saved(saved) => {
            let location = match shown {
                Some(period) => format!("/houses/{id}/readings?period={period}"),
                None => format!("/houses/{id}"),
            };
            let (kind, message) = saved_flash(request_locale(&req), &saved);
            flash(&req, kind, message);
            Ok(see_other(&location))
        }
        Outcome::Refused(report) => {
            let locale = request_locale(&req);
            let count = i64::try_from(report.len()).unwrap_or(i64::MAX);
            let problem = locale.text_with(
                "upload-refused-lines",
                &[
                    ("count", count.into()),
                    ("shown", crate::i18n::format::count(count, locale).into()),
                ],
            );
            refused(&req, house, problem, report).await
        }
    }
}

/// The upload page again (422) saying why nothing was saved.
async fn refused(
    req: &HttpRequest,
    house: House,
    problem: String,
    mut report: Vec<ReportRow>,
) -> Result<HttpResponse, AppError> {
    let unlisted = report.len().saturating_sub(MAX_REPORT);
    report.truncate(MAX_REPORT);
    let period = house.current_period();
    let page = UploadPage {
        problem: Some(problem),
        report,
        unlisted,
        ..UploadPage::new(PageCtx::extract(req).await?, house, period)
    };
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

enum Outcome {
    Saved(Saved),
    /// Every line that cannot be saved, in file order.
    Refused(Vec<ReportRow>),
}

/// Saves the file's readings all or nothing; meters of other houses are
/// refused. Unreadable lines refuse the file too, while the others are still
/// checked, so the report lists every problem at once, in file order.
fn save_upload(
    conn: &mut PgConnection,
    house: HouseId,
    parsed: &Parsed,
    latest: Period,
    locale: Locale,
) -> Result<Outcome, AppError> {
    let mut lines: Vec<Result<&Row, &LineError>> = parsed
        .rows
        .iter()
        .map(Ok)
        .chain(parsed.errors.iter().map(Err))
        .collect();
    lines.sort_by_key(|line| match line {
        Ok(row) => row.line,
        Err(error) => error.line,
    });
    let batch: Vec<BatchRow> = lines
        .iter()
        .map(|line| match line {
            Ok(row) => Ok(ReadingEntry {
                meter: MeterRef::Serial(row.serial.clone()),
                period: row.period,
                value: row.value,
            }),
            Err(error) => Err(Unreadable {
                field: "line".into(),
                message: error.message.clone(),
            }),
        })
        .collect();
    match service::save(conn, ReadingSource::Csv, &batch, Some(house), latest) {
        Ok(saved) => Ok(Outcome::Saved(saved)),
        Err(AppError::InvalidRows(errors)) => Ok(Outcome::Refused(
            errors
                .into_iter()
                .map(|e| match lines[e.index] {
                    Ok(row) => ReportRow::of_row(row, locale.problem(&e.message)),
                    Err(error) => ReportRow::of_error(error, locale),
                })
                .collect(),
        )),
        Err(other) => Err(other),
    }
}
