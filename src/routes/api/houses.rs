//! Houses: the list with apartment counts, and a house with all of its
//! apartments, meters and last readings.

use actix_web::HttpResponse;
use actix_web::web::{self, Json};
use serde::Serialize;
use serde_json::Value;

use super::apartments::ApartmentBody;
use super::created;
use super::input::{self, Reader, text};
use crate::db::models::{HouseId, HouseSummary};
use crate::db::queries::{self, house_view};
use crate::domain::input as rules;
use crate::error::{ApiError, AppError};
use crate::services::{self, ApartmentInput};
use crate::state::AppState;

#[derive(Serialize)]
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

#[derive(Debug, Serialize)]
pub struct HouseBody {
    id: HouseId,
    address: String,
    apartments: Vec<ApartmentBody>,
}

/// The house with every apartment (natural number order), in the fixed
/// number of queries of `house_view`, never one per apartment.
fn load(conn: &mut diesel::PgConnection, id: HouseId) -> Result<HouseBody, AppError> {
    let house = queries::houses::find(conn, id)?;
    let all = house_view::ApartmentQuery {
        limit: None,
        ..Default::default()
    };
    let (_, apartments) = house_view::apartments(conn, id, &all)?;
    Ok(HouseBody {
        id: house.id,
        address: house.address,
        apartments: apartments.into_iter().map(ApartmentBody::nested).collect(),
    })
}

/// GET /houses
pub async fn list(state: web::Data<AppState>) -> Result<Json<Vec<HouseListItem>>, ApiError> {
    let houses = state.db(queries::houses::list_summaries).await?;
    Ok(Json(houses.into_iter().map(Into::into).collect()))
}

fn read_new(body: &Value) -> Result<(String, Vec<ApartmentInput>), AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let address = r.required(&obj, "address", text(rules::address));
    let apartments = r.list(&obj, "apartments", input::apartment);
    r.finish(address.zip(apartments))
}

/// POST /houses: `{address, apartments?: [{number, area, meters?}]}`, all or
/// nothing.
pub async fn create(
    state: web::Data<AppState>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let (address, apartments) = read_new(&body)?;
    let house = state
        .db(move |conn| {
            let house = services::houses::create(conn, &address, &apartments)?;
            load(conn, house.id)
        })
        .await?;
    Ok(created(format!("/api/v1/houses/{}", house.id), &house))
}

/// GET /houses/{id}
pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<Json<HouseBody>, ApiError> {
    let id = HouseId(path.into_inner());
    Ok(Json(state.db(move |conn| load(conn, id)).await?))
}

/// PATCH /houses/{id}: `{address?}`
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: Json<Value>,
) -> Result<Json<HouseBody>, ApiError> {
    let id = HouseId(path.into_inner());
    let address = {
        let mut r = Reader::default();
        let obj = r.root(&body)?;
        let address = r.optional(&obj, "address", text(rules::address));
        r.finish(Some(address))?
    };
    let house = state
        .db(move |conn| {
            if let Some(address) = address {
                services::houses::rename(conn, id, &address)?;
            }
            load(conn, id)
        })
        .await?;
    Ok(Json(house))
}

/// DELETE /houses/{id}: refused (409) while it has readings or charges.
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
