//! The sign-in page and the first-run setup page.

use askama::Template;

use super::forms::FormErrors;
use super::page::PageCtx;

#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub name: String,
    /// Where to go after signing in (a path of this site).
    pub next: String,
    /// Why the last attempt failed; the password is never shown again.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "auth/setup.html")]
pub struct SetupPage {
    pub ctx: PageCtx,
    pub name: String,
    pub errors: FormErrors,
}
