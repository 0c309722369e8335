//! The house list, the house page (apartments with meters, paged and
//! searchable) and the house form.

use askama::Template;
use serde::Deserialize;

use super::billing::RunLine;
use super::filters;
use super::forms::FormErrors;
use crate::db::models::{House, HouseId, HouseSummary};
use crate::db::queries::house_view::ApartmentView;
use crate::domain::Period;
use crate::routes::page::PageCtx;

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
        let form = HouseForm {
            address: house
                .as_ref()
                .map(|h| h.address.clone())
                .unwrap_or_default(),
        };
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
}

/// Apartments per page of the house page.
pub const PER_PAGE: i64 = 50;
/// No one pages further; it keeps `(page - 1) * PER_PAGE` far from overflow.
const MAX_PAGE: i64 = 1_000_000;

/// A `page` query parameter as typed: anything that is not a page number
/// means the first.
pub fn page_number(raw: &str) -> i64 {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|p| *p >= 1)
        .unwrap_or(1)
        .min(MAX_PAGE)
}

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
    pub apartments: Vec<ApartmentView>,
    pub pager: Pager,
    /// The start form's month: the one just ended.
    pub bill_period: Period,
    /// The house's latest billing runs, newest first.
    pub runs: Vec<RunLine>,
}

impl HousePage {
    /// "Showing 51–100 of 2000".
    pub fn first_shown(&self) -> i64 {
        (self.pager.page - 1) * PER_PAGE + 1
    }

    pub fn last_shown(&self) -> i64 {
        self.first_shown() + self.apartments.len() as i64 - 1
    }
}

/// Links to the pages of a long list, keeping the other query parameters
/// (the search, the month).
#[derive(Debug, Clone)]
pub struct Pager {
    base: String,
    params: Vec<(&'static str, String)>,
    pub page: i64,
    pub pages: i64,
}

/// One entry of the pager: a page link, or a gap ("…") when `number` is None.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    pub number: Option<i64>,
    pub href: String,
    pub current: bool,
}

impl Pager {
    /// The house page's apartments matching `search`.
    pub fn new(house: HouseId, search: &str, page: i64, matching: i64) -> Self {
        let params = if search.is_empty() {
            Vec::new()
        } else {
            vec![("q", search.to_owned())]
        };
        Self::list(format!("/houses/{house}"), params, page, matching, PER_PAGE)
    }

    /// `total` items at `base`, `per_page` a page; `params` go before `page`.
    pub fn list(
        base: String,
        params: Vec<(&'static str, String)>,
        page: i64,
        total: i64,
        per_page: i64,
    ) -> Self {
        Self {
            base,
            params,
            page,
            pages: ((total + per_page - 1) / per_page).max(1),
        }
    }

    pub fn href(&self, page: i64) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.params {
            query.append_pair(name, value);
        }
        if page > 1 {
            query.append_pair("page", &page.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            self.base.clone()
        } else {
            format!("{}?{query}", self.base)
        }
    }

    pub fn previous(&self) -> Option<String> {
        (self.page > 1).then(|| self.href((self.page - 1).min(self.pages)))
    }

    pub fn next(&self) -> Option<String> {
        (self.page < self.pages).then(|| self.href(self.page + 1))
    }

    /// The first and last pages and two either side of the current one.
    pub fn links(&self) -> Vec<PageLink> {
        let mut links = Vec::new();
        let mut last_shown = 0;
        for number in 1..=self.pages {
            let near = (number - self.page).abs() <= 2;
            if number == 1 || number == self.pages || near {
                if number > last_shown + 1 {
                    links.push(PageLink {
                        number: None,
                        href: String::new(),
                        current: false,
                    });
                }
                links.push(PageLink {
                    number: Some(number),
                    href: self.href(number),
                    current: number == self.page,
                });
                last_shown = number;
            }
        }
        links
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let pager = Pager::new(HouseId(7), "12 А&b", 6, 2000);
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
        let pager = Pager::new(HouseId(1), "", 1, 0);
        assert_eq!(pager.pages, 1);
        assert_eq!(pager.href(1), "/houses/1");
        assert_eq!(pager.links().len(), 1);
        assert!(pager.previous().is_none() && pager.next().is_none());
        assert_eq!(Pager::new(HouseId(1), "", 1, 100).pages, 2);
        assert_eq!(Pager::new(HouseId(1), "", 1, 101).pages, 3);
    }
}
