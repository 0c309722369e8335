//! One error type for every handler. The full cause chain goes to the log;
//! the person sees a styled page (or, under /api/, a JSON error) that says
//! what they can do, never internal text.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::Serialize;

use crate::domain::Problem;
use crate::domain::reading::PROBLEM_CODES;
use crate::i18n::{Arg, Locale};

/// One refused row of a batch: its index (0-based, in the order sent),
/// the field to blame, a stable code for programs and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub index: usize,
    pub field: String,
    /// One of [`ROW_ERROR_CODES`].
    pub code: &'static str,
    /// Sent as English text.
    pub message: Problem,
}

/// A row whose field could not be read at all (not a number, not a month).
pub const UNREADABLE_ROW: &str = "invalid_field";
/// A row naming a meter that does not exist.
pub const UNKNOWN_METER: &str = "unknown_meter";
/// A row naming a meter of another house than the one uploaded to.
pub const METER_OF_ANOTHER_HOUSE: &str = "meter_of_another_house";

/// Every code a refused row can have: the three above, then every code a
/// reading's own problem can have (built, not listed, so a new problem code
/// can never be missing from the API's schema).
pub const ROW_ERROR_CODES: [&str; 3 + PROBLEM_CODES.len()] = {
    let mut all = [UNREADABLE_ROW; 3 + PROBLEM_CODES.len()];
    all[1] = UNKNOWN_METER;
    all[2] = METER_OF_ANOTHER_HOUSE;
    let mut i = 0;
    while i < PROBLEM_CODES.len() {
        all[3 + i] = PROBLEM_CODES[i];
        i += 1;
    }
    all
};

/// The API's 401 answers (from the authentication middleware, not an
/// `AppError`): no credentials, or a token that is unknown or revoked.
pub const UNAUTHENTICATED: &str = "unauthenticated";
pub const INVALID_TOKEN: &str = "invalid_token";

/// Every code an `AppError` can have, one per kind of error.
pub const ERROR_CODES: [&str; 12] = [
    "bad_request",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "conflict",
    "run_active",
    "invalid",
    "invalid_rows",
    "payload_too_large",
    "unavailable",
    "busy",
    "internal",
];

/// Problems by field name, shown beside the fields of a form (in the
/// page's language) or sent as `fields` in a JSON error (in English).
pub type FieldErrors = BTreeMap<String, Problem>;

/// The styled error page's texts in one language. Rendered as they are
/// (without page context: base.html shows the plain navigation) when no
/// request is at hand; `views::ErrorView` renders them with the request's
/// page context.
#[derive(Template, Clone)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub status: u16,
    pub title: String,
    pub message: String,
    /// The hint under a 404, or empty.
    pub hint: String,
    pub to_houses: String,
    pub to_dashboard: String,
}

