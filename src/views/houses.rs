//! The house list, the house page (apartments with meters, paged and
//! searchable) and the house form.

use askama::Template;
use serde::Deserialize;

use super::filters;
use super::forms::{Choice, FormErrors};
use super::pager::{Pager, page_number};
use super::runs::RunLine;
use crate::db::models::{House, HouseId, HouseSummary};
use crate::db::queries::house_listing::ApartmentRow;
use crate::domain::{Period, Service, TimeZone};
use crate::i18n::Arg;
use crate::views::page::PageCtx;

#[derive(Template)]
#[template(path = "houses/index.html")]
pub struct HousesPage {
    pub ctx: PageCtx,
    pub houses: Vec<HouseSummary>,
}

/// What the house form sends; text as typed, checked by `domain::input`.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct HouseForm {
    #[serde(default)]
    pub address: String,
    /// IANA name; a form without one keeps Moscow time.
    #[serde(default)]
    pub time_zone: String,
    /// Sent by a form that shows the services (a hidden field), so that
    /// none ticked is told from a form without them, which keeps them.
    #[serde(default)]
    pub services_listed: Option<String>,
    // One check box per service ("on" when ticked).
    #[serde(default)]
    pub service_cold_water: Option<String>,
    #[serde(default)]
    pub service_hot_water: Option<String>,
    #[serde(default)]
    pub service_sewerage: Option<String>,
    #[serde(default)]
    pub service_maintenance: Option<String>,
}

impl HouseForm {
    /// The services ticked, by name; None from a form that does not list them.
    pub fn services(&self) -> Option<Vec<&'static str>> {
        self.services_listed.as_ref()?;
        Some(
            Service::ALL
                .iter()
                .filter(|s| self.ticked(**s))
                .map(|s| s.as_str())
                .collect(),
        )
    }

    fn ticked(&self, service: Service) -> bool {
        match service {
            Service::ColdWater => &self.service_cold_water,
            Service::HotWater => &self.service_hot_water,
            Service::Sewerage => &self.service_sewerage,
            Service::Maintenance => &self.service_maintenance,
        }
        .is_some()
    }

    fn tick(&mut self, services: &[Service]) {
        let on = |s| services.contains(&s).then(|| "on".to_owned());
        self.service_cold_water = on(Service::ColdWater);
        self.service_hot_water = on(Service::HotWater);
        self.service_sewerage = on(Service::Sewerage);
        self.service_maintenance = on(Service::Maintenance);
    }
}

/// New house (`house` is None) or editing one.
#[derive(Template)]
#[template(path = "houses/form.html")]
pub struct HouseFormPage {
    pub ctx: PageCtx,
    pub house: Option<House>,
    pub form: HouseForm,
    pub errors: FormErrors,
}

impl HouseFormPage {
    pub fn new(ctx: PageCtx, house: Option<House>) -> Self {
        let mut form = HouseForm {
            address: house
                .as_ref()
                .map(|h| h.address.clone())
                .unwrap_or_default(),
            time_zone: house
                .as_ref()
                .map_or_else(TimeZone::default, |h| h.time_zone)
                .as_str()
                .to_owned(),
            ..HouseForm::default()
        };
        // A new house bills all four.
        form.tick(house.as_ref().map_or(Service::ALL, |h| &h.services));
        Self {
            ctx,
            house,
            form,
            errors: FormErrors::default(),
        }
    }

    pub fn action(&self) -> String {
        match &self.house {
            Some(house) => format!("/houses/{}", house.id),
            None => "/houses".to_owned(),
        }
    }

    /// Every service with whether it is ticked.
    pub fn service_choices(&self) -> Vec<(Service, bool)> {
        Service::ALL
            .iter()
            .map(|s| (*s, self.form.ticked(*s)))
            .collect()
    }

    /// Russia's zones, west to east, named by their offset and a city.
    pub fn time_zones(&self) -> Vec<Choice> {
        TimeZone::ALL
            .iter()
            .map(|zone| Choice::new(zone.as_str(), self.ctx.name(zone)))
            .collect()
    }

    /// «Изменение: ул. Ленина, 1», "Edit ул. Ленина, 1".
    pub fn edit_title(&self, house: &House) -> String {
        self.ctx.locale.text_with(
            "house-edit-title",
            &[("address", Arg::from(house.address.as_str()))],
        )
    }
}

/// Apartments per page of the house page.
pub const PER_PAGE: i64 = 50;

/// The house page's query string: `?q=12&page=2`. Both stay text so that a
/// hand-edited URL never fails to parse.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct HouseQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub page: String,
}

impl HouseQuery {
    pub fn search(&self) -> &str {
        self.q.trim()
    }

    /// The page asked for; anything that is not a page number means the first.
    pub fn page(&self) -> i64 {
        page_number(&self.page)
    }

    pub fn offset(&self) -> i64 {
        (self.page() - 1) * PER_PAGE
    }
}

