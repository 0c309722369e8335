//! A file uploaded with a form (multipart): its bytes, its name and the
//! form's CSRF token, read within a bound.

use actix_multipart::Multipart;
use actix_web::HttpRequest;
use actix_web::http::header;
use futures_util::StreamExt;

use crate::domain::Problem;
use crate::error::AppError;

/// Large enough for a year of a big house's readings (50,000 lines are
/// ~2 MB) or a bank register of 200,000 payments, with room for files
/// padded with empty cells by a spreadsheet.
pub const MAX_UPLOAD: usize = 32 * 1024 * 1024;

/// The form's fields: the CSRF token and the file.
#[derive(Debug, Default)]
pub struct Upload {
    pub csrf_token: String,
    pub file: Option<Vec<u8>>,
    /// The file's name as the browser sent it.
    pub file_name: String,
}

/// Reads the form's fields; the file's buffer is sized at once by the
/// request's Content-Length, so it is not copied while it grows.
pub async fn read_upload(req: &HttpRequest, mut multipart: Multipart) -> Result<Upload, AppError> {
    let announced: usize = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok()?.parse().ok())
        .unwrap_or(0);
    let unreadable = |_| AppError::BadRequest(Problem::UploadUnreadable);
    let mut upload = Upload::default();
    let mut total = 0;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(unreadable)?;
        let name = field.name().unwrap_or_default().to_owned();
        let mut data = if name == "file" {
            if let Some(file_name) = field.content_disposition().and_then(|d| d.get_filename()) {
                upload.file_name = file_name.chars().take(255).collect();
            }
            Vec::with_capacity(announced.min(MAX_UPLOAD))
        } else {
            Vec::new()
        };
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(unreadable)?;
            total += chunk.len();
            if total > MAX_UPLOAD {
                return Err(AppError::PayloadTooLarge);
            }
            data.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf_token" => upload.csrf_token = String::from_utf8_lossy(&data).into_owned(),
            "file" => upload.file = Some(data),
            _ => {}
        }
    }
    Ok(upload)
}
