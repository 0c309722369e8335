//! The normatives and coefficients page: what each water service's
//! normative (default and per house) and increasing coefficient are by
//! month, which is in effect now, and an admin's forms to add or delete one.

use askama::Template;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::filters;
use super::forms::{Choice, FormErrors};
use super::tariffs::HouseChoice;
use crate::db::models::{Coefficient, HouseId, Normative};
use crate::domain::tariff::{TariffStatus, tariff_status};
use crate::domain::{MeterKind, Named, Period};
use crate::views::page::PageCtx;

/// A normative as its row shows it.
pub struct NormativeRow {
    pub id: i64,
    pub service: MeterKind,
    pub value: Decimal,
    pub valid_from: Period,
    /// None: the default of every house without its own.
    pub house: Option<HouseChoice>,
    pub status: TariffStatus,
}

/// A coefficient as its row shows it.
pub struct CoefficientRow {
    pub id: i64,
    pub service: MeterKind,
    pub value: Decimal,
    pub valid_from: Period,
    pub status: TariffStatus,
}

/// A new normative or coefficient as typed (coefficients have no house).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct RateForm {
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub house_id: String,
}

impl RateForm {
    fn empty(now: Period) -> Self {
        Self {
            service: MeterKind::ColdWater.as_str().to_owned(),
            valid_from: now.to_string(),
            ..Self::default()
        }
    }
}

#[derive(Template)]
#[template(path = "normatives/index.html")]
pub struct NormativesPage {
    pub ctx: PageCtx,
    /// The month "in effect" refers to.
    pub now: Period,
    pub normatives: Vec<NormativeRow>,
    pub coefficients: Vec<CoefficientRow>,
    pub houses: Vec<HouseChoice>,
    pub normative_form: RateForm,
    pub normative_errors: FormErrors,
    pub coefficient_form: RateForm,
    pub coefficient_errors: FormErrors,
}

impl NormativesPage {
    pub fn new(
        ctx: PageCtx,
        normatives: &[Normative],
        coefficients: &[Coefficient],
        houses: Vec<HouseChoice>,
        now: Period,
    ) -> Self {
        let normatives = normatives
            .iter()
            .map(|n| NormativeRow {
                id: n.id.0,
                service: n.service,
                value: n.value,
                valid_from: n.valid_from,
                house: house_of(&houses, n.house_id),
                status: tariff_status(normatives, n, now),
            })
            .collect();
        let coefficients = coefficients
            .iter()
            .map(|c| CoefficientRow {
                id: c.id.0,
                service: c.service,
                value: c.value,
                valid_from: c.valid_from,
                status: tariff_status(coefficients, c, now),
            })
            .collect();
        Self {
            ctx,
            now,
            normatives,
            coefficients,
            houses,
            normative_form: RateForm::empty(now),
            normative_errors: FormErrors::default(),
            coefficient_form: RateForm::empty(now),
            coefficient_errors: FormErrors::default(),
        }
    }

    pub fn services(&self) -> Vec<Choice> {
        MeterKind::ALL
            .iter()
            .map(|k| Choice::new(k.as_str(), self.ctx.name(&k.service())))
            .collect()
    }

    /// "All houses (default)" first, then every house by address.
    pub fn house_choices(&self) -> Vec<Choice> {
        let mut choices = vec![Choice::new("", self.ctx.t("norm-all-houses-default"))];
        choices.extend(
            self.houses
                .iter()
                .map(|h| Choice::new(h.id.to_string(), h.address.clone())),
        );
        choices
    }

    /// «Действует в декабре 2026» as the status column's heading.
    pub fn status_in(&self) -> String {
        self.ctx.locale.with_month("norm-status-in", self.now)
    }
}

/// Which of the two an edit page changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateKind {
    Normative,
    Coefficient,
}

impl RateKind {
    /// Where its rows live: `/normatives/{id}`, `/coefficients/{id}`.
    pub fn path(self) -> &'static str {
        match self {
            RateKind::Normative => "/normatives",
            RateKind::Coefficient => "/coefficients",
        }
    }

    /// The page's section it returns to.
    pub fn section(self) -> &'static str {
        match self {
            RateKind::Normative => "/normatives#normatives",
            RateKind::Coefficient => "/normatives#coefficients",
        }
    }
}

/// Changing a normative's or coefficient's value or first month; its service
/// and house stay (another one is a new row).
#[derive(Template)]
#[template(path = "normatives/edit.html")]
pub struct EditRatePage {
    pub ctx: PageCtx,
    pub kind: RateKind,
    pub id: i64,
    pub service: MeterKind,
    /// None: every house (a default normative, or any coefficient).
    pub house: Option<HouseChoice>,
    pub form: RateForm,
    pub errors: FormErrors,
}

/// The house a normative is for, among the page's choices.
fn house_of(houses: &[HouseChoice], id: Option<HouseId>) -> Option<HouseChoice> {
    id.and_then(|id| houses.iter().find(|h| h.id == id))
        .cloned()
}

impl EditRatePage {
    pub fn normative(ctx: PageCtx, n: &Normative, houses: &[HouseChoice]) -> Self {
        let house = house_of(houses, n.house_id);
        Self::new(
            ctx,
            RateKind::Normative,
            n.id.0,
            n.service,
            house,
            n.value,
            n.valid_from,
        )
    }

    pub fn coefficient(ctx: PageCtx, c: &Coefficient) -> Self {
        Self::new(
            ctx,
            RateKind::Coefficient,
            c.id.0,
            c.service,
            None,
            c.value,
            c.valid_from,
        )
    }

    fn new(
        ctx: PageCtx,
        kind: RateKind,
        id: i64,
        service: MeterKind,
        house: Option<HouseChoice>,
        value: Decimal,
        valid_from: Period,
    ) -> Self {
        let form = RateForm {
            service: service.as_str().to_owned(),
            value: crate::i18n::format::measure(value, ctx.locale),
            valid_from: valid_from.to_string(),
            house_id: String::new(),
        };
        Self {
            ctx,
            kind,
            id,
            service,
            house,
            form,
            errors: FormErrors::default(),
        }
    }

    pub fn heading(&self) -> String {
        let key = match self.kind {
            RateKind::Normative => "norm-edit-normative",
            RateKind::Coefficient => "norm-edit-coefficient",
        };
        let service = self.ctx.name(&self.service.service());
        self.ctx
            .locale
            .text_with(key, &[("service", service.into())])
    }

    pub fn value_label(&self) -> String {
        self.ctx.t(match self.kind {
            RateKind::Normative => "norm-value-label",
            RateKind::Coefficient => "norm-col-coefficient",
        })
    }

    pub fn value_hint(&self) -> String {
        self.ctx.t(match self.kind {
            RateKind::Normative => "norm-value-hint",
            RateKind::Coefficient => "norm-coefficient-hint",
        })
    }
}
