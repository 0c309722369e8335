use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{ApartmentId, HouseId, TariffId, id_type};
use crate::db::schema::{billing_run_prices, billing_run_rates, billing_runs};
use crate::domain::{MeterKind, Period, RunFailure, RunStatus, Service};

id_type!(BillingRunId);

#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = billing_runs, check_for_backend(diesel::pg::Pg))]
pub struct BillingRun {
    pub id: BillingRunId,
    pub house_id: HouseId,
    pub period: Period,
    pub status: RunStatus,
    /// apartments to bill
    pub total: i32,
    /// apartments whose charges are committed
    pub processed: i32,
    /// the last apartment whose charges are committed
    pub cursor: Option<ApartmentId>,
    /// ₽ billed so far: the lines and the penalties of its accounts
    pub amount: Decimal,
    pub lease_owner: Option<String>,
    pub lease_expires_at: Option<DateTime<Utc>>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// the user who started it; None for the command line and the system
    pub started_by: Option<String>,
    /// when an input of its house and month changed after it read it: its
    /// lines no longer match what billing again would give
    pub stale_at: Option<DateTime<Utc>>,
    /// why it failed, for the pages (`error` says it in English)
    pub failure: Option<RunFailure>,
    /// the services it bills, as the house named them when it started
    /// (None for runs started before they were kept)
    pub services: Option<Vec<Service>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = billing_runs)]
pub struct NewBillingRun {
    pub house_id: HouseId,
    pub period: Period,
    pub total: i32,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = billing_runs)]
pub struct BillingRunChangeset {
    pub status: Option<RunStatus>,
    pub processed: Option<i32>,
    pub cursor: Option<Option<ApartmentId>>,
    pub amount: Option<Decimal>,
    pub lease_owner: Option<Option<String>>,
    pub lease_expires_at: Option<Option<DateTime<Utc>>>,
    pub error: Option<Option<String>>,
    pub failure: Option<Option<RunFailure>>,
    pub started_at: Option<Option<DateTime<Utc>>>,
    pub finished_at: Option<Option<DateTime<Utc>>>,
}

/// The price a run bills a service at, fixed when it started.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = billing_run_prices, check_for_backend(diesel::pg::Pg))]
pub struct RunPrice {
    pub run_id: BillingRunId,
    pub service: Service,
    pub tariff_id: TariffId,
    pub price: Decimal,
    pub valid_from: Period,
}

/// The normative and coefficient a run bills a water service at, fixed
/// when it started.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = billing_run_rates, check_for_backend(diesel::pg::Pg))]
pub struct RunRate {
    pub run_id: BillingRunId,
    pub service: MeterKind,
    pub normative: Decimal,
    pub normative_from: Period,
    pub coefficient: Decimal,
}

impl BillingRun {
    /// How far the run is, 0–100, rounded down so 100 means done. A run of
    /// a house without apartments is 100 once completed.
    pub fn percent(&self) -> u8 {
        if self.total <= 0 {
            return if self.status == RunStatus::Completed {
                100
            } else {
                0
            };
        }
        let percent = i64::from(self.processed) * 100 / i64::from(self.total);
        u8::try_from(percent.clamp(0, 100)).unwrap_or(100)
    }

    /// From start to finish, or to `now` while it runs; None before start.
    pub fn duration(&self, now: DateTime<Utc>) -> Option<chrono::Duration> {
        let started = self.started_at?;
        Some(self.finished_at.unwrap_or(now) - started)
    }

    pub fn is_stale(&self) -> bool {
        self.stale_at.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(status: RunStatus, processed: i32, total: i32) -> BillingRun {
        BillingRun {
            id: BillingRunId(1),
            house_id: HouseId(1),
            period: Period::new(2026, 9).unwrap(),
            status,
            total,
            processed,
            cursor: None,
            amount: Decimal::ZERO,
            lease_owner: None,
            lease_expires_at: None,
            error: None,
            created_at: Utc::now(),
            started_at: None,
            finished_at: None,
            started_by: None,
            stale_at: None,
            failure: None,
            services: None,
        }
    }

    #[test]
    fn percent_rounds_down_and_an_empty_completed_run_is_complete() {
        assert_eq!(run(RunStatus::Running, 1, 3).percent(), 33);
        assert_eq!(run(RunStatus::Running, 3, 3).percent(), 100);
        assert_eq!(run(RunStatus::Completed, 0, 0).percent(), 100);
        assert_eq!(run(RunStatus::Queued, 0, 0).percent(), 0);
    }
}
