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

/// A form kept when its session ended, offered again after signing in.
#[derive(Template)]
#[template(path = "auth/resume.html")]
pub struct ResumeFormPage {
    pub ctx: PageCtx,
    /// Where the form was posted (a path of this site).
    pub action: String,
    /// The fields as they were posted, sent again as hidden inputs.
    pub fields: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "auth/setup.html")]
pub struct SetupPage {
    pub ctx: PageCtx,
    pub name: String,
    pub errors: FormErrors,
}
