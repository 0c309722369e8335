//! Billing pages: starting runs from the house page and the dashboard, the
//! runs list, a run's progress (polled by static/js/progress.js), and a
//! house's results for a month with its CSV export.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::http::header::ContentType;
use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::auth::Identity;
use crate::billing::{self, StartError, StartedAll};
use crate::csv;
use crate::db::models::{BillingRun, BillingRunId, House, HouseId};
use crate::db::queries;
use crate::domain::input;
use crate::domain::{Period, Problem};
use crate::error::AppError;
use crate::http::{
    CsrfForm, FlashKind, NoFields, attachment, done, flash, flash_with_link, see_other,
};
use crate::i18n::Locale;
use crate::services;
use crate::state::AppState;
use crate::views::billing::{
    ChargesPage, ChargesQuery, ProgressPage, RUNS_PER_PAGE, RunsPage, RunsQuery, StartAllForm,
    StartForm, StartRefusal, StartedAllPage, Target,
};
use crate::views::page::{PageCtx, request_locale};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/billing-runs", web::get().to(runs))
        .route("/billing-runs", web::post().to(start_from_dashboard))
        .route(
            "/billing-runs/current",
            web::post().to(start_current_periods),
        )
        .route("/billing-runs/{id}", web::get().to(progress))
        .route("/houses/{id}/billing-runs", web::post().to(start_house))
        .route("/houses/{id}/charges", web::get().to(charges))
        .route("/houses/{id}/charges.csv", web::get().to(charges_csv))
        .route(
            "/houses/{id}/periods/{period}/close",
            web::post().to(close_period),
        )
        .route(
            "/houses/{id}/periods/{period}/reopen",
            web::post().to(reopen_period),
        );
}

/// The results page's «Закрыть период»: back to the month's results.
pub async fn close_period(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(HouseId, String)>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    change_period(req, state, path.into_inner(), Change::Close).await
}

/// An admin's «Открыть период заново» of the last closed month.
pub async fn reopen_period(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(HouseId, String)>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    change_period(req, state, path.into_inner(), Change::Reopen).await
}

enum Change {
    Close,
    Reopen,
}

async fn change_period(
    req: HttpRequest,
    state: web::Data<AppState>,
    (house, raw): (HouseId, String),
    change: Change,
) -> Result<HttpResponse, AppError> {
    // Our own buttons name the month; an address naming none finds nothing.
    let period = input::iso_period(&raw).map_err(|_| AppError::NotFound)?;
    let back = format!("/houses/{house}/charges?period={period}");
    let locale = request_locale(&req);
    let (result, said) = match change {
        Change::Close => (
            state
                .db(move |conn| services::periods::close(conn, house, period))
                .await,
            "period-closed-flash",
        ),
        Change::Reopen => (
            state
                .db(move |conn| services::periods::reopen(conn, house, period))
                .await,
            "period-reopened-flash",
        ),
    };
    match result {
        Ok(_) => Ok(done(&req, &back, locale.with_month(said, period))),
        Err(AppError::Conflict { message, .. }) => {
            flash(&req, FlashKind::Error, locale.problem(&message));
            Ok(see_other(&back))
        }
        Err(e) => Err(e),
    }
}

/// Flashes why a run did not start, with what to do about it.
fn flash_refusal(req: &HttpRequest, error: &StartError) {
    let refusal = StartRefusal::new(error, request_locale(req));
    flash_with_link(req, FlashKind::Error, refusal.text, refusal.link);
}

