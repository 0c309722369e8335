//! A form that arrived after its session had ended (expired, signed out
//! elsewhere) is not lost: its fields are kept for a while in a row that
//! only the new session knows, and after signing in the user is offered
//! the same form, filled in, to save with one click.

use actix_session::Session;
use chrono::TimeDelta;
use diesel::PgConnection;
use sha2::{Digest, Sha256};

use crate::db::queries;
use crate::error::AppError;

/// A larger form is not kept (the user types it again).
pub const MAX_BYTES: usize = 64 * 1024;
/// How long a kept form waits for its user to sign in.
pub const LIFETIME: TimeDelta = TimeDelta::hours(1);
/// Session key of the kept form's id.
const SESSION_KEY: &str = "pending_form";
/// The fields of a kept form and where it was posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingForm {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

fn hash(id: &str) -> String {
    Sha256::digest(id.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The fields of a URL-encoded body, without its (dead) CSRF token.
pub fn fields_of(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body)
        .filter(|(name, _)| name != "csrf_token")
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// Keeps `form`; its id, for [`keep_id`].
pub fn keep(conn: &mut PgConnection, form: &PendingForm) -> Result<String, AppError> {
    let bytes: [u8; 32] = rand::random();
    let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let fields = serde_json::to_value(&form.fields).map_err(AppError::internal)?;
    queries::sessions::insert_pending_form(conn, &hash(&id), &form.action, &fields)?;
    Ok(id)
}

pub(super) fn id_in(session: &Session) -> Option<String> {
    session.get::<String>(SESSION_KEY).ok().flatten()
}

/// Remembers the kept form in the session.
pub fn keep_id(session: &Session, id: &str) -> Result<(), AppError> {
    session.insert(SESSION_KEY, id).map_err(AppError::internal)
}

/// Whether the session has a kept form waiting.
pub fn is_waiting(session: &Session) -> bool {
    id_in(session).is_some()
}

/// Takes the session's kept form (once); None when there is none or it
/// is too old.
pub fn take(conn: &mut PgConnection, id: Option<String>) -> Result<Option<PendingForm>, AppError> {
    let Some(id) = id else {
        return Ok(None);
    };
    let Some((action, fields)) = queries::sessions::take_pending_form(conn, &hash(&id), LIFETIME)?
    else {
        return Ok(None);
    };
    let fields: Vec<(String, String)> = serde_json::from_value(fields).unwrap_or_default();
    Ok(Some(PendingForm { action, fields }))
}

/// Removes the kept form's id from the session, for [`take`].
pub fn take_id(session: &Session) -> Option<String> {
    session
        .remove_as::<String>(SESSION_KEY)
        .and_then(Result::ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_form_loses_only_its_csrf_token() {
        let fields = fields_of(b"csrf_token=dead&number=12%D0%90&area=40.5&area=x");
        assert_eq!(
            fields,
            vec![
                ("number".to_owned(), "12А".to_owned()),
                ("area".to_owned(), "40.5".to_owned()),
                ("area".to_owned(), "x".to_owned()),
            ]
        );
    }
}
