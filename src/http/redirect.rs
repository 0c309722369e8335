//! Answers that send the browser elsewhere.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

use super::flash::{FlashKind, flash};

/// 303 See Other: after a successful POST the browser GETs `location`.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Flashes a success message and redirects (303) to `location`.
pub fn done(req: &HttpRequest, location: &str, message: impl Into<String>) -> HttpResponse {
    flash(req, FlashKind::Success, message);
    see_other(location)
}
