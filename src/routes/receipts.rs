//! Printable receipts (ЕПД): an account's for a billed month, and a
//! house's for a month, one receipt an A4 page. Both come after billing:
//! a month with no completed run answers 409 with the reason.

use actix_web::web::{self, Html};
use askama::Template;

use crate::db::models::HouseId;
use crate::db::queries;
use crate::domain::{Period, input};
use crate::error::AppError;
use crate::i18n::{Arg, Locale, format};
use crate::services;
use crate::state::AppState;
use crate::views::readings::MonthAsked;
use crate::views::receipts::{PrintedReceipt, ReceiptsPage};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/accounts/{number}/receipts/{period}",
        web::get().to(account),
    )
    .route("/houses/{id}/receipts", web::get().to(house));
}

/// GET /accounts/{number}/receipts/{YYYY-MM}
async fn account(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<Html, AppError> {
    let (number, period) = path.into_inner();
    // A month that is not one names no receipt.
    let period = input::iso_period(&period).map_err(|_| AppError::NotFound)?;
    let (receipt, executor) = state
        .db(move |conn| {
            let receipt = services::receipts::of_account(conn, &number, period)?;
            Ok::<_, AppError>((receipt, services::organization::find(conn)?))
        })
        .await?;
    let title = Locale::Ru.text_with(
        "receipts-title-account",
        &[
            ("account", Arg::from(receipt.account.number.as_str())),
            ("month", Arg::from(format::month(period, Locale::Ru))),
        ],
    );
    let page = ReceiptsPage {
        title,
        receipts: vec![PrintedReceipt::new(&receipt, executor.as_ref())],
        executor,
    };
    Ok(Html::new(page.render()?))
}

/// GET /houses/{id}/receipts?period=YYYY-MM (the house's current month
/// without one)
async fn house(
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    query: web::Query<MonthAsked>,
) -> Result<Html, AppError> {
    let id = id.into_inner();
    let asked = query.period()?;
    let (house, period, receipts, executor) = state
        .db(move |conn| {
            let house = queries::houses::find(conn, id)?;
            let period: Period = asked.unwrap_or_else(|| house.current_period());
            let receipts = services::receipts::of_house(conn, id, period)?;
            Ok::<_, AppError>((house, period, receipts, services::organization::find(conn)?))
        })
        .await?;
    let title = Locale::Ru.text_with(
        "receipts-title-house",
        &[
            ("address", Arg::from(house.address.as_str())),
            ("month", Arg::from(format::month(period, Locale::Ru))),
        ],
    );
    let printed = receipts
        .iter()
        .map(|r| PrintedReceipt::new(r, executor.as_ref()))
        .collect();
    let page = ReceiptsPage {
        title,
        receipts: printed,
        executor,
    };
    Ok(Html::new(page.render()?))
}
