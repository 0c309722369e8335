//! The OpenAPI 3.1 document of /api/v1, assembled from the handlers'
//! `#[utoipa::path]` annotations: served at GET /api/v1/openapi.json and
//! rendered by the /api/docs page.
//!
//! Handlers read request bodies as `serde_json::Value` field by field, so
//! each request schema is a doc-only struct beside the function that reads
//! it (tested to accept the schema's examples); the response schemas are
//! derived from the structs sent, and the shared pieces are in
//! [`super::schema`].

use std::sync::LazyLock;

use actix_web::HttpResponse;
use actix_web::http::header::ContentType;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToSchema};

use super::schema::{ErrorBody, RowErrorBody};
use super::{
    accounts, apartments, billing, houses, meters, normatives, organization, payments, periods,
    readings, receipts, register, tariffs,
};

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
            read; tariff changes and the organisation's requisites need an admin."
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
        (name = "normatives", description = "Normatives (m³ per person, default or per house) and increasing coefficients, by month"),
        (name = "billing", description = "Billing runs and the charges they produce"),
        (name = "accounts", description = "Personal accounts (лицевые счета), their statements and a house's balances"),
        (name = "payments", description = "Payments by hand and from bank registers, and the key rates of penalties"),
        (name = "organization", description = "The organisation's requisites: the receipts' executor and their QR code's payee"),
        (name = "receipts", description = "Receipts (ЕПД) of a billed month as PDF"),
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
        apartments::set_residents,
        meters::create,
        meters::show,
        meters::update,
        meters::delete,
        meters::decommission,
        readings::save,
        readings::for_meter,
        readings::house_month,
        tariffs::list,
        tariffs::create,
        tariffs::show,
        tariffs::update,
        tariffs::delete,
        normatives::list,
        normatives::create,
        normatives::show,
        normatives::update,
        normatives::delete,
        normatives::list_coefficients,
        normatives::create_coefficient,
        normatives::show_coefficient,
        normatives::update_coefficient,
        normatives::delete_coefficient,
        billing::start,
        billing::start_all,
        billing::list,
        billing::show,
        billing::charges,
        periods::close,
        periods::reopen,
        accounts::set,
        accounts::show,
        accounts::statement,
        accounts::balances,
        payments::create,
        payments::show,
        payments::delete,
        payments::unmatched,
        payments::assign,
        payments::import,
        register::register_download,
        register::register_upload,
        payments::key_rates,
        payments::add_key_rate,
        payments::delete_key_rate,
        organization::show,
        organization::set,
        receipts::account_pdf,
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
            let writes = [
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
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
            Content::new(Some(RefOr::Ref(Ref::from_schema_name(ErrorBody::name())))),
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
        add(
            "413",
            "The body is larger than the operation takes: 64 KB, 4 MB for a house, \
             16 MB for readings.",
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::*;
    use crate::error::AppError;

    type ReadBody = fn(&Value) -> Result<(), AppError>;

    /// Every operation with a request body, and the function that reads it.
    /// An operation missing here fails the test below: its schema would
    /// have nothing tying it to what the handler accepts.
    const BODY_READERS: &[(&str, ReadBody)] = &[
        ("houses_create", |b| houses::read_new(b).map(drop)),
        ("houses_update", |b| houses::read_change(b).map(drop)),
        ("apartments_create", |b| apartments::read_new(b).map(drop)),
        ("apartments_update", |b| {
            apartments::read_change(b).map(drop)
        }),
        ("meters_create", |b| meters::read_new(b).map(drop)),
        ("meters_update", |b| meters::read_change(b).map(drop)),
        ("readings_save", |b| readings::read_every_row(b).map(drop)),
        ("tariffs_create", |b| tariffs::read_new(b).map(drop)),
        ("tariffs_update", |b| tariffs::read_change(b).map(drop)),
        ("normatives_create", |b| normatives::read_new(b).map(drop)),
        ("normatives_update", |b| {
            normatives::read_change(b).map(drop)
        }),
        ("normatives_create_coefficient", |b| {
            normatives::read_new_coefficient(b).map(drop)
        }),
        ("normatives_update_coefficient", |b| {
            normatives::read_coefficient_change(b).map(drop)
        }),
        ("apartments_set_residents", |b| {
            apartments::read_residents(b).map(drop)
        }),
        ("meters_decommission", |b| {
            meters::read_decommission(b).map(drop)
        }),
        ("billing_start", |b| billing::read_period(b).map(drop)),
        ("billing_start_all", |b| billing::read_period(b).map(drop)),
        ("accounts_set", |b| accounts::read_set(b).map(drop)),
        ("payments_create", |b| payments::read_new(b).map(drop)),
        ("payments_assign", |b| payments::read_assign(b).map(drop)),
        ("payments_add_key_rate", |b| {
            payments::read_key_rate(b).map(drop)
        }),
        ("organization_set", |b| {
            organization::read_organization(b).map(drop)
        }),
    ];

    #[test]
    fn every_request_body_has_a_reader_that_accepts_its_examples() {
        let doc = serde_json::to_value(document()).unwrap();
        let schemas = &doc["components"]["schemas"];
        let mut checked = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                // A file sent as the body (a bank register) is read by its
                // own reader, tested with the files themselves.
                let Some(body) = op
                    .get("requestBody")
                    .filter(|b| b["content"].get("application/json").is_some())
                else {
                    continue;
                };
                let id = op["operationId"].as_str().unwrap();
                let (_, read) = BODY_READERS
                    .iter()
                    .find(|(op_id, _)| *op_id == id)
                    .unwrap_or_else(|| {
                        panic!("{method} {path} ({id}) has a request body but no reader here")
                    });
                let name = body["content"]["application/json"]["schema"]["$ref"]
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .unwrap_or_else(|| panic!("{id}: the body is not a named schema"));
                let examples = schemas[name]["examples"].as_array();
                let examples = examples.filter(|e| !e.is_empty());
                let examples = examples.unwrap_or_else(|| panic!("{id}: {name} has no example"));
                for example in examples {
                    if let Err(e) = read(example) {
                        panic!(
                            "{id}: {name}'s example {example} is refused: {e} {:?}",
                            e.fields()
                        );
                    }
                }
                checked.insert(id.to_owned());
            }
        }
        let listed: BTreeSet<String> = BODY_READERS.iter().map(|(id, _)| id.to_string()).collect();
        assert_eq!(
            checked, listed,
            "a reader listed for an operation without a body"
        );
    }

    #[test]
    fn the_document_lists_every_error_code() {
        let doc = serde_json::to_value(document()).unwrap();
        let listed = |schema: &str| -> Vec<String> {
            let values = &doc["components"]["schemas"][schema]["enum"];
            serde_json::from_value(values.clone()).unwrap_or_else(|_| panic!("{schema}: {values}"))
        };
        let mut errors: Vec<&str> = crate::error::ERROR_CODES.to_vec();
        errors.extend([crate::error::UNAUTHENTICATED, crate::error::INVALID_TOKEN]);
        assert_eq!(listed("ErrorCode"), errors);
        assert_eq!(listed("RowErrorCode"), crate::error::ROW_ERROR_CODES);
        for body in ["ErrorBody", "RowError"] {
            let required = &doc["components"]["schemas"][body]["required"];
            assert!(
                required.as_array().unwrap().contains(&"code".into()),
                "{body}: {required}"
            );
        }
    }
}
