//! The tariffs pages: what is in effect, the history, "who pays what", and
//! the new/edit forms. The page structs are built here from loaded rows, so
//! handlers only load, build and render.

use std::collections::BTreeSet;

use askama::Template;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::db::models::{HouseId, Tariff, TariffId};
use crate::domain::input::{self, Checker};
use crate::domain::tariff::{TariffScope, TariffStatus, tariff_in_effect, tariff_status};
use crate::domain::{Named, Problem};
use crate::domain::{Period, Service};
use crate::i18n::{Arg, Locale};
use crate::views::filters;
use crate::views::forms::{Choice, FormErrors, house_choices};
use crate::views::page::PageCtx;

/// A house as the selects and tables name it.
#[derive(Debug, Clone)]
pub struct HouseChoice {
    pub id: HouseId,
    pub address: String,
}

impl HouseChoice {
    pub fn from_rows(rows: Vec<(HouseId, String)>) -> Vec<Self> {
        rows.into_iter()
            .map(|(id, address)| HouseChoice { id, address })
            .collect()
    }
}

/// "₽/м³" or "₽/м²" (in English "₽/m³").
pub fn unit_text(service: Service, locale: Locale) -> String {
    format!("₽/{}", locale.name(service.unit()))
}

/// "Cold water tariff of 42.3000 ₽/m³ from 2026-07 for all houses", as
/// the flashes after a change name the tariff.
pub fn describe(tariff: &Tariff, address: Option<&str>, locale: Locale) -> String {
    let price = match locale {
        Locale::En => format!("{:.4}", tariff.price),
        Locale::Ru => crate::i18n::format::price(tariff.price, locale),
    };
    let mut args = vec![
        ("service", Arg::from(locale.name(tariff.service))),
        ("price", Arg::from(price)),
        ("unit", Arg::from(unit_text(tariff.service, locale))),
        (
            "month",
            Arg::from(crate::i18n::format::month(tariff.valid_from, locale)),
        ),
    ];
    match address {
        Some(address) => {
            args.push(("address", Arg::from(address)));
            locale.text_with("tariff-described-house", &args)
        }
        None => locale.text_with("tariff-described-all", &args),
    }
}

/// One tariff as a table row.
#[derive(Debug, Clone)]
pub struct TariffRow {
    pub id: TariffId,
    pub service: Service,
    pub price: Decimal,
    pub unit: String,
    pub valid_from: Period,
    /// None: the default for all houses.
    pub house: Option<HouseChoice>,
    pub status: TariffStatus,
}

impl TariffRow {
    fn new(
        tariff: &Tariff,
        all: &[Tariff],
        houses: &[HouseChoice],
        now: Period,
        locale: Locale,
    ) -> Self {
        TariffRow {
            id: tariff.id,
            service: tariff.service,
            price: tariff.price,
            unit: unit_text(tariff.service, locale),
            valid_from: tariff.valid_from,
            house: tariff
                .house_id
                .and_then(|id| houses.iter().find(|h| h.id == id).cloned()),
            status: tariff_status(all, tariff, now),
        }
    }
}

/// One service's section of the page.
#[derive(Debug, Clone)]
pub struct ServiceTariffs {
    pub service: Service,
    pub unit: String,
    /// The default in effect this month.
    pub default_now: Option<TariffRow>,
    /// Each house's own tariff in effect this month, by address.
    pub overrides_now: Vec<TariffRow>,
    /// Defaults first, then each house's; newest first within each.
    pub history: Vec<TariffRow>,
}

/// The "who pays what" question, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LookupQuery {
    pub house_id: Option<String>,
    pub period: Option<String>,
}

/// What one service costs the asked house in the asked month.
#[derive(Debug, Clone)]
pub struct LookupLine {
    pub service: Service,
    pub tariff: Option<TariffRow>,
    pub is_override: bool,
}

#[derive(Debug, Clone)]
pub struct LookupAnswer {
    /// None: a house without its own tariffs.
    pub house: Option<HouseChoice>,
    pub period: Period,
    pub lines: Vec<LookupLine>,
}

#[derive(Debug, Clone)]
pub struct Lookup {
    /// The input, kept as typed.
    pub house_id: String,
    pub period: String,
    pub errors: FormErrors,
    pub answer: Option<LookupAnswer>,
    pub houses: Vec<Choice>,
}

