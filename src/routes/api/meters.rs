//! A meter: `{id, apartment_id, serial, kind, initial_reading, installed_on,
//! commissioned_on, verified_until, decommissioned_on, last_reading: {period,
//! value} | null}`, and its decommissioning with a final reading.

use actix_web::HttpResponse;
use actix_web::web::{self, Json};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::body::{self, Obj, Reader, decimal, text, unchanged};
use super::reply::{VOLUME_PLACES, created, fixed};
use super::schema::{DecimalString, ErrorBody, VolumeInput};
use crate::db::models::{ApartmentId, Meter, MeterId};
use crate::db::queries;
use crate::db::queries::house_listing::MeterRow;
use crate::domain::input::{self, MAX_SERIAL_CHARS};
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
    /// commissioned (ввод в эксплуатацию): the meter counts from the next
    /// month on; null: counts from any month
    commissioned_on: Option<NaiveDate>,
    /// the next verification is due after this day: from the next month on
    /// the meter is faulty and billed by average, then by the normative
    verified_until: Option<NaiveDate>,
    /// taken out with its final reading; it counts up to this month
    decommissioned_on: Option<NaiveDate>,
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
    pub fn nested(view: MeterRow) -> Self {
        let mut body = Self::standalone(view.meter, view.last_reading);
        body.apartment_id = None;
        body
    }

    fn standalone(meter: Meter, last_reading: Option<(Period, Decimal)>) -> Self {
        Self {
            id: meter.id,
            apartment_id: Some(meter.apartment_id),
            serial: meter.serial,
            kind: meter.kind,
            initial_reading: fixed(meter.initial_reading, VOLUME_PLACES),
            installed_on: meter.installed_on,
            commissioned_on: meter.commissioned_on,
            verified_until: meter.verified_until,
            decommissioned_on: meter.decommissioned_on,
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

// The schemas below name the serial rule's limit as a literal.
const _: () = assert!(MAX_SERIAL_CHARS == 50, "the schemas' max_length");

/// A new meter.
#[derive(ToSchema)]
#[schema(examples(
    json!({
        "serial": "ГВ-000207", "kind": "hot_water", "initial_reading": "3.250",
        "installed_on": "2026-03-01", "commissioned_on": "2026-03-02",
        "verified_until": "2032-03-01"
    }),
    json!({"serial": "ХВ-000207", "kind": "cold_water"})
))]
#[allow(dead_code)] // a schema only: `new_meter` reads it
pub struct NewMeterRequest {
    // The pattern of `domain::input::serial`: a visible character and no
    // control characters.
    #[schema(
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 50,
        examples("ХВ-000201")
    )]
    serial: String,
    kind: MeterKind,
    /// m³ on the dial when installed; left out or null: 0
    #[schema(nullable)]
    initial_reading: Option<VolumeInput>,
    /// YYYY-MM-DD (from year 1 to 9999); left out, null or "": unknown
    installed_on: Option<chrono::NaiveDate>,
    /// YYYY-MM-DD; the meter counts from the next month; left out, null or
    /// "": from any month
    commissioned_on: Option<chrono::NaiveDate>,
    /// YYYY-MM-DD; faulty from the next month on; left out, null or "": never
    verified_until: Option<chrono::NaiveDate>,
}

/// A meter to add (`{serial, kind, initial_reading?, installed_on?}`), as a
/// body of its own or inside a new apartment.
pub(super) fn new_meter(r: &mut Reader, obj: &Obj) -> Option<AddMeter> {
    let serial = r.required(obj, "serial", text(input::serial));
    let kind = r.required(obj, "kind", text(input::meter_kind));
    // Left out or null: the meter starts at 0. (A bad value is recorded and
    // fails the body in `finish`, so its 0 here is never used.)
    let initial_reading = r
        .nullable(obj, "initial_reading", decimal(input::meter_value))
        .flatten()
        .unwrap_or(Decimal::ZERO);
    let date = |r: &mut Reader, key| {
        r.nullable(obj, key, text(input::optional_iso_date))
            .flatten()
            .flatten()
    };
    let installed_on = date(r, "installed_on");
    let commissioned_on = date(r, "commissioned_on");
    let verified_until = date(r, "verified_until");
    Some(AddMeter {
        serial: serial?,
        kind: kind?,
        initial_reading,
        installed_on,
        commissioned_on,
        verified_until,
    })
}

pub(super) fn read_new(body: &Value) -> Result<AddMeter, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let meter = new_meter(&mut r, &obj);
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

