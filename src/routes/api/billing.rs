//! Billing: starting runs (one house or every house), their progress, and
//! a house's charges for a month. Runs are processed by the workers; a start
//! answers 202 at once with the queued run.

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::{self, Json};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::body::{Reader, text};
use super::explanation::ExplanationBody;
use super::query::PeriodQuery;
use super::reply::{AREA_PLACES, COEFFICIENT_PLACES, MONEY_PLACES, PRICE_PLACES, fixed, volume};
use super::schema::{DecimalString, ErrorBody, LineService, PENALTY_SERVICE};
use crate::billing::charges::{self, ApartmentCharges, ChargeLine, HouseCharges, PenaltyLine};
use crate::billing::{self, StartError};
use crate::db::models::{ApartmentId, BillingRun, BillingRunId, House, HouseId, TariffId};
use crate::db::queries;
use crate::domain::input::{self, Checker};
use crate::domain::{LineMethod, Period, RunStatus, Unit};
use crate::error::{ApiError, AppError, FieldErrors};
use crate::i18n::Locale;
use crate::state::AppState;

/// Runs listed when the client does not say how many, and at most.
const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 500;

/// A billing run of one house and month, and its progress.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunBody {
    id: BillingRunId,
    house_id: HouseId,
    period: Period,
    status: RunStatus,
    /// apartments to bill
    total: i32,
    /// apartments billed and committed
    processed: i32,
    #[schema(maximum = 100)]
    percent: u8,
    /// ₽ billed so far: the lines and the accounts' penalties
    #[schema(value_type = DecimalString)]
    amount: String,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    error: Option<String>,
    /// an input of its house and month (readings, apartments, meters,
    /// prices) changed after it billed from it: bill again
    stale: bool,
}

impl From<BillingRun> for RunBody {
    fn from(run: BillingRun) -> Self {
        Self {
            percent: run.percent(),
            id: run.id,
            house_id: run.house_id,
            period: run.period,
            status: run.status,
            total: run.total,
            processed: run.processed,
            amount: fixed(run.amount, MONEY_PLACES),
            created_at: run.created_at,
            started_at: run.started_at,
            finished_at: run.finished_at,
            stale: run.is_stale(),
            error: run.error,
        }
    }
}

/// 202 with the run and where to poll it.
fn accepted(run: BillingRun) -> HttpResponse {
    let body = RunBody::from(run);
    HttpResponse::Accepted()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/billing-runs/{}", body.id),
        ))
        .json(body)
}

/// The month to bill.
#[derive(ToSchema)]
#[schema(examples(json!({"period": "2026-11"})))]
#[allow(dead_code)] // a schema only: `read_period` reads the body
pub struct PeriodRequest {
    /// not after the current month
    period: Period,
}

/// `{period}`: the month to bill.
pub(super) fn read_period(body: &Value) -> Result<Period, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let period = r.required(&obj, "period", text(input::iso_period));
    r.finish(period)
}

/// POST /houses/{id}/billing-runs: `{period}` -> 202 the queued run (a house
/// without apartments: already completed).
#[utoipa::path(
    post,
    path = "/api/v1/houses/{id}/billing-runs",
    tag = "billing",
    summary = "Start billing a house for a month",
    description = "The run is queued and billed in the background; poll its Location. \
        Billing a month again replaces its charges.",
    params(("id" = i64, Path, description = "House id", example = 1)),
    request_body = PeriodRequest,
    responses(
        (status = 202, description = "The queued run (completed at once for a house without apartments)", body = RunBody,
            headers(("Location" = String, description = "/api/v1/billing-runs/{id}"))),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 409, description = "A run of this house and month is queued or running: `run_id`", body = ErrorBody),
        (status = 422, description = "Invalid period, a future month, or a service without a tariff (`fields`)", body = ErrorBody),
    ),
)]
pub async fn start(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let house = HouseId(path.into_inner());
    let period = read_period(&body)?;
    let run = state
        .db(move |conn| billing::start(conn, house, period, Period::current()))
        .await?;
    state.billing.wake();
    Ok(accepted(run))
}

/// A house that was not started, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefusedBody {
    house_id: HouseId,
    address: String,
    error: String,
    /// `run_active` or `invalid` (a service without a tariff), as a single
    /// start would answer
    #[schema(value_type = super::schema::ErrorCode)]
    code: &'static str,
    /// the run in progress, when that is the reason
    run_id: Option<i64>,
    /// the services without a tariff, when that is the reason
    #[schema(value_type = Option<std::collections::BTreeMap<String, String>>)]
    fields: Option<FieldErrors>,
}

impl RefusedBody {
    fn new(house: House, reason: StartError) -> Self {
        // The same message and fields a single start would answer.
        let error = AppError::from(reason);
        let run_id = match &error {
            AppError::RunActive { run_id, .. } => Some(*run_id),
            _ => None,
        };
        Self {
            house_id: house.id,
            address: house.address,
            fields: error.fields().cloned(),
            run_id,
            code: error.code(),
            error: error.to_string(),
        }
    }
}

