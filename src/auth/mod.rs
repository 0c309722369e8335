//! Who is asking, and what they may do: the signed-in identity (from the
//! session cookie or an API token), the middleware that refuses everyone
//! else, the login attempt limiter and the security headers.

mod limiter;
mod middleware;

use actix_session::Session;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

pub use limiter::LoginLimiter;
pub use middleware::{authenticate, security_headers};

use crate::db::models::{User, UserId};
use crate::domain::Role;
use crate::error::AppError;

/// Session key of the signed-in user's id.
const USER_KEY: &str = "user_id";
/// Session key of when the user signed in (Unix seconds).
const SIGNED_IN_KEY: &str = "signed_in_at";
/// A session cookie is honoured this long after signing in, even if a
/// browser keeps it (cookie sessions cannot be revoked on the server).
const SESSION_HOURS: i64 = 12;

/// The signed-in user, put into the request's extensions by
/// [`authenticate`]; handlers take it as an extractor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub user_id: UserId,
    pub name: String,
    pub role: Role,
}

impl From<&User> for Identity {
    fn from(user: &User) -> Self {
        Self {
            user_id: user.id,
            name: user.name.clone(),
            role: user.role,
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
            Identity::of(req).ok_or_else(|| AppError::Forbidden("Sign in to do this.".into())),
        )
    }
}

/// Starts a signed-in session for `user`: a new session (renewed, the CSRF
/// token replaced) so nothing set before signing in carries over.
pub fn sign_in(session: &Session, user: &User) -> Result<(), AppError> {
    session.clear();
    session.renew();
    session
        .insert(USER_KEY, user.id.0)
        .and_then(|()| session.insert(SIGNED_IN_KEY, chrono::Utc::now().timestamp()))
        .map_err(AppError::internal)
}

/// Ends the session: everything in it is forgotten (a flash may follow).
pub fn sign_out(session: &Session) {
    session.clear();
    session.renew();
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
