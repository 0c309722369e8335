//! A message shown once, on the next page the person sees: it waits in the
//! session across a redirect.

use actix_session::{Session, SessionExt};
use actix_web::HttpRequest;
use serde::{Deserialize, Serialize};

const FLASH_KEY: &str = "flash";

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

/// Stores a message for the next page the person sees.
pub fn flash(req: &HttpRequest, kind: FlashKind, message: impl Into<String>) {
    let flash = Flash {
        kind,
        message: message.into(),
    };
    if let Err(e) = req.get_session().insert(FLASH_KEY, flash) {
        tracing::warn!("could not store a flash message: {e}");
    }
}

/// The waiting message, removed so it shows once. A cookie we cannot read
/// (an old key, tampering) just has none.
pub fn take(session: &Session) -> Option<Flash> {
    session.remove_as::<Flash>(FLASH_KEY).and_then(Result::ok)
}
