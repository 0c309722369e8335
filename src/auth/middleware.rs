//! The authentication middleware (every request but a few public ones
//! needs a user, from an API token or the session cookie), the role rules
//! it enforces for pages and API alike, and the security headers.

use actix_session::SessionExt;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::{HttpMessage, HttpResponse, ResponseError, web};
use serde_json::json;

use super::{Identity, pending_form, session_user};
use crate::actor;
use crate::domain::{Problem, Role};
use crate::error::{ApiError, AppError, INVALID_TOKEN, UNAUTHENTICATED};
use crate::http::{FlashKind, browser_locale, flash, see_other};
use crate::services::logins;
use crate::state::AppState;

/// Scripts, styles and images only from this origin, no inline script or
/// style, no framing, forms posting only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'; object-src 'none'";

/// The headers every response carries.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "same-origin"))
}

/// Paths anyone may reach: signing in, the first-run setup (which refuses
/// itself once a user exists), the health check, the metrics (which check
/// their own token) and the static files.
fn is_public(path: &str) -> bool {
    matches!(path, "/login" | "/setup" | "/healthz" | "/metrics") || path.starts_with("/static/")
}

/// The JSON API; /api/docs is a page.
fn is_api(path: &str) -> bool {
    under(path, "/api/v1")
}

fn under(path: &str, prefix: &str) -> bool {
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD)
}

/// Whether the browser marked the request as coming from another site
/// (`Sec-Fetch-Site`, sent by current browsers, not settable by pages).
fn fetched_cross_site(req: &ServiceRequest) -> bool {
    req.headers()
        .get("sec-fetch-site")
        .is_some_and(|site| site.as_bytes().eq_ignore_ascii_case(b"cross-site"))
}

/// Why `role` may not send `method` to `path`, if it may not. Viewers only
/// read; users, tariff changes and the organisation's requisites are for
/// admins.
fn refusal(role: Role, method: &Method, path: &str) -> Option<Problem> {
    let reads = is_read(method);
    // Everyone may sign out and change their own password.
    if path == "/logout" || path == "/password" {
        return None;
    }
    if !role.is_admin() && under(path, "/users") {
        return Some(Problem::OnlyAdminManagesUsers);
    }
    if reads {
        return None;
    }
    if !role.can_write() {
        return Some(Problem::ViewerChangesNothing);
    }
    let prices = ["/tariffs", "/normatives", "/coefficients", "/key-rates"];
    if !role.is_admin()
        && prices
            .iter()
            .any(|p| under(path, p) || under(path, &format!("/api/v1{p}")))
    {
        return Some(Problem::OnlyAdminChangesTariffs);
    }
    // The requisites every receipt and QR code pays to.
    if !role.is_admin() && (under(path, "/organization") || under(path, "/api/v1/organization")) {
        return Some(Problem::OnlyAdminChangesOrganization);
    }
    // A closed month's bill went out: only an admin takes it back.
    if !role.is_admin() && path.ends_with("/reopen") {
        return Some(Problem::OnlyAdminReopens);
    }
    None
}

/// Why a request has no identity.
enum Anonymous {
    /// No credentials at all.
    None,
    /// An `Authorization` header that names no valid token: refused at
    /// once, even on a page, rather than falling back to the cookie.
    BadToken,
}

/// The bearer token of an `Authorization` header; Err for any other
/// scheme or a malformed header.
fn bearer(value: &header::HeaderValue) -> Result<String, ()> {
    let value = value.to_str().map_err(drop)?.trim();
    let (scheme, token) = value.split_once(' ').ok_or(())?;
    let token = token.trim();
    if scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() {
        Ok(token.to_owned())
    } else {
        Err(())
    }
}

