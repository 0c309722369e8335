//! The apartment page (its meters) and the apartment form.

use askama::Template;
use serde::Deserialize;

use super::accounts::AccountForm;
use super::filters;
use super::forms::FormErrors;
use crate::db::models::{Apartment, House};
use crate::db::queries::house_listing::ApartmentRow;
use crate::domain::Period;
use crate::domain::residents::residents_in;
use crate::i18n::Arg;
use crate::i18n::format;
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
    /// The house's current period, whose residents the page names.
    pub current_period: Period,
    pub residents_form: ResidentsForm,
    pub residents_errors: FormErrors,
    /// The «Лицевой счёт» form: the account as stored, or a new one.
    pub account_form: AccountForm,
    pub account_errors: FormErrors,
}

/// How many live in the apartment from a month on, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ResidentsForm {
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub count: String,
}

impl ApartmentPage {
    pub fn new(ctx: PageCtx, house: House, view: ApartmentRow, can_delete: bool) -> Self {
        let current_period = house.current_period();
        Self {
            account_form: AccountForm::new(view.account.as_ref(), current_period, ctx.locale),
            account_errors: FormErrors::default(),
            residents_form: ResidentsForm {
                valid_from: current_period.to_string(),
                count: String::new(),
            },
            ctx,
            house,
            view,
            can_delete,
            current_period,
            residents_errors: FormErrors::default(),
        }
    }

    /// Who live there in the house's current period.
    pub fn residents_now(&self) -> u32 {
        residents_in(&self.view.residents, self.current_period)
    }

    /// «с октября 2026», or «без даты начала» for the row without a month.
    pub fn residents_from(&self, from: &Option<Period>) -> String {
        match from {
            Some(month) => format::month(*month, self.ctx.locale),
            None => self.ctx.t("apt-residents-always"),
        }
    }

    /// A message naming the apartment: «Квартира 12А», «кв. 12А».
    pub fn number_text(&self, key: &str) -> String {
        self.ctx.locale.text_with(
            key,
            &[("number", Arg::from(self.view.apartment.number.as_str()))],
        )
    }

    pub fn account_href(&self, number: &str) -> String {
        super::accounts::account_href(number)
    }

    /// «на 01.01.2026».
    pub fn account_opening_as_of(&self, period: &Period) -> String {
        super::accounts::opening_as_of(*period, self.ctx.locale)
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
    /// Who live there (from always): the new apartment form only; later
    /// changes go by month through the apartment page.
    #[serde(default)]
    pub residents: String,
    /// None from a form without the people fields: an edit then keeps the
    /// owners and `meter_impossible` as they are, a new apartment has one
    /// owner.
    #[serde(default)]
    pub owners: Option<String>,
    /// "on" when ticked.
    #[serde(default)]
    pub meter_impossible: Option<String>,
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
                residents: String::new(),
                owners: Some(a.owners.to_string()),
                meter_impossible: a.meter_impossible.then(|| "on".to_owned()),
            },
            None => ApartmentForm {
                owners: Some("1".to_owned()),
                ..ApartmentForm::default()
            },
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
