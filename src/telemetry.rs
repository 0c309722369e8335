//! Logging: `tracing` to standard error, filtered by `RUST_LOG` (default
//! `info`). Every request runs in a `request` span (its id, method and path)
//! and every billing run in a `run` span (its id, house and month), so the
//! lines of one request or one run can be picked out of a busy log even
//! when its work hops between threads. The request line (address, method,
//! path, status, time) is logged inside the request's span too, and lines
//! of the `log` crate (actix's own) are taken in.
//!
//! Nothing secret goes into a span or a line: no header (Authorization,
//! cookies), no body, no password or token; the request line keeps the query
//! string, as access logs do (no secret travels in one).

use std::io::IsTerminal;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};
use tracing_subscriber::EnvFilter;

use crate::state::AppState;

/// Installs the subscriber once, for the whole process.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal, not in files and pipes.
        .with_ansi(std::io::stderr().is_terminal())
        .with_thread_names(true)
        .init();
}

/// The span of one request: `request{id=… method=GET path=/houses/3}`.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            id = %id,
            method = %request.method(),
            path = %request.path(),
        )
    }

    fn on_request_end<B: MessageBody>(
        _span: Span,
        _outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        // `request_line` logs the answer inside the span; errors log
        // themselves with their cause chain.
    }
}

/// The access log: one line per answer, `127.0.0.1 "GET /houses?q=1
/// HTTP/1.1" 200 3.214ms`, written inside the request's span (actix's own
/// `Logger` writes it when the body is dropped, after the span has closed).
/// The same answer and time go into the request metrics, by route pattern.
pub async fn request_line(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = std::time::Instant::now();
    let peer = request
        .peer_addr()
        .map_or_else(|| "-".to_owned(), |a| a.ip().to_string());
    let line = format!(
        "{} {} {:?}",
        request.method(),
        request.uri().path_and_query().map_or("/", |p| p.as_str()),
        request.version()
    );
    let metrics = request
        .app_data::<web::Data<AppState>>()
        .map(|s| s.metrics.clone());
    let method = request.method().clone();
    let response = next.call(request).await?;
    let took = started.elapsed();
    if let Some(metrics) = metrics {
        let route = response.request().match_pattern();
        metrics.observe_request(&method, route.as_deref(), response.status().as_u16(), took);
    }
    let elapsed = took.as_secs_f64() * 1000.0;
    tracing::info!(
        "{peer} \"{line}\" {} {elapsed:.3}ms",
        response.status().as_u16()
    );
    Ok(response)
}
