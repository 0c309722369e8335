//! Normatives `{id, service, value, valid_from, house_id | null}` (m³ per
//! person per month; house_id null is the default) and increasing
//! coefficients `{id, service, value, valid_from}` (for every house): like
//! tariffs, changed by an admin only.

use actix_web::HttpResponse;
use actix_web::web::{self, Json};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::body::{self, Reader, decimal, text, unchanged};
use super::reply::{COEFFICIENT_PLACES, NORMATIVE_PLACES, created, fixed};
use super::schema::{CoefficientInput, DecimalString, ErrorBody, NormativeInput, WaterService};
use crate::db::models::{Coefficient, CoefficientId, HouseId, Normative, NormativeId};
use crate::db::queries;
use crate::domain::input;
use crate::domain::{MeterKind, Period};
use crate::error::{ApiError, AppError};
use crate::services;
use crate::services::normatives::{AddRate, ChangeRate};
use crate::state::AppState;

/// m³ of a water service per person per month from a month on; house_id
/// null: the default of every house without its own.
#[derive(Debug, Serialize, ToSchema)]
pub struct NormativeBody {
    id: NormativeId,
    #[schema(value_type = WaterService)]
    service: MeterKind,
    /// m³ per person per month
    #[schema(value_type = DecimalString)]
    value: String,
    valid_from: Period,
    house_id: Option<HouseId>,
}

impl From<Normative> for NormativeBody {
    fn from(n: Normative) -> Self {
        Self {
            id: n.id,
            service: n.service,
            value: fixed(n.value, NORMATIVE_PLACES),
            valid_from: n.valid_from,
            house_id: n.house_id,
        }
    }
}

/// The increasing coefficient of a water service billed by the normative,
/// for every house, from a month on.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoefficientBody {
    id: CoefficientId,
    #[schema(value_type = WaterService)]
    service: MeterKind,
    #[schema(value_type = DecimalString)]
    value: String,
    valid_from: Period,
}

impl From<Coefficient> for CoefficientBody {
    fn from(c: Coefficient) -> Self {
        Self {
            id: c.id,
            service: c.service,
            value: fixed(c.value, COEFFICIENT_PLACES),
            valid_from: c.valid_from,
        }
    }
}

/// A new normative.
#[derive(ToSchema)]
#[schema(examples(
    json!({"service": "cold_water", "value": "3.1600", "valid_from": "2026-01", "house_id": null}),
    json!({"service": "hot_water", "value": 2.4, "valid_from": "2026-07"})
))]
#[allow(dead_code)] // a schema only: `read_new` reads the body
pub struct NewNormativeRequest {
    #[schema(value_type = WaterService)]
    service: MeterKind,
    value: NormativeInput,
    valid_from: Period,
    /// the house it is for; left out or null: the default for every house
    #[schema(nullable)]
    house_id: Option<HouseId>,
}

pub(super) fn read_new(body: &Value) -> Result<AddRate, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let service = r.required(&obj, "service", text(input::water_service));
    let value = r.required(&obj, "value", decimal(input::normative));
    let valid_from = r.required(&obj, "valid_from", text(input::iso_period));
    let house = r.nullable(&obj, "house_id", body::id).flatten();
    let rate = (|| {
        Some(AddRate {
            service: service?,
            value: value?,
            valid_from: valid_from?,
            house: house.map(HouseId),
        })
    })();
    r.finish(rate)
}

/// A new coefficient.
#[derive(ToSchema)]
#[schema(examples(json!({"service": "hot_water", "value": "3", "valid_from": "2027-01"})))]
#[allow(dead_code)] // a schema only: `read_new_coefficient` reads the body
pub struct NewCoefficientRequest {
    #[schema(value_type = WaterService)]
    service: MeterKind,
    value: CoefficientInput,
    valid_from: Period,
}

pub(super) fn read_new_coefficient(body: &Value) -> Result<AddRate, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let service = r.required(&obj, "service", text(input::water_service));
    let value = r.required(&obj, "value", decimal(input::coefficient));
    let valid_from = r.required(&obj, "valid_from", text(input::iso_period));
    let rate = (|| {
        Some(AddRate {
            service: service?,
            value: value?,
            valid_from: valid_from?,
            house: None,
        })
    })();
    r.finish(rate)
}

/// What to change in a normative; fields left out stay as they are.
#[derive(ToSchema)]
#[schema(examples(json!({"value": "3.2000"}), json!({"value": 3.2, "valid_from": "2026-02"})))]
#[allow(dead_code)] // a schema only: `read_change` reads the body
pub struct NormativeChangeRequest {
    #[schema(nullable = false)]
    value: Option<NormativeInput>,
    #[schema(nullable = false)]
    valid_from: Option<Period>,
    /// may be sent back unchanged; another service is refused (422)
    #[schema(nullable = false, value_type = Option<WaterService>)]
    service: Option<MeterKind>,
    /// may be sent back unchanged; another house is refused (422)
    #[schema(nullable)]
    house_id: Option<HouseId>,
}

