//! The organisation's requisites `{name, inn, kpp, address, phone, email,
//! bank_name, bic, account, corr_account}`: the receipts' executor and
//! their QR code's payee. Everyone reads them; an admin sets them whole.

use std::collections::BTreeMap;

use actix_web::web::{self, Json};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::body::{Reader, text};
use super::schema::ErrorBody;
use crate::db::models::Organization;
use crate::domain::Problem;
use crate::error::{ApiError, AppError};
use crate::services;
use crate::services::organization::Details;
use crate::state::AppState;

/// The organisation's requisites as set.
#[derive(Debug, Serialize, ToSchema)]
#[schema(examples(json!({
    "name": "ООО «УК Пример»",
    "inn": "7707083893",
    "kpp": "773601001",
    "address": "420111, г. Казань, ул. Баумана, д. 12",
    "phone": "+7 (843) 200-00-00",
    "email": "uk@example.ru",
    "bank_name": "ПАО Сбербанк",
    "bic": "044525225",
    "account": "40702810938000012345",
    "corr_account": "30101810400000000225",
    "updated_at": "2026-12-02T12:00:00Z"
})))]
pub struct OrganizationBody {
    name: String,
    /// 10 or 12 digits
    inn: String,
    kpp: String,
    address: String,
    /// free text; empty when not given
    phone: String,
    /// empty when not given
    email: String,
    bank_name: String,
    bic: String,
    /// the settlement account (р/с), keyed to the BIC
    account: String,
    /// the bank's correspondent account (к/с), keyed to the BIC
    corr_account: String,
    updated_at: DateTime<Utc>,
}

impl From<Organization> for OrganizationBody {
    fn from(o: Organization) -> Self {
        Self {
            name: o.name,
            inn: o.inn,
            kpp: o.kpp,
            address: o.address,
            phone: o.phone,
            email: o.email,
            bank_name: o.bank_name,
            bic: o.bic,
            account: o.account,
            corr_account: o.corr_account,
            updated_at: o.updated_at,
        }
    }
}

/// The requisites to set, every one of them (a PUT replaces the whole).
/// The patterns say the shape; the INN's check digits and the accounts'
/// keys against the BIC are checked too, so data of the right shape may
/// still be refused (422 naming the field).
#[derive(ToSchema)]
#[schema(examples(
    json!({
        "name": "ООО «УК Пример»",
        "inn": "7707083893",
        "kpp": "773601001",
        "address": "420111, г. Казань, ул. Баумана, д. 12",
        "phone": "+7 (843) 200-00-00",
        "email": "uk@example.ru",
        "bank_name": "ПАО Сбербанк",
        "bic": "044525225",
        "account": "40702810938000012345",
        "corr_account": "30101810400000000225"
    }),
    json!({
        "name": "ИП Иванов Иван Иванович",
        "inn": "500100732259",
        "kpp": "500101001",
        "address": "г. Королёв, ул. Ленина, д. 1",
        "bank_name": "ПАО Сбербанк",
        "bic": "044525225",
        "account": "40702810938000012345",
        "corr_account": "30101810400000000225"
    })
))]
#[allow(dead_code)] // a schema only: `read_organization` reads the body
pub struct OrganizationRequest {
    /// as the receipts print it
    #[schema(
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 300
    )]
    name: String,
    /// 10 digits (an organisation) or 12 (an entrepreneur), with their check digits
    #[schema(pattern = "^([0-9]{10}|[0-9]{12})$")]
    inn: String,
    /// 4 digits, 2 digits or capital Latin letters, 3 digits
    #[schema(pattern = "^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$")]
    kpp: String,
    #[schema(
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 300
    )]
    address: String,
    /// free text; left out or empty: none
    #[schema(
        nullable = false,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 100
    )]
    phone: Option<String>,
    /// left out or empty: none
    #[schema(
        nullable = false,
        pattern = "^$|^[^\\s@\\x00-\\x1f\\x7f-\\x9f]+@[^\\s@.\\x00-\\x1f\\x7f-\\x9f][^\\s@\\x00-\\x1f\\x7f-\\x9f]*\\.[^\\s@\\x00-\\x1f\\x7f-\\x9f]*[^\\s@.\\x00-\\x1f\\x7f-\\x9f]$",
        max_length = 254
    )]
    email: Option<String>,
    #[schema(
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 200
    )]
    bank_name: String,
    /// 9 digits
    #[schema(pattern = "^[0-9]{9}$")]
    bic: String,
    /// the settlement account (р/с): 20 digits keyed to the BIC
    #[schema(pattern = "^[0-9]{20}$")]
    account: String,
    /// the correspondent account (к/с): 20 digits keyed to the BIC
    #[schema(pattern = "^[0-9]{20}$")]
    corr_account: String,
}