#[derive(Template)]
#[template(path = "houses/show.html")]
pub struct HousePage {
    pub ctx: PageCtx,
    pub house: House,
    pub search: String,
    /// Apartments matching the search (all of them without one).
    pub matching: i64,
    pub apartments: Vec<ApartmentRow>,
    pub pager: Pager,
    /// The house's current period (its first open month): the start
    /// form's month, and the upload's and the template's.
    pub current_period: Period,
    /// The house's latest billing runs, newest first.
    pub runs: Vec<RunLine>,
    /// Whether the house may be deleted: none of its meters has a reading
    /// and none of its apartments a charge (the server refuses otherwise).
    pub can_delete: bool,
}

/// The pager of the house page's apartments matching `search`.
pub fn apartments_pager(house: HouseId, search: &str, page: i64, matching: i64) -> Pager {
    let params = if search.is_empty() {
        Vec::new()
    } else {
        vec![("q", search.to_owned())]
    };
    Pager::new(format!("/houses/{house}"), params, page, matching, PER_PAGE)
}

impl HousePage {
    /// «Расчётный период: ноябрь 2026».
    pub fn current_text(&self) -> String {
        self.ctx
            .locale
            .with_month("period-current", self.current_period)
    }

    /// «Закрыт по сентябрь 2026 включительно».
    pub fn closed_through_text(&self, last: &Period) -> String {
        self.ctx.locale.with_month("period-closed-through", *last)
    }

    /// "Showing 51–100 of 2000".
    pub fn first_shown(&self) -> i64 {
        (self.pager.page - 1) * PER_PAGE + 1
    }

    pub fn last_shown(&self) -> i64 {
        self.first_shown() + self.apartments.len() as i64 - 1
    }

    /// «120 квартир», or how many match the search.
    pub fn count_text(&self) -> String {
        let count = ("count", Arg::from(self.matching));
        if self.search.is_empty() {
            self.ctx.locale.text_with("house-apartment-count", &[count])
        } else {
            self.ctx.locale.text_with(
                "house-apartments-match",
                &[count, ("search", Arg::from(self.search.as_str()))],
            )
        }
    }

    /// « · показаны 101–120».
    pub fn showing(&self) -> String {
        self.ctx.locale.text_with(
            "house-showing",
            &[
                ("first", Arg::from(self.first_shown())),
                ("last", Arg::from(self.last_shown())),
            ],
        )
    }

    /// A page past the end of the list.
    pub fn no_page(&self) -> String {
        self.ctx.locale.text_with(
            "house-no-page",
            &[
                ("page", Arg::from(self.pager.page)),
                ("pages", Arg::from(self.pager.pages)),
            ],
        )
    }

    /// A search that found nothing.
    pub fn no_match(&self) -> String {
        self.ctx.locale.text_with(
            "house-no-match",
            &[("search", Arg::from(self.search.as_str()))],
        )
    }

    /// The question asked before the house is deleted.
    pub fn delete_confirm(&self) -> String {
        self.ctx.locale.text_with(
            "house-delete-confirm",
            &[("address", Arg::from(self.house.address.as_str()))],
        )
    }

    /// The readings template of this month, to fill in Excel and upload.
    pub fn template_href(&self) -> String {
        format!(
            "/houses/{}/readings/template.csv?period={}",
            self.house.id, self.current_period
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::pager::MAX_PAGE;

    fn query(page: &str) -> HouseQuery {
        HouseQuery {
            q: String::new(),
            page: page.to_owned(),
        }
    }

    #[test]
    fn any_page_text_gives_a_usable_page() {
        assert_eq!(query("").page(), 1);
        assert_eq!(query("3").page(), 3);
        assert_eq!(query(" 3 ").offset(), 100);
        for bad in ["0", "-4", "abc", "1.5", "99999999999999999999"] {
            assert_eq!(query(bad).page(), 1, "{bad}");
        }
        assert_eq!(query("9223372036854775807").page(), MAX_PAGE);
    }

    #[test]
    fn links_keep_the_search_and_skip_far_pages() {
        let pager = apartments_pager(HouseId(7), "12 А&b", 6, 2000);
        assert_eq!(pager.pages, 40);
        assert_eq!(pager.href(1), "/houses/7?q=12+%D0%90%26b");
        assert_eq!(pager.href(3), "/houses/7?q=12+%D0%90%26b&page=3");
        let numbers: Vec<Option<i64>> = pager.links().iter().map(|l| l.number).collect();
        assert_eq!(
            numbers,
            [
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(40)
            ]
        );
        assert!(
            pager
                .links()
                .iter()
                .any(|l| l.current && l.number == Some(6))
        );
        assert_eq!(pager.previous().unwrap(), pager.href(5));
        assert_eq!(pager.next().unwrap(), pager.href(7));
    }

    #[test]
    fn a_short_list_has_one_page_without_gaps() {
        let pager = apartments_pager(HouseId(1), "", 1, 0);
        assert_eq!(pager.pages, 1);
        assert_eq!(pager.href(1), "/houses/1");
        assert_eq!(pager.links().len(), 1);
        assert!(pager.previous().is_none() && pager.next().is_none());
        assert_eq!(apartments_pager(HouseId(1), "", 1, 100).pages, 2);
        assert_eq!(apartments_pager(HouseId(1), "", 1, 101).pages, 3);
    }
}
