//! Apartment pages: the apartment with its meters, and the add / edit /
//! delete forms (an apartment is added from its house).

use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use diesel::prelude::*;

use crate::db::models::{Apartment, ApartmentId, House, HouseId};
use crate::db::queries;
use crate::domain::input::{self, Checker};
use crate::domain::residents::ResidentsFrom;
use crate::error::AppError;
use crate::http::{CsrfForm, FlashKind, NoFields, done, flash, see_other};
use crate::i18n::Arg;
use crate::services;
use crate::services::apartments::{AddApartment, ChangeApartment, People};
use crate::state::AppState;
use crate::views::apartments::{ApartmentForm, ApartmentFormPage, ApartmentPage, ResidentsForm};
use crate::views::forms::{Rejected, checked, render_with_status};
use crate::views::page::{PageCtx, request_locale};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/houses/{id}/apartments/new", web::get().to(new))
        .route("/houses/{id}/apartments", web::post().to(create))
        .route("/apartments/{id}", web::get().to(show))
        .route("/apartments/{id}", web::post().to(update))
        .route("/apartments/{id}/edit", web::get().to(edit))
        .route("/apartments/{id}/residents", web::post().to(set_residents))
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
    let page = apartment_page(ctx, &state, id.into_inner()).await?;
    Ok(Html::new(page.render()?))
}

pub(super) async fn apartment_page(
    ctx: PageCtx,
    state: &AppState,
    id: ApartmentId,
) -> Result<ApartmentPage, AppError> {
    let (house, view, history) = state
        .db(move |conn| {
            let view = queries::house_listing::apartment(conn, id)?;
            let house = queries::houses::find(conn, view.apartment.house_id)?;
            let history = queries::apartments::history_counts(conn, id)?;
            Ok::<_, diesel::result::Error>((house, view, history))
        })
        .await?;
    Ok(ApartmentPage::new(ctx, house, view, history == (0, 0)))
}

/// How many live there from a month on: the residents form of the
/// apartment page (an empty month: before any month).
fn check_residents(form: &ResidentsForm) -> Result<ResidentsFrom, AppError> {
    let mut checker = Checker::default();
    let valid_from = match form.valid_from.trim() {
        "" => Some(None),
        raw => checker.check("valid_from", input::period(raw).map(Some)),
    };
    let count = checker.check("count", input::people(&form.count));
    let residents = valid_from
        .zip(count)
        .map(|(valid_from, count)| ResidentsFrom { valid_from, count });
    checked(checker, residents)
}

pub async fn set_residents(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<ApartmentId>,
    CsrfForm(form): CsrfForm<ResidentsForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let saved = match check_residents(&form) {
        Ok(residents) => {
            state
                .db(move |conn| services::apartments::set_residents(conn, id, residents))
                .await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(done(
            &req,
            &format!("/apartments/{id}"),
            request_locale(&req).text("apt-residents-saved"),
        )),
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let page = ApartmentPage {
                residents_errors: rejected.errors,
                residents_form: form,
                ..apartment_page(PageCtx::extract(&req).await?, &state, id).await?
            };
            render_with_status(&page, rejected.status)
        }
    }
}

/// The form adds an apartment without meters; they are added one by one.
fn check_new(form: &ApartmentForm) -> Result<AddApartment, AppError> {
    let mut checker = Checker::default();
    let number = checker.check("number", input::apartment_number(&form.number));
    let area = checker.check("area", input::decimal(&form.area).and_then(input::area));
    // Left empty: nobody registered there.
    let residents = match form.residents.trim() {
        "" => Some(Vec::new()),
        raw => checker.check("residents", input::people(raw)).map(|count| {
            vec![ResidentsFrom {
                valid_from: None,
                count,
            }]
        }),
    };
    let owners = match &form.owners {
        None => Some(People::default().owners),
        Some(raw) => checker.check("owners", input::people(raw)),
    };
    let apartment = (|| {
        Some(AddApartment {
            number: number?,
            area: area?,
            people: People {
                residents: residents?,
                owners: owners?,
                meter_impossible: form.meter_impossible.is_some(),
            },
            meters: Vec::new(),
            // Set on the apartment's page once it exists.
            account: None,
        })
    })();
    checked(checker, apartment)
}

/// The edit form sets every field it shows; residents change by month on
/// the apartment page.
fn check_change(form: &ApartmentForm) -> Result<ChangeApartment, AppError> {
    let AddApartment {
        number,
        area,
        people,
        ..
    } = check_new(form)?;
    Ok(ChangeApartment {
        number: Some(number),
        area: Some(area),
        owners: form.owners.as_ref().map(|_| people.owners),
        meter_impossible: form.owners.as_ref().map(|_| people.meter_impossible),
        residents: None,
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
