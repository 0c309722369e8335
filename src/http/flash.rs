//! A message shown once, on the next page the person sees: it waits in the
//! session across a redirect.

use actix_session::{Session, SessionExt};
use actix_web::HttpRequest;
use serde::{Deserialize, Serialize};

const FLASH_KEY: &str = "flash";
/// The longest message kept, in characters: a flash is a one-line notice
/// stored in the session, so a long result belongs on a page instead.
pub const MAX_FLASH_CHARS: usize = 300;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    pub kind: FlashKind,
    pub message: String,
    /// What to do about it, linked after the message («… — добавить»).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<FlashLink>,
}

/// A link a flash message offers: where to go and its text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FlashLink {
    pub href: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FlashKind {
    Success,
    /// Done, but something asks to be looked at.
    Warning,
    Error,
}

impl FlashKind {
    pub fn css(self) -> &'static str {
        match self {
            FlashKind::Success => "flash-success",
            FlashKind::Warning => "flash-warning",
            FlashKind::Error => "flash-error",
        }
    }
}

/// `message` cut to `MAX_FLASH_CHARS` characters, ending in "…" when cut.
fn bounded(message: String) -> String {
    match message.char_indices().nth(MAX_FLASH_CHARS - 1) {
        Some((cut, _)) if message[cut..].chars().nth(1).is_some() => {
            format!("{}…", &message[..cut])
        }
        _ => message,
    }
}

/// Stores a message for the next page the person sees, bounded in length;
/// only one waits at a time (a newer one replaces it).
pub fn flash(req: &HttpRequest, kind: FlashKind, message: impl Into<String>) {
    flash_with_link(req, kind, message, None);
}

/// A flash message followed by a link saying what to do about it.
pub fn flash_with_link(
    req: &HttpRequest,
    kind: FlashKind,
    message: impl Into<String>,
    link: Option<FlashLink>,
) {
    let flash = Flash {
        kind,
        message: bounded(message.into()),
        link,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_messages_are_kept_whole() {
        assert_eq!(bounded("Started 2 runs.".into()), "Started 2 runs.");
        let exact = "ж".repeat(MAX_FLASH_CHARS);
        assert_eq!(bounded(exact.clone()), exact);
    }

    #[test]
    fn long_messages_are_cut_at_a_char_boundary_with_an_ellipsis() {
        // Two-byte letters: a byte-based cut would split one and panic.
        let long = "ж".repeat(MAX_FLASH_CHARS + 1);
        let cut = bounded(long);
        assert_eq!(cut.chars().count(), MAX_FLASH_CHARS);
        assert!(cut.ends_with('…'), "{cut}");
        assert_eq!(cut.trim_end_matches('…'), "ж".repeat(MAX_FLASH_CHARS - 1));

        let huge = "ул. Лесная, 2: no tariff.\n".repeat(1000);
        assert_eq!(bounded(huge).chars().count(), MAX_FLASH_CHARS);
    }
}
