//! Who is asking, and what they may do: the signed-in identity (from the
//! server-side session or an API token), the middleware that refuses
//! everyone else, the client's address, the login attempt limiter and the
//! security headers.

mod client_addr;
pub mod limiter;
mod middleware;
pub mod pending_form;
mod session_store;

use actix_session::Session;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

pub use client_addr::{TrustedProxies, client_addr};
pub use middleware::{authenticate, security_headers};
pub use session_store::{PgSessionStore, stored_cookie_key};

use crate::db::models::{User, UserId};
use crate::domain::{Problem, Role};
use crate::error::AppError;
use crate::i18n::Locale;

/// Session key of the signed-in user's id.
const USER_KEY: &str = "user_id";
/// Session key of when the user signed in (Unix seconds).
const SIGNED_IN_KEY: &str = "signed_in_at";
/// The keys only a signed-in session has.
const USER_KEYS: [&str; 2] = [USER_KEY, SIGNED_IN_KEY];
/// A session lasts this long after it was made (signing in makes a new
/// one), however busy: an absolute lifetime.
const SESSION_HOURS: i64 = 12;

/// The signed-in user, put into the request's extensions by
/// [`authenticate`]; handlers take it as an extractor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub user_id: UserId,
    pub name: String,
    pub full_name: Option<String>,
    pub role: Role,
    /// The language the user reads the interface in.
    pub locale: Locale,
}

impl From<&User> for Identity {
    fn from(user: &User) -> Self {
        Self {
            user_id: user.id,
            name: user.name.clone(),
            full_name: user.full_name.clone(),
            role: user.role,
            locale: Locale::from_code(&user.locale).unwrap_or_default(),
        }
    }
}

impl Identity {
    /// The identity of this request, if it has one.
    pub fn of(req: &HttpRequest) -> Option<Identity> {
        req.extensions().get::<Identity>().cloned()
    }
}

impl FromRequest for Identity {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    /// The middleware lets no anonymous request reach a handler that asks
    /// for an identity; if one does (a public route), it is refused.
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            Identity::of(req).ok_or_else(|| AppError::Forbidden(Problem::SignInFirst)),
        )
    }
}

/// Starts a signed-in session for `user`: a new session (renewed, the CSRF
/// token replaced) so nothing set before signing in carries over but a
/// form kept when the last session ended.
pub fn sign_in(session: &Session, user: &User) -> Result<(), AppError> {
    let pending = pending_form::id_in(session);
    session.clear();
    session.renew();
    session
        .insert(USER_KEY, user.id.0)
        .and_then(|()| session.insert(SIGNED_IN_KEY, chrono::Utc::now().timestamp()))
        .map_err(AppError::internal)?;
    if let Some(id) = pending {
        pending_form::keep_id(session, &id)?;
    }
    Ok(())
}

/// Ends the session: everything in it is forgotten (a flash may follow).
pub fn sign_out(session: &Session) {
    session.clear();
    session.renew();
}

/// The signed-in user of a session's stored state.
fn user_in(state: &std::collections::HashMap<String, String>) -> Option<UserId> {
    state.get(USER_KEY)?.parse().ok().map(UserId)
}

/// The user id of a signed-in session that has not expired.
fn session_user(session: &Session) -> Option<UserId> {
    let id = session.get::<i64>(USER_KEY).ok().flatten()?;
    let at = session.get::<i64>(SIGNED_IN_KEY).ok().flatten()?;
    let age = chrono::Utc::now().timestamp() - at;
    (0..SESSION_HOURS * 3600)
        .contains(&age)
        .then_some(UserId(id))
}