/// Answers a start: the run's progress page, or back to `back` with the
/// reason it did not start (an active run's page for a run in progress).
fn started(
    req: &HttpRequest,
    state: &AppState,
    result: Result<BillingRun, StartError>,
    back: &str,
) -> Result<HttpResponse, AppError> {
    let locale = request_locale(req);
    match result {
        Ok(run) => {
            state.billing.wake();
            let apartments = locale.text_with(
                "count-apartments",
                &[("count", i64::from(run.total).into())],
            );
            let message = locale.text_with(
                "billing-started-flash",
                &[
                    (
                        "month",
                        crate::i18n::format::month(run.period, locale).into(),
                    ),
                    ("apartments", apartments.into()),
                ],
            );
            Ok(done(req, &format!("/billing-runs/{}", run.id), message))
        }
        Err(e @ StartError::Active(run)) => {
            flash_refusal(req, &e);
            Ok(see_other(&format!("/billing-runs/{run}")))
        }
        Err(
            e @ (StartError::FuturePeriod(_)
            | StartError::PeriodClosed(_)
            | StartError::MissingTariffs { .. }
            | StartError::MissingNormatives { .. }),
        ) => {
            flash_refusal(req, &e);
            Ok(see_other(back))
        }
        // Two starts of the same house and month at one instant: the
        // database let one through.
        Err(StartError::Db(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _))) => {
            flash(req, FlashKind::Error, locale.text("billing-just-started"));
            Ok(see_other(back))
        }
        Err(StartError::HouseNotFound) => Err(AppError::NotFound),
        Err(StartError::Db(e)) => Err(e.into()),
    }
}

/// The month typed into a start form, or the message to flash.
fn typed_period(raw: &str, locale: Locale) -> Result<Period, String> {
    if raw.trim().is_empty() {
        return Err(locale.text("billing-enter-month"));
    }
    input::period(raw).map_err(|problem| locale.problem(&problem))
}

/// Bills one house for a month: the house page's form.
pub async fn start_house(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    CsrfForm(form): CsrfForm<StartForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let back = format!("/houses/{id}");
    let period = match typed_period(&form.period, request_locale(&req)) {
        Ok(period) => period,
        Err(message) => {
            flash(&req, FlashKind::Error, message);
            return Ok(see_other(&back));
        }
    };
    let today = Period::current();
    let result = state
        .db(move |conn| Ok::<_, AppError>(billing::start(conn, id, period, today)))
        .await?;
    started(&req, &state, result, &back)
}

/// The flash after every house started.
fn started_all_message(started: usize, locale: Locale) -> String {
    locale.text_with("billing-started-all", &[("count", started.into())])
}

/// The dashboard's form: one house (as from its page) or all of them.
pub async fn start_from_dashboard(
    req: HttpRequest,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<StartAllForm>,
) -> Result<HttpResponse, AppError> {
    let period = match typed_period(&form.period, request_locale(&req)) {
        Ok(period) => period,
        Err(message) => {
            flash(&req, FlashKind::Error, message);
            return Ok(see_other("/"));
        }
    };
    let today = Period::current();
    match form.target() {
        None => Err(AppError::BadRequest(Problem::ChooseHouse)),
        Some(Target::One(id)) => {
            let result = state
                .db(move |conn| Ok::<_, AppError>(billing::start(conn, id, period, today)))
                .await?;
            started(&req, &state, result, "/")
        }
        Some(Target::All) => {
            let result = state
                .db(move |conn| {
                    let all = billing::start_all(conn, period, today);
                    // The results page names the started runs' houses.
                    let houses = queries::houses::list(conn)?;
                    Ok::<_, AppError>((all, houses))
                })
                .await?;
            started_all(&req, &state, result, Some(period))
        }
    }
}

/// The dashboard's «Рассчитать текущие периоды»: every house for its own
/// current period.
pub async fn start_current_periods(
    req: HttpRequest,
    state: web::Data<AppState>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let today = Period::current();
    let result = state
        .db(move |conn| {
            let all = billing::start_current_periods(conn, today);
            let houses = queries::houses::list(conn)?;
            Ok::<_, AppError>((all, houses))
        })
        .await?;
    started_all(&req, &state, result, None)
}

/// After starting every house (for `period`, or None: each house's current
/// period): to the runs with a flash, or a page listing the refusals.
fn started_all(
    req: &HttpRequest,
    state: &AppState,
    result: (Result<StartedAll, StartError>, Vec<House>),
    period: Option<Period>,
) -> Result<HttpResponse, AppError> {
    match result {
        (Ok(all), houses) => {
            if !all.started.is_empty() {
                state.billing.wake();
            }
            if all.refused.is_empty() {
                return Ok(done(
                    req,
                    "/billing-runs",
                    started_all_message(all.started.len(), request_locale(req)),
                ));
            }
            // Every refusal with its reason is too long for a flash: the
            // form is answered by a page of its own.
            let ctx = PageCtx::from_request(req, &mut Payload::None).into_inner()?;
            let page = StartedAllPage::new(ctx, period, all, &houses);
            Ok(HttpResponse::Ok()
                .content_type(ContentType::html())
                .body(page.render()?))
        }
        (Err(e @ StartError::FuturePeriod(_)), _) => {
            flash_refusal(req, &e);
            Ok(see_other("/"))
        }
        (Err(e), _) => Err(e.into()),
    }
}

