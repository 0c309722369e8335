//! Request plumbing shared by the pages and authentication: a session's
//! CSRF token and the form extractor that checks it, one-shot flash
//! messages, redirects, uploaded files and downloads. Nothing here knows a page or a route.

pub mod csrf;
pub mod download;
pub mod flash;
pub mod locale;
pub mod redirect;
pub mod upload;

pub use csrf::{CsrfForm, NoFields, verify_csrf};
pub use download::attachment;
pub use flash::{Flash, FlashKind, FlashLink, flash, flash_with_link};
pub use locale::browser_locale;
pub use redirect::{done, see_other};
