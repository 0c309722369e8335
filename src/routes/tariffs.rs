//! The tariffs pages: the overview with "who pays what", and the forms to
//! add, change and delete a tariff (through services::tariffs, which refuses
//! to change or delete a tariff that charges were billed at).

use actix_web::http::StatusCode;
use actix_web::web::{self, Html};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use rust_decimal::Decimal;

use crate::db::models::{HouseId, TariffId};
use crate::db::queries;
use crate::domain::Period;
use crate::domain::Problem;
use crate::domain::input::{self, Checker};
use crate::error::{AppError, FieldErrors};
use crate::http::{CsrfForm, FlashKind, NoFields, done, flash, see_other};
use crate::services;
use crate::services::tariffs::{AddTariff, ChangeTariff};
use crate::state::AppState;
use crate::views::forms::{FormErrors, Rejected, render_with_status};
use crate::views::page::PageCtx;
use crate::views::tariffs::{
    EditTariffPage, EditedTariff, HouseChoice, LookupQuery, NewTariffPage, TariffForm, TariffsPage,
    describe,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/tariffs", web::get().to(index))
        .route("/tariffs", web::post().to(create))
        .route("/tariffs/new", web::get().to(new))
        .route("/tariffs/{id}/edit", web::get().to(edit))
        .route("/tariffs/{id}", web::post().to(update))
        .route("/tariffs/{id}/delete", web::post().to(delete));
}

/// The overview; `?house_id=&period=` also answers which tariff that house
/// pays in that month (422 with the messages when the question is invalid).
async fn index(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<LookupQuery>,
) -> Result<HttpResponse, AppError> {
    let (tariffs, houses) = state
        .db(|conn| {
            Ok::<_, diesel::result::Error>((
                queries::tariffs::list(conn)?,
                queries::tariffs::house_choices(conn)?,
            ))
        })
        .await?;
    let houses = HouseChoice::from_rows(houses);
    let page = TariffsPage::build(ctx, tariffs, houses, &query, Period::current());
    let status = if page.lookup.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_with_status(&page, status)
}

/// The empty form; `?service=` and `?house_id=` preselect, e.g. from a house page.
async fn new(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<TariffForm>,
) -> Result<Html, AppError> {
    let houses = state.db(queries::tariffs::house_choices).await?;
    let mut form = query.into_inner();
    if form.valid_from.trim().is_empty() {
        form.valid_from = Period::current().to_string();
    }
    let page = NewTariffPage::new(
        ctx,
        form,
        FormErrors::default(),
        &HouseChoice::from_rows(houses),
    );
    Ok(Html::new(page.render()?))
}

/// A price's house as a form's select sends it; empty: the default for
/// all houses (tariffs and normatives alike).
pub(super) fn house_id(raw: &str) -> Result<Option<HouseId>, Problem> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw
            .parse()
            .map(|id| Some(HouseId(id)))
            .map_err(|_| Problem::ChooseHouse),
    }
}

fn price(raw: &str) -> Result<Decimal, crate::domain::Problem> {
    input::decimal(raw).and_then(input::price)
}

fn check_new(form: &TariffForm) -> Result<AddTariff, FieldErrors> {
    let mut c = Checker::default();
    let service = c.check("service", input::service(&form.service));
    let price = c.check("price", price(&form.price));
    let valid_from = c.check("valid_from", input::period(&form.valid_from));
    let house = c.check("house_id", house_id(&form.house_id));
    match (service, price, valid_from, house) {
        (Some(service), Some(price), Some(valid_from), Some(house)) => Ok(AddTariff {
            service,
            price,
            valid_from,
            house,
        }),
        _ => Err(c.into_errors()),
    }
}

/// The edit form sets both fields it shows; service and house stay.
fn check_edit(form: &TariffForm) -> Result<ChangeTariff, FieldErrors> {
    let mut c = Checker::default();
    let price = c.check("price", price(&form.price));
    let valid_from = c.check("valid_from", input::period(&form.valid_from));
    match (price, valid_from) {
        (Some(price), Some(valid_from)) => Ok(ChangeTariff {
            price: Some(price),
            valid_from: Some(valid_from),
        }),
        _ => Err(c.into_errors()),
    }
}

async fn create(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<TariffForm>,
) -> Result<HttpResponse, AppError> {
    let rejected = match check_new(&form) {
        Err(errors) => Rejected::invalid(errors, &req),
        Ok(new) => {
            let saved = state
                .db(move |conn| {
                    let tariff = services::tariffs::create(conn, &new)?;
                    // Read back for the message: the address the person chose.
                    queries::tariffs::find_with_address(conn, tariff.id).map_err(AppError::from)
                })
                .await;
            match saved {
                Ok((tariff, address)) => {
                    let tariff = describe(&tariff, address.as_deref(), ctx.locale);
                    let message = ctx
                        .locale
                        .text_with("tariff-added", &[("tariff", tariff.into())]);
                    return Ok(done(&req, "/tariffs", message));
                }
                Err(e) => Rejected::from_error(e, &req)?,
            }
        }
    };
    let houses = state.db(queries::tariffs::house_choices).await?;
    let page = NewTariffPage::new(ctx, form, rejected.errors, &HouseChoice::from_rows(houses));
    render_with_status(&page, rejected.status)
}

