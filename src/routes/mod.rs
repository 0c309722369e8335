//! The one route table, used by `main` and by the tests, and the extractor
//! settings that turn bad requests into our own errors.

mod api;
mod apartments;
mod assets;
mod dashboard;
mod extractors;
mod health;
mod houses;
mod meters;
pub mod page;
mod tariffs;

use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::{ApiError, AppError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(extractors::json_config())
        .app_data(extractors::path_config())
        .app_data(extractors::query_config())
        .app_data(extractors::form_config())
        .route("/healthz", web::get().to(health::healthz))
        .route("/static/{path:.*}", web::get().to(assets::serve))
        .configure(dashboard::configure)
        .configure(houses::configure)
        .configure(apartments::configure)
        .configure(meters::configure)
        .configure(tariffs::configure)
        .service(web::scope("/api/v1").configure(api::configure))
        .default_service(web::to(not_found));
}

async fn not_found(req: HttpRequest) -> Result<HttpResponse, actix_web::Error> {
    Err(error_for(&req, AppError::NotFound))
}

/// API paths answer JSON errors, everything else a styled page.
fn error_for(req: &HttpRequest, error: AppError) -> actix_web::Error {
    if req.path().starts_with("/api/") {
        ApiError(error).into()
    } else {
        error.into()
    }
}