async fn identify(
    req: &ServiceRequest,
    state: &AppState,
) -> Result<Result<Identity, Anonymous>, AppError> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let Ok(token) = bearer(value) else {
            return Ok(Err(Anonymous::BadToken));
        };
        let user = state
            .db(move |conn| logins::user_for_token(conn, &token))
            .await?;
        return Ok(user.as_ref().map(Identity::from).ok_or(Anonymous::BadToken));
    }
    let session = req.get_session();
    let Some(id) = session_user(&session) else {
        return Ok(Err(Anonymous::None));
    };
    // The cookie rides along on requests other sites make the browser
    // send; beside SameSite and the CSRF tokens, a browser that says the
    // request is cross-site is not taken as signed in for a write.
    if !is_read(req.method()) && fetched_cross_site(req) {
        return Ok(Err(Anonymous::None));
    }
    match state.db(move |conn| logins::find_user(conn, id)).await? {
        Some(user) if !user.is_blocked() => Ok(Ok(Identity::from(&user))),
        _ => {
            // The user was removed or blocked: the session ends now.
            session.purge();
            Ok(Err(Anonymous::None))
        }
    }
}

/// 401 for the API, with the challenge clients expect.
fn unauthorized_api(why: &Anonymous) -> HttpResponse {
    let (challenge, code, message) = match why {
        Anonymous::None => (
            "Bearer",
            UNAUTHENTICATED,
            "Authentication required: send Authorization: Bearer <token>.",
        ),
        Anonymous::BadToken => (
            r#"Bearer error="invalid_token""#,
            INVALID_TOKEN,
            "The API token is unknown or revoked.",
        ),
    };
    HttpResponse::Unauthorized()
        .insert_header((header::WWW_AUTHENTICATE, challenge))
        .json(json!({ "error": message, "code": code }))
}

/// Whether an anonymous request is a form worth keeping for after the
/// user signs in again: a page's URL-encoded POST from this site.
fn is_keepable_form(req: &ServiceRequest) -> bool {
    req.method() == Method::POST
        && !fetched_cross_site(req)
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The body, unless it is larger than `limit` bytes.
async fn body_within(req: &mut ServiceRequest, limit: usize) -> Option<Vec<u8>> {
    use futures_util::StreamExt;
    let mut payload = req.take_payload();
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.ok()?;
        if body.len() + chunk.len() > limit {
            return None;
        }
        body.extend_from_slice(&chunk);
    }
    Some(body)
}

/// Keeps the form of a request whose session has ended, so the user can
/// save it after signing in; says so on the sign-in page.
async fn keep_form(req: &mut ServiceRequest, state: &AppState) -> Result<(), AppError> {
    let Some(body) = body_within(req, pending_form::MAX_BYTES).await else {
        return Ok(());
    };
    let form = pending_form::PendingForm {
        action: req
            .uri()
            .path_and_query()
            .map_or("/", |pq| pq.as_str())
            .to_owned(),
        fields: pending_form::fields_of(&body),
    };
    let id = state
        .db(move |conn| pending_form::keep(conn, &form))
        .await?;
    pending_form::keep_id(&req.get_session(), &id)?;
    flash(
        req.request(),
        FlashKind::Error,
        browser_locale(req.request()).text("session-ended-form-kept"),
    );
    Ok(())
}

/// Where an anonymous page request goes: the first-run setup while nobody
/// can sign in, else the login page (returning here afterwards for a GET,
/// or to the kept form for a POST).
async fn sign_in_first(
    req: &mut ServiceRequest,
    state: &AppState,
) -> Result<HttpResponse, AppError> {
    if state.db(logins::needs_setup).await? {
        return Ok(see_other("/setup"));
    }
    if is_keepable_form(req) {
        keep_form(req, state).await?;
    }
    let location = if req.method() == Method::GET {
        let here = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
        let next: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
        format!("/login?next={next}")
    } else {
        "/login".to_owned()
    };
    Ok(see_other(&location))
}

