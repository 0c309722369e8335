//! The users page (admins only; the middleware refuses everyone else):
//! the list, a form to add a user, and a role change per user.

use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::db::models::UserId;
use crate::domain::input::{self, Checker};
use crate::error::AppError;
use crate::http::{CsrfForm, FlashKind, done, flash, see_other};
use crate::services::accounts;
use crate::state::AppState;
use crate::views::forms::{Rejected, render_with_status};
use crate::views::page::PageCtx;
use crate::views::users::{NewUserForm, UsersPage};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/users", web::get().to(index))
        .route("/users", web::post().to(create))
        .route("/users/{id}/role", web::post().to(change_role));
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