/// Every error a handler can answer with. Its `Display` (the logs, the
/// API's `error`) is English; [`AppError::message`] says it in a language.
#[derive(Debug)]
pub enum AppError {
    BadRequest(Problem),
    Forbidden(Problem),
    NotFound,
    MethodNotAllowed,
    Conflict {
        message: Problem,
        fields: FieldErrors,
    },
    /// A 409 for a billing run that is already queued or running: the API
    /// names it as `run_id`.
    RunActive {
        message: Problem,
        run_id: i64,
    },
    Invalid {
        message: Problem,
        fields: FieldErrors,
        /// Problems found beyond those in `fields`, which a body wrong
        /// throughout would make larger than itself; the API's `more_errors`.
        unlisted: usize,
    },
    /// Rows of a batch (readings by form, CSV or API) that were refused;
    /// nothing of the batch was saved.
    InvalidRows(Vec<RowError>),
    PayloadTooLarge,
    Unavailable(anyhow::Error),
    /// Every slot for this kind of work is taken: 503 with `Retry-After`.
    Busy {
        retry_after: std::time::Duration,
    },
    Internal(anyhow::Error),
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AppError::Unavailable(e) | AppError::Internal(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl AppError {
    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(error.into())
    }

    /// The error of a part of a body: its fields named under `path`
    /// (`number` of an apartment's `account` becomes `account.number`).
    pub fn within(self, path: &str) -> Self {
        let nest = |fields: FieldErrors| -> FieldErrors {
            fields
                .into_iter()
                .map(|(field, problem)| (format!("{path}.{field}"), problem))
                .collect()
        };
        match self {
            AppError::Invalid {
                fields, unlisted, ..
            } if !fields.is_empty() => AppError::invalid_listed(nest(fields), unlisted),
            AppError::Conflict { message, fields } => AppError::Conflict {
                message,
                fields: nest(fields),
            },
            other => other,
        }
    }

    /// A 422 naming one field.
    pub fn invalid_field(field: &str, message: impl Into<Problem>) -> Self {
        let message = message.into();
        AppError::Invalid {
            fields: FieldErrors::from([(field.to_owned(), message.clone())]),
            message,
            unlisted: 0,
        }
    }

    /// A 422 for several fields; the message names the first.
    pub fn invalid(fields: FieldErrors) -> Self {
        Self::invalid_listed(fields, 0)
    }

    /// A 422 listing `fields` and counting `unlisted` further problems.
    pub fn invalid_listed(fields: FieldErrors, unlisted: usize) -> Self {
        let message = match fields.iter().next() {
            Some((field, problem)) => Problem::InField {
                field: field.clone(),
                problem: Box::new(problem.clone()),
            },
            None => Problem::InputInvalid,
        };
        AppError::Invalid {
            message,
            fields,
            unlisted,
        }
    }

    /// A 422 about the body as a whole, naming no field.
    pub fn invalid_body(message: impl Into<Problem>) -> Self {
        AppError::Invalid {
            message: message.into(),
            fields: FieldErrors::new(),
            unlisted: 0,
        }
    }

    /// A 409 about the request as a whole.
    pub fn conflict(message: impl Into<Problem>) -> Self {
        AppError::Conflict {
            message: message.into(),
            fields: FieldErrors::new(),
        }
    }

    /// A 409 naming the field whose value is taken.
    pub fn conflict_field(field: &str, message: impl Into<Problem>) -> Self {
        let message = message.into();
        AppError::Conflict {
            fields: FieldErrors::from([(field.to_owned(), message.clone())]),
            message,
        }
    }

    /// The per-field messages of a 422 or 409, to show beside the fields.
    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid { fields, .. } | AppError::Conflict { fields, .. }
                if !fields.is_empty() =>
            {
                Some(fields)
            }
            _ => None,
        }
    }

    /// The kind of error as a stable code for programs: one of
    /// [`ERROR_CODES`], sent as the API's `code`.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound => "not_found",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::Conflict { .. } => "conflict",
            AppError::RunActive { .. } => "run_active",
            AppError::Invalid { .. } => "invalid",
            AppError::InvalidRows(_) => "invalid_rows",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::Unavailable(_) => "unavailable",
            AppError::Busy { .. } => "busy",
            AppError::Internal(_) => "internal",
        }
    }

    /// Seconds a client is told to wait before it asks again, for a 503.
    fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::Busy { retry_after } => Some(retry_after.as_secs().max(1)),
            _ => None,
        }
    }

    /// The status line with `Retry-After` when the error has one.
    fn response_builder(&self) -> actix_web::HttpResponseBuilder {
        let mut builder = HttpResponse::build(self.status_code());
        if let Some(seconds) = self.retry_after() {
            builder.insert_header((actix_web::http::header::RETRY_AFTER, seconds));
        }
        builder
    }

    fn log(&self) {
        if let AppError::Busy { .. } = self {
            // Load shed as designed, not a fault.
            tracing::warn!("{self}");
        } else if self.status_code().is_server_error() {
            // `{:?}` of the anyhow source prints the whole cause chain.
            match self {
                AppError::Unavailable(e) | AppError::Internal(e) => tracing::error!("{self} {e:?}"),
                _ => tracing::error!("{self}"),
            }
        }
    }

    /// What went wrong, in `locale`: what a page shows (the API and the
    /// logs take the English).
    pub fn message(&self, locale: Locale) -> String {
        match self {
            AppError::BadRequest(problem)
            | AppError::Forbidden(problem)
            | AppError::Conflict {
                message: problem, ..
            }
            | AppError::RunActive {
                message: problem, ..
            }
            | AppError::Invalid {
                message: problem, ..
            } => locale.problem(problem),
            AppError::NotFound => locale.text("error-not-found"),
            AppError::MethodNotAllowed => locale.text("error-method-not-allowed"),
            AppError::InvalidRows(rows) => {
                locale.text_with("error-invalid-rows", &[("count", Arg::from(rows.len()))])
            }
            AppError::PayloadTooLarge => locale.text("error-payload-too-large"),
            AppError::Unavailable(_) => locale.text("error-unavailable"),
            AppError::Busy { .. } => locale.text("error-busy"),
            AppError::Internal(_) => locale.text("error-internal"),
        }
    }

    fn title(&self, locale: Locale) -> String {
        match self {
            AppError::BadRequest(_) => locale.text("error-title-bad-request"),
            AppError::Forbidden(_) => locale.text("error-title-forbidden"),
            AppError::NotFound => locale.text("error-title-not-found"),
            AppError::MethodNotAllowed => locale.text("error-title-method-not-allowed"),
            AppError::Conflict { .. } | AppError::RunActive { .. } => {
                locale.text("error-title-conflict")
            }
            AppError::Invalid { .. } | AppError::InvalidRows(_) => {
                locale.text("error-title-invalid")
            }
            AppError::PayloadTooLarge => locale.text("error-title-payload-too-large"),
            AppError::Unavailable(_) => locale.text("error-title-unavailable"),
            AppError::Busy { .. } => locale.text("error-title-busy"),
            AppError::Internal(_) => locale.text("error-title-internal"),
        }
    }

    /// The error page's texts in `locale`.
    pub fn page(&self, locale: Locale) -> ErrorPage {
        let status = self.status_code();
        ErrorPage {
            status: status.as_u16(),
            title: self.title(locale),
            message: self.message(locale),
            hint: if status == StatusCode::NOT_FOUND {
                locale.text("error-not-found-hint")
            } else {
                String::new()
            },
            to_houses: locale.text("error-to-houses"),
            to_dashboard: locale.text("error-to-dashboard"),
        }
    }

    /// An error page rendered (by `page.render()` or a page with context)
    /// into the answer this error gives: its status, `Retry-After`.
    pub fn page_response_with(
        &self,
        page: &ErrorPage,
        rendered: askama::Result<String>,
    ) -> HttpResponse {
        match rendered {
            Ok(html) => self
                .response_builder()
                .content_type(ContentType::html())
                .body(html),
            Err(e) => {
                tracing::error!("rendering the error page failed: {e}");
                self.response_builder()
                    .content_type(ContentType::plaintext())
                    .body(page.message.clone())
            }
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict { .. } | AppError::RunActive { .. } => StatusCode::CONFLICT,
            AppError::Invalid { .. } | AppError::InvalidRows(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(_) | AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The page in the default language; `routes::error_handlers` renders
    /// it again in the request's (which this has no access to).
    fn error_response(&self) -> HttpResponse {
        self.log();
        let page = self.page(Locale::default());
        self.page_response_with(&page, page.render())
    }
}

/// The same errors, answered as JSON for the API:
/// `{"error": "...", "fields": {"name": "..."}}`.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub AppError);

/// A batch's refused rows listed in one answer; the rest are counted in
/// `more_errors`, so a batch wrong throughout does not answer a list larger
/// than itself.
pub const MAX_LISTED_ROW_ERRORS: usize = 1_000;

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: String,
    code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<&'a FieldErrors>,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [RowError]>,
    /// Refused rows beyond those listed in `errors`.
    #[serde(skip_serializing_if = "Option::is_none")]
    more_errors: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    run_id: Option<i64>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.log();
        self.0.response_builder().json(ErrorBody {
            error: self.0.to_string(),
            code: self.0.code(),
            fields: self.0.fields(),
            errors: match &self.0 {
                AppError::InvalidRows(rows) => Some(&rows[..rows.len().min(MAX_LISTED_ROW_ERRORS)]),
                _ => None,
            },
            more_errors: match &self.0 {
                AppError::InvalidRows(rows) if rows.len() > MAX_LISTED_ROW_ERRORS => {
                    Some(rows.len() - MAX_LISTED_ROW_ERRORS)
                }
                AppError::Invalid { unlisted, .. } if *unlisted > 0 => Some(*unlisted),
                _ => None,
            },
            run_id: match &self.0 {
                AppError::RunActive { run_id, .. } => Some(*run_id),
                _ => None,
            },
        })
    }
}

