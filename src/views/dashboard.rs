//! The dashboard at `/`.

use askama::Template;

use super::billing::{default_bill_period, house_choices};
use super::filters;
use super::forms::Choice;
use crate::db::models::BillingRun;
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

    pub fn percent(&self, run: &BillingRun) -> i64 {
        percent(run)
    }

    /// The start form's month: the one just ended.
    pub fn bill_period(&self) -> Period {
        default_bill_period()
    }

    /// "All houses", then each house by address.
    pub fn house_choices(&self) -> Vec<Choice> {
        house_choices(self.data.houses.iter().map(|h| (h.id, h.address.as_str())))
    }
}

/// Whole percent of a run's apartments done; a run of nothing is done.
fn percent(run: &BillingRun) -> i64 {
    if run.total <= 0 {
        100
    } else {
        i64::from(run.processed) * 100 / i64::from(run.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::models::{BillingRunId, HouseId};
    use crate::domain::{Period, RunStatus};
    use rust_decimal::Decimal;

    fn run(processed: i32, total: i32) -> BillingRun {
        BillingRun {
            id: BillingRunId(1),
            house_id: HouseId(1),
            period: Period::new(2026, 9).unwrap(),
            status: RunStatus::Running,
            total,
            processed,
            cursor: None,
            amount: Decimal::ZERO,
            lease_owner: None,
            lease_expires_at: None,
            error: None,
            created_at: chrono::Utc::now(),
            started_at: None,
            finished_at: None,
            started_by: None,
        }
    }

    #[test]
    fn percent_rounds_down_and_an_empty_run_is_complete() {
        assert_eq!(percent(&run(1, 3)), 33);
        assert_eq!(percent(&run(3, 3)), 100);
        assert_eq!(percent(&run(0, 0)), 100);
    }
}
