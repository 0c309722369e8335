//! Meter pages: the meter with its readings, and the add / edit / delete
//! forms (a meter is added from its apartment).

use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use diesel::prelude::*;

use crate::db::models::{Apartment, ApartmentId, House, Meter, MeterId};
use crate::db::queries;
use crate::domain::input::{self, Checker};
use crate::error::AppError;
use crate::http::{CsrfForm, FlashKind, NoFields, done, flash, see_other};
use crate::i18n::Arg;
use crate::services;
use crate::services::meters::{AddMeter, ChangeMeter, Replacement};
use crate::state::AppState;
use crate::views::forms::{Rejected, checked, render_with_status};
use crate::views::meters::{MeterForm, MeterFormPage, MeterPage, MeterReplacePage, ReplaceForm};
use crate::views::page::{PageCtx, request_locale};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/apartments/{id}/meters/new", web::get().to(new))
        .route("/apartments/{id}/meters", web::post().to(create))
        .route("/meters/{id}", web::get().to(show))
        .route("/meters/{id}", web::post().to(update))
        .route("/meters/{id}/edit", web::get().to(edit))
        .route("/meters/{id}/delete", web::post().to(delete))
        .route("/meters/{id}/replace", web::get().to(replace_form))
        .route("/meters/{id}/replace", web::post().to(replace));
}

/// A flash naming the meter: «Счётчик ХВ-01 добавлен.»
fn about(req: &HttpRequest, key: &str, serial: &str) -> String {
    request_locale(req).text_with(key, &[("serial", Arg::from(serial))])
}

/// An apartment with the house it belongs to, for breadcrumbs.
fn place(conn: &mut PgConnection, id: ApartmentId) -> QueryResult<(House, Apartment)> {
    let apartment = queries::apartments::find(conn, id)?;
    let house = queries::houses::find(conn, apartment.house_id)?;
    Ok((house, apartment))
}

/// A meter with its apartment and house.
fn with_place(conn: &mut PgConnection, id: MeterId) -> QueryResult<(House, Apartment, Meter)> {
    let meter = queries::meters::find(conn, id)?;
    let (house, apartment) = place(conn, meter.apartment_id)?;
    Ok((house, apartment, meter))
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<MeterId>,
) -> Result<Html, AppError> {
    let id = id.into_inner();
    let ((house, apartment, meter), readings) = state
        .db(move |conn| {
            let placed = with_place(conn, id)?;
            let readings = queries::readings::list_for_meter(conn, id)?;
            Ok::<_, diesel::result::Error>((placed, readings))
        })
        .await?;
    let page = MeterPage::new(ctx, house, apartment, meter, &readings);
    Ok(Html::new(page.render()?))
}

fn check_new(form: &MeterForm) -> Result<AddMeter, AppError> {
    let mut checker = Checker::default();
    let serial = checker.check("serial", input::serial(&form.serial));
    let kind = checker.check("kind", input::meter_kind(&form.kind));
    // Left empty, a new meter starts at zero.
    let initial = match form.initial_reading.trim() {
        "" => Ok(rust_decimal::Decimal::ZERO),
        raw => input::decimal(raw).and_then(input::meter_value),
    };
    let initial_reading = checker.check("initial_reading", initial);
    let mut date = |field: &str, raw: &str| checker.check(field, input::optional_date(raw));
    let installed_on = date("installed_on", &form.installed_on);
    let commissioned_on = date("commissioned_on", &form.commissioned_on);
    let verified_until = date("verified_until", &form.verified_until);
    let meter = (|| {
        Some(AddMeter {
            serial: serial?,
            kind: kind?,
            initial_reading: initial_reading?,
            installed_on: installed_on?,
            commissioned_on: commissioned_on?,
            verified_until: verified_until?,
        })
    })();
    checked(checker, meter)
}

/// The edit form sets every field it shows (an empty date clears it).
fn check_change(form: &MeterForm) -> Result<ChangeMeter, AppError> {
    check_new(form).map(ChangeMeter::from)
}

