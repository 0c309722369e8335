//! Signing in and out, and the first-run setup that creates the admin.

use actix_session::SessionExt;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::web;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::auth::limiter::Attempt;
use crate::auth::{self, TrustedProxies, pending_form};
use crate::domain::Problem;
use crate::error::AppError;
use crate::http::{CsrfForm, NoFields, browser_locale, done, see_other};
use crate::i18n::Locale;
use crate::services::logins;
use crate::state::AppState;
use crate::views::auth::{LoginPage, ResumeFormPage, SetupPage, SignInRefusal};
use crate::views::forms::{FormErrors, Rejected, render_with_status};
use crate::views::page::PageCtx;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login_page))
        .route("/login", web::post().to(login))
        .route("/login/resume", web::get().to(resume_form))
        .route("/logout", web::post().to(logout))
        .route("/setup", web::get().to(setup_page))
        .route("/setup", web::post().to(setup));
}

#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Only a path of this site: `//host` or `/\host` would leave it.
fn local_path(next: &str) -> &str {
    let safe = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(char::is_control);
    if safe { next } else { "/" }
}

pub async fn login_page(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    if state.db(logins::needs_setup).await? {
        return Ok(see_other("/setup"));
    }
    let page = LoginPage {
        ctx,
        name: String::new(),
        next: local_path(&query.next).to_owned(),
        error: None,
    };
    render_with_status(&page, StatusCode::OK)
}

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    trusted: web::Data<TrustedProxies>,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let ip = auth::client_addr(&req, &trusted);
    let address = ip.map(|ip| ip.to_string());
    let refuse = async |status: StatusCode, error: SignInRefusal| {
        let page = LoginPage {
            ctx: PageCtx::extract(&req).await?,
            name: form.name.trim().to_owned(),
            next: local_path(&form.next).to_owned(),
            error: Some(error),
        };
        render_with_status(&page, status)
    };
    // Counted before the password is checked: parallel guesses each see
    // their own count and cannot all slip under the limit.
    let attempt = std::sync::Arc::new(Attempt::new(&form.name, ip));
    let counted = attempt.clone();
    let wait = state.db(move |conn| counted.count(conn)).await?;
    if let Some(wait) = wait {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        let mut response = refuse(
            StatusCode::TOO_MANY_REQUESTS,
            SignInRefusal::Wait { minutes },
        )
        .await?;
        response.headers_mut().insert(
            header::RETRY_AFTER,
            header::HeaderValue::from(wait.as_secs().max(1)),
        );
        return Ok(response);
    }
    let (name, password) = (form.name.clone(), form.password.clone());
    let user = state
        .db(move |conn| logins::authenticate(conn, &name, &password))
        .await?;
    let Some(user) = user else {
        let (name, address) = (form.name.clone(), address.clone());
        state
            .db(move |conn| logins::record_failed_sign_in(conn, &name, address))
            .await?;
        // The same words for an unknown name and a wrong password.
        return refuse(StatusCode::UNAUTHORIZED, SignInRefusal::WrongNameOrPassword).await;
    };
    if user.is_blocked() {
        return refuse(StatusCode::FORBIDDEN, SignInRefusal::Blocked).await;
    }
    let signed_in = user.clone();
    state
        .db(move |conn| {
            attempt.succeeded(conn)?;
            logins::record_sign_in(conn, &signed_in, address)?;
            logins::delete_expired_sessions(conn, pending_form::LIFETIME)
        })
        .await?;
    let session = req.get_session();
    auth::sign_in(&session, &user)?;
    tracing::info!("{} signed in", user.name);
    if pending_form::is_waiting(&session) {
        return Ok(see_other("/login/resume"));
    }
    Ok(see_other(local_path(&form.next)))
}

/// After signing in again: the form kept when the session ended, filled
/// in, to save with one click (or the dashboard when there is none).
pub async fn resume_form(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let id = pending_form::take_id(&req.get_session());
    let form = state.db(move |conn| pending_form::take(conn, id)).await?;
    let Some(form) = form else {
        return Ok(see_other("/"));
    };
    let page = ResumeFormPage {
        ctx: PageCtx::extract(&req).await?,
        action: local_path(&form.action).to_owned(),
        fields: form.fields,
    };
    render_with_status(&page, StatusCode::OK)
}

pub async fn logout(req: HttpRequest, _form: CsrfForm<NoFields>) -> HttpResponse {
    auth::sign_out(&req.get_session());
    // The sign-in page that follows is in the browser's language.
    done(&req, "/login", browser_locale(&req).text("signed-out"))
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

/// Open only while nobody can sign in; then it sends people to /login.
pub async fn setup_page(
    ctx: PageCtx,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if !state.db(logins::needs_setup).await? {
        return Ok(see_other("/login"));
    }
    let page = SetupPage {
        ctx,
        name: String::new(),
        errors: FormErrors::default(),
    };
    render_with_status(&page, StatusCode::OK)
}

pub async fn setup(
    req: HttpRequest,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<SetupForm>,
) -> Result<HttpResponse, AppError> {
    let created = if form.password != form.password_confirm {
        Err(AppError::invalid_field(
            "password_confirm",
            Problem::PasswordsDiffer,
        ))
    } else {
        let (name, password) = (form.name.clone(), form.password.clone());
        state
            .db(move |conn| logins::create_first_admin(conn, &name, &password))
            .await
    };
    match created {
        Ok(user) => {
            auth::sign_in(&req.get_session(), &user)?;
            tracing::info!("first-run setup: admin {} created", user.name);
            let locale = Locale::from_code(&user.locale).unwrap_or_default();
            let welcome = locale.text_with("setup-welcome", &[("name", user.name.as_str().into())]);
            Ok(done(&req, "/", welcome))
        }
        Err(e) => {
            let rejected = Rejected::from_error(e, &req)?;
            let page = SetupPage {
                ctx: PageCtx::extract(&req).await?,
                name: form.name.trim().to_owned(),
                errors: rejected.errors,
            };
            render_with_status(&page, rejected.status)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(local_path("/houses/3?q=1"), "/houses/3?q=1");
        assert_eq!(local_path(""), "/");
        assert_eq!(local_path("https://evil.example/"), "/");
        assert_eq!(local_path("//evil.example/"), "/");
        assert_eq!(local_path("/\\evil.example/"), "/");
        assert_eq!(local_path("/x\r\nSet-Cookie: a=b"), "/");
    }
}
