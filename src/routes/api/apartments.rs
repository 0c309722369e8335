//! An apartment: `{id, house_id, number, area, residents: [{valid_from,
//! count}], owners, meter_impossible, meters: [...]}`.

use actix_web::HttpResponse;
use actix_web::web::{self, Json};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::body::{self, Obj, Reader, decimal, text, unchanged};
use super::meters::{MeterBody, NewMeterRequest, new_meter};
use super::reply::{AREA_PLACES, created, fixed};
use super::schema::{AreaInput, DecimalString, ErrorBody};
use crate::db::models::{ApartmentId, HouseId};
use crate::db::queries::{
    self,
    house_listing::{self, ApartmentRow},
};
use crate::domain::input::{self, MAX_APARTMENT_NUMBER_CHARS};
use crate::domain::residents::ResidentsFrom;
use crate::domain::{Period, Problem};
use crate::error::{ApiError, AppError};
use crate::services;
use crate::services::apartments::{AddApartment, ChangeApartment, People};
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
    /// how many live there from which month, oldest first; a normative is
    /// billed by the row in effect (the latest not after the month, else
    /// the one without a month, else nobody)
    residents: Vec<ResidentsBody>,
    /// counted for a normative when nobody lives there
    owners: i32,
    /// an act says no meter can be installed: no increasing coefficient
    meter_impossible: bool,
    /// its personal account; null until it has one
    account: Option<AccountBrief>,
    meters: Vec<MeterBody>,
}

/// An apartment's personal account as its body shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountBrief {
    number: String,
    holder: String,
    /// ₽: + debt, − advance, as of the start of opening_period
    #[schema(value_type = DecimalString)]
    opening_balance: String,
    opening_period: Period,
}

impl From<crate::db::models::Account> for AccountBrief {
    fn from(a: crate::db::models::Account) -> Self {
        Self {
            number: a.number,
            holder: a.holder,
            opening_balance: fixed(a.opening_balance, super::reply::MONEY_PLACES),
            opening_period: a.opening_period,
        }
    }
}

/// `count` people live there from `valid_from` on (null: before any month).
#[derive(Debug, Serialize, ToSchema)]
pub struct ResidentsBody {
    valid_from: Option<Period>,
    count: u32,
}

impl From<ResidentsFrom> for ResidentsBody {
    fn from(r: ResidentsFrom) -> Self {
        Self {
            valid_from: r.valid_from,
            count: r.count,
        }
    }
}

impl ApartmentBody {
    /// An apartment inside its house's body.
    pub fn nested(view: ApartmentRow) -> Self {
        Self {
            id: view.apartment.id,
            house_id: None,
            number: view.apartment.number,
            area: fixed(view.apartment.area, AREA_PLACES),
            residents: view.residents.into_iter().map(Into::into).collect(),
            owners: view.apartment.owners,
            meter_impossible: view.apartment.meter_impossible,
            account: view.account.map(Into::into),
            meters: view.meters.into_iter().map(MeterBody::nested).collect(),
        }
    }

    fn standalone(view: ApartmentRow) -> Self {
        let house_id = view.apartment.house_id;
        Self {
            house_id: Some(house_id),
            ..Self::nested(view)
        }
    }
}

// The schemas below name the apartment number rule's limit as a literal.
const _: () = assert!(MAX_APARTMENT_NUMBER_CHARS == 20, "the schemas' max_length");

/// A new apartment with its meters.
#[derive(ToSchema)]
#[schema(examples(
    json!({
        "number": "101",
        "area": "61.20",
        "residents": 3,
        "owners": 2,
        "account": {"number": "1001001101", "holder": "Петров П. П.",
                    "opening_balance": "0", "opening_period": "2026-01"},
        "meters": [
            {"serial": "ХВ-000315", "kind": "cold_water", "initial_reading": 0},
            {"serial": "ГВ-000315", "kind": "hot_water", "initial_reading": "3,250"}
        ]
    }),
    json!({"number": "12А", "area": 44.7, "residents": [
        {"valid_from": null, "count": 2}, {"valid_from": "2026-09", "count": 3}
    ], "meter_impossible": true})
))]
#[allow(dead_code)] // a schema only: `new_apartment` reads it
pub struct NewApartmentRequest {
    // The pattern of `domain::input::apartment_number`: a visible character
    // and no control characters.
    #[schema(
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 20,
        examples("12А")
    )]
    number: String,
    area: AreaInput,
    /// a number (who live there, from always) or the history; left out: nobody
    residents: Option<ResidentsInput>,
    /// 0 to 1000; left out: 1
    #[schema(minimum = 0, maximum = 1000)]
    owners: Option<u32>,
    /// left out: false
    meter_impossible: Option<bool>,
    /// its personal account; left out: none yet
    #[schema(nullable = false)]
    account: Option<super::accounts::AccountRequest>,
    meters: Option<Vec<NewMeterRequest>>,
}

