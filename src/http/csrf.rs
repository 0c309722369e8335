//! CSRF protection of forms: every session holds a random token, every form
//! sends it back, and a form whose token differs is refused before its
//! handler runs.

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::error::AppError;

const CSRF_KEY: &str = "csrf";

/// The session's token, made on first use.
pub fn token(session: &Session) -> Result<String, AppError> {
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
        Err(AppError::Forbidden(crate::domain::Problem::FormExpired))
    }
}

/// A form with only the CSRF token (delete buttons).
#[derive(Deserialize)]
pub struct NoFields {}
