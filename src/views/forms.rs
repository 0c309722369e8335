//! What every form page shares: the messages shown beside the fields, the
//! choices of a select, and the answer to a submit that could not be saved
//! (the same form again, with the person's input, as 422 or 409).

use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use std::collections::BTreeMap;

use super::page::request_locale;
use crate::db::models::HouseId;
use crate::domain::input::Checker;
use crate::error::{AppError, FieldErrors};
use crate::i18n::Locale;

/// Messages by field name, already in the page's language, for
/// `macros.html` (which sees no page context): `errors.get("area")`.
#[derive(Debug, Default, Clone)]
pub struct FormErrors(BTreeMap<String, String>);

impl FormErrors {
    /// The problems said in `locale`.
    pub fn new(errors: &FieldErrors, locale: Locale) -> Self {
        Self(
            errors
                .iter()
                .map(|(field, problem)| (field.clone(), locale.problem(problem)))
                .collect(),
        )
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// In the default language (Russian): prefer [`FormErrors::new`] with the
/// page's locale.
impl From<FieldErrors> for FormErrors {
    fn from(errors: FieldErrors) -> Self {
        Self::new(&errors, Locale::default())
    }
}

/// One `<option>` of a select.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
        }
    }

    /// Whether this option is the submitted (or stored) value.
    pub fn is(&self, selected: &str) -> bool {
        self.value == selected.trim()
    }
}

/// A house select: a first empty choice labelled `empty` (all houses, or
/// none), then each house by the order given.
pub fn house_choices<S: Into<String>>(
    empty: &str,
    houses: impl IntoIterator<Item = (HouseId, S)>,
) -> Vec<Choice> {
    std::iter::once(Choice::new("", empty))
        .chain(
            houses
                .into_iter()
                .map(|(id, address)| Choice::new(id.to_string(), address)),
        )
        .collect()
}

/// A submit that could not be saved: the status to answer with and the
/// messages to show beside the fields.
#[derive(Debug)]
pub struct Rejected {
    pub status: StatusCode,
    pub errors: FormErrors,
}

impl Rejected {
    /// Input that breaks the rules (from `domain::input::Checker`): 422,
    /// the messages in the request's language.
    pub fn invalid(errors: FieldErrors, req: &HttpRequest) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors: FormErrors::new(&errors, request_locale(req)),
        }
    }

    /// A service's refusal that names fields (422, or 409 for a taken
    /// number, serial or address) goes back to the form; anything else
    /// (not found, a database failure) stays an error page. The messages
    /// are in the request's language.
    pub fn from_error(error: AppError, req: &HttpRequest) -> Result<Self, AppError> {
        Self::from_error_in(error, request_locale(req))
    }

    /// [`Rejected::from_error`] with the messages in `locale`.
    pub fn from_error_in(error: AppError, locale: Locale) -> Result<Self, AppError> {
        match error.fields() {
            Some(fields) => Ok(Self {
                // 422 for Invalid, 409 for Conflict: the only kinds with fields.
                status: error.status_code(),
                errors: FormErrors::new(fields, locale),
            }),
            None => Err(error),
        }
    }
}

/// The checked value when every field passed, else a 422 naming each
/// field that did not (ready for [`Rejected::from_error`]).
pub fn checked<T>(checker: Checker, value: Option<T>) -> Result<T, AppError> {
    match value {
        Some(value) if checker.is_ok() => Ok(value),
        _ => Err(AppError::invalid(checker.into_errors())),
    }
}

/// Renders a page with a status other than 200 (a refused form).
pub fn render_with_status(
    page: &impl Template,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type(ContentType::html())
        .body(page.render()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Problem;

    #[test]
    fn field_errors_go_back_to_the_form_with_their_status() {
        let taken = AppError::conflict_field("number", Problem::NumberTaken);
        let rejected = Rejected::from_error_in(taken, Locale::Ru).unwrap();
        assert_eq!(rejected.status, StatusCode::CONFLICT);
        assert_eq!(
            rejected.errors.get("number"),
            Some("В этом доме уже есть квартира с таким номером.")
        );
        let taken = AppError::conflict_field("number", Problem::NumberTaken);
        let rejected = Rejected::from_error_in(taken, Locale::En).unwrap();
        assert_eq!(
            rejected.errors.get("number"),
            Some("This house already has an apartment with this number.")
        );

        let invalid = AppError::invalid_field("area", Problem::AreaNotPositive);
        let rejected = Rejected::from_error_in(invalid, Locale::Ru).unwrap();
        assert_eq!(rejected.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(rejected.errors.has("area") && !rejected.errors.has("number"));
    }

    #[test]
    fn errors_without_fields_stay_errors() {
        assert!(matches!(
            Rejected::from_error_in(AppError::NotFound, Locale::Ru),
            Err(AppError::NotFound)
        ));
        assert!(Rejected::from_error_in(AppError::conflict("has readings"), Locale::Ru).is_err());
    }

    #[test]
    fn a_choice_matches_the_trimmed_submitted_value() {
        let cold = Choice::new("cold_water", "Cold water");
        assert!(cold.is("cold_water") && cold.is(" cold_water "));
        assert!(!cold.is("hot_water") && !cold.is(""));
    }
}