impl From<DieselError> for AppError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => AppError::NotFound,
            DieselError::DatabaseError(kind, _) => match kind {
                // Callers map the conflicts they expect to precise messages;
                // these catch the rest (e.g. a race between check and insert).
                DatabaseErrorKind::UniqueViolation => AppError::conflict(Problem::RecordConflict),
                DatabaseErrorKind::ForeignKeyViolation => {
                    AppError::conflict(Problem::StillReferenced)
                }
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand => {
                    AppError::Unavailable(anyhow::Error::new(e).context("a database statement"))
                }
                _ => AppError::Internal(anyhow::Error::new(e).context("a database statement")),
            },
            _ => AppError::Internal(anyhow::Error::new(e).context("a database statement")),
        }
    }
}

impl From<crate::billing::StartError> for AppError {
    fn from(e: crate::billing::StartError) -> Self {
        use crate::billing::StartError;
        match e {
            StartError::HouseNotFound => AppError::NotFound,
            // billing::StartError's own texts are English still (theirs to type).
            StartError::FuturePeriod(_) => AppError::invalid_field("period", e.to_string()),
            StartError::MissingTariffs {
                period,
                ref services,
            }
            | StartError::MissingNormatives {
                period,
                ref services,
            } => {
                let tariffs = matches!(e, StartError::MissingTariffs { .. });
                let problem = |service| match tariffs {
                    true => Problem::NoTariff { service, period },
                    false => Problem::NoNormative { service, period },
                };
                AppError::Invalid {
                    fields: services
                        .iter()
                        .map(|&service| (service.to_string(), problem(service)))
                        .collect(),
                    message: e.to_string().into(),
                    unlisted: 0,
                }
            }
            StartError::PeriodClosed(period) => AppError::conflict(Problem::PeriodClosed(period)),
            StartError::Active(run) => AppError::RunActive {
                message: e.to_string().into(),
                run_id: run.0,
            },
            StartError::Db(e) => e.into(),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::Unavailable(anyhow::Error::new(e).context("taking a database connection"))
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(anyhow::Error::new(e).context("running database work off the executor"))
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(anyhow::Error::new(e).context("rendering a page"))
    }
}

/// Lets API handlers use `?` on anything that converts into [`AppError`].
macro_rules! api_error_from {
    ($($ty:ty),+) => {$(
        impl From<$ty> for ApiError {
            fn from(e: $ty) -> Self {
                ApiError(e.into())
            }
        }
    )+};
}
api_error_from!(
    DieselError,
    crate::billing::StartError,
    diesel::r2d2::PoolError,
    actix_web::error::BlockingError
);

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use actix_web::http::header::RETRY_AFTER;
    use futures_util::FutureExt;

