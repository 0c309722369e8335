//! How answers are written: decimals at the fixed places the API always
//! sends, and 201 with the new resource's address.

use actix_web::HttpResponse;
use actix_web::http::header;
use rust_decimal::Decimal;
use serde::Serialize;

/// Decimal places the API always sends: `"54.30"` m², `"123.456"` m³,
/// `"42.1234"` ₽ per unit, `"1131.68"` ₽.
pub const AREA_PLACES: u32 = 2;
pub const VOLUME_PLACES: u32 = 3;
pub const PRICE_PLACES: u32 = 4;
/// m³ per person per month (NUMERIC(10,4)).
pub const NORMATIVE_PLACES: u32 = 4;
/// An increasing coefficient (NUMERIC(6,2)).
pub const COEFFICIENT_PLACES: u32 = 2;
pub const MONEY_PLACES: u32 = 2;
/// A key rate, % a year (NUMERIC(6,3)).
pub const RATE_PLACES: u32 = 3;

/// A decimal as a string with exactly `places` decimals, whatever scale the
/// value carries.
pub fn fixed(mut value: Decimal, places: u32) -> String {
    value.rescale(places);
    value.to_string()
}

/// A volume with at least `VOLUME_PLACES` decimals and more where it has
/// them: a meter's share of a normative is kept to 0.0001 m³.
pub fn volume(value: Decimal) -> String {
    fixed(value, value.normalize().scale().max(VOLUME_PLACES))
}

/// 201 with the new resource and its address in `Location`.
pub fn created(location: String, body: &impl Serialize) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(body)
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
}