/// Residents as a request gives them: a count (from always) or the history.
#[derive(ToSchema)]
#[allow(dead_code)] // a schema only: `residents` reads it
#[serde(untagged)]
pub enum ResidentsInput {
    Count(u32),
    History(Vec<ResidentsRow>),
}

/// `count` people live there from `valid_from` (null or left out: always).
#[derive(ToSchema)]
#[allow(dead_code)] // a schema only: `residents_row` reads it
pub struct ResidentsRow {
    #[schema(nullable)]
    valid_from: Option<Period>,
    #[schema(minimum = 0, maximum = 1000)]
    count: u32,
}

/// A number of people: a JSON integer from 0 to 1000 (`3` or `3.0`).
fn people(value: &Value) -> Result<u32, Problem> {
    let whole = match value {
        Value::Number(_) => decimal(Ok)(value)
            .ok()
            .filter(|n| n.fract().is_zero())
            .map(|n| n.trunc().to_string()),
        _ => None,
    };
    match whole {
        Some(n) => input::people(&n),
        None => Err("Must be a whole number of people from 0 to 1000.".into()),
    }
}

fn flag(value: &Value) -> Result<bool, Problem> {
    value
        .as_bool()
        .ok_or_else(|| "Must be true or false.".into())
}

/// `{valid_from?, count}`
fn residents_row(r: &mut Reader, obj: &Obj) -> Option<ResidentsFrom> {
    let valid_from = r.nullable(obj, "valid_from", text(input::iso_period));
    let count = r.required(obj, "count", people);
    Some(ResidentsFrom {
        valid_from: valid_from.flatten(),
        count: count?,
    })
}

/// `residents`: a count (`[{valid_from: null, count}]`) or a list of rows,
/// one per month; left out: `None`.
fn residents(r: &mut Reader, obj: &Obj) -> Option<Option<Vec<ResidentsFrom>>> {
    match obj.get("residents") {
        None | Some(Value::Null) => Some(None),
        Some(Value::Number(_)) => {
            let count = r.required(obj, "residents", people)?;
            Some(Some(vec![ResidentsFrom {
                valid_from: None,
                count,
            }]))
        }
        Some(_) => {
            let rows = r.list(obj, "residents", residents_row)?;
            let mut months: Vec<_> = rows.iter().map(|row| row.valid_from).collect();
            months.sort();
            months.dedup();
            if months.len() < rows.len() {
                r.fail_field(obj, "residents", "Give each month (and no month) once.");
                return None;
            }
            Some(Some(rows))
        }
    }
}

/// An apartment to add with its meters (`{number, area, meters?}`), as a
/// body of its own or inside a new house.
pub(super) fn new_apartment(r: &mut Reader, obj: &Obj) -> Option<AddApartment> {
    let number = r.required(obj, "number", text(input::apartment_number));
    let area = r.required(obj, "area", decimal(input::area));
    let residents = residents(r, obj);
    let owners = r.nullable(obj, "owners", people).flatten();
    let meter_impossible = r.nullable(obj, "meter_impossible", flag).flatten();
    let meters = r.list(obj, "meters", new_meter);
    let account = match obj.get("account") {
        None | Some(Value::Null) => Some(None),
        Some(_) => r
            .object(obj, "account")
            .and_then(|account| super::accounts::read_account(r, &account))
            .map(Some),
    };
    let default = People::default();
    Some(AddApartment {
        number: number?,
        area: area?,
        people: People {
            residents: residents?.unwrap_or_default(),
            owners: owners.unwrap_or(default.owners),
            meter_impossible: meter_impossible.unwrap_or(default.meter_impossible),
        },
        meters: meters?,
        account: account?,
    })
}

pub(super) fn read_new(body: &Value) -> Result<AddApartment, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let apartment = new_apartment(&mut r, &obj);
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
            Ok::<_, AppError>(house_listing::apartment(conn, created.id)?)
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
        .db(move |conn| house_listing::apartment(conn, id))
        .await?;
    Ok(Json(ApartmentBody::standalone(view)))
}

