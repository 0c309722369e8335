//! Receipts (ЕПД) as PDF: an account's for a billed month.

use actix_web::{HttpResponse, web};
use utoipa::ToSchema;

use super::schema::ErrorBody;
use crate::error::ApiError;
use crate::routes::receipts::receipt_pdf;
use crate::state::AppState;

/// A PDF file: the bytes of the body, not JSON.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary, content_media_type = "application/pdf")]
#[allow(dead_code)] // describes the body `receipt_pdf` sends
pub struct PdfFile(Vec<u8>);

/// GET /accounts/{number}/receipts/{YYYY-MM}.pdf
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{number}/receipts/{period}.pdf",
    tag = "receipts",
    summary = "An account's receipt (ЕПД) for a billed month as a PDF: A4, in Russian, with the payment QR code",
    params(
        ("number" = String, Path, description = "Account number", example = "1001001001"),
        ("period" = String, Path, description = "The month, YYYY-MM", example = "2026-05"),
    ),
    responses(
        (status = 200, description = "The receipt (`Content-Disposition: attachment; filename=\"receipt-{number}-{period}.pdf\"`)", content_type = "application/pdf", body = PdfFile),
        (status = 404, description = "No such account, no such month, or a month before the account's ledger starts", body = ErrorBody),
        (status = 409, description = "The month is not billed for the account's house yet", body = ErrorBody),
    ),
)]
pub async fn account_pdf(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (number, period) = path.into_inner();
    Ok(receipt_pdf(&state, number, &period).await?)
}
