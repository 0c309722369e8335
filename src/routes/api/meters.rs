//! A meter: `{id, apartment_id, serial, kind, initial_reading, installed_on,
//! last_reading: {period, value} | null}`.

use actix_web::HttpResponse;
use actix_web::web::{self, Json};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::body::{self, Reader, decimal, text, unchanged};
use super::openapi::{DecimalString, ErrorBody, MeterChangeRequest, NewMeterRequest};
use super::reply::{VOLUME_PLACES, created, fixed};
use crate::db::models::{ApartmentId, Meter, MeterId};
use crate::db::queries;
use crate::db::queries::house_view::MeterView;
use crate::domain::input;
use crate::domain::{MeterKind, Period};
use crate::error::{ApiError, AppError};
use crate::services;
use crate::services::meters::{AddMeter, ChangeMeter};
use crate::state::AppState;

/// A meter with its last reading.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeterBody {
    id: MeterId,
    /// Sent when the meter is shown on its own, not inside its apartment.
    #[serde(skip_serializing_if = "Option::is_none")]
    apartment_id: Option<ApartmentId>,
    serial: String,
    kind: MeterKind,
    /// m³ on the dial when installed
    #[schema(value_type = DecimalString)]
    initial_reading: String,
    installed_on: Option<NaiveDate>,
    /// the latest reading, null before the first
    last_reading: Option<LastReading>,
}

#[derive(Debug, Serialize, ToSchema)]
struct LastReading {
    period: Period,
    /// m³
    #[schema(value_type = DecimalString)]
    value: String,
}

impl MeterBody {
    /// A meter inside its apartment's body.
    pub fn nested(view: MeterView) -> Self {
        let mut body = Self::standalone(view.meter, view.last_reading);
        body.apartment_id = None;
        body
    }

    fn standalone(meter: Meter, last_reading: Option<(Period, rust_decimal::Decimal)>) -> Self {
        Self {
            id: meter.id,
            apartment_id: Some(meter.apartment_id),
            serial: meter.serial,
            kind: meter.kind,
            initial_reading: fixed(meter.initial_reading, VOLUME_PLACES),
            installed_on: meter.installed_on,
            last_reading: last_reading.map(|(period, value)| LastReading {
                period,
                value: fixed(value, VOLUME_PLACES),
            }),
        }
    }
}

/// The meter with its latest reading.
fn load(conn: &mut diesel::PgConnection, id: MeterId) -> Result<MeterBody, AppError> {
    let meter = queries::meters::find(conn, id)?;
    let last = queries::readings::list_for_meter(conn, id)?
        .pop()
        .map(|r| (r.period, r.value));
    Ok(MeterBody::standalone(meter, last))
}

fn read_new(body: &Value) -> Result<AddMeter, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let meter = body::meter(&mut r, &obj);
    r.finish(meter)
}

/// POST /apartments/{id}/meters
#[utoipa::path(
    post,
    path = "/api/v1/apartments/{id}/meters",
    tag = "meters",
    summary = "Add a meter to an apartment",
    params(("id" = i64, Path, description = "Apartment id", example = 1)),
    request_body = NewMeterRequest,
    responses(
        (status = 201, description = "The meter as GET shows it", body = MeterBody,
            headers(("Location" = String, description = "/api/v1/meters/{id}"))),
        (status = 404, description = "No such apartment", body = ErrorBody),
        (status = 409, description = "The serial is taken", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
)]
pub async fn create(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let apartment = ApartmentId(path.into_inner());
    let meter = read_new(&body)?;
    let meter = state
        .db(move |conn| services::meters::create(conn, apartment, &meter))
        .await?;
    let body = MeterBody::standalone(meter, None);
    Ok(created(format!("/api/v1/meters/{}", body.id), &body))
}

/// GET /meters/{id}
#[utoipa::path(
    get,
    path = "/api/v1/meters/{id}",
    tag = "meters",
    summary = "A meter with its last reading",
    params(("id" = i64, Path, description = "Meter id", example = 1)),
    responses(
        (status = 200, description = "The meter", body = MeterBody),
        (status = 404, description = "No such meter", body = ErrorBody),
    ),
)]
pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<Json<MeterBody>, ApiError> {
    let id = MeterId(path.into_inner());
    Ok(Json(state.db(move |conn| load(conn, id)).await?))
}

/// The change, and the apartment the client says the meter is in (which
/// may be sent back, never changed).
struct Change {
    change: ChangeMeter,
    apartment_id: Option<i64>,
}

fn read_change(body: &Value) -> Result<Change, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let change = ChangeMeter {
        serial: r.optional(&obj, "serial", text(input::serial)),
        kind: r.optional(&obj, "kind", text(input::meter_kind)),
        initial_reading: r.optional(&obj, "initial_reading", decimal(input::meter_value)),
        // null (or "") clears the date.
        installed_on: r
            .nullable(&obj, "installed_on", text(input::optional_date))
            .map(Option::flatten),
    };
    let apartment_id = r.optional(&obj, "apartment_id", body::id);
    r.finish(Some(Change {
        change,
        apartment_id,
    }))
}

/// PATCH /meters/{id}: `{serial?, kind?, initial_reading?, installed_on?}`
#[utoipa::path(
    patch,
    path = "/api/v1/meters/{id}",
    tag = "meters",
    summary = "Change a meter",
    params(("id" = i64, Path, description = "Meter id", example = 1)),
    request_body = MeterChangeRequest,
    responses(
        (status = 200, description = "The meter as GET shows it", body = MeterBody),
        (status = 404, description = "No such meter", body = ErrorBody),
        (status = 409, description = "The serial is taken, or the change contradicts its readings", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
)]
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: Json<Value>,
) -> Result<Json<MeterBody>, ApiError> {
    let id = MeterId(path.into_inner());
    let Change {
        change,
        apartment_id,
    } = read_change(&body)?;
    let body = state
        .db(move |conn| {
            let meter = queries::meters::find(conn, id)?;
            unchanged("apartment_id", apartment_id, meter.apartment_id.0)?;
            services::meters::update(conn, id, &change)?;
            load(conn, id)
        })
        .await?;
    Ok(Json(body))
}

/// DELETE /meters/{id}: refused (409) while the meter has readings.
#[utoipa::path(
    delete,
    path = "/api/v1/meters/{id}",
    tag = "meters",
    summary = "Delete a meter without readings",
    params(("id" = i64, Path, description = "Meter id", example = 1)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such meter", body = ErrorBody),
        (status = 409, description = "The meter has readings", body = ErrorBody),
    ),
)]
pub async fn delete(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = MeterId(path.into_inner());
    state
        .db(move |conn| services::meters::delete(conn, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