pub async fn new(
    ctx: PageCtx,
    state: web::Data<AppState>,
    apartment: web::Path<ApartmentId>,
) -> Result<Html, AppError> {
    let apartment_id = apartment.into_inner();
    let (house, apartment) = state.db(move |conn| place(conn, apartment_id)).await?;
    Ok(Html::new(
        MeterFormPage::new(ctx, house, apartment, None).render()?,
    ))
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    apartment: web::Path<ApartmentId>,
    CsrfForm(form): CsrfForm<MeterForm>,
) -> Result<HttpResponse, AppError> {
    let apartment_id = apartment.into_inner();
    let saved = match check_new(&form) {
        Ok(new) => {
            state
                .db(move |conn| services::meters::create(conn, apartment_id, &new))
                .await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(meter) => Ok(done(
            &req,
            &format!("/apartments/{apartment_id}"),
            about(&req, "meter-added", &meter.serial),
        )),
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let (house, apartment) = state.db(move |conn| place(conn, apartment_id)).await?;
            let page = MeterFormPage {
                errors: rejected.errors,
                form,
                ..MeterFormPage::new(PageCtx::extract(&req).await?, house, apartment, None)
            };
            render_with_status(&page, rejected.status)
        }
    }
}

pub async fn edit(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<MeterId>,
) -> Result<Html, AppError> {
    let id = id.into_inner();
    let (house, apartment, meter) = state.db(move |conn| with_place(conn, id)).await?;
    Ok(Html::new(
        MeterFormPage::new(ctx, house, apartment, Some(meter)).render()?,
    ))
}

pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<MeterId>,
    CsrfForm(form): CsrfForm<MeterForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let saved = match check_change(&form) {
        Ok(change) => {
            state
                .db(move |conn| services::meters::update(conn, id, &change))
                .await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(meter) => Ok(done(
            &req,
            &format!("/meters/{id}"),
            about(&req, "meter-saved", &meter.serial),
        )),
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let (house, apartment, meter) = state.db(move |conn| with_place(conn, id)).await?;
            let page = MeterFormPage {
                errors: rejected.errors,
                form,
                ..MeterFormPage::new(PageCtx::extract(&req).await?, house, apartment, Some(meter))
            };
            render_with_status(&page, rejected.status)
        }
    }
}

/// Refused (flash + back to the meter) while it has readings.
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<MeterId>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    match state
        .db(move |conn| services::meters::delete(conn, id))
        .await
    {
        Ok(meter) => Ok(done(
            &req,
            &format!("/apartments/{}", meter.apartment_id),
            about(&req, "meter-deleted", &meter.serial),
        )),
        Err(AppError::Conflict { message, .. }) => {
            flash(
                &req,
                FlashKind::Error,
                request_locale(&req).problem(&message),
            );
            Ok(see_other(&format!("/meters/{id}")))
        }
        Err(e) => Err(e),
    }
}

pub async fn replace_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<MeterId>,
) -> Result<Html, AppError> {
    let id = id.into_inner();
    let (house, apartment, meter) = state.db(move |conn| with_place(conn, id)).await?;
    Ok(Html::new(
        MeterReplacePage::new(ctx, house, apartment, meter).render()?,
    ))
}

/// Every field of the replacement form; the new meter's kind is the old one's.
fn check_replacement(form: &ReplaceForm) -> Result<Replacement, AppError> {
    let mut checker = Checker::default();
    let on = checker.check("on", input::date(&form.on));
    let final_reading = checker.check(
        "final_reading",
        input::decimal(&form.final_reading).and_then(input::meter_value),
    );
    let serial = checker.check("serial", input::serial(&form.serial));
    let initial = match form.initial_reading.trim() {
        "" => Ok(rust_decimal::Decimal::ZERO),
        raw => input::decimal(raw).and_then(input::meter_value),
    };
    let initial_reading = checker.check("initial_reading", initial);
    let commissioned_on = checker.check(
        "commissioned_on",
        input::optional_date(&form.commissioned_on),
    );
    let verified_until =
        checker.check("verified_until", input::optional_date(&form.verified_until));
    let replacement = (|| {
        Some(Replacement {
            on: on?,
            final_reading: final_reading?,
            serial: serial?,
            initial_reading: initial_reading?,
            commissioned_on: commissioned_on?,
            verified_until: verified_until?,
        })
    })();
    checked(checker, replacement)
}

pub async fn replace(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<MeterId>,
    CsrfForm(form): CsrfForm<ReplaceForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let saved = match check_replacement(&form) {
        Ok(replacement) => {
            state
                .db(move |conn| services::meters::replace(conn, id, &replacement))
                .await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(meter) => Ok(done(
            &req,
            &format!("/meters/{}", meter.id),
            about(&req, "meter-replaced", &meter.serial),
        )),
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let (house, apartment, meter) = state.db(move |conn| with_place(conn, id)).await?;
            let page = MeterReplacePage {
                errors: rejected.errors,
                form,
                ..MeterReplacePage::new(PageCtx::extract(&req).await?, house, apartment, meter)
            };
            render_with_status(&page, rejected.status)
        }
    }
}
