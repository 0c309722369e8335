//! The OpenAPI 3.1 document of /api/v1, generated from the handlers'
//! `#[utoipa::path]` annotations and the bodies' `ToSchema` derives, served
//! at GET /api/v1/openapi.json and rendered by the /api/docs page.
//!
//! Handlers read request bodies as `serde_json::Value` field by field, so
//! the request schemas here are doc-only structs describing what is
//! accepted; the response schemas are derived from the structs sent.

use std::borrow::Cow;
use std::sync::LazyLock;

use actix_web::HttpResponse;
use actix_web::http::header::ContentType;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{
    Content, KnownFormat, OpenApi as Document, RefOr, Response, ResponseBuilder,
};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

use crate::db::models::{ApartmentId, BillingRunId, HouseId, MeterId, TariffId};
use crate::domain::input::{MAX_ADDRESS_CHARS, MAX_APARTMENT_NUMBER_CHARS, MAX_SERIAL_CHARS};
use crate::domain::{MeterKind, Period, ReadingSource, RunStatus, Service, Unit};

use super::{apartments, billing, houses, meters, readings, tariffs};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "kvartplata API",
        version = "1",
        description = "Houses, apartments, meters, readings, tariffs and billing runs of \
            kvartplata. Money and volumes are decimal strings in responses (\"1131.68\"); \
            requests accept strings or JSON numbers. Every call needs an API token \
            (`kvartplata token create NAME`, or the Tokens page) sent as \
            `Authorization: Bearer <token>`; a browser session works too. Viewers may only \
            read; tariff changes need an admin."
    ),
    servers((url = "/", description = "This server")),
    security(("bearer" = [])),
    modifiers(&CommonResponses),
    tags(
        (name = "houses", description = "Houses and everything in them"),
        (name = "apartments", description = "Apartments of a house"),
        (name = "meters", description = "Water meters of an apartment"),
        (name = "readings", description = "Meter readings, one per meter and month"),
        (name = "tariffs", description = "Prices per service, by month, default or per house"),
        (name = "billing", description = "Billing runs and the charges they produce"),
        (name = "meta", description = "This document"),
    ),
    paths(
        houses::list,
        houses::create,
        houses::show,
        houses::update,
        houses::delete,
        apartments::create,
        apartments::show,
        apartments::update,
        apartments::delete,
        meters::create,
        meters::show,
        meters::update,
        meters::delete,
        readings::save,
        readings::for_meter,
        readings::house_month,
        tariffs::list,
        tariffs::create,
        tariffs::show,
        tariffs::update,
        tariffs::delete,
        billing::start,
        billing::start_all,
        billing::list,
        billing::show,
        billing::charges,
        openapi_json,
    ),
    components(schemas(ErrorBody, RowErrorBody))
)]
struct ApiDoc;

/// The document, built once: it never changes while the process runs.
pub fn document() -> &'static Document {
    static DOCUMENT: LazyLock<Document> = LazyLock::new(ApiDoc::openapi);
    &DOCUMENT
}

/// GET /openapi.json
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    summary = "This OpenAPI document",
    responses((status = 200, description = "The OpenAPI 3.1 document of /api/v1", content_type = "application/json", body = Object)),
)]
pub async fn openapi_json() -> HttpResponse {
    static JSON: LazyLock<String> = LazyLock::new(|| {
        // Serializing plain data structures cannot fail.
        document().to_pretty_json().unwrap_or_default()
    });
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(JSON.as_str())
}

/// Every API error: `{error, fields?, errors?, run_id?}`.
#[derive(ToSchema)]
#[allow(dead_code)] // describes what `crate::error::ApiError` sends
pub struct ErrorBody {
    /// what went wrong, in a sentence for a person
    error: String,
    /// messages by field (422 invalid values, 409 a taken value); nested
    /// fields are named by path, e.g. `apartments[3].meters[0].serial`
    #[schema(nullable = false)]
    fields: Option<std::collections::BTreeMap<String, String>>,
    /// POST /readings: every refused row (nothing was saved)
    #[schema(nullable = false)]
    errors: Option<Vec<RowErrorBody>>,
    /// 409 of a billing start: the run already queued or running
    #[schema(nullable = false)]
    run_id: Option<i64>,
}

