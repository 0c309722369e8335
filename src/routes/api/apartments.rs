//! An apartment: `{id, house_id, number, area, meters: [...]}`.

use actix_web::HttpResponse;
use actix_web::web::{self, Json};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::body::{self, Reader, decimal, text, unchanged};
use super::meters::MeterBody;
use super::openapi::{ApartmentChangeRequest, DecimalString, ErrorBody, NewApartmentRequest};
use super::reply::{AREA_PLACES, created, fixed};
use crate::db::models::{ApartmentId, HouseId};
use crate::db::queries::{
    self,
    house_view::{self, ApartmentView},
};
use crate::domain::input;
use crate::error::{ApiError, AppError};
use crate::services;
use crate::services::apartments::{AddApartment, ChangeApartment};
use crate::state::AppState;

/// An apartment with its meters and their last readings.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApartmentBody {
    id: ApartmentId,
    /// Sent when the apartment is shown on its own, not inside its house.
    #[serde(skip_serializing_if = "Option::is_none")]
    house_id: Option<HouseId>,
    number: String,
    /// m²
    #[schema(value_type = DecimalString)]
    area: String,
    meters: Vec<MeterBody>,
}

impl ApartmentBody {
    /// An apartment inside its house's body.
    pub fn nested(view: ApartmentView) -> Self {
        Self {
            id: view.apartment.id,
            house_id: None,
            number: view.apartment.number,
            area: fixed(view.apartment.area, AREA_PLACES),
            meters: view.meters.into_iter().map(MeterBody::nested).collect(),
        }
    }

    fn standalone(view: ApartmentView) -> Self {
        let house_id = view.apartment.house_id;
        Self {
            house_id: Some(house_id),
            ..Self::nested(view)
        }
    }
}

fn read_new(body: &Value) -> Result<AddApartment, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let apartment = body::apartment(&mut r, &obj);
    r.finish(apartment)
}

/// POST /houses/{id}/apartments: `{number, area, meters?}`, all or nothing.
#[utoipa::path(
    post,
    path = "/api/v1/houses/{id}/apartments",
    tag = "apartments",
    summary = "Add an apartment with its meters to a house, all or nothing",
    params(("id" = i64, Path, description = "House id", example = 1)),
    request_body = NewApartmentRequest,
    responses(
        (status = 201, description = "The apartment as GET shows it", body = ApartmentBody,
            headers(("Location" = String, description = "/api/v1/apartments/{id}"))),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 409, description = "The number or a meter serial is taken", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named by its path", body = ErrorBody),
    ),
)]
pub async fn create(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let house = HouseId(path.into_inner());
    let apartment = read_new(&body)?;
    let view = state
        .db(move |conn| {
            let created = services::apartments::create(conn, house, &apartment)?;
            Ok::<_, AppError>(house_view::apartment(conn, created.id)?)
        })
        .await?;
    let body = ApartmentBody::standalone(view);
    Ok(created(format!("/api/v1/apartments/{}", body.id), &body))
}

/// GET /apartments/{id}
#[utoipa::path(
    get,
    path = "/api/v1/apartments/{id}",
    tag = "apartments",
    summary = "An apartment with its meters and last readings",
    params(("id" = i64, Path, description = "Apartment id", example = 1)),
    responses(
        (status = 200, description = "The apartment", body = ApartmentBody),
        (status = 404, description = "No such apartment", body = ErrorBody),
    ),
)]
pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<Json<ApartmentBody>, ApiError> {
    let id = ApartmentId(path.into_inner());
    let view = state
        .db(move |conn| house_view::apartment(conn, id))
        .await?;
    Ok(Json(ApartmentBody::standalone(view)))
}

/// The change, and the house the client says the apartment is in (which
/// may be sent back, never changed).
struct Change {
    change: ChangeApartment,
    house_id: Option<i64>,
}

fn read_change(body: &Value) -> Result<Change, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let change = ChangeApartment {
        number: r.optional(&obj, "number", text(input::apartment_number)),
        area: r.optional(&obj, "area", decimal(input::area)),
    };
    let house_id = r.optional(&obj, "house_id", body::id);
    r.finish(Some(Change { change, house_id }))
}

/// PATCH /apartments/{id}: `{number?, area?}`
#[utoipa::path(
    patch,
    path = "/api/v1/apartments/{id}",
    tag = "apartments",
    summary = "Change an apartment's number or area",
    params(("id" = i64, Path, description = "Apartment id", example = 1)),
    request_body = ApartmentChangeRequest,
    responses(
        (status = 200, description = "The apartment as GET shows it", body = ApartmentBody),
        (status = 404, description = "No such apartment", body = ErrorBody),
        (status = 409, description = "The number is taken in this house", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
)]
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: Json<Value>,
) -> Result<Json<ApartmentBody>, ApiError> {
    let id = ApartmentId(path.into_inner());
    let Change { change, house_id } = read_change(&body)?;
    let view = state
        .db(move |conn| {
            let current = queries::apartments::find(conn, id)?;
            unchanged("house_id", house_id, current.house_id.0)?;
            services::apartments::update(conn, id, &change)?;
            Ok::<_, AppError>(house_view::apartment(conn, id)?)
        })
        .await?;
    Ok(Json(ApartmentBody::standalone(view)))
}

/// DELETE /apartments/{id}: refused (409) while it has readings or charges.
#[utoipa::path(
    delete,
    path = "/api/v1/apartments/{id}",
    tag = "apartments",
    summary = "Delete an apartment without readings or charges",
    params(("id" = i64, Path, description = "Apartment id", example = 1)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such apartment", body = ErrorBody),
        (status = 409, description = "The apartment has readings or charges", body = ErrorBody),
    ),
)]
pub async fn delete(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = ApartmentId(path.into_inner());
    state
        .db(move |conn| services::apartments::delete(conn, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