/// Refuses anonymous requests (303 to /login for pages, 401 for the API),
/// enforces the roles, then runs the rest of the request as the user: its
/// identity in the extensions, its name as the audit actor.
pub async fn authenticate<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    // The path the router matches (percent-decoded), so an encoded path
    // cannot slip past the rules.
    let path = req.match_info().as_str().to_owned();
    if is_public(&path) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let api = is_api(&path);
    let answer = |req: ServiceRequest, response: HttpResponse| {
        Ok(req.into_response(response).map_into_right_body())
    };
    let fail = |req: ServiceRequest, error: AppError| {
        let response = if api {
            ApiError(error).error_response()
        } else {
            error.error_response()
        };
        answer(req, response)
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return fail(req, AppError::internal(anyhow::anyhow!("no AppState")));
    };
    let mut req = req;
    let identity = match identify(&req, &state).await {
        Ok(Ok(identity)) => identity,
        Ok(Err(why)) if api => return answer(req, unauthorized_api(&why)),
        Ok(Err(Anonymous::BadToken)) => {
            let response = unauthorized_api(&Anonymous::BadToken);
            return answer(req, response);
        }
        Ok(Err(Anonymous::None)) => {
            return match sign_in_first(&mut req, &state).await {
                Ok(response) => answer(req, response),
                Err(e) => fail(req, e),
            };
        }
        Err(e) => return fail(req, e),
    };
    if let Some(message) = refusal(identity.role, req.method(), &path) {
        return fail(req, AppError::Forbidden(message));
    }
    let actor = identity.name.clone();
    req.extensions_mut().insert(identity);
    let response = actor::scope(Some(actor), next.call(req)).await?;
    Ok(response.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewers_only_read_and_managers_leave_users_and_tariffs_alone() {
        let post = Method::POST;
        let get = Method::GET;
        assert!(refusal(Role::Viewer, &get, "/houses").is_none());
        assert!(refusal(Role::Viewer, &Method::HEAD, "/api/v1/houses").is_none());
        assert!(refusal(Role::Viewer, &post, "/houses").is_some());
        assert!(refusal(Role::Viewer, &Method::DELETE, "/api/v1/houses/1").is_some());
        assert!(refusal(Role::Viewer, &post, "/tokens").is_some());
        assert!(refusal(Role::Viewer, &post, "/logout").is_none());
        assert!(refusal(Role::Viewer, &post, "/password").is_none());
        assert!(refusal(Role::Manager, &post, "/users/2/block").is_some());
        assert!(refusal(Role::Manager, &post, "/houses/1/delete").is_none());
        assert!(refusal(Role::Manager, &post, "/tariffs").is_some());
        assert!(refusal(Role::Manager, &post, "/tariffs/3/delete").is_some());
        assert!(refusal(Role::Manager, &Method::PATCH, "/api/v1/tariffs/3").is_some());
        assert!(refusal(Role::Manager, &get, "/tariffs").is_none());
        assert!(refusal(Role::Manager, &get, "/users").is_some());
        assert!(refusal(Role::Manager, &post, "/tokens").is_none());
        // A prefix is a path segment, not the start of another name.
        assert!(refusal(Role::Manager, &post, "/tariffsx").is_none());
        assert!(refusal(Role::Admin, &post, "/users/2/role").is_none());
        assert!(refusal(Role::Admin, &post, "/tariffs").is_none());
        assert!(refusal(Role::Manager, &post, "/organization").is_some());
        assert!(refusal(Role::Manager, &Method::PUT, "/api/v1/organization").is_some());
        assert!(refusal(Role::Manager, &get, "/api/v1/organization").is_none());
        assert!(refusal(Role::Viewer, &get, "/organization").is_none());
        assert!(refusal(Role::Admin, &Method::PUT, "/api/v1/organization").is_none());
    }

    #[test]
    fn only_bearer_tokens_are_read() {
        let h = |s: &'static str| header::HeaderValue::from_static(s);
        assert_eq!(bearer(&h("Bearer kvp_abc")), Ok("kvp_abc".to_owned()));
        assert_eq!(bearer(&h("bearer  kvp_abc ")), Ok("kvp_abc".to_owned()));
        assert!(bearer(&h("Basic YWRtaW46cGFzcw==")).is_err());
        assert!(bearer(&h("Bearer")).is_err());
        assert!(bearer(&h("Bearer ")).is_err());
    }

    #[test]
    fn public_paths_are_few() {
        for path in [
            "/login",
            "/setup",
            "/healthz",
            "/metrics",
            "/static/css/app.css",
        ] {
            assert!(is_public(path), "{path}");
        }
        for path in [
            "/",
            "/logout",
            "/static",
            "/loginx",
            "/api/v1/houses",
            "/users",
        ] {
            assert!(!is_public(path), "{path}");
        }
    }
}
