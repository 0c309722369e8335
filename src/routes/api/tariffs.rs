//! Tariffs: `{id, service, price, valid_from, house_id | null}`; house_id
//! null is the default every house pays unless it has its own.

use actix_web::HttpResponse;
use actix_web::web::{self, Json};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::body::{self, Reader, decimal, text, unchanged};
use super::reply::{PRICE_PLACES, created, fixed};
use super::schema::{DecimalString, ErrorBody, PriceInput};
use crate::db::models::{HouseId, Tariff, TariffId};
use crate::db::queries;
use crate::domain::input;
use crate::domain::{Period, Service};
use crate::error::{ApiError, AppError};
use crate::services;
use crate::services::tariffs::{AddTariff, ChangeTariff};
use crate::state::AppState;

/// A price per unit from a month on; house_id null: the default for every
/// house without its own.
#[derive(Debug, Serialize, ToSchema)]
pub struct TariffBody {
    id: TariffId,
    service: Service,
    /// ₽ per m³ (water) or per m² (maintenance)
    #[schema(value_type = DecimalString)]
    price: String,
    /// the first month it applies to
    valid_from: Period,
    house_id: Option<HouseId>,
}

impl From<Tariff> for TariffBody {
    fn from(t: Tariff) -> Self {
        Self {
            id: t.id,
            service: t.service,
            price: fixed(t.price, PRICE_PLACES),
            valid_from: t.valid_from,
            house_id: t.house_id,
        }
    }
}

/// GET /tariffs: by service, defaults before house overrides, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/tariffs",
    tag = "tariffs",
    summary = "Every tariff: by service, defaults before house overrides, newest first",
    responses((status = 200, description = "The tariffs", body = Vec<TariffBody>)),
)]
pub async fn list(state: web::Data<AppState>) -> Result<Json<Vec<TariffBody>>, ApiError> {
    let tariffs = state.db(queries::tariffs::list).await?;
    Ok(Json(tariffs.into_iter().map(Into::into).collect()))
}

/// GET /tariffs/{id}
#[utoipa::path(
    get,
    path = "/api/v1/tariffs/{id}",
    tag = "tariffs",
    summary = "A tariff",
    params(("id" = i64, Path, description = "Tariff id", example = 1)),
    responses(
        (status = 200, description = "The tariff", body = TariffBody),
        (status = 404, description = "No such tariff", body = ErrorBody),
    ),
)]
pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<Json<TariffBody>, ApiError> {
    let id = TariffId(path.into_inner());
    let tariff = state
        .db(move |conn| queries::tariffs::find(conn, id))
        .await?;
    Ok(Json(tariff.into()))
}

/// A new tariff.
#[derive(ToSchema)]
#[schema(examples(
    json!({"service": "cold_water", "price": "48.9100", "valid_from": "2027-01", "house_id": null}),
    json!({"service": "hot_water", "price": "236,4700", "valid_from": "2027-01"})
))]
#[allow(dead_code)] // a schema only: `read_new` reads the body
pub struct NewTariffRequest {
    service: Service,
    /// ₽ per m³ (water) or per m² (maintenance)
    price: PriceInput,
    /// the first month it applies to
    valid_from: Period,
    /// the house it is for; left out or null: the default for every house
    #[schema(nullable)]
    house_id: Option<HouseId>,
}

pub(super) fn read_new(body: &Value) -> Result<AddTariff, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let service = r.required(&obj, "service", text(input::service));
    let price = r.required(&obj, "price", decimal(input::price));
    let valid_from = r.required(&obj, "valid_from", text(input::iso_period));
    let house = r.nullable(&obj, "house_id", body::id).flatten();
    let tariff = (|| {
        Some(AddTariff {
            service: service?,
            price: price?,
            valid_from: valid_from?,
            house: house.map(HouseId),
        })
    })();
    r.finish(tariff)
}

