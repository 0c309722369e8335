//! The dashboard at `/`.

use askama::Template;

use super::billing::default_bill_period;
use super::filters;
use super::forms::{Choice, house_choices};
use crate::db::queries::dashboard::Dashboard;
use crate::domain::Period;
use crate::routes::page::PageCtx;

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub ctx: PageCtx,
    pub data: Dashboard,
}

impl DashboardPage {
    pub fn apartments(&self) -> i64 {
        self.data.houses.iter().map(|h| h.apartments).sum()
    }

    pub fn meters(&self) -> i64 {
        self.data.houses.iter().map(|h| h.meters).sum()
    }

    /// Meters of all houses still missing this month's reading.
    pub fn missing(&self) -> i64 {
        self.data.attention.iter().map(|a| a.missing).sum()
    }

    /// The start form's month: the one just ended.
    pub fn bill_period(&self) -> Period {
        default_bill_period()
    }

    /// "All houses", then each house by address.
    pub fn house_choices(&self) -> Vec<Choice> {
        house_choices(
            "All houses",
            self.data.houses.iter().map(|h| (h.id, h.address.as_str())),
        )
    }
}
