//! Personal account pages: an apartment's account set from its page, the
//! account page with its statement, payments by hand and their deletion
//! (with a reason), the search by number, a house's оборотно-сальдовая
//! ведомость (page and CSV) and the debtors.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use chrono::Utc;
use diesel::OptionalExtension;

use super::tariffs::house_id;
use crate::auth::Identity;
use crate::csv;
use crate::db::models::{ApartmentId, HouseId, PaymentId};
use crate::db::queries;
use crate::domain::input::{self, Checker};
use crate::domain::{Period, Problem};
use crate::error::AppError;
use crate::http::{CsrfForm, attachment, done, see_other};
use crate::i18n::Arg;
use crate::services;
use crate::services::accounts::{DebtorsFilter, SetAccount};
use crate::services::payments::AddPayment;
use crate::state::AppState;
use crate::views::accounts::{
    AccountForm, AccountPage, BalancesPage, DebtorsForm, DebtorsPage, DeleteForm, PaymentForm,
    RefusedDelete, SearchPage, SearchQuery, account_href,
};
use crate::views::apartments::ApartmentPage;
use crate::views::forms::{FormErrors, Rejected, checked, render_with_status};
use crate::views::page::{PageCtx, request_locale};
use crate::views::readings::MonthAsked;

/// The most accounts the search lists.
const SEARCH_LIMIT: usize = 20;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/apartments/{id}/account", web::post().to(set_account))
        .route("/accounts", web::get().to(search))
        .route("/accounts/{number}", web::get().to(show))
        .route("/accounts/{number}/payments", web::post().to(add_payment))
        .route(
            "/accounts/{number}/payments/{id}/delete",
            web::post().to(delete_payment),
        )
        .route("/houses/{id}/balances", web::get().to(balances))
        .route("/houses/{id}/balances.csv", web::get().to(balances_csv))
        .route("/debtors", web::get().to(debtors));
}

/// The account form's fields by the rules of `domain::input`.
fn check_account(form: &AccountForm) -> Result<SetAccount, AppError> {
    let mut c = Checker::default();
    let number = c.check("number", input::account_number(&form.number));
    let holder = c.check("holder", input::holder(&form.holder));
    let opening_balance = c.check(
        "opening_balance",
        input::decimal(&form.opening_balance).and_then(input::balance),
    );
    let opening_period = c.check("opening_period", input::period(&form.opening_period));
    let account = (|| {
        Some(SetAccount {
            number: number?,
            holder: holder?,
            opening_balance: opening_balance?,
            opening_period: opening_period?,
        })
    })();
    checked(c, account)
}

/// POST /apartments/{id}/account: creates the apartment's account or
/// changes it; back to the apartment, or its page again with the form's
/// messages and input.
async fn set_account(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<ApartmentId>,
    CsrfForm(form): CsrfForm<AccountForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let saved = match check_account(&form) {
        Ok(set) => {
            state
                .db(move |conn| services::accounts::set(conn, id, &set))
                .await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(account) => {
            let message = request_locale(&req).text_with(
                "acc-saved",
                &[("number", Arg::from(account.number.as_str()))],
            );
            Ok(done(&req, &format!("/apartments/{id}"), message))
        }
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let ctx = PageCtx::extract(&req).await?;
            let page = ApartmentPage {
                account_errors: rejected.errors,
                account_form: form,
                ..super::apartments::apartment_page(ctx, &state, id).await?
            };
            render_with_status(&page, rejected.status)
        }
    }
}

/// GET /accounts?account=: the account of that number, or the accounts whose
/// numbers start with it.
async fn search(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let number = query.number.trim().to_owned();
    let mut page = SearchPage {
        ctx,
        number: number.clone(),
        found: Vec::new(),
        limit: SEARCH_LIMIT,
    };
    if !number.is_empty() {
        let (exact, found) = state
            .db(move |conn| {
                let exact = queries::accounts::find_by_number(conn, &number).optional()?;
                let found = match exact {
                    Some(_) => Vec::new(),
                    None => queries::accounts::starting_with(conn, &number, SEARCH_LIMIT as i64)?,
                };
                Ok::<_, diesel::result::Error>((exact, found))
            })
            .await?;
        if let Some(account) = exact {
            return Ok(see_other(&account_href(&account.number)));
        }
        page.found = found;
    }
    Ok(HttpResponse::Ok()
        .content_type(header::ContentType::html())
        .body(page.render()?))
}

