//! The apartment page (its meters) and the apartment form.

use askama::Template;
use serde::Deserialize;

use super::filters;
use super::forms::FormErrors;
use crate::db::models::{Apartment, House};
use crate::db::queries::house_listing::ApartmentRow;
use crate::views::page::PageCtx;

#[derive(Template)]
#[template(path = "apartments/show.html")]
pub struct ApartmentPage {
    pub ctx: PageCtx,
    pub house: House,
    pub view: ApartmentRow,
}

/// What the apartment form sends; text as typed, checked by `domain::input`.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ApartmentForm {
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub area: String,
}

/// A new apartment of `house` (`apartment` is None) or editing one.
#[derive(Template)]
#[template(path = "apartments/form.html")]
pub struct ApartmentFormPage {
    pub ctx: PageCtx,
    pub house: House,
    pub apartment: Option<Apartment>,
    pub form: ApartmentForm,
    pub errors: FormErrors,
}

impl ApartmentFormPage {
    pub fn new(ctx: PageCtx, house: House, apartment: Option<Apartment>) -> Self {
        let form = match &apartment {
            Some(a) => ApartmentForm {
                number: a.number.clone(),
                area: format!("{:.2}", a.area),
            },
            None => ApartmentForm::default(),
        };
        Self {
            ctx,
            house,
            apartment,
            form,
            errors: FormErrors::default(),
        }
    }

    pub fn action(&self) -> String {
        match &self.apartment {
            Some(a) => format!("/apartments/{}", a.id),
            None => format!("/houses/{}/apartments", self.house.id),
        }
    }
}
