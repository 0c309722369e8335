//! Query strings shared by several operations.

use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::{Period, input};
use crate::error::AppError;

/// `?period=YYYY-MM` of the month views (a house's readings, its charges):
/// the period is required, unlike the pages' month choice, which falls back
/// to the current month.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// the month, YYYY-MM (required: without it the answer is 422)
    #[param(required = true, value_type = Period)]
    period: Option<String>,
}

impl PeriodQuery {
    /// The month asked for; 422 naming `period` when missing or malformed.
    pub fn period(&self) -> Result<Period, AppError> {
        match &self.period {
            None => Err("This field is required: give ?period=YYYY-MM.".into()),
            Some(raw) => input::iso_period(raw),
        }
        .map_err(|message| AppError::invalid_field("period", message))
    }
}
