//! Readings: POST /readings (a batch, all or nothing), a house's month
//! (GET /houses/{id}/readings?period=) and a meter's history
//! (GET /meters/{id}/readings).

use std::borrow::Cow;
use std::fmt;

use actix_web::web::{self, Json};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::body::{self, decimal, text};
use super::query::PeriodQuery;
use super::reply::{VOLUME_PLACES, fixed};
use super::schema::{DecimalString, ErrorBody, VolumeInput};
use crate::db::models::{HouseId, MeterId};
use crate::db::queries;
use crate::db::queries::readings::MonthRow;
use crate::domain::input;
use crate::domain::{MeterKind, Period, Problem, ReadingSource};
use crate::error::{ApiError, AppError};
use crate::i18n::Locale;
use crate::services::readings::{
    self as service, BatchRow, MAX_BATCH_ROWS, MeterRef, ReadingEntry, Unreadable,
};
use crate::state::AppState;

/// What is wrong with a row: the field to blame and why. One per row, as the
/// service reports rule problems, so a row is never listed twice.
type RowProblem = (&'static str, Problem);

/// Readings to save, all or nothing: new ones are created, changed ones
/// corrected, equal ones left alone.
#[derive(ToSchema)]
#[schema(examples(json!({"readings": [
    {"meter_id": 1, "period": "2026-11", "value": "131.500"},
    {"serial": "ХВ-000201", "period": "2026-11", "value": 14.25},
    {"meter_id": null, "serial": "ГВ-000201", "period": "2026-11", "value": "8,730"}
]})))]
#[allow(dead_code)] // a schema only: `Batch` reads the body
pub struct ReadingsRequest {
    /// at least 10,000 and at most 50,000 readings in one request
    readings: Vec<ReadingRequest>,
}

/// One reading: the meter by `meter_id` or by `serial` (one of them).
#[derive(ToSchema)]
#[schema(examples(
    json!({"meter_id": 1, "period": "2026-11", "value": "131.500"}),
    json!({"serial": "ХВ-000201", "period": "2026-11", "value": 14.25})
))]
#[allow(dead_code)] // a schema only: `read_row` reads it
pub struct ReadingRequest {
    #[schema(nullable)]
    meter_id: Option<MeterId>,
    #[schema(
        nullable,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 50
    )]
    serial: Option<String>,
    period: Period,
    value: VolumeInput,
}

/// The body as read: its rows, or what is wrong with its shape. Read
/// straight from the request's bytes, one row at a time, so a huge list
/// never becomes a tree of JSON values in memory: past [`MAX_BATCH_ROWS`]
/// the rest is only counted.
pub enum Batch {
    NotObject,
    /// `readings` left out or null.
    Missing,
    NotList,
    TooMany(usize),
    Rows(Vec<BatchRow>),
}

/// serde_json (with arbitrary_precision, as here) hands a number to a
/// visitor as a map with this one key.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

impl<'de> Deserialize<'de> for Batch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BodyVisitor)
    }
}

/// The body: an object whose `readings` is read by [`RowsVisitor`]; any
/// other JSON value is `NotObject`, consumed without being kept.
struct BodyVisitor;