async fn edit(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<Html, AppError> {
    let id = TariffId(id.into_inner());
    let (tariff, address) = state
        .db(move |conn| queries::tariffs::find_with_address(conn, id))
        .await?;
    let page = EditTariffPage {
        form: TariffForm::from_tariff(&tariff),
        tariff: EditedTariff::new(&tariff, address, ctx.locale),
        ctx,
        errors: FormErrors::default(),
        message: None,
    };
    Ok(Html::new(page.render()?))
}

async fn update(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<TariffForm>,
) -> Result<HttpResponse, AppError> {
    let id = TariffId(id.into_inner());
    let (rejected, message) = match check_edit(&form) {
        Err(errors) => (Rejected::invalid(errors, &req), None),
        Ok(change) => {
            let saved = state
                .db(move |conn| {
                    let tariff = services::tariffs::update(conn, id, &change)?;
                    queries::tariffs::find_with_address(conn, tariff.id).map_err(AppError::from)
                })
                .await;
            match saved {
                Ok((tariff, address)) => {
                    let tariff = describe(&tariff, address.as_deref(), ctx.locale);
                    let message = ctx
                        .locale
                        .text_with("tariff-saved", &[("tariff", tariff.into())]);
                    return Ok(done(&req, "/tariffs", message));
                }
                // Refused as a whole (charges were billed at it): say why
                // above the form, which keeps the input.
                Err(e @ AppError::Conflict { .. }) if e.fields().is_none() => (
                    Rejected {
                        status: StatusCode::CONFLICT,
                        errors: FormErrors::default(),
                    },
                    Some(e.to_string()),
                ),
                Err(e) => (Rejected::from_error(e, &req)?, None),
            }
        }
    };
    let (tariff, address) = state
        .db(move |conn| queries::tariffs::find_with_address(conn, id))
        .await?;
    let page = EditTariffPage {
        tariff: EditedTariff::new(&tariff, address, ctx.locale),
        ctx,
        form,
        errors: rejected.errors,
        message,
    };
    render_with_status(&page, rejected.status)
}

/// Deleting a tariff that charges were billed at is refused with the reason
/// as a flash on the tariffs page.
async fn delete(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    _: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = TariffId(id.into_inner());
    let deleted = state
        .db(move |conn| {
            let (_, address) = queries::tariffs::find_with_address(conn, id)?;
            let tariff = services::tariffs::delete(conn, id)?;
            Ok::<_, AppError>((tariff, address))
        })
        .await;
    match deleted {
        Ok((tariff, address)) => {
            let tariff = describe(&tariff, address.as_deref(), ctx.locale);
            let message = ctx
                .locale
                .text_with("tariff-deleted", &[("tariff", tariff.into())]);
            Ok(done(&req, "/tariffs", message))
        }
        Err(e @ AppError::Conflict { .. }) => {
            flash(&req, FlashKind::Error, e.to_string());
            Ok(see_other("/tariffs"))
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Service;

    fn form(service: &str, price: &str, valid_from: &str, house_id: &str) -> TariffForm {
        TariffForm {
            service: service.into(),
            price: price.into(),
            valid_from: valid_from.into(),
            house_id: house_id.into(),
        }
    }

    #[test]
    fn a_valid_form_names_the_default_or_a_house() {
        let new = check_new(&form("cold_water", "42,30", "2026-07", "")).unwrap();
        assert_eq!(new.service, Service::ColdWater);
        assert_eq!(new.price, Decimal::new(423, 1));
        assert_eq!(new.house, None);
        let new = check_new(&form("maintenance", "30", "2026-01", " 7 ")).unwrap();
        assert_eq!(new.house, Some(HouseId(7)));
    }

    #[test]
    fn every_bad_field_gets_its_message() {
        let errors = check_new(&form("gas", "0", "13.2026", "abc"))
            .err()
            .unwrap();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["house_id", "price", "service", "valid_from"]
        );
        assert_eq!(errors["price"], Problem::PriceNotPositive);
        assert_eq!(errors["house_id"], Problem::ChooseHouse);
        let errors = check_edit(&form("", "", "2026-13", "")).unwrap_err();
        assert!(errors.contains_key("price") && errors.contains_key("valid_from"));
    }
}
