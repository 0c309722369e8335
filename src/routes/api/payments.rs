//! Payments `{id, account, paid_on, amount, period, source, operation,
//! payer, address, import_id}`: by hand, deleted with a reason, bank
//! registers imported (all or nothing, each row once), unmatched rows
//! assigned; and the key rates penalties are computed by.

use actix_web::web::{self, Json};
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::body::{Reader, decimal, text};
use super::file_body::{read_file, refused};
use super::reply::{MONEY_PLACES, RATE_PLACES, created, fixed};
use super::schema::{DecimalString, ErrorBody, MoneyInput, RateInput};
use crate::db::models::{KeyRate, KeyRateId, Payment, PaymentId, PaymentImportId};
use crate::db::queries;
use crate::domain::{PaymentSource, Period, input};
use crate::error::{ApiError, AppError};
use crate::services;
use crate::services::payments::{AddPayment, ImportError, Imported};
use crate::state::AppState;

/// A payment; `account` is the number the payer named (null `account_id`
/// while unmatched).
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentBody {
    id: PaymentId,
    account: String,
    /// false while the payment waits to be assigned to an account
    matched: bool,
    paid_on: NaiveDate,
    #[schema(value_type = DecimalString)]
    amount: String,
    /// the month the payer named, if any
    period: Option<Period>,
    source: PaymentSource,
    /// the bank's id of the operation
    operation: Option<String>,
    payer: String,
    address: String,
    import_id: Option<PaymentImportId>,
}

impl From<Payment> for PaymentBody {
    fn from(p: Payment) -> Self {
        Self {
            id: p.id,
            account: p.account_number,
            matched: p.account_id.is_some(),
            paid_on: p.paid_on,
            amount: fixed(p.amount, MONEY_PLACES),
            period: p.period,
            source: p.source,
            operation: p.operation,
            payer: p.payer,
            address: p.address,
            import_id: p.import_id,
        }
    }
}

/// A payment entered by hand.
#[derive(ToSchema)]
#[schema(examples(
    json!({"account": "1001001001", "paid_on": "2026-11-03", "amount": "2367.95", "period": "2026-10"}),
    json!({"account": "1001001002", "paid_on": "2026-11-05", "amount": 1500})
))]
#[allow(dead_code)] // a schema only: `read_new` reads the body
pub struct NewPaymentRequest {
    /// the account's number
    #[schema(pattern = r"^[0-9A-Za-zА-Яа-яЁё]{1,20}$")]
    account: String,
    /// the day it was paid, YYYY-MM-DD: not after today, not before the
    /// account's opening month
    // A year the readers take (`domain::YEARS`); `format: date` says the
    // rest.
    #[schema(pattern = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-")]
    paid_on: NaiveDate,
    amount: MoneyInput,
    /// the month the payer named (kept; payments pay the oldest debt first)
    #[schema(nullable = false)]
    period: Option<Period>,
}

pub(super) fn read_new(body: &Value) -> Result<AddPayment, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let account = r.required(&obj, "account", text(input::account_number));
    let paid_on = r.required(&obj, "paid_on", text(input::iso_date));
    let amount = r.required(&obj, "amount", decimal(input::amount));
    let period = r.optional(&obj, "period", text(input::iso_period));
    let payment = (|| {
        Some(AddPayment {
            account: account?,
            paid_on: paid_on?,
            amount: amount?,
            period,
        })
    })();
    r.finish(payment)
}

/// POST /payments
#[utoipa::path(
    post,
    path = "/api/v1/payments",
    tag = "payments",
    summary = "Enter a payment by hand",
    request_body = NewPaymentRequest,
    responses(
        (status = 201, description = "The payment", body = PaymentBody,
            headers(("Location" = String, description = "/api/v1/payments/{id}"))),
        (status = 422, description = "Invalid fields, or no such account", body = ErrorBody),
    ),
)]
pub async fn create(
    state: web::Data<AppState>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let new = read_new(&body)?;
    let payment = state
        .db(move |conn| services::payments::add(conn, &new))
        .await?;
    let body = PaymentBody::from(payment);
    Ok(created(format!("/api/v1/payments/{}", body.id), &body))
}

/// GET /payments/{id}
#[utoipa::path(
    get,
    path = "/api/v1/payments/{id}",
    tag = "payments",
    summary = "A payment",
    params(("id" = i64, Path, description = "Payment id", example = 1)),
    responses(
        (status = 200, description = "The payment", body = PaymentBody),
        (status = 404, description = "No such payment (or deleted)", body = ErrorBody),
    ),
)]
pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<PaymentId>,
) -> Result<Json<PaymentBody>, ApiError> {
    let id = path.into_inner();
    let payment = state
        .db(move |conn| queries::payments::find(conn, id))
        .await?;
    Ok(Json(payment.into()))
}

