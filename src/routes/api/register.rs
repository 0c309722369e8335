//! The apartment register (реестр помещений и лицевых счетов) of a house:
//! downloaded as the CSV it is uploaded as, and uploaded to create or
//! change apartments, accounts and meters all or nothing — or, with
//! `?dry_run=true`, only to see what it would do.

use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::file_body::{read_file, refused};
use super::reply::fixed;
use super::schema::ErrorBody;
use crate::db::models::HouseId;
use crate::domain::{Period, Problem};
use crate::error::{ApiError, AppError};
use crate::routes::register::register_csv;
use crate::services;
use crate::services::register::{Change, Mode, Plan};
use crate::state::AppState;

/// `?dry_run=`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    /// true: say what the file would do and save nothing (default false)
    #[param(value_type = Option<bool>)]
    dry_run: Option<String>,
}

impl RegisterQuery {
    fn mode(&self) -> Result<Mode, AppError> {
        match self.dry_run.as_deref() {
            None | Some("false" | "0") => Ok(Mode::Apply),
            Some("true" | "1") => Ok(Mode::Preview),
            Some(_) => Err(AppError::invalid_field(
                "dry_run",
                Problem::from("Must be true or false."),
            )),
        }
    }
}

/// What a change is of.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeField {
    Apartment,
    Area,
    Residents,
    Owners,
    Account,
    AccountNumber,
    Holder,
    OpeningBalance,
    OpeningPeriod,
    Meter,
    CommissionedOn,
    VerifiedUntil,
}

/// One change the register makes; `apartment`, `account` and `meter`
/// are created (no `from`).
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterChangeBody {
    line: usize,
    /// the apartment's number
    apartment: String,
    field: ChangeField,
    /// the meter's serial, for meter changes
    serial: Option<String>,
    /// as stored (null: nothing was)
    from: Option<String>,
    /// as the register gives it
    to: Option<String>,
}

/// How many of a kind the register creates.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedBody {
    apartments: usize,
    accounts: usize,
    meters: usize,
}

impl From<services::register::Created> for CreatedBody {
    fn from(c: services::register::Created) -> Self {
        Self {
            apartments: c.apartments,
            accounts: c.accounts,
            meters: c.meters,
        }
    }
}

/// What the register does (or would do, in a dry run) to the house.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterBody {
    /// false in a dry run: nothing was saved
    applied: bool,
    created: CreatedBody,
    /// stored apartments it changes
    changed: usize,
    /// apartments it names and leaves as they are
    unchanged: usize,
    changes: Vec<RegisterChangeBody>,
}

fn date(day: Option<chrono::NaiveDate>) -> Option<String> {
    day.map(|d| d.to_string())
}

fn month(period: Period) -> Option<String> {
    Some(period.to_string())
}

impl From<&services::register::Planned> for RegisterChangeBody {
    fn from(p: &services::register::Planned) -> Self {
        let body = |field, serial: Option<&String>, from, to| Self {
            line: p.line,
            apartment: p.apartment.clone(),
            field,
            serial: serial.cloned(),
            from,
            to,
        };
        use ChangeField as F;
        match &p.change {
            Change::NewApartment => body(F::Apartment, None, None, None),
            Change::Area { from, to } => {
                body(F::Area, None, Some(fixed(*from, 2)), Some(fixed(*to, 2)))
            }
            Change::Residents { from, to } => body(
                F::Residents,
                None,
                Some(from.to_string()),
                Some(to.to_string()),
            ),
            Change::Owners { from, to } => body(
                F::Owners,
                None,
                Some(from.to_string()),
                Some(to.to_string()),
            ),
            Change::NewAccount { number } => body(F::Account, None, None, Some(number.clone())),
            Change::AccountNumber { from, to } => {
                body(F::AccountNumber, None, Some(from.clone()), Some(to.clone()))
            }
            Change::Holder { from, to } => {
                body(F::Holder, None, Some(from.clone()), Some(to.clone()))
            }
            Change::OpeningBalance { from, to } => body(
                F::OpeningBalance,
                None,
                Some(fixed(*from, 2)),
                Some(fixed(*to, 2)),
            ),
            Change::OpeningPeriod { from, to } => {
                body(F::OpeningPeriod, None, month(*from), month(*to))
            }
            Change::NewMeter { serial, kind } => {
                body(F::Meter, Some(serial), None, Some(kind.as_str().to_owned()))
            }
            Change::Commissioned { serial, from, to } => {
                body(F::CommissionedOn, Some(serial), date(*from), date(*to))
            }
            Change::Verified { serial, from, to } => {
                body(F::VerifiedUntil, Some(serial), date(*from), date(*to))
            }
        }
    }
}

impl RegisterBody {
    fn new(plan: &Plan, mode: Mode) -> Self {
        Self {
            applied: mode == Mode::Apply,
            created: plan.created().into(),
            changed: plan.changed_apartments(),
            unchanged: plan.unchanged,
            changes: plan.changes.iter().map(Into::into).collect(),
        }
    }
}

/// GET /houses/{id}/register
#[utoipa::path(
    get,
    path = "/api/v1/houses/{id}/register",
    tag = "houses",
    summary = "The house's apartment register as CSV: a line per meter, uploaded back it changes nothing",
    params(("id" = i64, Path, description = "House id")),
    responses(
        (status = 200, description = "The register (UTF-8 with a BOM, `;`, English headers)", content_type = "text/csv", body = String),
        (status = 404, description = "No such house", body = ErrorBody),
    ),
)]
pub async fn register_download(
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
) -> Result<HttpResponse, ApiError> {
    Ok(register_csv(&state, id.into_inner(), crate::i18n::Locale::En).await?)
}

/// POST /houses/{id}/register
#[utoipa::path(
    post,
    path = "/api/v1/houses/{id}/register",
    tag = "houses",
    summary = "Create or change the house's apartments, accounts and meters from a register: all lines or none",
    params(("id" = i64, Path, description = "House id"), RegisterQuery),
    request_body(
        content_type = "text/csv",
        description = "The register as a spreadsheet saved it (the readings upload's dialects), as the body or a multipart form's `file`",
        content = String,
    ),
    responses(
        (status = 200, description = "What the register did (or, in a dry run, would do)", body = RegisterBody),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 413, description = "Larger than 32 MiB", body = ErrorBody),
        (status = 422, description = "Bad lines, each named `line N`: nothing saved", body = ErrorBody),
    ),
)]
pub async fn register_upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<HouseId>,
    query: web::Query<RegisterQuery>,
    payload: web::Payload,
) -> Result<web::Json<RegisterBody>, ApiError> {
    let id = id.into_inner();
    let mode = query.mode()?;
    // Held until the file is saved or refused: reading one takes memory.
    let _slot = state.uploads.take().await?;
    let (_, bytes) = read_file(&req, payload).await?;
    let plan = state
        .db(move |conn| services::register::import(conn, id, bytes, mode))
        .await?
        .map_err(|lines| refused(lines.into_iter().map(|e| (e.line, e.problem))))?;
    Ok(web::Json(RegisterBody::new(&plan, mode)))
}