/// Every house: started, or refused with its reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct StartedAllBody {
    started: Vec<RunBody>,
    refused: Vec<RefusedBody>,
}

/// POST /billing-runs: `{period}` -> 202 every house started, or refused
/// with its reason; one refused house does not hold back the others.
#[utoipa::path(
    post,
    path = "/api/v1/billing-runs",
    tag = "billing",
    summary = "Start billing every house for a month",
    description = "One refused house (a run in progress, a missing tariff) does not hold back \
        the others.",
    request_body = PeriodRequest,
    responses(
        (status = 202, description = "The runs started and the houses refused", body = StartedAllBody),
        (status = 422, description = "Invalid period or a future month", body = ErrorBody),
    ),
)]
pub async fn start_all(
    state: web::Data<AppState>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let period = read_period(&body)?;
    let all = state
        .db(move |conn| billing::start_all(conn, period, Period::current()))
        .await?;
    if !all.started.is_empty() {
        state.billing.wake();
    }
    Ok(HttpResponse::Accepted().json(StartedAllBody {
        started: all.started.into_iter().map(Into::into).collect(),
        refused: all
            .refused
            .into_iter()
            .map(|(house, reason)| RefusedBody::new(house, reason))
            .collect(),
    }))
}

/// GET /billing-runs/{id}: the run's progress.
#[utoipa::path(
    get,
    path = "/api/v1/billing-runs/{id}",
    tag = "billing",
    summary = "A billing run's progress",
    params(("id" = i64, Path, description = "Billing run id", example = 1)),
    responses(
        (status = 200, description = "The run", body = RunBody),
        (status = 404, description = "No such run", body = ErrorBody),
    ),
)]
pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<Json<RunBody>, ApiError> {
    let id = BillingRunId(path.into_inner());
    let run = state
        .db(move |conn| queries::run_queue::find(conn, id))
        .await?;
    Ok(Json(run.into()))
}

/// The query string as sent: every value read by hand, so a bad one is a
/// 422 naming it rather than a parse error.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// only this house's runs
    #[param(value_type = Option<HouseId>)]
    house_id: Option<String>,
    /// only runs of this month, YYYY-MM
    #[param(value_type = Option<Period>)]
    period: Option<String>,
    /// how many runs, 1 to 500 (default 50)
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
}

struct ListFilter {
    house: Option<HouseId>,
    period: Option<Period>,
    limit: i64,
}

/// An empty value is no filter, as a form's "all" choice sends it.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn read_list(query: &ListQuery) -> Result<ListFilter, AppError> {
    let mut c = Checker::default();
    let house = given(&query.house_id).and_then(|raw| {
        let id = raw
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or_else(|| format!("{raw:?} is not a house id."));
        c.check("house_id", id)
    });
    let period = given(&query.period).and_then(|raw| c.check("period", input::iso_period(raw)));
    let limit = match given(&query.limit) {
        None => Some(DEFAULT_LIMIT),
        Some(raw) => {
            let limit = raw
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| format!("Give a number of runs from 1 to {MAX_LIMIT}."));
            c.check("limit", limit)
        }
    };
    match limit {
        Some(limit) if c.is_ok() => Ok(ListFilter {
            house: house.map(HouseId),
            period,
            limit,
        }),
        _ => Err(AppError::invalid(c.into_errors())),
    }
}

/// GET /billing-runs?house_id=&period=&limit=: newest first; an unknown
/// house is a 404 rather than an empty list, so a typo is noticed.
#[utoipa::path(
    get,
    path = "/api/v1/billing-runs",
    tag = "billing",
    summary = "Billing runs, newest first",
    params(ListQuery),
    responses(
        (status = 200, description = "The runs", body = Vec<RunBody>),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 422, description = "A filter is invalid", body = ErrorBody),
    ),
)]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<Json<Vec<RunBody>>, ApiError> {
    let filter = read_list(&query)?;
    let runs = state
        .db(move |conn| {
            if let Some(house) = filter.house {
                queries::houses::find(conn, house)?;
            }
            queries::run_listing::list(conn, filter.house, filter.period, filter.limit)
        })
        .await?;
    Ok(Json(runs.into_iter().map(Into::into).collect()))
}

/// A house's charges for a month.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseChargesBody {
    house_id: HouseId,
    period: Period,
    /// ₽, the sum of the apartment totals (penalties included)
    #[schema(value_type = DecimalString)]
    total: String,
    /// lines billed without a reading for some meter
    missing_readings: usize,
    apartments: Vec<ApartmentChargesBody>,
}

/// An apartment's charges for the month.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApartmentChargesBody {
    apartment_id: ApartmentId,
    number: String,
    /// m² billed
    #[schema(value_type = DecimalString)]
    area: String,
    /// ₽, the sum of its lines (the penalty included)
    #[schema(value_type = DecimalString)]
    total: String,
    /// the services' lines, then its account's penalty, if any
    lines: Vec<LineBody>,
}

