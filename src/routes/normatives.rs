//! The normatives and coefficients page and an admin's forms to add and
//! delete them (through services::normatives); the middleware keeps the
//! other roles to reading.

use actix_web::web::{self, Html};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use rust_decimal::Decimal;

use super::tariffs::house_id;
use crate::db::models::{CoefficientId, NormativeId};
use crate::db::queries;
use crate::domain::input::{self, Checker};
use crate::domain::{Period, Problem};
use crate::error::AppError;
use crate::http::{CsrfForm, NoFields, done};
use crate::services;
use crate::services::normatives::{AddRate, ChangeRate};
use crate::state::AppState;
use crate::views::forms::{Rejected, checked, render_with_status};
use crate::views::normatives::{EditRatePage, NormativesPage, RateForm, RateKind};
use crate::views::page::{PageCtx, request_locale};
use crate::views::tariffs::HouseChoice;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/normatives", web::get().to(index))
        .route("/normatives", web::post().to(create))
        .route("/normatives/{id}/delete", web::post().to(delete))
        .route("/normatives/{id}/edit", web::get().to(edit))
        .route("/normatives/{id}", web::post().to(update))
        .route("/coefficients", web::post().to(create_coefficient))
        .route("/coefficients/{id}/edit", web::get().to(edit_coefficient))
        .route("/coefficients/{id}", web::post().to(update_coefficient))
        .route(
            "/coefficients/{id}/delete",
            web::post().to(delete_coefficient),
        );
}

async fn page(ctx: PageCtx, state: &AppState) -> Result<NormativesPage, AppError> {
    let (normatives, coefficients, houses) = state
        .db(|conn| {
            Ok::<_, diesel::result::Error>((
                queries::normatives::list(conn)?,
                queries::normatives::list_coefficients(conn)?,
                queries::tariffs::house_choices(conn)?,
            ))
        })
        .await?;
    Ok(NormativesPage::new(
        ctx,
        &normatives,
        &coefficients,
        HouseChoice::from_rows(houses),
        Period::current(),
    ))
}

async fn index(ctx: PageCtx, state: web::Data<AppState>) -> Result<Html, AppError> {
    Ok(Html::new(page(ctx, &state).await?.render()?))
}

/// The input rule of a rate's value.
type Rule = fn(Decimal) -> Result<Decimal, Problem>;

fn rule(kind: RateKind) -> Rule {
    match kind {
        RateKind::Normative => input::normative,
        RateKind::Coefficient => input::coefficient,
    }
}

/// The form's fields by `rule` for the value; a coefficient's form has no house.
fn check(form: &RateForm, value: Rule) -> Result<AddRate, AppError> {
    let mut c = Checker::default();
    let service = c.check("service", input::water_service(&form.service));
    let amount = c.check("value", input::decimal(&form.value).and_then(value));
    let valid_from = c.check("valid_from", input::period(&form.valid_from));
    let house = c.check("house_id", house_id(&form.house_id));
    let rate = (|| {
        Some(AddRate {
            service: service?,
            value: amount?,
            valid_from: valid_from?,
            house: house?,
        })
    })();
    checked(c, rate)
}

async fn create(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<RateForm>,
) -> Result<HttpResponse, AppError> {
    create_rate(req, ctx, state, RateKind::Normative, form).await
}

async fn create_coefficient(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<RateForm>,
) -> Result<HttpResponse, AppError> {
    // Coefficients are for every house.
    let form = RateForm {
        house_id: String::new(),
        ..form
    };
    create_rate(req, ctx, state, RateKind::Coefficient, form).await
}

/// Adds what the page's form of `kind` sends: back to its section, or the
/// page again with that form's messages and input.
async fn create_rate(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    kind: RateKind,
    form: RateForm,
) -> Result<HttpResponse, AppError> {
    let added = match kind {
        RateKind::Normative => "norm-added",
        RateKind::Coefficient => "norm-coefficient-added",
    };
    let saved = match check(&form, rule(kind)) {
        Ok(new) => {
            state
                .db(move |conn| match kind {
                    RateKind::Normative => services::normatives::create(conn, &new).map(drop),
                    RateKind::Coefficient => {
                        services::normatives::create_coefficient(conn, &new).map(drop)
                    }
                })
                .await
        }
        Err(e) => Err(e),
    };
    let rejected = match saved {
        Ok(()) => {
            let message = request_locale(&req).text(added);
            return Ok(done(&req, kind.section(), message));
        }
        Err(e) => Rejected::from_error(e, &req)?,
    };
    let mut page = page(ctx, &state).await?;
    match kind {
        RateKind::Normative => {
            page.normative_errors = rejected.errors;
            page.normative_form = form;
        }
        RateKind::Coefficient => {
            page.coefficient_errors = rejected.errors;
            page.coefficient_form = form;
        }
    }
    render_with_status(&page, rejected.status)
}