impl<'de> Visitor<'de> for BodyVisitor {
    type Value = Batch;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Batch, A::Error> {
        let mut batch = Batch::Missing;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == NUMBER_TOKEN {
                map.next_value::<IgnoredAny>()?;
                return Ok(Batch::NotObject);
            }
            if key == "readings" {
                batch = map.next_value_seed(RowsSeed)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(batch)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Batch, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Batch::NotObject)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Batch, E> {
        Ok(Batch::NotObject)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Batch, E> {
        Ok(Batch::NotObject)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Batch, E> {
        Ok(Batch::NotObject)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Batch, E> {
        Ok(Batch::NotObject)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Batch, E> {
        Ok(Batch::NotObject)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Batch, E> {
        Ok(Batch::NotObject)
    }
}

/// The `readings` value: a list read row by row (each row as a small JSON
/// value, read at once into a [`BatchRow`]), null, or something else.
struct RowsSeed;

impl<'de> DeserializeSeed<'de> for RowsSeed {
    type Value = Batch;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Batch, D::Error> {
        deserializer.deserialize_any(RowsVisitor)
    }
}

struct RowsVisitor;

impl<'de> Visitor<'de> for RowsVisitor {
    type Value = Batch;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of readings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Batch, A::Error> {
        let mut rows = Vec::new();
        while rows.len() < MAX_BATCH_ROWS {
            match seq.next_element::<Value>()? {
                Some(row) => rows.push(read_row(&row).map_err(|(field, message)| Unreadable {
                    field: field.to_owned(),
                    message,
                })),
                None => return Ok(Batch::Rows(rows)),
            }
        }
        if seq.next_element::<IgnoredAny>()?.is_none() {
            return Ok(Batch::Rows(rows));
        }
        drop(rows);
        let mut count = MAX_BATCH_ROWS + 1;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            count += 1;
        }
        Ok(Batch::TooMany(count))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Batch, E> {
        Ok(Batch::Missing)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Batch, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Batch::NotList)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Batch, E> {
        Ok(Batch::NotList)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Batch, E> {
        Ok(Batch::NotList)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Batch, E> {
        Ok(Batch::NotList)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Batch, E> {
        Ok(Batch::NotList)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Batch, E> {
        Ok(Batch::NotList)
    }
}

/// The body's rows in order, each read or with the reason it could not be;
/// a body of the wrong shape or with too many rows is refused whole.
fn into_rows(batch: Batch) -> Result<Vec<BatchRow>, AppError> {
    match batch {
        Batch::Rows(rows) => Ok(rows),
        Batch::NotObject => Err(AppError::invalid_body("The body must be a JSON object.")),
        Batch::Missing => Err(AppError::invalid_field(
            "readings",
            "This field is required.",
        )),
        Batch::NotList => Err(AppError::invalid_field(
            "readings",
            "Must be a list of readings.",
        )),
        Batch::TooMany(count) => Err(AppError::invalid_field(
            "readings",
            format!(
                "One request takes at most {MAX_BATCH_ROWS} readings; this one has {count}. \
                 Send them in several requests."
            ),
        )),
    }
}

/// `{meter_id or serial, period, value}`; null counts as left out, so a
/// client may send both keys with one of them null.
fn read_row(row: &Value) -> Result<ReadingEntry, RowProblem> {
    let Value::Object(row) = row else {
        return Err((
            "reading",
            "Must be an object: {meter_id or serial, period, value}.".into(),
        ));
    };
    let meter = match (given(row, "meter_id"), given(row, "serial")) {
        (Some(id), None) => MeterRef::Id(MeterId(body::id(id).map_err(|m| ("meter_id", m))?)),
        (None, Some(serial)) => {
            MeterRef::Serial(text(input::serial)(serial).map_err(|m| ("serial", m))?)
        }
        (None, None) => {
            return Err(("meter_id", "Give the meter as meter_id or serial.".into()));
        }
        (Some(_), Some(_)) => {
            return Err(("meter_id", "Give meter_id or serial, not both.".into()));
        }
    };
    let period = required(row, "period", text(input::iso_period))?;
    let value = required(row, "value", decimal(input::meter_value))?;
    Ok(ReadingEntry {
        meter,
        period,
        value,
    })
}

fn given<'v>(row: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    row.get(key).filter(|v| !v.is_null())
}

fn required<T>(
    row: &Map<String, Value>,
    key: &'static str,
    read: impl body::Read<T>,
) -> Result<T, RowProblem> {
    let value = given(row, key).ok_or((key, "This field is required.".into()))?;
    read(value).map_err(|message| (key, message))
}

/// How the batch was saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedBody {
    /// every reading of the batch: created, corrected or already stored
    saved: usize,
    created: usize,
    updated: usize,
    unchanged: usize,
    /// readings saved although they look wrong: a consumption above three
    /// times the meter's average and above 1 m³
    warnings: Vec<WarningBody>,
}

/// A saved reading to check again.
#[derive(Debug, Serialize, ToSchema)]
pub struct WarningBody {
    /// the row's index in `readings`, from 0
    index: usize,
    message: String,
}

/// POST /readings: `{readings: [{meter_id or serial, period, value}]}`, all
/// or nothing; 422 `{error, errors: [{index, field, message}]}`.
#[utoipa::path(
    post,
    path = "/api/v1/readings",
    tag = "readings",
    summary = "Save a batch of readings, all or nothing",
    description = "Each reading names its meter by `meter_id` or `serial`. A reading for a \
        month that already has one corrects it; the same value again changes nothing. A \
        reading lower than the one before (or the initial reading) is refused. A reading \
        whose consumption is above three times the meter's average and above 1 m³ is saved \
        and listed in `warnings`.",
    request_body = ReadingsRequest,
    responses(
        (status = 200, description = "Every reading was saved", body = SavedBody),
        (status = 422, description = "Nothing was saved: `errors` lists every refused row, or `fields` a bad body", body = ErrorBody),
    ),
)]
pub async fn save(
    state: web::Data<AppState>,
    body: Json<Batch>,
) -> Result<Json<SavedBody>, ApiError> {
    let rows = into_rows(body.into_inner())?;
    let latest = Period::current().next();
    let saved = state
        .db(move |conn| service::save(conn, ReadingSource::Api, &rows, None, latest))
        .await?;
    Ok(Json(SavedBody {
        saved: saved.accepted(),
        created: saved.created,
        updated: saved.updated,
        unchanged: saved.unchanged,
        warnings: saved
            .warnings
            .iter()
            .map(|(index, problem)| WarningBody {
                index: *index,
                message: Locale::En.problem(problem),
            })
            .collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
struct PeriodValue {
    /// null: the meter's initial reading
    period: Option<Period>,
    /// m³
    #[schema(value_type = DecimalString)]
    value: String,
}

/// A meter of the house with its previous reading and the month's.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonthRowBody {
    meter_id: i64,
    serial: String,
    kind: MeterKind,
    apartment_id: i64,
    apartment_number: String,
    /// The latest reading before the month; with none, the initial reading
    /// with period null, so consumption is always `value - previous.value`
    /// (as billing computes it).
    previous: PeriodValue,
    /// the month's reading (m³), null while not entered
    #[schema(value_type = Option<DecimalString>)]
    value: Option<String>,
}

impl From<MonthRow> for MonthRowBody {
    fn from(row: MonthRow) -> Self {
        let previous = match (row.previous_period, row.previous_value) {
            (Some(period), Some(value)) => PeriodValue {
                period: Some(period),
                value: fixed(value, VOLUME_PLACES),
            },
            _ => PeriodValue {
                period: None,
                value: fixed(row.initial_reading, VOLUME_PLACES),
            },
        };
        Self {
            meter_id: row.meter_id,
            serial: row.serial,
            kind: row.kind,
            apartment_id: row.apartment_id,
            apartment_number: row.apartment_number,
            previous,
            value: row.value.map(|v| fixed(v, VOLUME_PLACES)),
        }
    }
}

/// GET /houses/{id}/readings?period=YYYY-MM: every meter of the house, in
/// apartment order, with its previous reading and the month's.
#[utoipa::path(
    get,
    path = "/api/v1/houses/{id}/readings",
    tag = "readings",
    summary = "A house's readings for a month, with each meter's previous one",
    params(("id" = i64, Path, description = "House id", example = 1), PeriodQuery),
    responses(
        (status = 200, description = "Every meter of the house, in apartment order", body = Vec<MonthRowBody>),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 422, description = "The period is missing or not YYYY-MM", body = ErrorBody),
    ),
)]
pub async fn house_month(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<PeriodQuery>,
) -> Result<Json<Vec<MonthRowBody>>, ApiError> {
    let house = HouseId(path.into_inner());
    let period = query.period()?;
    let rows = state
        .db(move |conn| {
            queries::houses::find(conn, house)?;
            queries::readings::house_month(conn, house, period)
        })
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// A reading of a meter.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryItem {
    period: Period,
    /// m³
    #[schema(value_type = DecimalString)]
    value: String,
    source: ReadingSource,
}

/// GET /meters/{id}/readings: every reading, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/meters/{id}/readings",
    tag = "readings",
    summary = "A meter's readings, oldest first",
    params(("id" = i64, Path, description = "Meter id", example = 1)),
    responses(
        (status = 200, description = "Every reading of the meter", body = Vec<HistoryItem>),
        (status = 404, description = "No such meter", body = ErrorBody),
    ),
)]
pub async fn for_meter(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<Json<Vec<HistoryItem>>, ApiError> {
    let meter = MeterId(path.into_inner());
    let readings = state
        .db(move |conn| {
            queries::meters::find(conn, meter)?;
            queries::readings::list_for_meter(conn, meter)
        })
        .await?;
    Ok(Json(
        readings
            .into_iter()
            .map(|r| HistoryItem {
                period: r.period,
                value: fixed(r.value, VOLUME_PLACES),
                source: r.source,
            })
            .collect(),
    ))
}

/// The batch with every row read, else the first unreadable row as a 422:
/// what the schema's examples must pass (`into_rows` itself leaves row
/// problems for the service to report with the rows it refuses).
#[cfg(test)]
pub(super) fn read_every_row(body: &Value) -> Result<Vec<ReadingEntry>, AppError> {
    let batch = Batch::deserialize(body).map_err(|e| AppError::BadRequest(e.to_string().into()))?;
    into_rows(batch)?
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            row.map_err(|Unreadable { field, message }| {
                AppError::invalid_field(&format!("readings[{i}].{field}"), message)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::api::schema::assert_examples_read;

    fn batch(body: &str) -> Result<Vec<BatchRow>, AppError> {
        into_rows(serde_json::from_str(body).unwrap())
    }

    #[test]
    fn a_batch_above_the_limit_is_counted_not_built() {
        let rows = |n: usize| format!("{{\"readings\": [{}0]}}", "0,".repeat(n - 1));
        let err = batch(&rows(MAX_BATCH_ROWS + 1)).unwrap_err();
        let message = &err.fields().unwrap()["readings"];
        assert!(
            message
                .to_string()
                .contains(&format!("this one has {}", MAX_BATCH_ROWS + 1)),
            "{message}"
        );
        let read = batch(&rows(MAX_BATCH_ROWS)).unwrap();
        assert_eq!(read.len(), MAX_BATCH_ROWS);
        assert!(read.iter().all(Result::is_err));
    }

    #[test]
    fn bodies_of_the_wrong_shape_are_named() {
        for body in ["[]", "5", "\"x\"", "null", "[{\"readings\": []}]"] {
            let err = batch(body).unwrap_err();
            assert_eq!(err.to_string(), "The body must be a JSON object.", "{body}");
        }
        for body in [
            "{}",
            "{\"readings\": null}",
            "{\"readings\": 5}",
            "{\"readings\": {\"a\": [1]}}",
            "{\"readings\": \"x\"}",
        ] {
            let err = batch(body).unwrap_err();
            assert!(err.fields().unwrap().contains_key("readings"), "{body}");
        }
        let read = batch("{\"other\": [1, {\"x\": 2}], \"readings\": [{\"meter_id\": 1, \"period\": \"2026-01\", \"value\": 5}]}").unwrap();
        assert_eq!(read.len(), 1);
        assert!(read[0].is_ok());
    }

    #[test]
    fn the_readings_examples_are_read() {
        assert_examples_read::<ReadingsRequest, _>(read_every_row);
    }

    #[test]
    fn the_reading_row_examples_are_read() {
        assert_examples_read::<ReadingRequest, _>(|row| {
            read_row(row).map_err(|(field, message)| AppError::invalid_field(field, message))
        });
    }
}
