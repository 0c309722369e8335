//! A house's billing periods: closing a month whose bill is final, and
//! reopening the last closed one (admins).

use actix_web::web::{self, Json};
use serde::Serialize;
use utoipa::ToSchema;

use super::schema::ErrorBody;
use crate::db::models::{House, HouseId};
use crate::domain::Period;
use crate::domain::input::{self, Checker};
use crate::error::{ApiError, AppError};
use crate::services;
use crate::state::AppState;

/// A house's closed months after the change.
#[derive(Debug, Serialize, ToSchema)]
#[schema(examples(json!({"house_id": 1, "closed_through": "2026-10", "current_period": "2026-11"})))]
pub struct PeriodsBody {
    house_id: HouseId,
    /// the last closed month; null while none is
    closed_through: Option<Period>,
    /// the first open month, which pages open on
    current_period: Period,
}

impl From<House> for PeriodsBody {
    fn from(house: House) -> Self {
        Self {
            house_id: house.id,
            closed_through: house.closed_through,
            current_period: house.current_period(),
        }
    }
}

/// The path's house and month; a month that is not `YYYY-MM` is a 422
/// naming `period`.
fn read_path(path: web::Path<(i64, String)>) -> Result<(HouseId, Period), AppError> {
    let (house, raw) = path.into_inner();
    let mut checker = Checker::default();
    match checker.check("period", input::iso_period(&raw)) {
        Some(period) => Ok((HouseId(house), period)),
        None => Err(AppError::invalid(checker.into_errors())),
    }
}

/// POST /houses/{id}/periods/{period}/close
#[utoipa::path(
    post,
    path = "/api/v1/houses/{id}/periods/{period}/close",
    tag = "billing",
    summary = "Close a month of a house: its readings, runs and charges no longer change",
    description = "Months close in order (the one after `closed_through`; any month while none \
        is closed, and every earlier month then counts as closed). The month's latest run must \
        be completed and not stale, and no run of the house queued or running.",
    params(
        ("id" = i64, Path, description = "House id", example = 1),
        ("period" = Period, Path, description = "The month, YYYY-MM", example = "2026-10"),
    ),
    responses(
        (status = 200, description = "Closed", body = PeriodsBody),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 409, description = "Not the next month to close, not billed, stale, or a run is active", body = ErrorBody),
        (status = 422, description = "The month is not YYYY-MM", body = ErrorBody),
    ),
)]
pub async fn close(
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<Json<PeriodsBody>, ApiError> {
    let (house, period) = read_path(path)?;
    let house = state
        .db(move |conn| services::periods::close(conn, house, period))
        .await?;
    Ok(Json(house.into()))
}

/// POST /houses/{id}/periods/{period}/reopen
#[utoipa::path(
    post,
    path = "/api/v1/houses/{id}/periods/{period}/reopen",
    tag = "billing",
    summary = "Reopen the last closed month of a house (admins)",
    description = "The month before it becomes the last closed.",
    params(
        ("id" = i64, Path, description = "House id", example = 1),
        ("period" = Period, Path, description = "The last closed month, YYYY-MM", example = "2026-10"),
    ),
    responses(
        (status = 200, description = "Reopened", body = PeriodsBody),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 409, description = "Not the last closed month, or none is closed", body = ErrorBody),
        (status = 422, description = "The month is not YYYY-MM", body = ErrorBody),
    ),
)]
pub async fn reopen(
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<Json<PeriodsBody>, ApiError> {
    let (house, period) = read_path(path)?;
    let house = state
        .db(move |conn| services::periods::reopen(conn, house, period))
        .await?;
    Ok(Json(house.into()))
}
