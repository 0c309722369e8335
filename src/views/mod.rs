//! One askama struct per page; templates live in templates/.

use askama::Template;

use crate::db::models::HouseSummary;

#[derive(Template)]
#[template(path = "houses/index.html")]
pub struct HousesPage {
    pub houses: Vec<HouseSummary>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub status: u16,
    pub title: &'a str,
    pub message: &'a str,
}
