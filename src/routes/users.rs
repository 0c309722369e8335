//! The users pages (admins only; the middleware refuses everyone else):
//! the list, a form to add a user, a role change per user, and each
//! user's page (full name, password reset, block, sign out everywhere);
//! and every user's own password page.

use actix_web::web::{self, Html};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::db::models::UserId;
use crate::domain::Problem;
use crate::domain::input::{self, Checker};
use crate::error::AppError;
use actix_session::SessionExt;

use crate::auth::{self, Identity};
use crate::http::{CsrfForm, FlashKind, NoFields, done, flash, see_other};
use crate::i18n::Locale;
use crate::services::logins;
use crate::state::AppState;
use crate::views::forms::{FormErrors, Rejected, render_with_status};
use crate::views::page::{PageCtx, request_locale};
use crate::views::users::{NewUserForm, PasswordPage, UserPage, UsersPage};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/users", web::get().to(index))
        .route("/users", web::post().to(create))
        .route("/users/{id}/role", web::post().to(change_role))
        .route("/users/{id}", web::get().to(show))
        .route("/users/{id}/full-name", web::post().to(set_full_name))
        .route("/users/{id}/password", web::post().to(reset_password))
        .route("/users/{id}/block", web::post().to(block))
        .route("/users/{id}/unblock", web::post().to(unblock))
        .route(
            "/users/{id}/sign-out-everywhere",
            web::post().to(sign_out_everywhere),
        )
        .route("/password", web::get().to(password_page))
        .route("/password", web::post().to(change_password))
        .route("/language", web::post().to(change_language));
}

pub async fn index(ctx: PageCtx, state: web::Data<AppState>) -> Result<Html, AppError> {
    let users = state.db(logins::list_users).await?;
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
            let (name, full_name, password) = (
                form.name.clone(),
                form.full_name.clone(),
                form.password.clone(),
            );
            state
                .db(move |conn| {
                    logins::create_user_with_full_name(conn, &name, &full_name, &password, role)
                })
                .await
        }
        None => Err(AppError::invalid(checker.into_errors())),
    };
    match created {
        Ok(user) => {
            let locale = request_locale(&req);
            let message = locale.text_with(
                "user-created",
                &[
                    ("name", user.name.into()),
                    ("role", locale.name(user.role).into()),
                ],
            );
            Ok(done(&req, "/users", message))
        }
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let users = state.db(logins::list_users).await?;
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
        Ok(role) => state.db(move |conn| logins::set_role(conn, id, role)).await,
        Err(message) => Err(AppError::invalid_field("role", message)),
    };
    match changed {
        Ok(user) => {
            let locale = request_locale(&req);
            let message = locale.text_with(
                "user-role-changed",
                &[
                    ("name", user.name.into()),
                    ("role", locale.name(user.role).into()),
                ],
            );
            Ok(done(&req, "/users", message))
        }
        Err(e @ (AppError::Conflict { .. } | AppError::Invalid { .. })) => {
            flash(&req, FlashKind::Error, e.to_string());
            Ok(see_other("/users"))
        }
        Err(e) => Err(e),
    }
}

async fn user_page(req: &HttpRequest, state: &AppState, id: UserId) -> Result<UserPage, AppError> {
    let (user, sessions) = state
        .db(move |conn| logins::user_with_sessions(conn, id))
        .await?;
    Ok(UserPage::new(PageCtx::extract(req).await?, user, sessions))
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<UserId>,
) -> Result<Html, AppError> {
    Ok(Html::new(user_page(&req, &state, *id).await?.render()?))
}

/// A refused form comes back on the user's page with the field's message.
async fn refused(
    req: &HttpRequest,
    state: &AppState,
    id: UserId,
    error: AppError,
    typed_full_name: Option<String>,
) -> Result<HttpResponse, AppError> {
    let rejected = Rejected::from_error(error, req)?;
    let mut page = user_page(req, state, id).await?;
    page.errors = rejected.errors;
    if let Some(typed) = typed_full_name {
        page.full_name = typed;
    }
    render_with_status(&page, rejected.status)
}

#[derive(Deserialize)]
pub struct FullNameForm {
    #[serde(default)]
    full_name: String,
}

