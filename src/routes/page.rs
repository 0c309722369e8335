//! What every HTML page and form shares: the session's CSRF token, the
//! one-shot flash message, and the CSRF-checked form extractor.

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::auth::Identity;
use crate::error::AppError;

pub(crate) const CSRF_KEY: &str = "csrf";
const FLASH_KEY: &str = "flash";

/// A message shown once on the next page, e.g. after a redirect.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    pub kind: FlashKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FlashKind {
    Success,
    Error,
}

impl FlashKind {
    pub fn css(self) -> &'static str {
        match self {
            FlashKind::Success => "flash-success",
            FlashKind::Error => "flash-error",
        }
    }
}

/// Per-request page context: every page template gets one as `ctx`.
#[derive(Debug, Clone)]
pub struct PageCtx {
    pub csrf_token: String,
    pub flash: Option<Flash>,
    /// The path, for marking the current navigation entry.
    pub path: String,
    /// Who is signed in (None on the login and setup pages).
    pub user: Option<Identity>,
}

impl PageCtx {
    /// Whether the signed-in user may change data (not a viewer): pages
    /// hide the forms and buttons the server would refuse anyway.
    pub fn can_write(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.can_write())
    }

    /// Whether the signed-in user is an admin (users, tariff changes).
    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.is_admin())
    }

    /// The navigation entries (href, label) this user sees.
    pub fn nav(&self) -> Vec<(&'static str, &'static str)> {
        let mut links = vec![
            ("/", "Dashboard"),
            ("/houses", "Houses"),
            ("/tariffs", "Tariffs"),
            ("/billing-runs", "Billing"),
            ("/audit", "Audit log"),
            ("/tokens", "API tokens"),
        ];
        if self.is_admin() {
            links.push(("/users", "Users"));
        }
        links
    }

    /// Whether the navigation entry `href` is marked current. Apartments
    /// and meters are reached through their house: Houses.
    pub fn nav_current(&self, href: &str) -> bool {
        self.is_current(href)
            || (href == "/houses" && (self.is_current("/apartments") || self.is_current("/meters")))
    }

    /// Whether the navigation entry for `prefix` is the current one.
    pub fn is_current(&self, prefix: &str) -> bool {
        if prefix == "/" {
            self.path == "/"
        } else {
            self.path.starts_with(prefix)
        }
    }
}

fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session
        .get::<String>(CSRF_KEY)
        .map_err(AppError::internal)?
    {
        return Ok(token);
    }
    let bytes: [u8; 32] = rand::random();
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    session
        .insert(CSRF_KEY, &token)
        .map_err(AppError::internal)?;
    Ok(token)
}

impl FromRequest for PageCtx {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        std::future::ready((|| {
            // A cookie we cannot read (old key, tampering) just starts afresh.
            let flash = session.remove_as::<Flash>(FLASH_KEY).and_then(Result::ok);
            Ok(PageCtx {
                csrf_token: csrf_token(&session)?,
                flash,
                path: req.path().to_owned(),
                user: Identity::of(req),
            })
        })())
    }
}

/// Stores a message for the next page the person sees.
pub fn flash(req: &HttpRequest, kind: FlashKind, message: impl Into<String>) {
    let flash = Flash {
        kind,
        message: message.into(),
    };
    if let Err(e) = req.get_session().insert(FLASH_KEY, flash) {
        log::warn!("could not store a flash message: {e}");
    }
}

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

#[derive(Deserialize)]
struct WithToken<T> {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    fields: T,
}

/// A URL-encoded form whose `csrf_token` field matches the session's token;
/// anything else is refused with 403 before the handler runs.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = web::Form::<WithToken<T>>::from_request(req, payload);
        let session = req.get_session();
        Box::pin(async move {
            let form = form.await?.into_inner();
            verify_csrf(&session, &form.csrf_token)?;
            Ok(CsrfForm(form.fields))
        })
    }
}

/// Checks a form's `csrf_token` (read by the caller, e.g. from a multipart
/// field) against the session's, in constant time; 403 when they differ.
pub fn verify_csrf(session: &Session, token: &str) -> Result<(), AppError> {
    let expected = session
        .get::<String>(CSRF_KEY)
        .ok()
        .flatten()
        .unwrap_or_default();
    if !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(token.as_bytes())) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "This form has expired or did not come from kvartplata. \
             Go back, reload the page and try again."
                .into(),
        ))
    }
}

/// A form with only the CSRF token (delete buttons).
#[derive(Deserialize)]
pub struct NoFields {}
