//! The error page with the request's page context: the navigation and
//! `<html lang>` of the person who asked, the texts in their language.

use askama::Template;

use super::page::PageCtx;
use crate::error::ErrorPage;

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorView {
    pub ctx: PageCtx,
    pub status: u16,
    pub title: String,
    pub message: String,
    pub hint: String,
    pub to_houses: String,
    pub to_dashboard: String,
}

impl ErrorView {
    pub fn new(ctx: PageCtx, page: ErrorPage) -> Self {
        Self {
            ctx,
            status: page.status,
            title: page.title,
            message: page.message,
            hint: page.hint,
            to_houses: page.to_houses,
            to_dashboard: page.to_dashboard,
        }
    }
}
