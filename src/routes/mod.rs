//! The one route table, used by `main` and by the tests, and the extractor
//! settings that turn bad requests into our own errors.

mod accounts;
mod apartments;
mod api;
mod assets;
mod audit;
mod billing;
mod dashboard;
mod docs;
mod extractors;
mod guards;
mod health;
mod houses;
mod login;
mod meters;
mod metrics;
mod normatives;
mod organization;
mod payments;
mod readings;
mod readings_csv;
mod receipts;
mod register;
mod tariffs;
mod tokens;
mod users;

use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpRequest, HttpResponse, guard, web};

use crate::error::{ApiError, AppError};
use crate::views;

pub use guards::refuse_nul_in_query;
pub use health::HealthProbe;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(extractors::json_config(extractors::MAX_JSON_BODY))
        .app_data(extractors::path_config())
        .app_data(extractors::query_config())
        .app_data(extractors::form_config())
        .route("/healthz", web::get().to(health::healthz))
        .route("/metrics", web::get().to(metrics::scrape))
        // HEAD too: caches and link checkers ask before they fetch.
        .route(
            "/static/{path:.*}",
            web::route()
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .to(assets::serve),
        )
        .configure(login::configure)
        .configure(users::configure)
        .configure(tokens::configure)
        .configure(dashboard::configure)
        .configure(houses::configure)
        .configure(apartments::configure)
        .configure(meters::configure)
        .configure(readings_csv::configure)
        .configure(register::configure)
        .configure(receipts::configure)
        .configure(readings::configure)
        .configure(tariffs::configure)
        .configure(normatives::configure)
        .configure(billing::configure)
        .configure(accounts::configure)
        .configure(payments::configure)
        .configure(organization::configure)
        .configure(audit::configure)
        .configure(docs::configure)
        .service(web::scope("/api/v1").configure(api::configure))
        .default_service(web::to(not_found));
}

/// The route table of the separate metrics address (METRICS_ADDR).
pub fn configure_metrics_only(cfg: &mut web::ServiceConfig) {
    cfg.route("/metrics", web::get().to(metrics::serve));
}

/// When a path is known but none of its routes accepts the method, actix
/// answers 405 with an empty body; this gives that answer our own error
/// page (or JSON error under /api/) instead.
///
/// Every other error page an `AppError` rendered (in the default language:
/// `error_response` has no request) is rendered again here with the
/// request's page context, so it speaks the reader's language.
pub fn error_handlers<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new()
        .handler(StatusCode::METHOD_NOT_ALLOWED, |res: ServiceResponse<B>| {
            let (req, _) = res.into_parts();
            let error = error_for(&req, AppError::MethodNotAllowed);
            let response = match error.as_error::<AppError>() {
                Some(page_error) => localized_page(&req, page_error),
                None => error.as_response_error().error_response(),
            };
            Ok(ErrorHandlerResponse::Response(
                ServiceResponse::new(req, response).map_into_right_body(),
            ))
        })
        .default_handler(|res: ServiceResponse<B>| {
            let page = res
                .response()
                .error()
                .and_then(|e| e.as_error::<AppError>())
                .map(|error| localized_page(res.request(), error));
            Ok(match page {
                Some(response) => {
                    let (req, _) = res.into_parts();
                    ErrorHandlerResponse::Response(
                        ServiceResponse::new(req, response).map_into_right_body(),
                    )
                }
                None => ErrorHandlerResponse::Response(res.map_into_left_body()),
            })
        })
}

/// The error page of `error` in the request's language, with its page
/// context (navigation, `<html lang>`).
fn localized_page(req: &HttpRequest, error: &AppError) -> HttpResponse {
    use actix_web::FromRequest;
    use askama::Template;

    match views::page::PageCtx::extract(req).into_inner() {
        Ok(ctx) => {
            let page = error.page(ctx.locale);
            let view = views::error_page::ErrorView::new(ctx, page.clone());
            error.page_response_with(&page, view.render())
        }
        Err(_) => {
            let page = error.page(views::page::request_locale(req));
            error.page_response_with(&page, page.render())
        }
    }
}

/// Answers a request that no route took. When the path matched some route's
/// pattern, only the method was wrong: 405. Otherwise the path is unknown:
/// 404. (Resources without a default handler of their own end up here, which
/// is why a matched pattern can reach it.)
async fn not_found(req: HttpRequest) -> Result<HttpResponse, actix_web::Error> {
    let error = if req.match_pattern().is_some() {
        AppError::MethodNotAllowed
    } else {
        AppError::NotFound
    };
    Err(error_for(&req, error))
}

/// API paths answer JSON errors, everything else (the docs page too) a
/// styled page.
fn error_for(req: &HttpRequest, error: AppError) -> actix_web::Error {
    let path = req.path();
    if path.starts_with("/api/") && !path.starts_with("/api/docs") {
        ApiError(error).into()
    } else {
        error.into()
    }
}