pub async fn runs(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<RunsQuery>,
) -> Result<Html, AppError> {
    let offset = query.offset();
    let (count, rows) = state
        .db(move |conn| queries::run_listing::page(conn, None, offset, RUNS_PER_PAGE))
        .await?;
    Ok(Html::new(
        RunsPage::new(ctx, query.page(), count, rows).render()?,
    ))
}

pub async fn progress(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<BillingRunId>,
) -> Result<Html, AppError> {
    let id = id.into_inner();
    let (run, house, replaced_by) = state
        .db(move |conn| {
            let (run, house) = queries::run_listing::find_with_house(conn, id)?;
            let replaced_by = queries::run_listing::replaced_by(conn, &[id])?.remove(&id);
            Ok::<_, DieselError>((run, house, replaced_by))
        })
        .await?;
    Ok(Html::new(
        ProgressPage::new(ctx, run, house, replaced_by).render()?,
    ))
}

pub async fn charges(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    query: web::Query<ChargesQuery>,
) -> Result<Html, AppError> {
    let id = id.into_inner();
    let asked = query.period()?;
    let asked_run = query.run()?;
    let (charges, run, replaced, months) = state
        .db(move |conn| {
            let months = queries::run_listing::billed_periods(conn, id)?;
            // A run's own link: its month, and whether a newer run replaced it.
            let mut replaced = None;
            let mut period = asked;
            if let Some(run_id) = asked_run {
                let run = queries::run_queue::find(conn, run_id)?;
                if run.house_id != id || asked.is_some_and(|p| p != run.period) {
                    return Err(DieselError::NotFound);
                }
                period = Some(run.period);
                if let Some(newer) =
                    queries::run_listing::replaced_by(conn, &[run_id])?.remove(&run_id)
                {
                    replaced = Some((run, newer));
                }
            }
            // Without a month: the house's current period when it is
            // billed, else the latest billed, else the current period.
            let current = queries::houses::find(conn, id)?.current_period();
            let period = period.unwrap_or_else(|| {
                if months.contains(&current) {
                    current
                } else {
                    months.first().copied().unwrap_or(current)
                }
            });
            // A replaced run's lines are gone: show none of the newer ones.
            let charges = if replaced.is_some() {
                billing::charges::HouseCharges::none(queries::houses::find(conn, id)?, period)
            } else {
                billing::charges::house_month(conn, id, period)?
            };
            let run = queries::run_listing::latest_for(conn, id, period)?;
            Ok::<_, DieselError>((charges, run, replaced, months))
        })
        .await?;
    let page = ChargesPage::new(ctx, charges, query.page(), run, replaced, months);
    Ok(Html::new(page.render()?))
}

/// The charges download's layout: `?layout=apartments` for one row per
/// apartment, else one row per line.
#[derive(Debug, serde::Deserialize)]
pub struct LayoutQuery {
    #[serde(default)]
    layout: csv::charges::Layout,
}

/// `?period=YYYY-MM`, required: a download names its month. In the
/// user's language.
pub async fn charges_csv(
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    query: web::Query<ChargesQuery>,
    layout: web::Query<LayoutQuery>,
    user: Identity,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let period = query
        .period()?
        .ok_or_else(|| AppError::BadRequest(Problem::ExportNeedsMonth))?;
    let charges = state
        .db(move |conn| billing::charges::house_month(conn, id, period))
        .await?;
    let filename = match layout.layout {
        csv::charges::Layout::Lines => format!("kvartplata-house-{id}-{period}.csv"),
        csv::charges::Layout::Apartments => {
            format!("kvartplata-house-{id}-{period}-apartments.csv")
        }
    };
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(&filename))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(csv::charges::write(&charges, layout.layout, user.locale)))
}
