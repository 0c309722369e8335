//! A file sent to the API: as the request's body (`text/csv`) or as a
//! multipart form's `file` part, bounded alike.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::web;
use actix_web::{FromRequest, HttpRequest};

use crate::domain::Problem;
use crate::error::{ApiError, AppError, FieldErrors};
use crate::http::upload::{MAX_UPLOAD, read_upload};

/// What a multipart form adds to its file: boundaries, part headers, a
/// file name, a CSRF token.
const FORM_OVERHEAD: usize = 64 * 1024;

/// The body limit of a file sent as the body.
pub fn file_config() -> web::PayloadConfig {
    web::PayloadConfig::new(MAX_UPLOAD)
}

/// The file's name (empty when sent as the body) and bytes.
pub async fn read_file(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<(String, Vec<u8>), ApiError> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    if !multipart {
        let body = web::Bytes::from_request(req, &mut payload.into_inner())
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        return Ok((String::new(), body.to_vec()));
    }
    // A form announcing more than a largest file and its form's parts is
    // refused at once, as a body is by its PayloadConfig, rather than read
    // up to the limit.
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if announced.is_some_and(|length| length > MAX_UPLOAD + FORM_OVERHEAD) {
        return Err(AppError::PayloadTooLarge.into());
    }
    let form = Multipart::from_request(req, &mut payload.into_inner())
        .await
        .map_err(|_| AppError::BadRequest(Problem::UploadUnreadable))?;
    let upload = read_upload(req, form).await?;
    Ok((upload.file_name, upload.file.unwrap_or_default()))
}

/// A refused file's errors: a field per bad line, `line N` (`file` for the
/// file as a whole, line 0).
pub fn refused(lines: impl IntoIterator<Item = (usize, Problem)>) -> AppError {
    let fields: FieldErrors = lines
        .into_iter()
        .map(|(line, problem)| match line {
            0 => ("file".to_owned(), problem),
            line => (format!("line {line}"), problem),
        })
        .collect();
    AppError::invalid(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_file_names_its_lines() {
        let fields = crate::routes::api::body::fields(refused([
            (3, Problem::AmountNotPositive),
            (0, Problem::RegisterEmpty),
        ]));
        let names: Vec<&str> = fields.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["file", "line 3"]);
    }
}