/// `?reason=` of a deletion.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// why the payment is deleted (kept in the audit log), 1–500 characters
    // The pattern of `domain::input::reason`: a visible character and no
    // control characters.
    #[param(
        required = true,
        value_type = String,
        max_length = 500,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
    )]
    reason: Option<String>,
}

/// DELETE /payments/{id}?reason=
#[utoipa::path(
    delete,
    path = "/api/v1/payments/{id}",
    tag = "payments",
    summary = "Delete a payment, saying why (audited)",
    params(("id" = i64, Path, description = "Payment id", example = 1), DeleteQuery),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such payment (or deleted)", body = ErrorBody),
        (status = 422, description = "No reason given", body = ErrorBody),
    ),
)]
pub async fn delete(
    state: web::Data<AppState>,
    path: web::Path<PaymentId>,
    query: web::Query<DeleteQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let reason = input::reason(query.reason.as_deref().unwrap_or_default())
        .map_err(|problem| AppError::invalid_field("reason", problem))?;
    state
        .db(move |conn| services::payments::delete(conn, id, &reason))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `?page=` of the unmatched payments, 100 a page.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1-based; 100 payments a page
    #[param(minimum = 1, maximum = 100000)]
    page: Option<u32>,
}

const PAGE_SIZE: i64 = 100;

/// GET /payments/unmatched
#[utoipa::path(
    get,
    path = "/api/v1/payments/unmatched",
    tag = "payments",
    summary = "Bank payments whose account is unknown, oldest first, 100 a page",
    params(PageQuery),
    responses((status = 200, description = "The payments", body = Vec<PaymentBody>)),
)]
pub async fn unmatched(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<Json<Vec<PaymentBody>>, ApiError> {
    let offset = i64::from(query.page.unwrap_or(1).clamp(1, 100_000) - 1) * PAGE_SIZE;
    let rows = state
        .db(move |conn| queries::payments::unmatched(conn, PAGE_SIZE, offset))
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// The account an unmatched payment goes to.
#[derive(ToSchema)]
#[schema(examples(json!({"account": "1001001003"})))]
#[allow(dead_code)] // a schema only: `read_assign` reads the body
pub struct AssignRequest {
    #[schema(pattern = r"^[0-9A-Za-zА-Яа-яЁё]{1,20}$")]
    account: String,
}

pub(super) fn read_assign(body: &Value) -> Result<String, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let account = r.required(&obj, "account", text(input::account_number));
    r.finish(account)
}

/// POST /payments/{id}/assign
#[utoipa::path(
    post,
    path = "/api/v1/payments/{id}/assign",
    tag = "payments",
    summary = "Give an unmatched bank payment to an account",
    params(("id" = i64, Path, description = "Payment id", example = 1)),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "The payment, now matched", body = PaymentBody),
        (status = 404, description = "No such payment (or deleted)", body = ErrorBody),
        (status = 409, description = "The payment has an account already", body = ErrorBody),
        (status = 422, description = "No such account", body = ErrorBody),
    ),
)]
pub async fn assign(
    state: web::Data<AppState>,
    path: web::Path<PaymentId>,
    body: Json<Value>,
) -> Result<Json<PaymentBody>, ApiError> {
    let id = path.into_inner();
    let account = read_assign(&body)?;
    let payment = state
        .db(move |conn| services::payments::assign(conn, id, &account))
        .await?;
    Ok(Json(payment.into()))
}

/// What an import did with a register's rows.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportBody {
    /// rows saved to their accounts
    imported: usize,
    /// rows already saved (by this file or another)
    duplicates: usize,
    /// rows saved without an account: the number names none
    unmatched: usize,
    /// the sum of the imported and unmatched rows, ₽
    #[schema(value_type = DecimalString)]
    amount: String,
    /// the import's record; null when the file brought nothing new
    import_id: Option<PaymentImportId>,
}

impl From<Imported> for ImportBody {
    fn from(i: Imported) -> Self {
        Self {
            imported: i.imported,
            duplicates: i.duplicates,
            unmatched: i.unmatched,
            amount: fixed(i.amount, MONEY_PLACES),
            import_id: i.import.map(|import| import.id),
        }
    }
}

