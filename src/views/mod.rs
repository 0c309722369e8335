//! One askama struct per page; templates live in templates/. Each area has
//! its own module; `forms` and `filters` are shared by all of them.

pub mod apartments;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod chart;
pub mod dashboard;
pub mod docs;
pub mod filters;
pub mod forms;
pub mod houses;
pub mod meters;
pub mod month_nav;
pub mod page;
pub mod pager;
pub mod readings;
pub mod runs;
pub mod tariffs;
pub mod tokens;
pub mod upload;
pub mod users;

use askama::Template;

pub use houses::HousesPage;

/// Rendered by `AppError` itself, so it has no page context: base.html
/// shows the plain navigation when `ctx` is not defined.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub status: u16,
    pub title: &'a str,
    pub message: &'a str,
}
