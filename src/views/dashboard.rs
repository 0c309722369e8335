//! The dashboard at `/`.

use askama::Template;

use super::billing::default_bill_period;
use super::filters;
use super::forms::{Choice, house_choices};
use super::runs::RunLine;
use crate::db::queries::dashboard::Dashboard;
use crate::domain::Period;
use crate::views::page::PageCtx;

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub ctx: PageCtx,
    pub data: Dashboard,
    /// The latest billing runs, as the runs table shows them.
    pub runs: Vec<RunLine>,
}

impl DashboardPage {
    pub fn new(ctx: PageCtx, mut data: Dashboard) -> Self {
        let runs = std::mem::take(&mut data.runs)
            .into_iter()
            .map(RunLine::from)
            .collect();
        Self { ctx, data, runs }
    }

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
