//! What every page template gets as `ctx`: the session's CSRF token, the
//! one-shot flash message, the path (for the navigation) and who is
//! signed in.

use actix_session::SessionExt;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use crate::auth::Identity;
use crate::error::AppError;
use crate::http::{Flash, csrf, flash};

/// Per-request page context: every page template gets one as `ctx`.
#[derive(Debug, Clone)]
pub struct PageCtx {
    pub csrf_token: String,
    pub flash: Option<Flash>,
    /// The path, for marking the current navigation entry.
    pub path: String,
    /// Who is signed in (None on the login and setup pages).
    pub user: Option<Identity>,
}

impl PageCtx {
    /// Whether the signed-in user may change data (not a viewer): pages
    /// hide the forms and buttons the server would refuse anyway.
    pub fn can_write(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.can_write())
    }

    /// Whether the signed-in user is an admin (users, tariff changes).
    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.is_admin())
    }

    /// The navigation entries (href, label) this user sees.
    pub fn nav(&self) -> Vec<(&'static str, &'static str)> {
        let mut links = vec![
            ("/", "Dashboard"),
            ("/houses", "Houses"),
            ("/tariffs", "Tariffs"),
            ("/billing-runs", "Billing"),
            ("/audit", "Audit log"),
            ("/tokens", "API tokens"),
        ];
        if self.is_admin() {
            links.push(("/users", "Users"));
        }
        links
    }

    /// Whether the navigation entry `href` is marked current. Apartments
    /// and meters are reached through their house: Houses.
    pub fn nav_current(&self, href: &str) -> bool {
        self.is_current(href)
            || (href == "/houses" && (self.is_current("/apartments") || self.is_current("/meters")))
    }

    /// Whether the navigation entry for `prefix` is the current one.
    pub fn is_current(&self, prefix: &str) -> bool {
        if prefix == "/" {
            self.path == "/"
        } else {
            self.path.starts_with(prefix)
        }
    }
}

impl FromRequest for PageCtx {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        std::future::ready(csrf::token(&session).map(|csrf_token| PageCtx {
            csrf_token,
            flash: flash::take(&session),
            path: req.path().to_owned(),
            user: Identity::of(req),
        }))
    }
}
