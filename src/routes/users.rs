//! The users page (admins only; the middleware refuses everyone else):
//! the list, a form to add a user, and a role change per user.

use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::page::{CsrfForm, FlashKind, PageCtx, done, flash, see_other};
use crate::db::models::{User, UserId};
use crate::domain::Role;
use crate::domain::input::{self, Checker};
use crate::error::AppError;
use crate::services::accounts;
use crate::state::AppState;
use crate::views::forms::{Choice, FormErrors, Rejected, render_with_status};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/users", web::get().to(index))
        .route("/users", web::post().to(create))
        .route("/users/{id}/role", web::post().to(change_role));
}

/// What the new-user form sends, as typed.
#[derive(Debug, Clone, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub password: String,
    #[serde(default = "default_role")]
    pub role: String,
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
    pub role: Role,
    pub created: String,
    pub is_me: bool,
}

impl UsersPage {
    fn new(ctx: PageCtx, users: Vec<User>) -> Self {
        let me = ctx.user.as_ref().map(|u| u.user_id);
        Self {
            users: users
                .into_iter()
                .map(|u| UserLine {
                    is_me: Some(u.id) == me,
                    id: u.id,
                    name: u.name,
                    role: u.role,
                    created: u.created_at.format("%Y-%m-%d").to_string(),
                })
                .collect(),
            roles: Role::ALL
                .iter()
                .map(|r| Choice::new(r.as_str(), r.label()))
                .collect(),
            ctx,
            form: NewUserForm::default(),
            errors: FormErrors::default(),
        }
    }
}

pub async fn index(ctx: PageCtx, state: web::Data<AppState>) -> Result<Html, AppError> {
    let users = state.db(accounts::list_users).await?;
    Ok(Html::new(UsersPage::new(ctx, users).render()?))
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<NewUserForm>,
) -> Result<HttpResponse, AppError> {
    let mut checker = Checker::default();
    let role = checker.check("role", input::role(&form.role));
    let created = match role {
        Some(role) => {
            let (name, password) = (form.name.clone(), form.password.clone());
            state
                .db(move |conn| accounts::create_user(conn, &name, &password, role))
                .await
        }
        None => Err(AppError::invalid(checker.into_errors())),
    };
    match created {
        Ok(user) => Ok(done(
            &req,
            "/users",
            format!("User {} created ({}).", user.name, user.role.label()),
        )),
        Err(e) => {
            let rejected = Rejected::from_error(e)?;
            let users = state.db(accounts::list_users).await?;
            let page = UsersPage {
                errors: rejected.errors,
                form: NewUserForm {
                    password: String::new(),
                    ..form
                },
                ..UsersPage::new(PageCtx::extract(&req).await?, users)
            };
            render_with_status(&page, rejected.status)
        }
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// A refusal (unknown role, the last admin) comes back as a flash on the list.
pub async fn change_role(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<UserId>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let changed = match input::role(&form.role) {
        Ok(role) => {
            state
                .db(move |conn| accounts::set_role(conn, id, role))
                .await
        }
        Err(message) => Err(AppError::invalid_field("role", message)),
    };
    match changed {
        Ok(user) => Ok(done(
            &req,
            "/users",
            format!("{} is now {}.", user.name, user.role.label()),
        )),
        Err(e @ (AppError::Conflict { .. } | AppError::Invalid { .. })) => {
            flash(&req, FlashKind::Error, e.to_string());
            Ok(see_other("/users"))
        }
        Err(e) => Err(e),
    }
}