/// The body's fields, and whether each must be sent.
const FIELDS: [(&str, bool); 10] = [
    ("name", true),
    ("inn", true),
    ("kpp", true),
    ("address", true),
    ("phone", false),
    ("email", false),
    ("bank_name", true),
    ("bic", true),
    ("account", true),
    ("corr_account", true),
];

/// Reads the body: each field must be a string (phone and email may be
/// left out), and the strings sent are checked by the rules the form's
/// are, in the same pass, so one answer names every bad field.
pub(super) fn read_organization(body: &Value) -> Result<Details, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let as_sent = || text(|s: &str| Ok::<_, Problem>(s.to_owned()));
    let mut sent = BTreeMap::new();
    for (key, required) in FIELDS {
        let value = if required {
            r.required(&obj, key, as_sent())
        } else {
            let left_out = obj.get(key).is_none();
            r.optional(&obj, key, as_sent())
                .or_else(|| left_out.then(String::new))
        };
        if let Some(value) = value {
            sent.insert(key, value);
        }
    }
    let field = |key: &str| sent.get(key).cloned().unwrap_or_default();
    let details = Details {
        name: field("name"),
        inn: field("inn"),
        kpp: field("kpp"),
        address: field("address"),
        phone: field("phone"),
        email: field("email"),
        bank_name: field("bank_name"),
        bic: field("bic"),
        account: field("account"),
        corr_account: field("corr_account"),
    };
    if let Err(problems) = services::organization::check(&details) {
        // A field not sent as a string is named already.
        for (key, problem) in problems {
            if sent.contains_key(key.as_str()) {
                r.fail_field(&obj, &key, problem);
            }
        }
    }
    let whole = sent.len() == FIELDS.len();
    r.finish(whole.then_some(details))
}

/// GET /organization
#[utoipa::path(
    get,
    path = "/api/v1/organization",
    tag = "organization",
    summary = "The organisation's requisites",
    responses(
        (status = 200, description = "The requisites", body = OrganizationBody),
        (status = 404, description = "Not set yet (an admin sets them with PUT)", body = ErrorBody),
    ),
)]
pub async fn show(state: web::Data<AppState>) -> Result<Json<OrganizationBody>, ApiError> {
    let organization = state.db(services::organization::find).await?;
    Ok(Json(organization.ok_or(AppError::NotFound)?.into()))
}

/// PUT /organization
#[utoipa::path(
    put,
    path = "/api/v1/organization",
    tag = "organization",
    summary = "Set the organisation's requisites, all of them (admin)",
    request_body = OrganizationRequest,
    responses(
        (status = 200, description = "The requisites as set", body = OrganizationBody),
        (status = 422, description = "Invalid fields, each named (an INN's check digits, an account not keyed to the BIC, …)", body = ErrorBody),
    ),
)]
pub async fn set(
    state: web::Data<AppState>,
    body: Json<Value>,
) -> Result<Json<OrganizationBody>, ApiError> {
    let details = read_organization(&body)?;
    let organization = state
        .db(move |conn| services::organization::set(conn, &details))
        .await?;
    Ok(Json(organization.into()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::routes::api::body::fields;
    use crate::routes::api::schema::assert_examples_read;

    #[test]
    fn the_request_examples_are_read() {
        assert_examples_read::<OrganizationRequest, _>(read_organization);
    }

    #[test]
    fn shape_and_rules_are_named_in_one_answer() {
        let body = json!({
            "name": "ООО «УК Пример»",
            "inn": 7707083893_i64,
            "kpp": "773601001",
            "email": null,
            "bank_name": "ПАО Сбербанк",
            "bic": "044525225",
            "account": "40702810938000012346",
            "corr_account": "30101810400000000225"
        });
        let named: Vec<String> = fields(read_organization(&body).unwrap_err())
            .into_iter()
            .map(|(field, _)| field)
            .collect();
        assert_eq!(named, ["account", "address", "email", "inn"]);
    }
}