/// One refused row of a readings batch.
#[derive(ToSchema)]
#[schema(as = RowError)]
#[allow(dead_code)]
pub struct RowErrorBody {
    /// 0-based, in the order sent
    index: usize,
    field: String,
    message: String,
}

/// Names every operation `{tag}_{handler}` (handlers of different modules
/// share names, and clients such as schemathesis link operations by id),
/// and adds what every operation can answer: 401 without a valid token, 403
/// for a role that may not do it, 400/413 for unreadable or too large
/// bodies, and a 503 while the database is down.
struct CommonResponses;

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        for item in openapi.paths.paths.values_mut() {
            let reads = [&mut item.get];
            let writes = [&mut item.post, &mut item.patch, &mut item.delete];
            for (op, write) in reads
                .into_iter()
                .map(|op| (op, false))
                .chain(writes.into_iter().map(|op| (op, true)))
            {
                if let Some(op) = op {
                    qualify_operation_id(op);
                    add_common(op, write);
                }
            }
        }
    }
}

fn qualify_operation_id(op: &mut Operation) {
    if let (Some(tag), Some(id)) = (op.tags.as_ref().and_then(|t| t.first()), &op.operation_id) {
        op.operation_id = Some(format!("{tag}_{id}"));
    }
}

fn error_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                "ErrorBody",
            )))),
        )
        .build()
        .into()
}

fn add_common(op: &mut Operation, write: bool) {
    let mut add = |status: &str, description: &str| {
        op.responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| error_response(description));
    };
    add(
        "401",
        "No valid API token or session (header `WWW-Authenticate: Bearer`).",
    );
    add("403", "Your role may not do this.");
    add(
        "503",
        "The database is not answering; try again in a minute.",
    );
    let has_query = op
        .parameters
        .iter()
        .flatten()
        .any(|p| p.parameter_in == ParameterIn::Query);
    if has_query {
        add(
            "400",
            "The query string could not be read (e.g. a parameter given twice).",
        );
    }
    if write {
        add(
            "400",
            "The body is not JSON, or not sent as application/json.",
        );
        add("413", "The body is larger than 16 MB.");
    }
}

// ---- Schemas of the domain types the bodies carry ----

/// A string schema with a description, pattern and example.
fn string(description: &str, pattern: Option<&str>, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .pattern(pattern)
        .examples([serde_json::Value::from(example)])
        .into()
}

/// A closed set of snake_case names.
fn names(description: &str, values: impl IntoIterator<Item = &'static str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values))
        .into()
}

macro_rules! named_schema {
    ($ty:ty, $name:literal, $schema:expr) => {
        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                $schema
            }
        }
        impl ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

macro_rules! id_schema {
    ($($ty:ty => $name:literal),+ $(,)?) => {$(
        named_schema!($ty, $name, ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(1))
            .into());
    )+};
}

id_schema!(
    HouseId => "HouseId",
    ApartmentId => "ApartmentId",
    MeterId => "MeterId",
    TariffId => "TariffId",
    BillingRunId => "BillingRunId",
);

/// `YYYY-MM`, as periods are written everywhere.
const PERIOD_PATTERN: &str = r"^[0-9]{4}-(0[1-9]|1[0-2])$";

named_schema!(
    Period,
    "Period",
    string("A month, YYYY-MM.", Some(PERIOD_PATTERN), "2026-09")
);
named_schema!(
    MeterKind,
    "MeterKind",
    names(
        "What a water meter measures.",
        MeterKind::ALL.iter().map(|k| k.as_str())
    )
);
named_schema!(
    Service,
    "Service",
    names(
        "What a tariff prices and a charge line bills.",
        Service::ALL.iter().map(|s| s.as_str())
    )
);
named_schema!(
    Unit,
    "Unit",
    names(
        "The unit of a charge line's quantity.",
        Unit::ALL.iter().map(|u| u.as_str())
    )
);
named_schema!(
    ReadingSource,
    "ReadingSource",
    names(
        "How a reading reached us.",
        ReadingSource::ALL.iter().map(|s| s.as_str())
    )
);
named_schema!(
    RunStatus,
    "RunStatus",
    names(
        "Where a billing run stands.",
        RunStatus::ALL.iter().map(|s| s.as_str())
    )
);