impl Lookup {
    /// Checks the question against the loaded houses and answers it from
    /// the loaded tariffs. Without a question it offers the current month.
    fn answer(
        query: &LookupQuery,
        tariffs: &[Tariff],
        houses: &[HouseChoice],
        now: Period,
        locale: Locale,
    ) -> Self {
        let mut lookup = Lookup {
            house_id: query.house_id.clone().unwrap_or_default(),
            period: query.period.clone().unwrap_or_else(|| now.to_string()),
            errors: FormErrors::default(),
            answer: None,
            houses: house_select(houses, &locale.text("tariff-house-without-own")),
        };
        if query.house_id.is_none() && query.period.is_none() {
            return lookup;
        }
        let house = match lookup.house_id.trim() {
            "" => Ok(None),
            raw => raw
                .parse::<i64>()
                .ok()
                .and_then(|id| houses.iter().find(|h| h.id.0 == id))
                .map(|h| Some(h.clone()))
                .ok_or(()),
        };
        let mut checker = Checker::default();
        let house = checker.check("house_id", house.map_err(|()| Problem::ChooseHouse));
        let period = checker.check("period", input::period(&lookup.period));
        lookup.errors = FormErrors::new(&checker.into_errors(), locale);
        if let (Some(house), Some(period)) = (house, period) {
            let lines = Service::ALL
                .iter()
                .map(|&service| {
                    let found =
                        tariff_in_effect(tariffs, service, house.as_ref().map(|h| &h.id), period);
                    LookupLine {
                        service,
                        tariff: found.map(|(t, _)| TariffRow::new(t, tariffs, houses, now, locale)),
                        is_override: matches!(found, Some((_, TariffScope::Override))),
                    }
                })
                .collect();
            lookup.answer = Some(LookupAnswer {
                house,
                period,
                lines,
            });
        }
        lookup
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

#[derive(Template)]
#[template(path = "tariffs/index.html")]
pub struct TariffsPage {
    pub ctx: PageCtx,
    /// The month "in effect" refers to.
    pub now: Period,
    pub services: Vec<ServiceTariffs>,
    pub houses: Vec<HouseChoice>,
    pub lookup: Lookup,
}

impl TariffsPage {
    pub fn build(
        ctx: PageCtx,
        tariffs: Vec<Tariff>,
        houses: Vec<HouseChoice>,
        query: &LookupQuery,
        now: Period,
    ) -> Self {
        let locale = ctx.locale;
        let services = Service::ALL
            .iter()
            .map(|&service| {
                let row = |t: &Tariff| TariffRow::new(t, &tariffs, &houses, now, locale);
                let default_now =
                    tariff_in_effect(&tariffs, service, None, now).map(|(t, _)| row(t));
                let with_override: BTreeSet<HouseId> = tariffs
                    .iter()
                    .filter(|t| t.service == service)
                    .filter_map(|t| t.house_id)
                    .collect();
                // By address, as the houses are; then the defaults' history
                // before each house's.
                let house_order = |id: Option<HouseId>| {
                    id.map(|id| houses.iter().position(|h| h.id == id).unwrap_or(usize::MAX))
                };
                let overrides_now = houses
                    .iter()
                    .filter(|h| with_override.contains(&h.id))
                    .filter_map(
                        |h| match tariff_in_effect(&tariffs, service, Some(&h.id), now) {
                            Some((t, TariffScope::Override)) => Some(row(t)),
                            _ => None,
                        },
                    )
                    .collect();
                let mut history: Vec<&Tariff> =
                    tariffs.iter().filter(|t| t.service == service).collect();
                history.sort_by_key(|t| {
                    (
                        house_order(t.house_id),
                        t.house_id,
                        std::cmp::Reverse(t.valid_from),
                    )
                });
                ServiceTariffs {
                    service,
                    unit: unit_text(service, locale),
                    default_now,
                    overrides_now,
                    history: history.into_iter().map(row).collect(),
                }
            })
            .collect();
        let lookup = Lookup::answer(query, &tariffs, &houses, now, locale);
        TariffsPage {
            ctx,
            now,
            services,
            houses,
            lookup,
        }
    }

    /// A service as running text names it: lower case in English.
    fn service_in_text(&self, service: &Service) -> String {
        self.ctx.name(service).to_lowercase()
    }

    fn month_text(&self, period: &Period) -> String {
        crate::i18n::format::month(*period, self.ctx.locale)
    }

    pub fn in_effect_in(&self) -> String {
        let month = self.month_text(&self.now);
        self.ctx
            .locale
            .text_with("tariff-in-effect-in", &[("month", month.into())])
    }

    pub fn status_in(&self) -> String {
        let month = self.month_text(&self.now);
        self.ctx
            .locale
            .text_with("tariff-status-in", &[("month", month.into())])
    }

    pub fn lookup_pays(&self, service: &Service) -> String {
        let service = self.service_in_text(service);
        self.ctx
            .locale
            .text_with("tariff-lookup-pays", &[("service", service.into())])
    }

    pub fn lookup_in(&self, service: &Service, period: &Period) -> String {
        let (service, month) = (self.service_in_text(service), self.month_text(period));
        self.ctx.locale.text_with(
            "tariff-lookup-in",
            &[("service", service.into()), ("month", month.into())],
        )
    }

    pub fn lookup_from(&self, period: &Period) -> String {
        let month = self.month_text(period);
        self.ctx
            .locale
            .text_with("tariff-lookup-from", &[("month", month.into())])
    }

    pub fn lookup_none(&self, service: &Service, period: &Period) -> String {
        let (service, month) = (self.service_in_text(service), self.month_text(period));
        self.ctx.locale.text_with(
            "tariff-lookup-none",
            &[("service", service.into()), ("month", month.into())],
        )
    }

    pub fn none_default(&self, service: &Service) -> String {
        let service = self.service_in_text(service);
        self.ctx
            .locale
            .text_with("tariff-none-default", &[("service", service.into())])
    }

    pub fn no_tariffs_yet(&self, service: &Service) -> String {
        let service = self.service_in_text(service);
        self.ctx
            .locale
            .text_with("tariff-no-tariffs-yet", &[("service", service.into())])
    }
}

/// The tariff form's fields, as typed (all text, so nothing fails to parse).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TariffForm {
    pub service: String,
    pub price: String,
    pub valid_from: String,
    pub house_id: String,
}

impl TariffForm {
    /// The edit form, filled from the stored tariff.
    pub fn from_tariff(tariff: &Tariff) -> Self {
        TariffForm {
            service: tariff.service.to_string(),
            price: tariff.price.normalize().to_string(),
            valid_from: tariff.valid_from.to_string(),
            house_id: tariff.house_id.map(|h| h.to_string()).unwrap_or_default(),
        }
    }
}

fn service_choices(locale: Locale) -> Vec<Choice> {
    Service::ALL
        .iter()
        .map(|s| {
            Choice::new(
                s.as_str(),
                format!("{} ({})", locale.name(*s), unit_text(*s, locale)),
            )
        })
        .collect()
}

/// The houses, after a first empty choice labelled `empty`.
fn house_select(houses: &[HouseChoice], empty: &str) -> Vec<Choice> {
    house_choices(empty, houses.iter().map(|h| (h.id, h.address.as_str())))
}

#[derive(Template)]
#[template(path = "tariffs/new.html")]
pub struct NewTariffPage {
    pub ctx: PageCtx,
    pub form: TariffForm,
    pub errors: FormErrors,
    pub services: Vec<Choice>,
    pub houses: Vec<Choice>,
}

impl NewTariffPage {
    pub fn new(ctx: PageCtx, form: TariffForm, errors: FormErrors, houses: &[HouseChoice]) -> Self {
        let locale = ctx.locale;
        NewTariffPage {
            ctx,
            form,
            errors,
            services: service_choices(locale),
            houses: house_select(houses, &locale.text("tariff-all-houses-default")),
        }
    }
}

/// The tariff being edited, as the edit page describes it.
#[derive(Debug, Clone)]
pub struct EditedTariff {
    pub id: TariffId,
    pub service: Service,
    pub unit: String,
    /// None: the default for all houses.
    pub house: Option<HouseChoice>,
}

impl EditedTariff {
    pub fn new(tariff: &Tariff, address: Option<String>, locale: Locale) -> Self {
        EditedTariff {
            id: tariff.id,
            service: tariff.service,
            unit: unit_text(tariff.service, locale),
            house: tariff
                .house_id
                .zip(address)
                .map(|(id, address)| HouseChoice { id, address }),
        }
    }
}

#[derive(Template)]
#[template(path = "tariffs/edit.html")]
pub struct EditTariffPage {
    pub ctx: PageCtx,
    pub tariff: EditedTariff,
    pub form: TariffForm,
    pub errors: FormErrors,
    /// A refusal about the tariff as a whole (e.g. already billed).
    pub message: Option<String>,
}

impl EditTariffPage {
    pub fn heading(&self) -> String {
        let service = self.ctx.name(&self.tariff.service).to_lowercase();
        let service = match self.ctx.locale {
            Locale::En => service,
            Locale::Ru => self.ctx.name(&self.tariff.service),
        };
        self.ctx
            .locale
            .text_with("tariff-edit-heading", &[("service", service.into())])
    }

    pub fn price_label(&self) -> String {
        self.ctx.locale.text_with(
            "tariff-price-of",
            &[("unit", self.tariff.unit.clone().into())],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_name_the_rouble_per_measure() {
        assert_eq!(unit_text(Service::ColdWater, Locale::En), "₽/m³");
        assert_eq!(unit_text(Service::Maintenance, Locale::En), "₽/m²");
        assert_eq!(unit_text(Service::HotWater, Locale::Ru), "₽/м³");
    }
}