    use super::*;

    #[test]
    fn every_error_has_a_listed_code_of_its_own() {
        let errors = [
            AppError::BadRequest(Problem::Said(String::new())),
            AppError::Forbidden(Problem::Said(String::new())),
            AppError::NotFound,
            AppError::MethodNotAllowed,
            AppError::conflict("taken"),
            AppError::RunActive {
                message: Problem::Said(String::new()),
                run_id: 1,
            },
            AppError::invalid_body("bad"),
            AppError::InvalidRows(Vec::new()),
            AppError::PayloadTooLarge,
            AppError::Unavailable(anyhow::anyhow!("down")),
            AppError::Busy {
                retry_after: Duration::from_secs(1),
            },
            AppError::internal(anyhow::anyhow!("bug")),
        ];
        let codes: Vec<&str> = errors.iter().map(AppError::code).collect();
        assert_eq!(codes, ERROR_CODES);
        let body: serde_json::Value = serde_json::from_slice(
            &actix_web::body::to_bytes(ApiError(AppError::NotFound).error_response().into_body())
                .now_or_never()
                .unwrap()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            body,
            serde_json::json!({"error": "Not found.", "code": "not_found"})
        );
    }

    #[test]
    fn busy_is_a_503_that_says_when_to_ask_again_on_pages_and_in_the_api() {
        let busy = || AppError::Busy {
            retry_after: Duration::from_secs(20),
        };
        for response in [busy().error_response(), ApiError(busy()).error_response()] {
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(response.headers().get(RETRY_AFTER).unwrap(), "20");
        }
        let down = AppError::Unavailable(anyhow::anyhow!("gone")).error_response();
        assert!(down.headers().get(RETRY_AFTER).is_none());
    }
}