/// The account page as stored: its statement from its opening month to its
/// house's current period, the penalties' explanations and the payments.
async fn account_page(
    ctx: PageCtx,
    state: &AppState,
    number: String,
) -> Result<AccountPage, AppError> {
    let (located, rows, explanations, payments, billed) = state
        .db(move |conn| {
            let located = services::accounts::find(conn, &number)?;
            let rows = services::accounts::statement(conn, &located, None, None)?;
            let (from, to) = (
                located.account.opening_period,
                located.house.current_period(),
            );
            let explanations = services::accounts::penalty_explanations(conn, &located, from, to)?;
            let payments = queries::payments::of_account(conn, located.account.id)?;
            let billed = queries::run_listing::billed_periods(conn, located.house.id)?;
            Ok::<_, AppError>((located, rows, explanations, payments, billed))
        })
        .await?;
    let today = Utc::now()
        .with_timezone(&located.house.time_zone.tz())
        .date_naive();
    Ok(AccountPage::new(
        ctx,
        located,
        rows,
        &explanations,
        &billed,
        payments,
        today,
    ))
}

/// GET /accounts/{number}; an unknown number is the 404 page.
async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<Html, AppError> {
    let page = account_page(ctx, &state, number.into_inner()).await?;
    Ok(Html::new(page.render()?))
}

/// The hand payment form's fields; an empty month is none named.
fn check_payment(number: &str, form: &PaymentForm) -> Result<AddPayment, AppError> {
    let mut c = Checker::default();
    let paid_on = c.check("paid_on", input::date(&form.paid_on));
    let amount = c.check(
        "amount",
        input::decimal(&form.amount).and_then(input::amount),
    );
    let period = match form.period.trim() {
        "" => Some(None),
        raw => c.check("period", input::period(raw).map(Some)),
    };
    let payment = (|| {
        Some(AddPayment {
            account: number.to_owned(),
            paid_on: paid_on?,
            amount: amount?,
            period: period?,
        })
    })();
    checked(c, payment)
}

/// POST /accounts/{number}/payments: a payment entered by hand.
async fn add_payment(
    req: HttpRequest,
    state: web::Data<AppState>,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<PaymentForm>,
) -> Result<HttpResponse, AppError> {
    let number = number.into_inner();
    let saved = match check_payment(&number, &form) {
        Ok(new) => {
            state
                .db(move |conn| services::payments::add(conn, &new))
                .await
        }
        Err(e) => Err(e),
    };
    let locale = request_locale(&req);
    match saved {
        Ok(payment) => {
            let message = locale.text_with(
                "acc-payment-added",
                &[(
                    "amount",
                    crate::i18n::format::money(payment.amount, locale).into(),
                )],
            );
            Ok(done(
                &req,
                &format!("{}#payments", account_href(&number)),
                message,
            ))
        }
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let ctx = PageCtx::extract(&req).await?;
            let page = AccountPage {
                payment_errors: rejected.errors,
                payment_form: form,
                ..account_page(ctx, &state, number).await?
            };
            render_with_status(&page, rejected.status)
        }
    }
}

