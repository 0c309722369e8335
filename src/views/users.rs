//! The users page: the list, the new-user form and each user's role.

use askama::Template;
use serde::Deserialize;

use super::forms::{Choice, FormErrors};
use super::page::PageCtx;
use crate::db::models::{User, UserId};
use crate::domain::Role;
use crate::i18n::Locale;
use crate::i18n::format::{self, DEFAULT_TIME_ZONE};

/// What the new-user form sends, as typed.
#[derive(Debug, Clone, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub password: String,
    #[serde(default = "default_role")]
    pub role: String,
    #[serde(default)]
    pub full_name: String,
}

fn default_role() -> String {
    Role::Manager.as_str().to_owned()
}

impl Default for NewUserForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            password: String::new(),
            role: default_role(),
            full_name: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "users/index.html")]
pub struct UsersPage {
    pub ctx: PageCtx,
    pub users: Vec<UserLine>,
    pub roles: Vec<Choice>,
    /// The new-user form as typed (the password is never sent back).
    pub form: NewUserForm,
    pub errors: FormErrors,
}

pub struct UserLine {
    pub id: UserId,
    pub name: String,
    pub full_name: String,
    pub role: Role,
    pub created: String,
    /// «01.12.2026 14:03» ("2026-12-01 14:03"), or "never".
    pub last_sign_in: String,
    pub blocked: bool,
    pub is_me: bool,
}

/// «01.12.2026 14:03» in the default time zone.
fn local_minute(at: chrono::DateTime<chrono::Utc>, locale: Locale) -> String {
    format::date_time(at, DEFAULT_TIME_ZONE, locale)
}

impl UserLine {
    fn new(user: User, me: Option<UserId>, locale: Locale) -> Self {
        let created = user
            .created_at
            .with_timezone(&DEFAULT_TIME_ZONE)
            .date_naive();
        Self {
            is_me: Some(user.id) == me,
            id: user.id,
            full_name: user.full_name.clone().unwrap_or_default(),
            role: user.role,
            created: format::date(created, locale),
            last_sign_in: user
                .last_sign_in_at
                .map_or_else(|| locale.text("user-never"), |at| local_minute(at, locale)),
            blocked: user.is_blocked(),
            name: user.name,
        }
    }
}

/// One user's page for admins: full name, password reset, block, sessions.
#[derive(Template)]
#[template(path = "users/show.html")]
pub struct UserPage {
    pub ctx: PageCtx,
    pub user: UserLine,
    /// Since when the user is blocked, if they are.
    pub blocked_since: Option<String>,
    /// Live sessions (browsers signed in).
    pub sessions: i64,
    /// The full-name form as typed.
    pub full_name: String,
    pub errors: FormErrors,
}

impl UserPage {
    pub fn new(ctx: PageCtx, user: User, sessions: i64) -> Self {
        let me = ctx.user.as_ref().map(|u| u.user_id);
        let locale = ctx.locale;
        Self {
            blocked_since: user.blocked_at.map(|at| local_minute(at, locale)),
            full_name: user.full_name.clone().unwrap_or_default(),
            user: UserLine::new(user, me, locale),
            sessions,
            ctx,
            errors: FormErrors::default(),
        }
    }
}

impl UserPage {
    pub fn page_title(&self) -> String {
        self.ctx.locale.text_with(
            "user-page-title",
            &[("name", self.user.name.clone().into())],
        )
    }

    pub fn blocked_text(&self, since: &str) -> String {
        self.ctx
            .locale
            .text_with("user-blocked-since", &[("at", since.into())])
    }

    pub fn sessions_text(&self) -> String {
        self.ctx
            .locale
            .text_with("user-sessions", &[("count", self.sessions.into())])
    }
}

/// A user's own password change.
#[derive(Template)]
#[template(path = "users/password.html")]
pub struct PasswordPage {
    pub ctx: PageCtx,
    pub errors: FormErrors,
}

impl PasswordPage {
    /// The password fields: name, label, autocomplete.
    pub fn fields(&self) -> Vec<(&'static str, String, &'static str)> {
        vec![
            (
                "current_password",
                self.ctx.t("user-current-password"),
                "current-password",
            ),
            ("password", self.ctx.t("user-new-password"), "new-password"),
            (
                "password_confirm",
                self.ctx.t("user-new-password-again"),
                "new-password",
            ),
        ]
    }
}

impl UsersPage {
    pub fn new(ctx: PageCtx, users: Vec<User>) -> Self {
        let me = ctx.user.as_ref().map(|u| u.user_id);
        let locale = ctx.locale;
        Self {
            users: users
                .into_iter()
                .map(|u| UserLine::new(u, me, locale))
                .collect(),
            roles: Role::ALL
                .iter()
                .map(|r| Choice::new(r.as_str(), ctx.name(r)))
                .collect(),
            ctx,
            form: NewUserForm::default(),
            errors: FormErrors::default(),
        }
    }

    pub fn role_of(&self, name: &str) -> String {
        self.ctx
            .locale
            .text_with("user-role-of", &[("name", name.into())])
    }
}