/// One line of the bill: a service's quantity times its price, or the
/// account's penalty (`service` `penalty`: no quantity, unit, price, method
/// or tariff; its explanation lists the overdue months).
#[derive(Debug, Serialize, ToSchema)]
pub struct LineBody {
    #[schema(value_type = LineService)]
    service: &'static str,
    /// null for the penalty
    #[schema(value_type = Option<DecimalString>, required = true)]
    quantity: Option<String>,
    /// null for the penalty
    #[schema(required = true)]
    unit: Option<Unit>,
    /// ₽ per unit; null for the penalty
    #[schema(value_type = Option<DecimalString>, required = true)]
    unit_price: Option<String>,
    /// ₽
    #[schema(value_type = DecimalString)]
    amount: String,
    /// what the line was computed from, in one sentence
    note: String,
    /// some counting meter had no usable reading for the month
    missing_reading: bool,
    /// null for the penalty
    #[schema(required = true)]
    method: Option<LineMethod>,
    /// the increasing coefficient, where it raised some part of the line
    #[schema(value_type = Option<DecimalString>)]
    coefficient: Option<String>,
    /// ₽: the part of the amount the coefficient added
    #[schema(value_type = DecimalString)]
    excess: String,
    /// null for the penalty
    #[schema(required = true)]
    tariff_id: Option<TariffId>,
    /// null for the penalty
    #[schema(required = true)]
    tariff_valid_from: Option<Period>,
    explanation: Option<ExplanationBody>,
}

impl From<ChargeLine> for LineBody {
    fn from(line: ChargeLine) -> Self {
        Self {
            quantity: Some(match line.unit {
                Unit::CubicMetre => volume(line.quantity),
                Unit::SquareMetre => fixed(line.quantity, AREA_PLACES),
            }),
            service: line.service.as_str(),
            unit: Some(line.unit),
            unit_price: Some(fixed(line.unit_price, PRICE_PLACES)),
            amount: fixed(line.amount, MONEY_PLACES),
            note: line.note(Locale::En),
            missing_reading: line.missing_reading,
            method: Some(line.method),
            coefficient: line.coefficient.map(|k| fixed(k, COEFFICIENT_PLACES)),
            excess: fixed(line.excess, MONEY_PLACES),
            tariff_id: Some(line.tariff_id),
            tariff_valid_from: Some(line.tariff_valid_from),
            explanation: line.explanation.map(Into::into),
        }
    }
}

impl From<PenaltyLine> for LineBody {
    fn from(line: PenaltyLine) -> Self {
        Self {
            service: PENALTY_SERVICE,
            quantity: None,
            unit: None,
            unit_price: None,
            amount: fixed(line.amount, MONEY_PLACES),
            note: line.note(Locale::En),
            missing_reading: false,
            method: None,
            coefficient: None,
            excess: fixed(Decimal::ZERO, MONEY_PLACES),
            tariff_id: None,
            tariff_valid_from: None,
            explanation: line.debts.map(ExplanationBody::penalty),
        }
    }
}

impl From<ApartmentCharges> for ApartmentChargesBody {
    fn from(a: ApartmentCharges) -> Self {
        let mut lines: Vec<LineBody> = a.lines.into_iter().map(Into::into).collect();
        lines.extend(a.penalty.map(LineBody::from));
        Self {
            apartment_id: a.id,
            number: a.number,
            area: fixed(a.area, AREA_PLACES),
            total: fixed(a.total, MONEY_PLACES),
            lines,
        }
    }
}

impl From<HouseCharges> for HouseChargesBody {
    fn from(h: HouseCharges) -> Self {
        Self {
            missing_readings: h.missing_readings(),
            house_id: h.house.id,
            period: h.period,
            total: fixed(h.total, MONEY_PLACES),
            apartments: h.apartments.into_iter().map(Into::into).collect(),
        }
    }
}

/// GET /houses/{id}/charges?period=YYYY-MM: the month's lines per billed
/// apartment; a month never billed has total "0.00" and no apartments.
#[utoipa::path(
    get,
    path = "/api/v1/houses/{id}/charges",
    tag = "billing",
    summary = "A house's charges for a month, line by line",
    description = "Each apartment's lines end with its account's penalty of the month, if any \
        (service `penalty`); totals include it. A month never billed has total \"0.00\" and no \
        apartments.",
    params(("id" = i64, Path, description = "House id", example = 1), PeriodQuery),
    responses(
        (status = 200, description = "The month's charges per billed apartment", body = HouseChargesBody),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 422, description = "The period is missing or not YYYY-MM", body = ErrorBody),
    ),
)]
pub async fn charges(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<PeriodQuery>,
) -> Result<Json<HouseChargesBody>, ApiError> {
    let house = HouseId(path.into_inner());
    let period = query.period()?;
    let charges = state
        .db(move |conn| charges::house_month(conn, house, period))
        .await?;
    Ok(Json(charges.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::api::schema::assert_examples_read;

    #[test]
    fn the_period_examples_are_read() {
        assert_examples_read::<PeriodRequest, _>(read_period);
    }
}
