//! Extractor error handlers: malformed input becomes a 4xx in the format the
//! path expects, never actix's default plain-text error.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError, UrlencodedError};
use actix_web::web;

use super::error_for;
use crate::domain::Problem;
use crate::error::AppError;

/// A body naming one resource (a tariff, a meter, a billing run); larger
/// get 413 before they are read.
pub const MAX_JSON_BODY: usize = 64 * 1024;
/// A house with its apartments and meters: 10,000 apartments with two
/// meters each are about 2 MB. Read as a JSON tree, it stays near 150 MB.
pub const MAX_HOUSE_BODY: usize = 4 * 1024 * 1024;
/// A batch of readings, read row by row (never as a tree), at most
/// `MAX_BATCH_ROWS` of them.
pub const MAX_READINGS_BODY: usize = 16 * 1024 * 1024;
const MAX_FORM_BODY: usize = 4 * 1024 * 1024;

/// JSON bodies up to `limit` bytes; the error answers of every body.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, req| {
            let error = match &err {
                JsonPayloadError::Overflow { .. }
                | JsonPayloadError::OverflowKnownLength { .. } => AppError::PayloadTooLarge,
                JsonPayloadError::ContentType => AppError::BadRequest(Problem::SendJson),
                JsonPayloadError::Deserialize(e) if e.is_data() => {
                    AppError::invalid_body(e.to_string())
                }
                JsonPayloadError::Deserialize(e) => {
                    AppError::BadRequest(Problem::MalformedJson(e.to_string()))
                }
                _ => AppError::BadRequest(Problem::BodyUnreadable),
            };
            error_for(req, error)
        })
}

/// An id that is not a number names nothing: 404, as an unknown id would.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_: PathError, req| error_for(req, AppError::NotFound))
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, req| {
        error_for(
            req,
            AppError::BadRequest(Problem::QueryUnreadable(err.to_string())),
        )
    })
}

pub fn form_config() -> web::FormConfig {
    web::FormConfig::default()
        .limit(MAX_FORM_BODY)
        .error_handler(|err: UrlencodedError, req| {
            let error = match err {
                UrlencodedError::Overflow { .. } => AppError::PayloadTooLarge,
                _ => AppError::BadRequest(Problem::FormUnreadable),
            };
            error_for(req, error)
        })
}
