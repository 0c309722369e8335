//! The tariffs pages: what is in effect, the history, "who pays what", and
//! the new/edit forms. The page structs are built here from loaded rows, so
//! handlers only load, build and render.

use std::collections::BTreeSet;

use askama::Template;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::db::models::{HouseId, Tariff, TariffId};
use crate::domain::Named;
use crate::domain::input::{self, Checker};
use crate::domain::tariff::{TariffScope, TariffStatus, tariff_in_effect, tariff_status};
use crate::domain::{Period, Service};
use crate::i18n::Locale;
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

/// "₽/m³" or "₽/m²".
pub fn unit_text(service: Service) -> String {
    format!("₽/{}", Locale::En.name(service.unit()))
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
    fn new(tariff: &Tariff, all: &[Tariff], houses: &[HouseChoice], now: Period) -> Self {
        TariffRow {
            id: tariff.id,
            service: tariff.service,
            price: tariff.price,
            unit: unit_text(tariff.service),
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
    ) -> Self {
        let mut lookup = Lookup {
            house_id: query.house_id.clone().unwrap_or_default(),
            period: query.period.clone().unwrap_or_else(|| now.to_string()),
            errors: FormErrors::default(),
            answer: None,
            houses: house_select(houses, "A house without its own tariff"),
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
        let house = checker.check(
            "house_id",
            house.map_err(|()| "Choose a house from the list.".to_owned()),
        );
        let period = checker.check("period", input::period(&lookup.period));
        lookup.errors = checker.into_errors().into();
        if let (Some(house), Some(period)) = (house, period) {
            let lines = Service::ALL
                .iter()
                .map(|&service| {
                    let found =
                        tariff_in_effect(tariffs, service, house.as_ref().map(|h| &h.id), period);
                    LookupLine {
                        service,
                        tariff: found.map(|(t, _)| TariffRow::new(t, tariffs, houses, now)),
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
        let services = Service::ALL
            .iter()
            .map(|&service| {
                let row = |t: &Tariff| TariffRow::new(t, &tariffs, &houses, now);
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
                    unit: unit_text(service),
                    default_now,
                    overrides_now,
                    history: history.into_iter().map(row).collect(),
                }
            })
            .collect();
        let lookup = Lookup::answer(query, &tariffs, &houses, now);
        TariffsPage {
            ctx,
            now,
            services,
            houses,
            lookup,
        }
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

fn service_choices() -> Vec<Choice> {
    Service::ALL
        .iter()
        .map(|s| {
            Choice::new(
                s.as_str(),
                format!("{} ({})", Locale::En.name(*s), unit_text(*s)),
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
        NewTariffPage {
            ctx,
            form,
            errors,
            services: service_choices(),
            houses: house_select(houses, "All houses (default)"),
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
    pub fn new(tariff: &Tariff, address: Option<String>) -> Self {
        EditedTariff {
            id: tariff.id,
            service: tariff.service,
            unit: unit_text(tariff.service),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_name_the_rouble_per_measure() {
        assert_eq!(unit_text(Service::ColdWater), "₽/m³");
        assert_eq!(unit_text(Service::Maintenance), "₽/m²");
    }
}
