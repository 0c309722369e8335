//! What every page template gets as `ctx`: the session's CSRF token, the
//! one-shot flash message, the path (for the navigation), who is signed in
//! and the language the page is in.

use actix_session::SessionExt;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use crate::auth::Identity;
use crate::domain::{Named, Period, Role};
use crate::error::AppError;
use crate::http::{Flash, browser_locale, csrf, flash};
use crate::i18n::Locale;
use crate::i18n::format;

/// Per-request page context: every page template gets one as `ctx`.
#[derive(Debug, Clone)]
pub struct PageCtx {
    pub csrf_token: String,
    pub flash: Option<Flash>,
    /// The path, for marking the current navigation entry.
    pub path: String,
    /// Who is signed in (None on the login and setup pages).
    pub user: Option<Identity>,
    /// The user's language; before sign-in, the browser's.
    pub locale: Locale,
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

    /// The interface text `key` in the page's language.
    pub fn t(&self, key: &str) -> String {
        self.locale.text(key)
    }

    /// A value of a closed set (service, meter kind, run status, …) as the
    /// page names it.
    pub fn name<N: Named>(&self, value: &N) -> String {
        self.locale.name(*value)
    }

    /// The months offered by every month field (one `<datalist>` in the
    /// frame): the next one and two years back, newest first, each named as
    /// the page names months; the value is what the field sends.
    pub fn month_choices(&self) -> Vec<(String, String)> {
        let mut month = Period::current().next();
        let mut choices = Vec::with_capacity(26);
        for _ in 0..26 {
            choices.push((month.to_string(), format::month(month, self.locale)));
            month = month.previous();
        }
        choices
    }

    /// Whether the page is in the language of `code`.
    pub fn locale_is(&self, code: &str) -> bool {
        self.locale.code() == code
    }

    /// A role as the page names it.
    pub fn role_label(&self, role: &Role) -> String {
        match role {
            Role::Viewer => self.t("role-viewer"),
            Role::Manager => self.t("role-manager"),
            Role::Admin => self.t("role-admin"),
        }
    }

    /// The navigation entries (href, label) this user sees.
    pub fn nav(&self) -> Vec<(&'static str, String)> {
        let mut links = vec![
            ("/", self.t("nav-dashboard")),
            ("/houses", self.t("nav-houses")),
            ("/tariffs", self.t("nav-tariffs")),
            ("/normatives", self.t("nav-normatives")),
            ("/billing-runs", self.t("nav-billing")),
            ("/payments/import", self.t("nav-payments")),
            ("/debtors", self.t("nav-debtors")),
            ("/audit", self.t("nav-audit")),
            ("/tokens", self.t("nav-tokens")),
        ];
        if self.is_admin() {
            links.push(("/users", self.t("nav-users")));
            links.push(("/organization", self.t("org-nav")));
        }
        links
    }

    /// Whether the navigation entry `href` is marked current. Apartments,
    /// meters and accounts are reached through their house: Houses; the
    /// unmatched payments and the key rates are Payments.
    pub fn nav_current(&self, href: &str) -> bool {
        self.is_current(href)
            || (href == "/houses"
                && (self.is_current("/apartments")
                    || self.is_current("/meters")
                    || self.is_current("/accounts")))
            || (href == "/payments/import"
                && (self.is_current("/payments/") || self.is_current("/key-rates")))
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

/// The language a request is answered in: the signed-in user's setting,
/// else the browser's.
pub fn request_locale(req: &HttpRequest) -> Locale {
    match Identity::of(req) {
        Some(user) => user.locale,
        None => browser_locale(req),
    }
}

impl FromRequest for PageCtx {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let user = Identity::of(req);
        let locale = match &user {
            Some(user) => user.locale,
            None => browser_locale(req),
        };
        std::future::ready(csrf::token(&session).map(|csrf_token| PageCtx {
            csrf_token,
            flash: flash::take(&session),
            path: req.path().to_owned(),
            user,
            locale,
        }))
    }
}
