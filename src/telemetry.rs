//! Logging: `tracing` to standard error, filtered by `RUST_LOG` (default
//! `info`). Every request runs in a `request` span (its id, method and path)
//! and every billing run in a `run` span (its id, house and month), so the
//! lines of one request or one run can be picked out of a busy log even
//! when its work hops between threads. Lines from the `log` crate (actix's
//! request log) are taken in too and land in the same spans.
//!
//! Nothing secret goes into a span or a line: no header (Authorization,
//! cookies), no body, no password or token; paths only, never query strings.

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};
use tracing_subscriber::EnvFilter;

/// Installs the subscriber once, for the whole process.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
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
        // The request line (with the status) is logged inside the span by
        // actix's Logger; errors log themselves with their cause chain.
    }
}
