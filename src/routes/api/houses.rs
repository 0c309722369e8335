//! Houses: the list with apartment counts, and a house with all of its
//! apartments, meters and last readings.

use actix_web::HttpResponse;
use actix_web::web::{self, Json};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::apartments::{ApartmentBody, NewApartmentRequest, new_apartment};
use super::body::{Reader, text};
use super::reply::created;
use super::schema::ErrorBody;
use crate::db::models::{HouseId, HouseSummary};
use crate::db::queries::{self, house_listing};
use crate::domain::input::{self, MAX_ADDRESS_CHARS};
use crate::error::{ApiError, AppError};
use crate::services;
use crate::services::houses::{AddHouse, ChangeHouse};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct HouseListItem {
    id: HouseId,
    address: String,
    /// how many apartments the house has
    apartments: i64,
}

impl From<HouseSummary> for HouseListItem {
    fn from(h: HouseSummary) -> Self {
        Self {
            id: h.id,
            address: h.address,
            apartments: h.apartments,
        }
    }
}

/// A house with every apartment, its meters and their last readings.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseBody {
    id: HouseId,
    address: String,
    apartments: Vec<ApartmentBody>,
}

/// The house with every apartment (natural number order), in the fixed
/// number of queries of `house_listing`, never one per apartment.
fn load(conn: &mut diesel::PgConnection, id: HouseId) -> Result<HouseBody, AppError> {
    let house = queries::houses::find(conn, id)?;
    let all = house_listing::ApartmentQuery {
        limit: None,
        ..Default::default()
    };
    let (_, apartments) = house_listing::apartments(conn, id, &all)?;
    Ok(HouseBody {
        id: house.id,
        address: house.address,
        apartments: apartments.into_iter().map(ApartmentBody::nested).collect(),
    })
}

/// GET /houses
#[utoipa::path(
    get,
    path = "/api/v1/houses",
    tag = "houses",
    summary = "List the houses with their apartment counts",
    responses((status = 200, description = "Every house, by address", body = Vec<HouseListItem>)),
)]
pub async fn list(state: web::Data<AppState>) -> Result<Json<Vec<HouseListItem>>, ApiError> {
    let houses = state.db(queries::houses::list_summaries).await?;
    Ok(Json(houses.into_iter().map(Into::into).collect()))
}

// The schemas below name the address rule's limit as a literal.
const _: () = assert!(MAX_ADDRESS_CHARS == 300, "the schemas' max_length");

/// A new house, with its apartments and their meters, created all or
/// nothing.
#[derive(ToSchema)]
#[schema(examples(
    json!({
        "address": "г. Казань, ул. Пушкина, д. 26",
        "apartments": [
            {"number": "1", "area": "54.30", "meters": [
                {"serial": "ХВ-000201", "kind": "cold_water", "initial_reading": "12.500"},
                {"serial": "ГВ-000201", "kind": "hot_water", "installed_on": "2026-01-15"}
            ]},
            {"number": "2А", "area": 38.5}
        ]
    }),
    json!({"address": "г. Казань, ул. Баумана, д. 9"})
))]
#[allow(dead_code)] // a schema only: `read_new` reads the body
pub struct NewHouseRequest {
    // The pattern of `domain::input::address`: a visible character and no
    // control characters.
    #[schema(
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 300,
        examples("г. Казань, ул. Пушкина, д. 26")
    )]
    address: String,
    /// at least 1,000 apartments fit in one request
    apartments: Option<Vec<NewApartmentRequest>>,
}

pub(super) fn read_new(body: &Value) -> Result<AddHouse, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let address = r.required(&obj, "address", text(input::address));
    let apartments = r.list(&obj, "apartments", new_apartment);
    let house = address
        .zip(apartments)
        .map(|(address, apartments)| AddHouse {
            address,
            apartments,
        });
    r.finish(house)
}

/// A house's new address.
#[derive(ToSchema)]
#[schema(examples(json!({"address": "г. Казань, ул. Баумана, д. 9"})))]
#[allow(dead_code)] // a schema only: `read_change` reads the body
pub struct HouseChangeRequest {
    #[schema(
        nullable = false,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 300
    )]
    address: Option<String>,
}

pub(super) fn read_change(body: &Value) -> Result<ChangeHouse, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let address = r.optional(&obj, "address", text(input::address));
    r.finish(Some(ChangeHouse { address }))
}

/// POST /houses: `{address, apartments?: [{number, area, meters?}]}`, all or
/// nothing.
#[utoipa::path(
    post,
    path = "/api/v1/houses",
    tag = "houses",
    summary = "Create a house with its apartments and meters, all or nothing",
    request_body = NewHouseRequest,
    responses(
        (status = 201, description = "The house as GET shows it", body = HouseBody,
            headers(("Location" = String, description = "/api/v1/houses/{id}"))),
        (status = 409, description = "An apartment number or meter serial is taken", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named by its path", body = ErrorBody),
    ),
)]
pub async fn create(
    state: web::Data<AppState>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let new = read_new(&body)?;
    let house = state
        .db(move |conn| {
            let house = services::houses::create(conn, &new)?;
            load(conn, house.id)
        })
        .await?;
    Ok(created(format!("/api/v1/houses/{}", house.id), &house))
}

/// GET /houses/{id}
#[utoipa::path(
    get,
    path = "/api/v1/houses/{id}",
    tag = "houses",
    summary = "A house with its apartments, meters and last readings",
    params(("id" = i64, Path, description = "House id", example = 1)),
    responses(
        (status = 200, description = "The house", body = HouseBody),
        (status = 404, description = "No such house", body = ErrorBody),
    ),
)]
pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<Json<HouseBody>, ApiError> {
    let id = HouseId(path.into_inner());
    Ok(Json(state.db(move |conn| load(conn, id)).await?))
}

/// PATCH /houses/{id}: `{address?}`
#[utoipa::path(
    patch,
    path = "/api/v1/houses/{id}",
    tag = "houses",
    summary = "Change a house's address",
    params(("id" = i64, Path, description = "House id", example = 1)),
    request_body = HouseChangeRequest,
    responses(
        (status = 200, description = "The house as GET shows it", body = HouseBody),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 409, description = "Another house has this address", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
)]
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: Json<Value>,
) -> Result<Json<HouseBody>, ApiError> {
    let id = HouseId(path.into_inner());
    let change = read_change(&body)?;
    let house = state
        .db(move |conn| {
            services::houses::update(conn, id, &change)?;
            load(conn, id)
        })
        .await?;
    Ok(Json(house))
}

/// DELETE /houses/{id}: refused (409) while it has readings or charges.
#[utoipa::path(
    delete,
    path = "/api/v1/houses/{id}",
    tag = "houses",
    summary = "Delete a house without readings or charges",
    params(("id" = i64, Path, description = "House id", example = 1)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 409, description = "The house has readings or charges", body = ErrorBody),
    ),
)]
pub async fn delete(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = HouseId(path.into_inner());
    state
        .db(move |conn| services::houses::delete(conn, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::api::schema::assert_examples_read;

    #[test]
    fn the_new_house_examples_are_read() {
        assert_examples_read::<NewHouseRequest, _>(read_new);
    }

    #[test]
    fn the_house_change_examples_are_read() {
        assert_examples_read::<HouseChangeRequest, _>(read_change);
    }
}
