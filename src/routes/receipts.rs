//! Printable receipts (ЕПД): an account's for a billed month, and a
//! house's for a month, one receipt an A4 page; an account's also as a
//! PDF download. All come after billing: a month with no completed run
//! answers 409 with the reason.

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::{self, Html};
use askama::Template;

use crate::db::models::{HouseId, Organization};
use crate::db::queries;
use crate::domain::{Period, input};
use crate::error::AppError;
use crate::http::attachment;
use crate::i18n::{Arg, Locale, format};
use crate::services::receipts::Receipt;
use crate::state::AppState;
use crate::views::readings::MonthAsked;
use crate::views::receipts::{PrintedReceipt, ReceiptsPage};
use crate::{pdf, services};

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Before the page's route, whose `{period}` would take «2026-05.pdf».
    cfg.route(
        "/accounts/{number}/receipts/{period}.pdf",
        web::get().to(account_pdf),
    )
    .route(
        "/accounts/{number}/receipts/{period}",
        web::get().to(account),
    )
    .route("/houses/{id}/receipts", web::get().to(house));
}

/// The receipt of account `number` for the month `period` (YYYY-MM) and
/// the executor.
async fn account_receipt(
    state: &AppState,
    number: String,
    period: &str,
) -> Result<(Receipt, Option<Organization>), AppError> {
    // A month that is not one names no receipt.
    let period = input::iso_period(period).map_err(|_| AppError::NotFound)?;
    state
        .db(move |conn| {
            let receipt = services::receipts::of_account(conn, &number, period)?;
            Ok::<_, AppError>((receipt, services::organization::find(conn)?))
        })
        .await
}

fn account_title(receipt: &Receipt) -> String {
    Locale::Ru.text_with(
        "receipts-title-account",
        &[
            ("account", Arg::from(receipt.account.number.as_str())),
            (
                "month",
                Arg::from(format::month(receipt.period, Locale::Ru)),
            ),
        ],
    )
}

/// GET /accounts/{number}/receipts/{YYYY-MM}
async fn account(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<Html, AppError> {
    let (number, period) = path.into_inner();
    let (receipt, executor) = account_receipt(&state, number, &period).await?;
    let page = ReceiptsPage {
        title: account_title(&receipt),
        receipts: vec![PrintedReceipt::new(&receipt, executor.as_ref())],
        executor,
    };
    Ok(Html::new(page.render()?))
}

/// GET /accounts/{number}/receipts/{YYYY-MM}.pdf
async fn account_pdf(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (number, period) = path.into_inner();
    receipt_pdf(&state, number, &period).await
}

/// An account's receipt for a month as a PDF download (the page's and the
/// API's): 404 for an unknown account or a month that is none, 409 for a
/// month not billed.
pub async fn receipt_pdf(
    state: &AppState,
    number: String,
    period: &str,
) -> Result<HttpResponse, AppError> {
    let (receipt, executor) = account_receipt(state, number, period).await?;
    let filename = format!("receipt-{}-{}.pdf", receipt.account.number, receipt.period);
    // Drawing a document is CPU work: off the request's thread.
    let body = web::block(move || {
        let printed = PrintedReceipt::new(&receipt, executor.as_ref());
        pdf::receipts(&[printed], executor.as_ref(), &account_title(&receipt))
    })
    .await?
    .map_err(AppError::Internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((header::CONTENT_DISPOSITION, attachment(&filename)))
        .body(body))
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
