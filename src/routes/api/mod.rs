//! The JSON API under /api/v1 (DESIGN.md "JSON API v1").
//!
//! Handlers read bodies as `serde_json::Value` through [`input`], so every
//! bad field is named, then make one call into `services` (inside one
//! `state.db` closure) and answer with the resource as GET shows it.

mod apartments;
mod billing;
mod houses;
mod input;
mod meters;
pub mod openapi;
mod readings;
mod tariffs;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use crate::domain::Period;
use crate::error::AppError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/houses")
            .route(web::get().to(houses::list))
            .route(web::post().to(houses::create)),
    )
    .service(
        web::resource("/houses/{id}")
            .route(web::get().to(houses::show))
            .route(web::patch().to(houses::update))
            .route(web::delete().to(houses::delete)),
    )
    .route(
        "/houses/{id}/apartments",
        web::post().to(apartments::create),
    )
    .service(
        web::resource("/apartments/{id}")
            .route(web::get().to(apartments::show))
            .route(web::patch().to(apartments::update))
            .route(web::delete().to(apartments::delete)),
    )
    .route("/apartments/{id}/meters", web::post().to(meters::create))
    .service(
        web::resource("/meters/{id}")
            .route(web::get().to(meters::show))
            .route(web::patch().to(meters::update))
            .route(web::delete().to(meters::delete)),
    )
    .route("/meters/{id}/readings", web::get().to(readings::for_meter))
    .route(
        "/houses/{id}/readings",
        web::get().to(readings::house_month),
    )
    .route("/readings", web::post().to(readings::save))
    .service(
        web::resource("/tariffs")
            .route(web::get().to(tariffs::list))
            .route(web::post().to(tariffs::create)),
    )
    .service(
        web::resource("/tariffs/{id}")
            .route(web::get().to(tariffs::show))
            .route(web::patch().to(tariffs::update))
            .route(web::delete().to(tariffs::delete)),
    )
    .route("/houses/{id}/billing-runs", web::post().to(billing::start))
    .service(
        web::resource("/billing-runs")
            .route(web::get().to(billing::list))
            .route(web::post().to(billing::start_all)),
    )
    .route("/billing-runs/{id}", web::get().to(billing::show))
    .route("/houses/{id}/charges", web::get().to(billing::charges))
    .route("/openapi.json", web::get().to(openapi::openapi_json));
}

/// Decimal places the API always sends: `"54.30"` m², `"123.456"` m³,
/// `"42.1234"` ₽ per unit, `"1131.68"` ₽.
const AREA_PLACES: u32 = 2;
const VOLUME_PLACES: u32 = 3;
const PRICE_PLACES: u32 = 4;
const MONEY_PLACES: u32 = 2;

/// A decimal as a string with exactly `places` decimals, whatever scale the
/// value carries.
fn fixed(mut value: Decimal, places: u32) -> String {
    value.rescale(places);
    value.to_string()
}

/// `?period=YYYY-MM` of the month views (a house's readings, its charges).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// the month, YYYY-MM (required: without it the answer is 422)
    #[param(required = true, value_type = Period)]
    period: Option<String>,
}

impl MonthQuery {
    /// The month asked for; 422 naming `period` when missing or malformed.
    fn period(&self) -> Result<Period, AppError> {
        match &self.period {
            None => Err("This field is required: give ?period=YYYY-MM.".to_owned()),
            Some(raw) => crate::domain::input::period(raw),
        }
        .map_err(|message| AppError::invalid_field("period", message))
    }
}

/// 201 with the new resource and its address in `Location`.
fn created(location: String, body: &impl Serialize) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(body)
}

/// A field that names what a record belongs to may be sent back unchanged
/// (a GET body edited and PATCHed), but moving the record is refused: 422.
fn unchanged<T: PartialEq>(field: &str, given: Option<T>, current: T) -> Result<(), AppError> {
    match given {
        Some(given) if given != current => Err(AppError::invalid_field(
            field,
            format!("The {field} cannot be changed; create a new record instead."),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn decimals_are_sent_with_fixed_places() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(fixed(d("54.3"), AREA_PLACES), "54.30");
        assert_eq!(fixed(d("7"), VOLUME_PLACES), "7.000");
        assert_eq!(fixed(d("42.12340000"), PRICE_PLACES), "42.1234");
        assert_eq!(fixed(Decimal::ZERO, VOLUME_PLACES), "0.000");
    }

    #[test]
    fn owners_may_be_repeated_but_not_changed() {
        assert!(unchanged("house_id", None, 1).is_ok());
        assert!(unchanged("house_id", Some(1), 1).is_ok());
        let err = unchanged("house_id", Some(2), 1).unwrap_err();
        assert!(err.fields().unwrap().contains_key("house_id"));
    }
}
