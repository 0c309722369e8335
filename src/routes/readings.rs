//! A house's month of readings: every meter in one form, saved all or
//! nothing; refused values come back on their rows with the input kept.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use diesel::PgConnection;

use crate::db::models::{House, HouseId, MeterId};
use crate::db::queries;
use crate::db::queries::readings::MonthRow;
use crate::domain::{Period, ReadingSource};
use crate::error::AppError;
use crate::http::{CsrfForm, FlashKind, done, flash, see_other};
use crate::i18n::Locale;
use crate::services::readings::{self as service, Saved};
use crate::state::AppState;
use crate::views::forms::render_with_status;
use crate::views::page::PageCtx;
use crate::views::readings::{Checked, MonthForm, MonthOrCurrent, MonthPage, saved_message};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/houses/{id}/readings", web::get().to(month))
        .route("/houses/{id}/readings", web::post().to(save));
}

/// The house and its meters with the month's readings: two queries,
/// however many meters.
fn load(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
) -> diesel::QueryResult<(House, Vec<MonthRow>)> {
    let found = queries::houses::find(conn, house)?;
    let rows = queries::readings::house_month(conn, house, period)?;
    Ok((found, rows))
}

pub async fn month(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    query: web::Query<MonthOrCurrent>,
) -> Result<Html, AppError> {
    let id = id.into_inner();
    let period = query.period()?;
    let (house, rows) = state.db(move |conn| load(conn, id, period)).await?;
    Ok(Html::new(
        MonthPage::new(ctx, house, period, rows).render()?,
    ))
}

/// What saving the form came to.
enum Outcome {
    Saved(Saved),
    /// Nothing saved; what to show again.
    Refused {
        house: House,
        rows: Vec<MonthRow>,
        checked: Checked,
    },
}

/// Saves the typed values for the house's meters, all or nothing.
fn save_month(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
    values: &BTreeMap<MeterId, String>,
    latest: Period,
    locale: Locale,
) -> Result<Outcome, AppError> {
    let (found, rows) = load(conn, house, period)?;
    let mut checked = Checked::new(&rows, values, period);
    match service::save(
        conn,
        ReadingSource::Form,
        &checked.rows,
        Some(house),
        latest,
    ) {
        Ok(saved) => Ok(Outcome::Saved(saved)),
        Err(AppError::InvalidRows(errors)) => {
            checked.add_row_errors(errors, locale);
            Ok(Outcome::Refused {
                house: found,
                rows,
                checked,
            })
        }
        Err(other) => Err(other),
    }
}

pub async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    CsrfForm(form): CsrfForm<MonthForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let period = form.period()?;
    let values = form.values();
    let latest = Period::current().next();
    let location = format!("/houses/{id}/readings?period={period}");
    if values.values().all(|v| v.trim().is_empty()) {
        flash(
            &req,
            FlashKind::Error,
            "No readings were entered; nothing was saved.",
        );
        return Ok(see_other(&location));
    }
    let outcome = {
        let values = values.clone();
        let locale = crate::views::page::request_locale(&req);
        state
            .db(move |conn| save_month(conn, id, period, &values, latest, locale))
            .await?
    };
    match outcome {
        Outcome::Saved(saved) => Ok(done(
            &req,
            &location,
            saved_message(saved.created, saved.updated, saved.unchanged),
        )),
        Outcome::Refused {
            house,
            rows,
            checked,
        } => {
            let ctx = PageCtx::extract(&req).await?;
            let page = MonthPage::refused(ctx, house, period, rows, &values, &checked);
            render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