/// A decimal as responses send it: a string with fixed decimal places
/// (`"54.30"` m², `"123.456"` m³, `"42.1234"` ₽ per unit, `"1131.68"` ₽).
pub struct DecimalString;

named_schema!(
    DecimalString,
    "DecimalString",
    string(
        "A decimal number as a string with fixed decimal places.",
        Some(r"^-?[0-9]+\.[0-9]+$"),
        "1131.68"
    )
);

/// A bound of a number: the value, and whether it is allowed itself.
type Bound = (i64, bool);

/// A decimal as requests may give it: a JSON number (`54.3`, kept exactly)
/// or a string (`"54.30"`, `"54,3"`; spaces may separate thousands), with
/// at most `digits` integer digits and `places` decimals.
fn decimal_input(
    description: &str,
    (min, min_allowed): Bound,
    (max, max_allowed): Bound,
    (digits, places): (u32, u32),
    example: &str,
) -> RefOr<Schema> {
    let number = ObjectBuilder::new().schema_type(Type::Number);
    let number = match min_allowed {
        true => number.minimum(Some(min)),
        false => number.exclusive_minimum(Some(min)),
    };
    let number = match max_allowed {
        true => number.maximum(Some(max)),
        false => number.exclusive_maximum(Some(max)),
    };
    OneOfBuilder::new()
        .description(Some(format!(
            "{description} A JSON number or a string with a decimal point or comma; \
             at most {places} decimal places."
        )))
        .item(number)
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(format!(
                    r"^[0-9]{{1,{digits}}}([.,][0-9]{{1,{places}}})?$"
                )))
                .examples([serde_json::Value::from(example)]),
        )
        .into()
}

/// An apartment's area, m².
pub struct AreaInput;
named_schema!(
    AreaInput,
    "AreaInput",
    decimal_input(
        "Area in m², greater than 0, at most 10000.",
        (0, false),
        (10_000, true),
        (5, 2),
        "54.30"
    )
);

/// A meter's dial, m³.
pub struct VolumeInput;
named_schema!(
    VolumeInput,
    "VolumeInput",
    decimal_input(
        "A meter reading in m³, at least 0.",
        (0, true),
        (1_000_000_000, false),
        (9, 3),
        "123.456"
    )
);

/// A price per m³ or m², ₽.
pub struct PriceInput;
named_schema!(
    PriceInput,
    "PriceInput",
    decimal_input(
        "A price in ₽ per unit, greater than 0.",
        (0, false),
        (100_000_000, false),
        (8, 4),
        "42.3000"
    )
);

// ---- Request bodies (doc only: handlers read them field by field) ----
// Text fields (address, number, serial) carry the pattern of their
// `domain::input` rule: a visible character and no control characters.

/// A new house, with its apartments and their meters, created all or
/// nothing.
#[derive(ToSchema)]
#[schema(examples(json!({
    "address": "г. Казань, ул. Баумана, д. 7",
    "apartments": [
        {"number": "1", "area": "54.30", "meters": [
            {"serial": "CW-700001", "kind": "cold_water", "initial_reading": "12.5"},
            {"serial": "HW-700001", "kind": "hot_water", "installed_on": "2026-01-15"}
        ]},
        {"number": "2", "area": 38.5}
    ]
})))]
#[allow(dead_code)]
pub struct NewHouseRequest {
    #[schema(
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 300,
        examples("ул. Ленина, 1")
    )]
    address: String,
    /// at least 1,000 apartments fit in one request
    apartments: Option<Vec<NewApartmentRequest>>,
}

/// A new apartment with its meters.
#[derive(ToSchema)]
#[schema(examples(json!({
    "number": "101",
    "area": "61.20",
    "meters": [{"serial": "CW-800101", "kind": "cold_water", "initial_reading": 0}]
})))]
#[allow(dead_code)]
pub struct NewApartmentRequest {
    #[schema(
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 20,
        examples("12А")
    )]
    number: String,
    area: AreaInput,
    meters: Option<Vec<NewMeterRequest>>,
}

