//! Links to the pages of a long list, and reading the `page` a person asked
//! for; shared by every paged list (apartments, runs, results, the audit log).

/// No one pages further; it keeps `(page - 1) * PER_PAGE` far from overflow.
pub const MAX_PAGE: i64 = 1_000_000;

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
    /// `total` items at `base`, `per_page` a page; `params` go before `page`.
    pub fn new(
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
