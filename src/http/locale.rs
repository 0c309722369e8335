//! The language a browser asks for, for what is shown to someone not (or
//! no longer) signed in.

use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT_LANGUAGE;

use crate::i18n::Locale;

/// The first of our languages in `Accept-Language`, else Russian.
pub fn browser_locale(req: &HttpRequest) -> Locale {
    req.headers()
        .get(ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .map_or_else(Locale::default, Locale::negotiate)
}