/// What to change in a coefficient; fields left out stay as they are.
#[derive(ToSchema)]
#[schema(examples(json!({"value": "2.5"}), json!({"valid_from": "2026-03"})))]
#[allow(dead_code)] // a schema only: `read_coefficient_change` reads the body
pub struct CoefficientChangeRequest {
    #[schema(nullable = false)]
    value: Option<CoefficientInput>,
    #[schema(nullable = false)]
    valid_from: Option<Period>,
    /// may be sent back unchanged; another service is refused (422)
    #[schema(nullable = false, value_type = Option<WaterService>)]
    service: Option<MeterKind>,
}

/// The change, and the service and house the client says the row is for
/// (which may be sent back, never changed).
pub(super) struct Change {
    change: ChangeRate,
    service: Option<MeterKind>,
    house_id: Option<Option<i64>>,
}

fn read_any_change(
    body: &Value,
    value: impl Fn(rust_decimal::Decimal) -> Result<rust_decimal::Decimal, crate::domain::Problem>,
) -> Result<Change, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let change = ChangeRate {
        value: r.optional(&obj, "value", decimal(value)),
        valid_from: r.optional(&obj, "valid_from", text(input::iso_period)),
    };
    let service = r.optional(&obj, "service", text(input::water_service));
    let house_id = r.nullable(&obj, "house_id", body::id);
    r.finish(Some(Change {
        change,
        service,
        house_id,
    }))
}

pub(super) fn read_change(body: &Value) -> Result<Change, AppError> {
    read_any_change(body, input::normative)
}

pub(super) fn read_coefficient_change(body: &Value) -> Result<Change, AppError> {
    read_any_change(body, input::coefficient)
}

/// GET /normatives: by service, defaults before house overrides, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/normatives",
    tag = "normatives",
    summary = "Every normative: by service, defaults before house overrides, newest first",
    responses((status = 200, description = "The normatives", body = Vec<NormativeBody>)),
)]
pub async fn list(state: web::Data<AppState>) -> Result<Json<Vec<NormativeBody>>, ApiError> {
    let rows = state.db(queries::normatives::list).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// GET /normatives/{id}
#[utoipa::path(
    get,
    path = "/api/v1/normatives/{id}",
    tag = "normatives",
    summary = "A normative",
    params(("id" = i64, Path, description = "Normative id", example = 1)),
    responses(
        (status = 200, description = "The normative", body = NormativeBody),
        (status = 404, description = "No such normative", body = ErrorBody),
    ),
)]
pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<Json<NormativeBody>, ApiError> {
    let id = NormativeId(path.into_inner());
    let row = state
        .db(move |conn| queries::normatives::find(conn, id))
        .await?;
    Ok(Json(row.into()))
}

/// POST /normatives
#[utoipa::path(
    post,
    path = "/api/v1/normatives",
    tag = "normatives",
    summary = "Add a normative (admin)",
    request_body = NewNormativeRequest,
    responses(
        (status = 201, description = "The normative", body = NormativeBody,
            headers(("Location" = String, description = "/api/v1/normatives/{id}"))),
        (status = 409, description = "A normative for this service, month and house exists", body = ErrorBody),
        (status = 422, description = "Invalid fields, or no such house", body = ErrorBody),
    ),
)]
pub async fn create(
    state: web::Data<AppState>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let new = read_new(&body)?;
    let row = state
        .db(move |conn| services::normatives::create(conn, &new))
        .await?;
    let body = NormativeBody::from(row);
    Ok(created(format!("/api/v1/normatives/{}", body.id), &body))
}

/// PATCH /normatives/{id}
#[utoipa::path(
    patch,
    path = "/api/v1/normatives/{id}",
    tag = "normatives",
    summary = "Change a normative's value or first month (admin)",
    params(("id" = i64, Path, description = "Normative id", example = 1)),
    request_body = NormativeChangeRequest,
    responses(
        (status = 200, description = "The normative", body = NormativeBody),
        (status = 404, description = "No such normative", body = ErrorBody),
        (status = 409, description = "The month is taken", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
)]
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: Json<Value>,
) -> Result<Json<NormativeBody>, ApiError> {
    let id = NormativeId(path.into_inner());
    let Change {
        change,
        service,
        house_id,
    } = read_change(&body)?;
    let row = state
        .db(move |conn| {
            let current = queries::normatives::find(conn, id)?;
            unchanged("service", service, current.service)?;
            unchanged("house_id", house_id, current.house_id.map(|h| h.0))?;
            services::normatives::update(conn, id, &change)
        })
        .await?;
    Ok(Json(row.into()))
}