/// POST /tariffs: `{service, price, valid_from, house_id?}`
#[utoipa::path(
    post,
    path = "/api/v1/tariffs",
    tag = "tariffs",
    summary = "Add a tariff (admin)",
    request_body = NewTariffRequest,
    responses(
        (status = 201, description = "The tariff", body = TariffBody,
            headers(("Location" = String, description = "/api/v1/tariffs/{id}"))),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 409, description = "A tariff for this service, month and house exists", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
)]
pub async fn create(
    state: web::Data<AppState>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let new = read_new(&body)?;
    let tariff = state
        .db(move |conn| services::tariffs::create(conn, &new))
        .await?;
    let body = TariffBody::from(tariff);
    Ok(created(format!("/api/v1/tariffs/{}", body.id), &body))
}

/// What to change in a tariff; fields left out stay as they are.
#[derive(ToSchema)]
#[schema(examples(
    json!({"price": "49.1000"}),
    json!({"price": 49.1, "valid_from": "2027-02"})
))]
#[allow(dead_code)] // a schema only: `read_change` reads the body
pub struct TariffChangeRequest {
    #[schema(nullable = false)]
    price: Option<PriceInput>,
    #[schema(nullable = false)]
    valid_from: Option<Period>,
    /// may be sent back unchanged; another service is refused (422)
    #[schema(nullable = false)]
    service: Option<Service>,
    /// may be sent back unchanged; another house is refused (422)
    #[schema(nullable)]
    house_id: Option<HouseId>,
}

/// The change, and the service and house the client says the tariff is for
/// (which may be sent back, never changed).
pub(super) struct Change {
    change: ChangeTariff,
    service: Option<Service>,
    house_id: Option<Option<i64>>,
}

pub(super) fn read_change(body: &Value) -> Result<Change, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let change = ChangeTariff {
        price: r.optional(&obj, "price", decimal(input::price)),
        valid_from: r.optional(&obj, "valid_from", text(input::iso_period)),
    };
    let service = r.optional(&obj, "service", text(input::service));
    let house_id = r.nullable(&obj, "house_id", body::id);
    r.finish(Some(Change {
        change,
        service,
        house_id,
    }))
}

/// PATCH /tariffs/{id}: `{price?, valid_from?}`; refused (409) once charges
/// were billed at it.
#[utoipa::path(
    patch,
    path = "/api/v1/tariffs/{id}",
    tag = "tariffs",
    summary = "Change a tariff's price or first month (admin)",
    params(("id" = i64, Path, description = "Tariff id", example = 1)),
    request_body = TariffChangeRequest,
    responses(
        (status = 200, description = "The tariff", body = TariffBody),
        (status = 404, description = "No such tariff", body = ErrorBody),
        (status = 409, description = "Charges were billed at it, or the month is taken", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
)]
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: Json<Value>,
) -> Result<Json<TariffBody>, ApiError> {
    let id = TariffId(path.into_inner());
    let Change {
        change,
        service,
        house_id,
    } = read_change(&body)?;
    let tariff = state
        .db(move |conn| {
            let current = queries::tariffs::find(conn, id)?;
            unchanged("service", service, current.service)?;
            unchanged("house_id", house_id, current.house_id.map(|h| h.0))?;
            services::tariffs::update(conn, id, &change)
        })
        .await?;
    Ok(Json(tariff.into()))
}

/// DELETE /tariffs/{id}: refused (409) once charges were billed at it.
#[utoipa::path(
    delete,
    path = "/api/v1/tariffs/{id}",
    tag = "tariffs",
    summary = "Delete a tariff no charge was billed at (admin)",
    params(("id" = i64, Path, description = "Tariff id", example = 1)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such tariff", body = ErrorBody),
        (status = 409, description = "Charges were billed at it", body = ErrorBody),
    ),
)]
pub async fn delete(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = TariffId(path.into_inner());
    state
        .db(move |conn| services::tariffs::delete(conn, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::api::schema::assert_examples_read;

    #[test]
    fn the_new_tariff_examples_are_read() {
        assert_examples_read::<NewTariffRequest, _>(read_new);
    }

    #[test]
    fn the_tariff_change_examples_are_read() {
        assert_examples_read::<TariffChangeRequest, _>(read_change);
    }
}