/// What to change in a meter; fields left out stay as they are.
#[derive(ToSchema)]
#[schema(examples(
    json!({"installed_on": "2026-02-01"}),
    json!({"serial": "ХВ-000208", "initial_reading": 1.5, "installed_on": null})
))]
#[allow(dead_code)] // a schema only: `read_change` reads the body
pub struct MeterChangeRequest {
    #[schema(
        nullable = false,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 50
    )]
    serial: Option<String>,
    #[schema(nullable = false)]
    kind: Option<MeterKind>,
    /// m³ on the dial when installed
    #[schema(nullable = false)]
    initial_reading: Option<VolumeInput>,
    /// YYYY-MM-DD (from year 1 to 9999); null or "" clears it
    installed_on: Option<chrono::NaiveDate>,
    /// YYYY-MM-DD; null or "" clears it
    commissioned_on: Option<chrono::NaiveDate>,
    /// YYYY-MM-DD; null or "" clears it
    verified_until: Option<chrono::NaiveDate>,
    /// may be sent back unchanged; another apartment is refused (422)
    #[schema(nullable = false)]
    apartment_id: Option<ApartmentId>,
}

/// The change, and the apartment the client says the meter is in (which
/// may be sent back, never changed).
pub(super) struct Change {
    change: ChangeMeter,
    apartment_id: Option<i64>,
}

pub(super) fn read_change(body: &Value) -> Result<Change, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let change = ChangeMeter {
        serial: r.optional(&obj, "serial", text(input::serial)),
        kind: r.optional(&obj, "kind", text(input::meter_kind)),
        initial_reading: r.optional(&obj, "initial_reading", decimal(input::meter_value)),
        // null (or "") clears a date.
        installed_on: r
            .nullable(&obj, "installed_on", text(input::optional_iso_date))
            .map(Option::flatten),
        commissioned_on: r
            .nullable(&obj, "commissioned_on", text(input::optional_iso_date))
            .map(Option::flatten),
        verified_until: r
            .nullable(&obj, "verified_until", text(input::optional_iso_date))
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

/// A meter taken out: the day and the dial's last value.
#[derive(ToSchema)]
#[schema(examples(json!({"on": "2026-10-14", "final_reading": "118.420"})))]
#[allow(dead_code)] // a schema only: `read_decommission` reads the body
pub struct DecommissionRequest {
    /// YYYY-MM-DD: the final reading is the meter's reading of this month
    on: chrono::NaiveDate,
    /// m³ on the dial when taken out
    final_reading: VolumeInput,
}

pub(super) fn read_decommission(body: &Value) -> Result<(NaiveDate, Decimal), AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let on = r.required(&obj, "on", text(input::iso_date));
    let value = r.required(&obj, "final_reading", decimal(input::meter_value));
    r.finish(on.zip(value))
}

/// POST /meters/{id}/decommission: `{on, final_reading}`
#[utoipa::path(
    post,
    path = "/api/v1/meters/{id}/decommission",
    tag = "meters",
    summary = "Take a meter out with its final reading",
    description = "Saves `final_reading` as the meter's reading of the month of `on` (source \
        `final`, checked like every reading) and sets `decommissioned_on`; from the next \
        month the meter no longer counts. Its replacement is a new meter with its \
        `commissioned_on` and `initial_reading`.",
    params(("id" = i64, Path, description = "Meter id", example = 1)),
    request_body = DecommissionRequest,
    responses(
        (status = 200, description = "The meter as GET shows it", body = MeterBody),
        (status = 404, description = "No such meter", body = ErrorBody),
        (status = 409, description = "The meter was already taken out", body = ErrorBody),
        (status = 422, description = "Invalid fields, a closed month, or a value below an earlier reading", body = ErrorBody),
    ),
)]
pub async fn decommission(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: Json<Value>,
) -> Result<Json<MeterBody>, ApiError> {
    let id = MeterId(path.into_inner());
    let (on, final_reading) = read_decommission(&body)?;
    let body = state
        .db(move |conn| {
            services::meters::decommission(conn, id, on, final_reading)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::api::schema::assert_examples_read;

    #[test]
    fn the_new_meter_examples_are_read() {
        assert_examples_read::<NewMeterRequest, _>(read_new);
    }

    #[test]
    fn the_meter_change_examples_are_read() {
        assert_examples_read::<MeterChangeRequest, _>(read_change);
        assert_examples_read::<DecommissionRequest, _>(read_decommission);
    }
}