/// A new meter.
#[derive(ToSchema)]
#[schema(examples(json!({
    "serial": "HW-900001", "kind": "hot_water", "initial_reading": "3.250",
    "installed_on": "2026-03-01"
})))]
#[allow(dead_code)]
pub struct NewMeterRequest {
    #[schema(
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 50,
        examples("CW-100234")
    )]
    serial: String,
    kind: MeterKind,
    /// m³ on the dial when installed; left out or null: 0
    #[schema(nullable)]
    initial_reading: Option<VolumeInput>,
    /// YYYY-MM-DD (from year 1 to 9999); left out, null or "": unknown
    installed_on: Option<chrono::NaiveDate>,
}

/// A house's new address.
#[derive(ToSchema)]
#[schema(examples(json!({"address": "г. Казань, ул. Баумана, д. 9"})))]
#[allow(dead_code)]
pub struct HouseChangeRequest {
    #[schema(nullable = false, max_length = 300)]
    address: Option<String>,
}

/// What to change in an apartment; fields left out stay as they are.
#[derive(ToSchema)]
#[schema(examples(json!({"area": "55.10"})))]
#[allow(dead_code)]
pub struct ApartmentChangeRequest {
    #[schema(nullable = false, max_length = 20)]
    number: Option<String>,
    #[schema(nullable = false)]
    area: Option<AreaInput>,
    /// may be sent back unchanged; another house is refused (422)
    #[schema(nullable = false)]
    house_id: Option<HouseId>,
}

/// What to change in a meter; fields left out stay as they are.
#[derive(ToSchema)]
#[schema(examples(json!({"installed_on": "2026-02-01"})))]
#[allow(dead_code)]
pub struct MeterChangeRequest {
    #[schema(nullable = false, max_length = 50)]
    serial: Option<String>,
    #[schema(nullable = false)]
    kind: Option<MeterKind>,
    /// m³ on the dial when installed
    #[schema(nullable = false)]
    initial_reading: Option<VolumeInput>,
    /// YYYY-MM-DD (from year 1 to 9999); null or "" clears it
    installed_on: Option<chrono::NaiveDate>,
    /// may be sent back unchanged; another apartment is refused (422)
    #[schema(nullable = false)]
    apartment_id: Option<ApartmentId>,
}

/// Readings to save, all or nothing: new ones are created, changed ones
/// corrected, equal ones left alone.
#[derive(ToSchema)]
#[schema(examples(json!({"readings": [
    {"meter_id": 1, "period": "2026-10", "value": "131.500"},
    {"serial": "CW-700001", "period": "2026-10", "value": 14.25}
]})))]
#[allow(dead_code)]
pub struct ReadingsRequest {
    /// at least 10,000 readings fit in one request
    readings: Vec<ReadingRequest>,
}

/// One reading: the meter by `meter_id` or by `serial` (one of them).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReadingRequest {
    #[schema(nullable)]
    meter_id: Option<MeterId>,
    #[schema(nullable, max_length = 50)]
    serial: Option<String>,
    period: Period,
    value: VolumeInput,
}

/// A new tariff.
#[derive(ToSchema)]
#[schema(examples(json!({
    "service": "cold_water", "price": "48.9100", "valid_from": "2027-01", "house_id": null
})))]
#[allow(dead_code)]
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

/// What to change in a tariff; fields left out stay as they are.
#[derive(ToSchema)]
#[schema(examples(json!({"price": "49.1000"})))]
#[allow(dead_code)]
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

/// The month to bill.
#[derive(ToSchema)]
#[schema(examples(json!({"period": "2026-10"})))]
#[allow(dead_code)]
pub struct PeriodRequest {
    /// not after the current month
    period: Period,
}

/// Limits named in the schemas, checked against the input rules.
const _: () =
    assert!(MAX_ADDRESS_CHARS == 300 && MAX_APARTMENT_NUMBER_CHARS == 20 && MAX_SERIAL_CHARS == 50);