/// DELETE /normatives/{id}
#[utoipa::path(
    delete,
    path = "/api/v1/normatives/{id}",
    tag = "normatives",
    summary = "Delete a normative (admin)",
    params(("id" = i64, Path, description = "Normative id", example = 1)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such normative", body = ErrorBody),
    ),
)]
pub async fn delete(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = NormativeId(path.into_inner());
    state
        .db(move |conn| services::normatives::delete(conn, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// GET /coefficients: by service, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/coefficients",
    tag = "normatives",
    summary = "Every increasing coefficient: by service, newest first",
    responses((status = 200, description = "The coefficients", body = Vec<CoefficientBody>)),
)]
pub async fn list_coefficients(
    state: web::Data<AppState>,
) -> Result<Json<Vec<CoefficientBody>>, ApiError> {
    let rows = state.db(queries::normatives::list_coefficients).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// GET /coefficients/{id}
#[utoipa::path(
    get,
    path = "/api/v1/coefficients/{id}",
    tag = "normatives",
    summary = "An increasing coefficient",
    params(("id" = i64, Path, description = "Coefficient id", example = 1)),
    responses(
        (status = 200, description = "The coefficient", body = CoefficientBody),
        (status = 404, description = "No such coefficient", body = ErrorBody),
    ),
)]
pub async fn show_coefficient(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<Json<CoefficientBody>, ApiError> {
    let id = CoefficientId(path.into_inner());
    let row = state
        .db(move |conn| queries::normatives::find_coefficient(conn, id))
        .await?;
    Ok(Json(row.into()))
}

/// POST /coefficients
#[utoipa::path(
    post,
    path = "/api/v1/coefficients",
    tag = "normatives",
    summary = "Add an increasing coefficient (admin)",
    request_body = NewCoefficientRequest,
    responses(
        (status = 201, description = "The coefficient", body = CoefficientBody,
            headers(("Location" = String, description = "/api/v1/coefficients/{id}"))),
        (status = 409, description = "A coefficient for this service and month exists", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
)]
pub async fn create_coefficient(
    state: web::Data<AppState>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let new = read_new_coefficient(&body)?;
    let row = state
        .db(move |conn| services::normatives::create_coefficient(conn, &new))
        .await?;
    let body = CoefficientBody::from(row);
    Ok(created(format!("/api/v1/coefficients/{}", body.id), &body))
}

/// PATCH /coefficients/{id}
#[utoipa::path(
    patch,
    path = "/api/v1/coefficients/{id}",
    tag = "normatives",
    summary = "Change a coefficient's value or first month (admin)",
    params(("id" = i64, Path, description = "Coefficient id", example = 1)),
    request_body = CoefficientChangeRequest,
    responses(
        (status = 200, description = "The coefficient", body = CoefficientBody),
        (status = 404, description = "No such coefficient", body = ErrorBody),
        (status = 409, description = "The month is taken", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
)]
pub async fn update_coefficient(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: Json<Value>,
) -> Result<Json<CoefficientBody>, ApiError> {
    let id = CoefficientId(path.into_inner());
    let Change {
        change, service, ..
    } = read_coefficient_change(&body)?;
    let row = state
        .db(move |conn| {
            let current = queries::normatives::find_coefficient(conn, id)?;
            unchanged("service", service, current.service)?;
            services::normatives::update_coefficient(conn, id, &change)
        })
        .await?;
    Ok(Json(row.into()))
}

/// DELETE /coefficients/{id}
#[utoipa::path(
    delete,
    path = "/api/v1/coefficients/{id}",
    tag = "normatives",
    summary = "Delete an increasing coefficient (admin)",
    params(("id" = i64, Path, description = "Coefficient id", example = 1)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such coefficient", body = ErrorBody),
    ),
)]
pub async fn delete_coefficient(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = CoefficientId(path.into_inner());
    state
        .db(move |conn| services::normatives::delete_coefficient(conn, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::api::schema::assert_examples_read;

    #[test]
    fn the_request_examples_are_read() {
        assert_examples_read::<NewNormativeRequest, _>(read_new);
        assert_examples_read::<NormativeChangeRequest, _>(read_change);
        assert_examples_read::<NewCoefficientRequest, _>(read_new_coefficient);
        assert_examples_read::<CoefficientChangeRequest, _>(read_coefficient_change);
    }
}