/// POST /payments/import
#[utoipa::path(
    post,
    path = "/api/v1/payments/import",
    tag = "payments",
    summary = "Import a bank register (Windows-1251, or UTF-8 with a BOM): all rows or none",
    request_body(
        content_type = "text/csv",
        description = "The register as the bank sent it, as the body (or a multipart form's `file`)",
        content = String,
    ),
    responses(
        (status = 200, description = "What the rows became", body = ImportBody),
        (status = 413, description = "Larger than 32 MiB", body = ErrorBody),
        (status = 422, description = "A bad line or totals that do not match: nothing saved", body = ErrorBody),
    ),
)]
pub async fn import(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<Json<ImportBody>, ApiError> {
    // Held until the file is saved or refused: reading one takes memory.
    let _slot = state.uploads.take().await?;
    let (name, bytes) = read_file(&req, payload).await?;
    let imported = state
        .db(
            move |conn| match services::payments::import(conn, &name, bytes) {
                Ok(imported) => Ok(Ok(imported)),
                Err(ImportError::Refused(lines)) => Ok(Err(lines)),
                Err(ImportError::App(e)) => Err(e),
            },
        )
        .await?
        .map_err(|lines| refused(lines.into_iter().map(|e| (e.line, e.problem))))?;
    Ok(Json(imported.into()))
}

/// A key rate of the Bank of Russia from a day on.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyRateBody {
    id: KeyRateId,
    valid_from: NaiveDate,
    /// percent
    #[schema(value_type = DecimalString)]
    rate: String,
}

impl From<KeyRate> for KeyRateBody {
    fn from(k: KeyRate) -> Self {
        Self {
            id: k.id,
            valid_from: k.valid_from,
            rate: fixed(k.rate, RATE_PLACES),
        }
    }
}

/// A new key rate.
#[derive(ToSchema)]
#[schema(examples(json!({"valid_from": "2026-10-27", "rate": "16.5"}), json!({"valid_from": "2026-12-01", "rate": 16})))]
#[allow(dead_code)] // a schema only: `read_key_rate` reads the body
pub struct NewKeyRateRequest {
    /// the first day it is in effect, YYYY-MM-DD
    // A year the readers take (`domain::YEARS`).
    #[schema(pattern = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-")]
    valid_from: NaiveDate,
    rate: RateInput,
}

pub(super) fn read_key_rate(body: &Value) -> Result<(NaiveDate, rust_decimal::Decimal), AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let valid_from = r.required(&obj, "valid_from", text(input::iso_date));
    let rate = r.required(&obj, "rate", decimal(input::key_rate));
    let both = (|| Some((valid_from?, rate?)))();
    r.finish(both)
}

/// GET /key-rates
#[utoipa::path(
    get,
    path = "/api/v1/key-rates",
    tag = "payments",
    summary = "The key rates, newest first",
    responses((status = 200, description = "The key rates", body = Vec<KeyRateBody>)),
)]
pub async fn key_rates(state: web::Data<AppState>) -> Result<Json<Vec<KeyRateBody>>, ApiError> {
    let rows = state.db(queries::payments::key_rates).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// POST /key-rates
#[utoipa::path(
    post,
    path = "/api/v1/key-rates",
    tag = "payments",
    summary = "Add a key rate (admin)",
    request_body = NewKeyRateRequest,
    responses(
        (status = 201, description = "The key rate", body = KeyRateBody,
            headers(("Location" = String, description = "/api/v1/key-rates"))),
        (status = 409, description = "A rate from this day exists", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
)]
pub async fn add_key_rate(
    state: web::Data<AppState>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let (valid_from, rate) = read_key_rate(&body)?;
    let row = state
        .db(move |conn| services::payments::add_key_rate(conn, valid_from, rate))
        .await?;
    Ok(created(
        "/api/v1/key-rates".to_owned(),
        &KeyRateBody::from(row),
    ))
}

/// DELETE /key-rates/{id}
#[utoipa::path(
    delete,
    path = "/api/v1/key-rates/{id}",
    tag = "payments",
    summary = "Delete a key rate (admin)",
    params(("id" = i64, Path, description = "Key rate id", example = 1)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such key rate", body = ErrorBody),
    ),
)]
pub async fn delete_key_rate(
    state: web::Data<AppState>,
    path: web::Path<KeyRateId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    state
        .db(move |conn| services::payments::delete_key_rate(conn, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::api::schema::assert_examples_read;

    #[test]
    fn the_request_examples_are_read() {
        assert_examples_read::<NewPaymentRequest, _>(read_new);
        assert_examples_read::<AssignRequest, _>(read_assign);
        assert_examples_read::<NewKeyRateRequest, _>(read_key_rate);
    }
}
