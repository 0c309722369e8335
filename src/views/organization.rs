//! The organisation's requisites page: a form for an admin (re-shown with
//! each field's message and what was typed when refused), the values as
//! set for everyone else.

use askama::Template;

use super::forms::FormErrors;
use super::page::PageCtx;
use crate::db::models::Organization;
use crate::domain::TimeZone;
use crate::i18n::format;
use crate::services::organization::Details;

#[derive(Template)]
#[template(path = "organization/index.html")]
pub struct OrganizationPage {
    pub ctx: PageCtx,
    /// As stored; None until an admin sets them.
    pub stored: Option<Organization>,
    /// What the form shows: the stored values, or what was typed.
    pub form: Details,
    pub errors: FormErrors,
}

impl OrganizationPage {
    pub fn new(ctx: PageCtx, stored: Option<Organization>) -> Self {
        let form = stored.clone().map(Details::from).unwrap_or_default();
        Self {
            ctx,
            stored,
            form,
            errors: FormErrors::default(),
        }
    }

    /// «Изменены 02.12.2026 15:04.», in Moscow time (they belong to no house).
    pub fn updated(&self) -> Option<String> {
        self.stored.as_ref().map(|o| {
            let when = format::date_time(o.updated_at, TimeZone::default().tz(), self.ctx.locale);
            self.ctx
                .locale
                .text_with("org-updated", &[("when", when.into())])
        })
    }

    /// The stored values by their labels, for those who only read them.
    pub fn rows(&self) -> Vec<(String, String)> {
        let Some(o) = &self.stored else {
            return Vec::new();
        };
        let or_none = |value: &str| match value {
            "" => self.ctx.t("org-empty-value"),
            value => value.to_owned(),
        };
        [
            ("org-label-name", o.name.as_str()),
            ("org-label-inn", &o.inn),
            ("org-label-kpp", &o.kpp),
            ("org-label-address", &o.address),
            ("org-label-phone", &o.phone),
            ("org-label-email", &o.email),
            ("org-label-bank-name", &o.bank_name),
            ("org-label-bic", &o.bic),
            ("org-label-account", &o.account),
            ("org-label-corr-account", &o.corr_account),
        ]
        .into_iter()
        .map(|(label, value)| (self.ctx.t(label), or_none(value)))
        .collect()
    }
}
