//! A meter: `{id, apartment_id, serial, kind, initial_reading, installed_on,
//! last_reading: {period, value} | null}`.

use actix_web::HttpResponse;
use actix_web::web::{self, Json};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use super::input::{self, Reader, decimal, text};
use super::{VOLUME_PLACES, created, fixed, unchanged};
use crate::db::models::{ApartmentId, Meter, MeterId};
use crate::db::queries;
use crate::db::queries::house_view::MeterView;
use crate::domain::input as rules;
use crate::domain::{MeterKind, Period};
use crate::error::{ApiError, AppError};
use crate::services::meters::MeterPatch;
use crate::services::{self, MeterInput};
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct MeterBody {
    id: MeterId,
    /// Sent when the meter is shown on its own, not inside its apartment.
    #[serde(skip_serializing_if = "Option::is_none")]
    apartment_id: Option<ApartmentId>,
    serial: String,
    kind: MeterKind,
    initial_reading: String,
    installed_on: Option<NaiveDate>,
    last_reading: Option<LastReading>,
}

#[derive(Debug, Serialize)]
struct LastReading {
    period: Period,
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

fn read_new(body: &Value) -> Result<MeterInput, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let meter = input::meter(&mut r, &obj);
    r.finish(meter)
}

/// POST /apartments/{id}/meters
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
pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<Json<MeterBody>, ApiError> {
    let id = MeterId(path.into_inner());
    Ok(Json(state.db(move |conn| load(conn, id)).await?))
}

struct Change {
    patch: MeterPatch,
    apartment_id: Option<i64>,
}

fn read_change(body: &Value) -> Result<Change, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let patch = MeterPatch {
        serial: r.optional(&obj, "serial", text(rules::serial)),
        kind: r.optional(&obj, "kind", text(rules::meter_kind)),
        initial_reading: r.optional(&obj, "initial_reading", decimal(rules::meter_value)),
        // null (or "") clears the date.
        installed_on: r
            .nullable(
                &obj,
                "installed_on",
                text(crate::domain::input::optional_date),
            )
            .map(Option::flatten),
    };
    let apartment_id = r.optional(&obj, "apartment_id", input::id);
    r.finish(Some(Change {
        patch,
        apartment_id,
    }))
}

/// PATCH /meters/{id}: `{serial?, kind?, initial_reading?, installed_on?}`
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: Json<Value>,
) -> Result<Json<MeterBody>, ApiError> {
    let id = MeterId(path.into_inner());
    let Change {
        patch,
        apartment_id,
    } = read_change(&body)?;
    let body = state
        .db(move |conn| {
            let meter = queries::meters::find(conn, id)?;
            unchanged("apartment_id", apartment_id, meter.apartment_id.0)?;
            services::meters::update(conn, id, &patch)?;
            load(conn, id)
        })
        .await?;
    Ok(Json(body))
}

/// DELETE /meters/{id}: refused (409) while the meter has readings.
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