async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = NormativeId(id.into_inner());
    state
        .db(move |conn| services::normatives::delete(conn, id))
        .await?;
    let message = request_locale(&req).text("norm-deleted");
    Ok(done(&req, "/normatives#normatives", message))
}

async fn delete_coefficient(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = CoefficientId(id.into_inner());
    state
        .db(move |conn| services::normatives::delete_coefficient(conn, id))
        .await?;
    let message = request_locale(&req).text("norm-coefficient-deleted");
    Ok(done(&req, "/normatives#coefficients", message))
}

/// The edit form's two fields: the value by `value`'s rule and the month.
fn check_change(form: &RateForm, value: Rule) -> Result<ChangeRate, AppError> {
    let mut c = Checker::default();
    let amount = c.check("value", input::decimal(&form.value).and_then(value));
    let valid_from = c.check("valid_from", input::period(&form.valid_from));
    let change = amount
        .zip(valid_from)
        .map(|(value, valid_from)| ChangeRate {
            value: Some(value),
            valid_from: Some(valid_from),
        });
    checked(c, change)
}

/// The edit page of a normative or coefficient as stored.
async fn rate_page(
    ctx: PageCtx,
    state: &AppState,
    kind: RateKind,
    id: i64,
) -> Result<EditRatePage, AppError> {
    match kind {
        RateKind::Normative => {
            let (normative, houses) = state
                .db(move |conn| {
                    Ok::<_, diesel::result::Error>((
                        queries::normatives::find(conn, NormativeId(id))?,
                        queries::tariffs::house_choices(conn)?,
                    ))
                })
                .await?;
            let houses = HouseChoice::from_rows(houses);
            Ok(EditRatePage::normative(ctx, &normative, &houses))
        }
        RateKind::Coefficient => {
            let coefficient = state
                .db(move |conn| queries::normatives::find_coefficient(conn, CoefficientId(id)))
                .await?;
            Ok(EditRatePage::coefficient(ctx, &coefficient))
        }
    }
}

async fn edit(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<Html, AppError> {
    let page = rate_page(ctx, &state, RateKind::Normative, id.into_inner()).await?;
    Ok(Html::new(page.render()?))
}

async fn edit_coefficient(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<Html, AppError> {
    let page = rate_page(ctx, &state, RateKind::Coefficient, id.into_inner()).await?;
    Ok(Html::new(page.render()?))
}

async fn update(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<RateForm>,
) -> Result<HttpResponse, AppError> {
    update_rate(req, ctx, state, RateKind::Normative, id.into_inner(), form).await
}

async fn update_coefficient(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<RateForm>,
) -> Result<HttpResponse, AppError> {
    update_rate(
        req,
        ctx,
        state,
        RateKind::Coefficient,
        id.into_inner(),
        form,
    )
    .await
}

/// Saves an edit form's value and month: back to the rate's section, or
/// the form again with its messages.
async fn update_rate(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    kind: RateKind,
    id: i64,
    form: RateForm,
) -> Result<HttpResponse, AppError> {
    let saved = match check_change(&form, rule(kind)) {
        Ok(change) => {
            state
                .db(move |conn| match kind {
                    RateKind::Normative => {
                        services::normatives::update(conn, NormativeId(id), &change).map(drop)
                    }
                    RateKind::Coefficient => {
                        let id = CoefficientId(id);
                        services::normatives::update_coefficient(conn, id, &change).map(drop)
                    }
                })
                .await
        }
        Err(e) => Err(e),
    };
    let rejected = match saved {
        Ok(()) => {
            let message = request_locale(&req).text("norm-saved");
            return Ok(done(&req, kind.section(), message));
        }
        Err(e) => Rejected::from_error(e, &req)?,
    };
    let page = EditRatePage {
        errors: rejected.errors,
        form,
        ..rate_page(ctx, &state, kind, id).await?
    };
    render_with_status(&page, rejected.status)
}
