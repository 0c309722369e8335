//! A house's month of readings, a page of meters at a time, each page
//! saved all or nothing; refused values come back on their rows with the
//! input kept.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use diesel::PgConnection;

use crate::db::models::{House, HouseId, MeterId};
use crate::db::queries;
use crate::db::queries::readings::{MonthCounts, MonthRow};
use crate::domain::{Period, ReadingSource};
use crate::error::AppError;
use crate::http::{CsrfForm, FlashKind, flash, see_other};
use crate::i18n::Locale;
use crate::services::readings::{self as service, Saved};
use crate::state::AppState;
use crate::views::forms::render_with_status;
use crate::views::page::{PageCtx, request_locale};
use crate::views::readings::{
    Checked, Listing, MonthForm, MonthPage, MonthQuery, PER_PAGE, saved_flash,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/houses/{id}/readings", web::get().to(month))
        .route("/houses/{id}/readings", web::post().to(save));
}

/// The house, its counts and one page of its meters with the month's
/// readings: three queries, however many meters. A page past the last
/// shows the last.
fn load(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
    listing: Listing,
) -> diesel::QueryResult<(House, MonthCounts, Listing, Vec<MonthRow>)> {
    let found = queries::houses::find(conn, house)?;
    let counts = queries::readings::house_month_counts(conn, house, period)?;
    let listing = listing.clamped(&counts);
    let rows = queries::readings::house_month_page(
        conn,
        house,
        period,
        listing.missing,
        PER_PAGE,
        listing.offset(),
    )?;
    Ok((found, counts, listing, rows))
}

pub async fn month(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    query: web::Query<MonthQuery>,
) -> Result<Html, AppError> {
    let id = id.into_inner();
    let asked = query.period()?;
    let listing = query.listing();
    let (house, period, counts, listing, rows) = state
        .db(move |conn| {
            let period = match asked {
                Some(period) => period,
                None => current_period(conn, id)?,
            };
            let (house, counts, listing, rows) = load(conn, id, period, listing)?;
            let read: Vec<MeterId> = rows
                .iter()
                .filter(|r| r.value.is_some())
                .map(|r| MeterId(r.meter_id))
                .collect();
            let histories = queries::readings::histories_before(conn, &read, period)?;
            Ok::<_, AppError>((house, period, counts, listing, (rows, histories)))
        })
        .await?;
    let (rows, histories) = rows;
    let page = MonthPage::new(ctx, house, period, rows, counts, listing).with_doubts(&histories);
    Ok(Html::new(page.render()?))
}

/// The month pages of the house open on: its first open one.
pub fn current_period(conn: &mut PgConnection, house: HouseId) -> Result<Period, AppError> {
    Ok(queries::houses::find(conn, house)?.current_period())
}

/// What saving the form came to.
enum Outcome {
    Saved(Saved),
    /// Nothing saved; what to show again.
    Refused {
        house: House,
        rows: Vec<MonthRow>,
        counts: MonthCounts,
        checked: Checked,
    },
}

/// Saves the typed values for the house's meters, all or nothing. Only the
/// meters the form names are read and written: the page's, never another
/// page's.
fn save_month(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
    values: &BTreeMap<MeterId, String>,
    latest: Period,
    locale: Locale,
) -> Result<Outcome, AppError> {
    let found = queries::houses::find(conn, house)?;
    let meters: Vec<MeterId> = values.keys().copied().collect();
    let rows = queries::readings::house_month_of_meters(conn, house, period, &meters)?;
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
            let counts = queries::readings::house_month_counts(conn, house, period)?;
            Ok(Outcome::Refused {
                house: found,
                rows,
                counts,
                checked,
            })
        }
        Err(other) => Err(other),
    }
}

/// Back to the page the form was on, in the same month and filter.
fn page_location(house: HouseId, period: Period, listing: Listing) -> String {
    let mut location = format!("/houses/{house}/readings?period={period}");
    if listing.missing {
        location.push_str("&missing=1");
    }
    if listing.page > 1 {
        location.push_str(&format!("&page={}", listing.page));
    }
    location
}

pub async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    CsrfForm(form): CsrfForm<MonthForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let period = form.period()?;
    let listing = form.listing();
    let values = form.values();
    let latest = Period::current().next();
    let locale = request_locale(&req);
    let location = page_location(id, period, listing);
    if values.values().all(|v| v.trim().is_empty()) {
        flash(
            &req,
            FlashKind::Error,
            locale.text("readings-nothing-entered"),
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
        Outcome::Saved(saved) => {
            let (kind, message) = saved_flash(locale, &saved);
            flash(&req, kind, message);
            Ok(see_other(&location))
        }
        Outcome::Refused {
            house,
            rows,
            counts,
            checked,
        } => {
            let ctx = PageCtx::extract(&req).await?;
            let page =
                MonthPage::refused(ctx, house, period, rows, counts, listing, &values, &checked);
            render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
