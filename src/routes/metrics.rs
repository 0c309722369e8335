//! GET /metrics in the Prometheus text format: on its own address
//! (METRICS_ADDR) for anyone who can reach it, or on the main address for
//! the bearer of METRICS_TOKEN; never public by default.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use subtle::ConstantTimeEq;

use crate::error::AppError;
use crate::metrics::{self, MetricsAccess};
use crate::state::AppState;

/// /metrics on the main address.
pub async fn scrape(
    req: HttpRequest,
    state: web::Data<AppState>,
    access: web::Data<MetricsAccess>,
) -> Result<HttpResponse, AppError> {
    let MetricsAccess::Token(expected) = access.get_ref() else {
        return Err(AppError::NotFound);
    };
    let sent = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let allowed = sent.is_some_and(|token| bool::from(token.as_bytes().ct_eq(expected.as_bytes())));
    if !allowed {
        return Ok(HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
            .content_type("text/plain; charset=utf-8")
            .body("/metrics needs Authorization: Bearer <METRICS_TOKEN>.\n"));
    }
    serve(state).await
}

/// /metrics on the metrics address: whoever can reach it may read it.
pub async fn serve(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let (metrics, pool) = (state.metrics.clone(), state.pool.clone());
    let text = web::block(move || metrics.render(&pool)).await?;
    Ok(HttpResponse::Ok()
        .content_type(metrics::CONTENT_TYPE)
        .body(text))
}