/// What to change in an apartment; fields left out stay as they are.
#[derive(ToSchema)]
#[schema(examples(
    json!({"area": "55.10"}),
    json!({"number": "12Б", "area": 55.1, "owners": 2, "meter_impossible": false}),
    json!({"residents": [{"valid_from": null, "count": 1}, {"valid_from": "2026-10", "count": 2}]})
))]
#[allow(dead_code)] // a schema only: `read_change` reads the body
pub struct ApartmentChangeRequest {
    #[schema(
        nullable = false,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$",
        max_length = 20
    )]
    number: Option<String>,
    #[schema(nullable = false)]
    area: Option<AreaInput>,
    /// replaces the whole history (a number: that many, from always)
    #[schema(nullable = false)]
    residents: Option<ResidentsInput>,
    #[schema(nullable = false, minimum = 0, maximum = 1000)]
    owners: Option<u32>,
    #[schema(nullable = false)]
    meter_impossible: Option<bool>,
    /// may be sent back unchanged; another house is refused (422)
    #[schema(nullable = false)]
    house_id: Option<HouseId>,
}

/// The change, and the house the client says the apartment is in (which
/// may be sent back, never changed).
pub(super) struct Change {
    change: ChangeApartment,
    house_id: Option<i64>,
}

pub(super) fn read_change(body: &Value) -> Result<Change, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let number = r.optional(&obj, "number", text(input::apartment_number));
    let area = r.optional(&obj, "area", decimal(input::area));
    let residents = residents(&mut r, &obj).flatten();
    let change = ChangeApartment {
        number,
        area,
        owners: r.optional(&obj, "owners", people),
        meter_impossible: r.optional(&obj, "meter_impossible", flag),
        residents,
    };
    let house_id = r.optional(&obj, "house_id", body::id);
    r.finish(Some(Change { change, house_id }))
}

/// PATCH /apartments/{id}: `{number?, area?, residents?, owners?, meter_impossible?}`
#[utoipa::path(
    patch,
    path = "/api/v1/apartments/{id}",
    tag = "apartments",
    summary = "Change an apartment's number, area, residents, owners or meter_impossible",
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
            Ok::<_, AppError>(house_listing::apartment(conn, id)?)
        })
        .await?;
    Ok(Json(ApartmentBody::standalone(view)))
}

/// How many live in the apartment from a month on.
#[derive(ToSchema)]
#[schema(examples(
    json!({"valid_from": "2026-10", "count": 3}),
    json!({"valid_from": null, "count": 1})
))]
#[allow(dead_code)] // a schema only: `read_residents` reads the body
pub struct ResidentsRequest {
    /// the first month; null: before any month
    #[schema(nullable)]
    valid_from: Option<Period>,
    #[schema(minimum = 0, maximum = 1000)]
    count: u32,
}

pub(super) fn read_residents(body: &Value) -> Result<ResidentsFrom, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let row = residents_row(&mut r, &obj);
    r.finish(row)
}