/// POST /accounts/{number}/payments/{id}/delete: deletes one of the
/// account's payments, saying why; without a reason the page comes back
/// with the message beside that payment.
async fn delete_payment(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> Result<HttpResponse, AppError> {
    let (number, id) = path.into_inner();
    let id = PaymentId(id);
    let locale = request_locale(&req);
    let reason = match input::reason(&form.reason) {
        Ok(reason) => reason,
        Err(problem) => {
            let ctx = PageCtx::extract(&req).await?;
            let page = AccountPage {
                refused_delete: Some(RefusedDelete {
                    payment: id,
                    message: locale.problem(&problem),
                    reason: form.reason,
                }),
                ..account_page(ctx, &state, number).await?
            };
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let back = number.clone();
    let deleted = state
        .db(move |conn| {
            let located = services::accounts::find(conn, &number)?;
            let payment = queries::payments::find(conn, id)?;
            // Another account's payment is not this page's to delete.
            if payment.account_id != Some(located.account.id) {
                return Err(AppError::NotFound);
            }
            services::payments::delete(conn, id, &reason)
        })
        .await?;
    let message = locale.text_with(
        "acc-payment-deleted",
        &[(
            "amount",
            crate::i18n::format::money(deleted.amount, locale).into(),
        )],
    );
    Ok(done(
        &req,
        &format!("{}#payments", account_href(&back)),
        message,
    ))
}

/// The month of a house page: `?period=`, its current period without one.
async fn house_balances(
    state: &AppState,
    id: HouseId,
    asked: Option<Period>,
) -> Result<
    (
        crate::db::models::House,
        services::accounts::Balances,
        Vec<Period>,
    ),
    AppError,
> {
    state
        .db(move |conn| {
            let house = queries::houses::find(conn, id)?;
            let period = asked.unwrap_or_else(|| house.current_period());
            let balances = services::accounts::balances(conn, id, period)?;
            let months = queries::run_listing::billed_periods(conn, id)?;
            Ok::<_, AppError>((house, balances, months))
        })
        .await
}

/// GET /houses/{id}/balances?period=: the оборотно-сальдовая ведомость.
async fn balances(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    query: web::Query<MonthAsked>,
) -> Result<Html, AppError> {
    let asked = query.period()?;
    let (house, balances, months) = house_balances(&state, id.into_inner(), asked).await?;
    let page = BalancesPage {
        ctx,
        house,
        balances,
        months,
    };
    Ok(Html::new(page.render()?))
}

/// GET /houses/{id}/balances.csv?period=: the same as Excel opens it, in
/// the user's language.
async fn balances_csv(
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    query: web::Query<MonthAsked>,
    user: Identity,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let asked = query.period()?;
    let (house, balances, _) = house_balances(&state, id, asked).await?;
    let period = balances.period;
    let rows: Vec<csv::balances::Row<'_>> = balances
        .accounts
        .iter()
        .map(|line| csv::balances::Row {
            number: &line.account.number,
            apartment: &line.apartment,
            figures: &line.row,
        })
        .collect();
    let body = csv::balances::write(&house.address, period, &rows, user.locale);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(&format!(
            "kvartplata-balances-house-{id}-{period}.csv"
        )))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// A number of months as typed: a whole number; empty is `default`.
fn whole_months(raw: &str, default: u32) -> Result<u32, Problem> {
    match raw.trim() {
        "" => Ok(default),
        raw => raw
            .parse::<u32>()
            .map_err(|_| Problem::NotANumber(raw.to_owned())),
    }
}

/// The debtors filter's fields: empty ones take their defaults (every
/// house, above 0 ₽, at least one month, the largest debt first).
fn check_debtors(form: &DebtorsForm) -> Result<DebtorsFilter, AppError> {
    let defaults = DebtorsFilter::default();
    let mut c = Checker::default();
    let house = c.check("house", house_id(&form.house));
    let above = match form.above.trim() {
        "" => Some(defaults.above),
        raw => c.check("above", input::decimal(raw).and_then(input::balance)),
    };
    let months = c.check("months", whole_months(&form.months, defaults.months));
    let filter = (|| {
        Some(DebtorsFilter {
            house: house?,
            above: above?,
            months: months?,
            order: form.order(),
        })
    })();
    checked(c, filter)
}

/// GET /debtors?house=&above=&months=&sort=
async fn debtors(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<DebtorsForm>,
) -> Result<HttpResponse, AppError> {
    let form = query.into_inner();
    let checked = check_debtors(&form);
    let filter = checked.as_ref().ok().cloned();
    let (houses, debtors) = state
        .db(move |conn| {
            let houses = queries::tariffs::house_choices(conn)?;
            let debtors = match filter {
                Some(filter) => Some(services::accounts::debtors(conn, &filter)?),
                None => None,
            };
            Ok::<_, AppError>((houses, debtors))
        })
        .await?;
    let (status, errors) = match checked {
        Ok(_) => (StatusCode::OK, FormErrors::default()),
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            (rejected.status, rejected.errors)
        }
    };
    let page = DebtorsPage {
        ctx,
        form,
        errors,
        houses,
        debtors,
    };
    render_with_status(&page, status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::accounts::DebtorOrder;
    use rust_decimal::Decimal;

    #[test]
    fn an_empty_debtors_filter_takes_the_defaults() {
        let filter = check_debtors(&DebtorsForm::default()).unwrap();
        assert_eq!(filter, DebtorsFilter::default());
        let form = DebtorsForm {
            house: "7".into(),
            above: "1 000,50".into(),
            months: " 3 ".into(),
            sort: "months".into(),
        };
        let filter = check_debtors(&form).unwrap();
        assert_eq!(filter.house, Some(HouseId(7)));
        assert_eq!(filter.above, Decimal::new(100050, 2));
        assert_eq!((filter.months, filter.order), (3, DebtorOrder::Months));
    }

    #[test]
    fn bad_debtors_fields_are_named() {
        let form = DebtorsForm {
            above: "много".into(),
            months: "-1".into(),
            ..DebtorsForm::default()
        };
        let fields = check_debtors(&form).unwrap_err();
        let fields = fields.fields().unwrap();
        assert!(fields.contains_key("above") && fields.contains_key("months"));
    }
}
