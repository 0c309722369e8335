//! Apartment pages: the apartment with its meters, and the add / edit /
//! delete forms (an apartment is added from its house).

use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use diesel::prelude::*;

use crate::db::models::{Apartment, ApartmentId, House, HouseId};
use crate::db::queries;
use crate::domain::input::{self, Checker};
use crate::error::AppError;
use crate::http::{CsrfForm, FlashKind, NoFields, done, flash, see_other};
use crate::i18n::Arg;
use crate::services;
use crate::services::apartments::{AddApartment, ChangeApartment};
use crate::state::AppState;
use crate::views::apartments::{ApartmentForm, ApartmentFormPage, ApartmentPage};
use crate::views::forms::{Rejected, checked, render_with_status};
use crate::views::page::{PageCtx, request_locale};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/houses/{id}/apartments/new", web::get().to(new))
        .route("/houses/{id}/apartments", web::post().to(create))
        .route("/apartments/{id}", web::get().to(show))
        .route("/apartments/{id}", web::post().to(update))
        .route("/apartments/{id}/edit", web::get().to(edit))
        .route("/apartments/{id}/delete", web::post().to(delete));
}

/// A flash naming the apartment: «Квартира 12 добавлена.»
fn about(req: &HttpRequest, key: &str, number: &str) -> String {
    request_locale(req).text_with(key, &[("number", Arg::from(number))])
}

/// An apartment with the house it belongs to.
fn with_house(conn: &mut PgConnection, id: ApartmentId) -> QueryResult<(House, Apartment)> {
    let apartment = queries::apartments::find(conn, id)?;
    let house = queries::houses::find(conn, apartment.house_id)?;
    Ok((house, apartment))
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<ApartmentId>,
) -> Result<Html, AppError> {
    let id = id.into_inner();
    let (house, view, history) = state
        .db(move |conn| {
            let view = queries::house_listing::apartment(conn, id)?;
            let house = queries::houses::find(conn, view.apartment.house_id)?;
            let history = queries::apartments::history_counts(conn, id)?;
            Ok::<_, diesel::result::Error>((house, view, history))
        })
        .await?;
    let page = ApartmentPage {
        ctx,
        house,
        view,
        can_delete: history == (0, 0),
    };
    Ok(Html::new(page.render()?))
}

/// The form adds an apartment without meters; they are added one by one.
fn check_new(form: &ApartmentForm) -> Result<AddApartment, AppError> {
    let mut checker = Checker::default();
    let number = checker.check("number", input::apartment_number(&form.number));
    let area = checker.check("area", input::decimal(&form.area).and_then(input::area));
    let apartment = number.zip(area).map(|(number, area)| AddApartment {
        number,
        area,
        meters: Vec::new(),
    });
    checked(checker, apartment)
}

/// The edit form sets both fields it shows.
fn check_change(form: &ApartmentForm) -> Result<ChangeApartment, AppError> {
    let AddApartment { number, area, .. } = check_new(form)?;
    Ok(ChangeApartment {
        number: Some(number),
        area: Some(area),
    })
}

pub async fn new(
    ctx: PageCtx,
    state: web::Data<AppState>,
    house: web::Path<HouseId>,
) -> Result<Html, AppError> {
    let house_id = house.into_inner();
    let house = state
        .db(move |conn| queries::houses::find(conn, house_id))
        .await?;
    Ok(Html::new(
        ApartmentFormPage::new(ctx, house, None).render()?,
    ))
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    house: web::Path<HouseId>,
    CsrfForm(form): CsrfForm<ApartmentForm>,
) -> Result<HttpResponse, AppError> {
    let house_id = house.into_inner();
    let saved = match check_new(&form) {
        Ok(new) => {
            state
                .db(move |conn| services::apartments::create(conn, house_id, &new))
                .await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(apartment) => Ok(done(
            &req,
            &format!("/houses/{house_id}"),
            about(&req, "apt-added", &apartment.number),
        )),
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let house = state
                .db(move |conn| queries::houses::find(conn, house_id))
                .await?;
            let page = ApartmentFormPage {
                errors: rejected.errors,
                form,
                ..ApartmentFormPage::new(PageCtx::extract(&req).await?, house, None)
            };
            render_with_status(&page, rejected.status)
        }
    }
}

pub async fn edit(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<ApartmentId>,
) -> Result<Html, AppError> {
    let id = id.into_inner();
    let (house, apartment) = state.db(move |conn| with_house(conn, id)).await?;
    Ok(Html::new(
        ApartmentFormPage::new(ctx, house, Some(apartment)).render()?,
    ))
}

pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<ApartmentId>,
    CsrfForm(form): CsrfForm<ApartmentForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let saved = match check_change(&form) {
        Ok(change) => {
            state
                .db(move |conn| services::apartments::update(conn, id, &change))
                .await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(apartment) => Ok(done(
            &req,
            &format!("/apartments/{id}"),
            about(&req, "apt-saved", &apartment.number),
        )),
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let (house, apartment) = state.db(move |conn| with_house(conn, id)).await?;
            let page = ApartmentFormPage {
                errors: rejected.errors,
                form,
                ..ApartmentFormPage::new(PageCtx::extract(&req).await?, house, Some(apartment))
            };
            render_with_status(&page, rejected.status)
        }
    }
}

/// Refused (flash + back to the apartment) while it has readings or
/// charges: billing history is never lost by a click.
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<ApartmentId>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    match state
        .db(move |conn| services::apartments::delete(conn, id))
        .await
    {
        Ok(apartment) => Ok(done(
            &req,
            &format!("/houses/{}", apartment.house_id),
            about(&req, "apt-deleted", &apartment.number),
        )),
        Err(AppError::Conflict { message, .. }) => {
            flash(
                &req,
                FlashKind::Error,
                request_locale(&req).problem(&message),
            );
            Ok(see_other(&format!("/apartments/{id}")))
        }
        Err(e) => Err(e),
    }
}