/// POST /apartments/{id}/residents: `{valid_from, count}` sets that month's row.
#[utoipa::path(
    post,
    path = "/api/v1/apartments/{id}/residents",
    tag = "apartments",
    summary = "Set how many live in an apartment from a month on",
    description = "Adds the row of `valid_from` or replaces its count; the house's bills \
        of that month and later go stale.",
    params(("id" = i64, Path, description = "Apartment id", example = 1)),
    request_body = ResidentsRequest,
    responses(
        (status = 200, description = "The apartment as GET shows it", body = ApartmentBody),
        (status = 404, description = "No such apartment", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
)]
pub async fn set_residents(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: Json<Value>,
) -> Result<Json<ApartmentBody>, ApiError> {
    let id = ApartmentId(path.into_inner());
    let residents = read_residents(&body)?;
    let view = state
        .db(move |conn| {
            services::apartments::set_residents(conn, id, residents)?;
            Ok::<_, AppError>(house_listing::apartment(conn, id)?)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::api::body::{MAX_REPORTED, fields};
    use crate::routes::api::schema::assert_examples_read;
    use rust_decimal::Decimal;
    use serde_json::json;

    fn read_apartment(body: Value) -> Result<AddApartment, AppError> {
        read_new(&body)
    }

    #[test]
    fn the_new_apartment_examples_are_read() {
        assert_examples_read::<NewApartmentRequest, _>(read_new);
    }

    #[test]
    fn the_apartment_change_examples_are_read() {
        assert_examples_read::<ApartmentChangeRequest, _>(read_change);
    }

    #[test]
    fn people_are_whole_numbers_as_json_writes_them() {
        let count = |raw: &str| people(&serde_json::from_str::<Value>(raw).unwrap());
        assert_eq!(count("3").unwrap(), 3);
        assert_eq!(count("653.0").unwrap(), 653);
        assert_eq!(count("1e3").unwrap(), 1000);
        for bad in ["2.5", "-1", "1001", "\"3\"", "1e400", "true"] {
            assert!(count(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_strings_and_numbers_as_exact_decimals() {
        let body: Value = serde_json::from_str(
            r#"{"number": "12А", "area": 54.30, "extra": true,
                "meters": [{"serial": "X-1", "kind": "cold_water", "initial_reading": "1,5"},
                           {"serial": "X-2", "kind": "hot_water", "initial_reading": 1e1,
                            "installed_on": "2026-01-15"}]}"#,
        )
        .unwrap();
        let a = read_apartment(body).unwrap();
        assert_eq!(a.number, "12А");
        assert_eq!(a.area.to_string(), "54.3");
        assert_eq!(a.meters[0].initial_reading.to_string(), "1.5");
        assert_eq!(a.meters[1].initial_reading, Decimal::from(10));
        assert_eq!(a.meters[1].installed_on.unwrap().to_string(), "2026-01-15");
        assert_eq!(a.meters[0].installed_on, None);
    }

    #[test]
    fn a_missing_or_null_initial_reading_is_zero() {
        let a = read_apartment(json!({"number": "1", "area": "50", "meters": [
            {"serial": "A", "kind": "cold_water"},
            {"serial": "B", "kind": "cold_water", "initial_reading": null, "installed_on": ""}]}))
        .unwrap();
        assert_eq!(a.meters[0].initial_reading, Decimal::ZERO);
        assert_eq!(a.meters[1].initial_reading, Decimal::ZERO);
        assert_eq!(a.meters[1].installed_on, None);
    }

    #[test]
    fn every_bad_field_is_named_by_its_path() {
        let err = read_apartment(json!({"area": true, "meters": [
            {"serial": "ok", "kind": "cold_water"},
            {"serial": 5, "kind": "gas", "initial_reading": "-1", "installed_on": "2026-02-30"},
            "not an object"]}))
        .unwrap_err();
        let named: Vec<String> = fields(err).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            named,
            [
                "area",
                "meters[1].initial_reading",
                "meters[1].installed_on",
                "meters[1].kind",
                "meters[1].serial",
                "meters[2]",
                "number",
            ]
        );
    }

    #[test]
    fn wrong_types_say_what_is_expected() {
        let err = read_apartment(json!({"number": 12, "area": "abc", "meters": {}})).unwrap_err();
        assert_eq!(
            fields(err),
            [
                ("area".into(), "\"abc\" is not a number.".into()),
                ("meters".into(), "Must be a list.".into()),
                ("number".into(), "Must be a string.".into()),
            ]
        );
    }

    #[test]
    fn huge_numbers_are_refused_not_panicked_on() {
        let body: Value = serde_json::from_str(r#"{"number": "1", "area": 1e400}"#).unwrap();
        assert_eq!(
            fields(read_apartment(body).unwrap_err()),
            [(
                "area".into(),
                "1e+400 is not a number that can be stored.".into()
            )]
        );
        let body: Value =
            serde_json::from_str(r#"{"number": "1", "area": 123456789012345678901234567890123}"#)
                .unwrap();
        assert_eq!(
            fields(read_apartment(body).unwrap_err())[0].0,
            "area".to_owned()
        );
    }

    #[test]
    fn past_the_cap_the_body_is_still_invalid() {
        let many: Vec<Value> = (0..MAX_REPORTED + 5).map(|_| json!({})).collect();
        let mut r = Reader::default();
        let body = json!({ "apartments": many });
        let obj = r.root(&body).unwrap();
        assert!(r.list(&obj, "apartments", new_apartment).is_none());
        let err = r.finish(Some(())).unwrap_err();
        assert_eq!(err.fields().unwrap().len(), MAX_REPORTED);
        // Each apartment lacks its number and its area: the rest are counted.
        let AppError::Invalid { unlisted, .. } = err else {
            panic!("{err:?}")
        };
        assert_eq!(unlisted, 2 * (MAX_REPORTED + 5) - MAX_REPORTED);
    }
}
