//! The apartment page (its meters) and the apartment form.

use askama::Template;
use serde::Deserialize;

use super::filters;
use super::forms::FormErrors;
use crate::db::models::{Apartment, House};
use crate::db::queries::house_listing::ApartmentRow;
use crate::domain::Period;
use crate::i18n::Arg;
use crate::views::page::PageCtx;

#[derive(Template)]
#[template(path = "apartments/show.html")]
pub struct ApartmentPage {
    pub ctx: PageCtx,
    pub house: House,
    pub view: ApartmentRow,
    /// Whether it may be deleted: no reading of its meters and no charge
    /// (the server refuses otherwise).
    pub can_delete: bool,
}

impl ApartmentPage {
    /// A message naming the apartment: «Квартира 12А», «кв. 12А».
    pub fn number_text(&self, key: &str) -> String {
        self.ctx.locale.text_with(
            key,
            &[("number", Arg::from(self.view.apartment.number.as_str()))],
        )
    }

    /// «за ноябрь 2026», "for 2026-11".
    pub fn bill_for(&self, period: &Period) -> String {
        self.ctx.locale.with_month("apt-bill-for", *period)
    }
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

    /// A message naming `apartment`: «Изменить квартиру 12А», «кв. 12А».
    pub fn apartment_text(&self, key: &str, apartment: &Apartment) -> String {
        self.ctx
            .locale
            .text_with(key, &[("number", Arg::from(apartment.number.as_str()))])
    }

    pub fn action(&self) -> String {
        match &self.apartment {
            Some(a) => format!("/apartments/{}", a.id),
            None => format!("/houses/{}/apartments", self.house.id),
        }
    }
}
