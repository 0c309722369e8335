//! House pages: the list, the house page with its apartments, and the
//! create / edit / delete forms.

use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;

use crate::db::models::HouseId;
use crate::db::queries;
use crate::db::queries::house_listing::ApartmentQuery;
use crate::domain::input::{self, Checker};
use crate::domain::{Service, TimeZone};
use crate::error::AppError;
use crate::http::{CsrfForm, FlashKind, NoFields, done, flash, see_other};
use crate::i18n::Arg;
use crate::services;
use crate::services::houses::{AddHouse, ChangeHouse};
use crate::state::AppState;
use crate::views::forms::{Rejected, checked, render_with_status};
use crate::views::houses::{
    HouseForm, HouseFormPage, HousePage, HouseQuery, HousesPage, PER_PAGE, apartments_pager,
};
use crate::views::page::{PageCtx, request_locale};
use crate::views::runs::RunLine;

/// Billing runs listed on the house page; the runs page has them all.
const RECENT_RUNS: i64 = 3;

/// A flash naming the house: «Дом ул. Ленина, 1 создан.»
fn about(req: &HttpRequest, key: &str, address: &str) -> String {
    request_locale(req).text_with(key, &[("address", Arg::from(address))])
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    // /houses/new before /houses/{id}: routes match in this order.
    cfg.route("/houses", web::get().to(index))
        .route("/houses", web::post().to(create))
        .route("/houses/new", web::get().to(new))
        .route("/houses/{id}", web::get().to(show))
        .route("/houses/{id}", web::post().to(update))
        .route("/houses/{id}/edit", web::get().to(edit))
        .route("/houses/{id}/delete", web::post().to(delete));
}

pub async fn index(ctx: PageCtx, state: web::Data<AppState>) -> Result<Html, AppError> {
    let houses = state.db(queries::houses::list_summaries).await?;
    Ok(Html::new(HousesPage { ctx, houses }.render()?))
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    query: web::Query<HouseQuery>,
) -> Result<Html, AppError> {
    let id = id.into_inner();
    let query = query.into_inner();
    let (house, (matching, apartments), (_, runs), history) = {
        let query = query.clone();
        state
            .db(move |conn| {
                let house = queries::houses::find(conn, id)?;
                let history = queries::houses::history_counts(conn, id)?;
                let runs = queries::run_listing::page(conn, Some(id), 0, RECENT_RUNS)?;
                let found = queries::house_listing::apartments(
                    conn,
                    id,
                    &ApartmentQuery {
                        search: Some(query.search()),
                        offset: query.offset(),
                        limit: Some(PER_PAGE),
                    },
                )?;
                Ok::<_, diesel::result::Error>((house, found, runs, history))
            })
            .await?
    };
    let current_period = house.current_period();
    let page = HousePage {
        pager: apartments_pager(id, query.search(), query.page(), matching),
        search: query.search().to_owned(),
        ctx,
        house,
        matching,
        apartments,
        current_period,
        runs: runs.into_iter().map(RunLine::from).collect(),
        can_delete: history == (0, 0),
    };
    Ok(Html::new(page.render()?))
}

pub async fn new(ctx: PageCtx) -> Result<Html, AppError> {
    Ok(Html::new(HouseFormPage::new(ctx, None).render()?))
}

/// The address, the time zone when the form names one, and the services
/// when it lists them.
type CheckedHouse = (String, Option<TimeZone>, Option<Vec<Service>>);

fn check(form: &HouseForm) -> Result<CheckedHouse, AppError> {
    let mut checker = Checker::default();
    let address = checker.check("address", input::address(&form.address));
    let time_zone = match form.time_zone.trim() {
        "" => Some(None),
        named => checker.check("time_zone", input::time_zone(named).map(Some)),
    };
    let services = match form.services() {
        None => Some(None),
        Some(ticked) => checker.check("services", input::services(ticked).map(Some)),
    };
    let checked_form = (|| Some((address?, time_zone?, services?)))();
    checked(checker, checked_form)
}

/// The form adds a house alone; its apartments are added one by one.
fn check_new(form: &HouseForm) -> Result<AddHouse, AppError> {
    let (address, time_zone, services) = check(form)?;
    Ok(AddHouse {
        address,
        time_zone: time_zone.unwrap_or_default(),
        services: services.unwrap_or_else(|| Service::ALL.to_vec()),
        apartments: Vec::new(),
    })
}

fn check_change(form: &HouseForm) -> Result<ChangeHouse, AppError> {
    let (address, time_zone, services) = check(form)?;
    Ok(ChangeHouse {
        address: Some(address),
        time_zone,
        services,
    })
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<HouseForm>,
) -> Result<HttpResponse, AppError> {
    let saved = match check_new(&form) {
        Ok(new) => {
            state
                .db(move |conn| services::houses::create(conn, &new))
                .await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(house) => Ok(done(
            &req,
            &format!("/houses/{}", house.id),
            about(&req, "house-created", &house.address),
        )),
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let page = HouseFormPage {
                errors: rejected.errors,
                form,
                ..HouseFormPage::new(PageCtx::extract(&req).await?, None)
            };
            render_with_status(&page, rejected.status)
        }
    }
}

pub async fn edit(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
) -> Result<Html, AppError> {
    let id = id.into_inner();
    let house = state
        .db(move |conn| queries::houses::find(conn, id))
        .await?;
    Ok(Html::new(HouseFormPage::new(ctx, Some(house)).render()?))
}

pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    CsrfForm(form): CsrfForm<HouseForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let saved = match check_change(&form) {
        Ok(change) => {
            state
                .db(move |conn| services::houses::update(conn, id, &change))
                .await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(house) => Ok(done(
            &req,
            &format!("/houses/{id}"),
            about(&req, "house-saved", &house.address),
        )),
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            // The form shows the stored address in its title and breadcrumbs.
            let house = state
                .db(move |conn| queries::houses::find(conn, id))
                .await?;
            let page = HouseFormPage {
                errors: rejected.errors,
                form,
                ..HouseFormPage::new(PageCtx::extract(&req).await?, Some(house))
            };
            render_with_status(&page, rejected.status)
        }
    }
}

/// Refused (flash + back to the house) while the house has readings or
/// charges: billing history is never lost by a click.
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    match state
        .db(move |conn| services::houses::delete(conn, id))
        .await
    {
        Ok(house) => Ok(done(
            &req,
            "/houses",
            about(&req, "house-deleted", &house.address),
        )),
        Err(AppError::Conflict { message, .. }) => {
            flash(
                &req,
                FlashKind::Error,
                request_locale(&req).problem(&message),
            );
            Ok(see_other(&format!("/houses/{id}")))
        }
        Err(e) => Err(e),
    }
}