pub async fn set_full_name(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<UserId>,
    CsrfForm(form): CsrfForm<FullNameForm>,
) -> Result<HttpResponse, AppError> {
    let (id, full_name) = (id.into_inner(), form.full_name.clone());
    match state
        .db(move |conn| logins::set_full_name(conn, id, &full_name))
        .await
    {
        Ok(user) => Ok(done(
            &req,
            &format!("/users/{id}"),
            request_locale(&req).text_with("user-full-name-saved", &[("name", user.name.into())]),
        )),
        Err(e) => refused(&req, &state, id, e, Some(form.full_name)).await,
    }
}

#[derive(Deserialize)]
pub struct ResetPasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn reset_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<UserId>,
    CsrfForm(form): CsrfForm<ResetPasswordForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    match state
        .db(move |conn| logins::reset_password(conn, id, &form.password))
        .await
    {
        Ok(user) => Ok(done(
            &req,
            &format!("/users/{id}"),
            request_locale(&req).text_with("user-password-reset", &[("name", user.name.into())]),
        )),
        Err(e) => refused(&req, &state, id, e, None).await,
    }
}

async fn set_blocked(
    req: &HttpRequest,
    state: &AppState,
    id: UserId,
    blocked: bool,
) -> Result<HttpResponse, AppError> {
    let here = format!("/users/{id}");
    match state
        .db(move |conn| logins::set_blocked(conn, id, blocked))
        .await
    {
        Ok(user) if blocked => Ok(done(
            req,
            &here,
            request_locale(req).text_with("user-blocked-flash", &[("name", user.name.into())]),
        )),
        Ok(user) => Ok(done(
            req,
            &here,
            request_locale(req).text_with("user-unblocked-flash", &[("name", user.name.into())]),
        )),
        Err(e @ AppError::Conflict { .. }) => {
            flash(req, FlashKind::Error, e.to_string());
            Ok(see_other(&here))
        }
        Err(e) => Err(e),
    }
}

pub async fn block(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<UserId>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    set_blocked(&req, &state, *id, true).await
}

pub async fn unblock(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<UserId>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    set_blocked(&req, &state, *id, false).await
}

pub async fn sign_out_everywhere(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<UserId>,
    me: Identity,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let ended = state
        .db(move |conn| logins::sign_out_everywhere(conn, id))
        .await?;
    if id == me.user_id {
        // This browser's session was one of them.
        return Ok(see_other("/login"));
    }
    Ok(done(
        &req,
        &format!("/users/{id}"),
        me.locale
            .text_with("user-sessions-ended", &[("count", ended.into())]),
    ))
}

pub async fn password_page(ctx: PageCtx) -> Result<Html, AppError> {
    let page = PasswordPage {
        ctx,
        errors: FormErrors::default(),
    };
    Ok(Html::new(page.render()?))
}

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

/// Every session of the user ends; this one is signed in again.
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: Identity,
    CsrfForm(form): CsrfForm<ChangePasswordForm>,
) -> Result<HttpResponse, AppError> {
    let changed = if form.password != form.password_confirm {
        Err(AppError::invalid_field(
            "password_confirm",
            Problem::PasswordsDiffer,
        ))
    } else {
        let id = me.user_id;
        state
            .db(move |conn| {
                logins::change_own_password(conn, id, &form.current_password, &form.password)
            })
            .await
    };
    match changed {
        Ok(user) => {
            auth::sign_in(&req.get_session(), &user)?;
            Ok(done(
                &req,
                "/password",
                me.locale.text("user-password-changed"),
            ))
        }
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let page = PasswordPage {
                ctx: PageCtx::extract(&req).await?,
                errors: rejected.errors,
            };
            render_with_status(&page, rejected.status)
        }
    }
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    locale: String,
}

/// The signed-in user's interface language; the next page is in it.
pub async fn change_language(
    req: HttpRequest,
    state: web::Data<AppState>,
    me: Identity,
    CsrfForm(form): CsrfForm<LanguageForm>,
) -> Result<HttpResponse, AppError> {
    // A select offers only the languages there are: anything else was not
    // sent by the page.
    let locale = Locale::from_code(&form.locale)
        .ok_or_else(|| AppError::BadRequest(Problem::UnknownLanguage(form.locale.clone())))?;
    let id = me.user_id;
    state
        .db(move |conn| logins::set_locale(conn, id, locale))
        .await?;
    Ok(done(&req, "/password", locale.text("language-changed")))
}
