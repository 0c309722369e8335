//! Billing runs against the database (docs/billing.md): the prices a house
//! pays for a month (kept with each run when it starts), the check that lets
//! a run start, the batch step a worker repeats until the run is done, and
//! which runs a tariff change makes stale. The arithmetic itself is
//! `domain::billing`.

pub mod batch;
pub mod charges;
pub mod start;
pub mod worker;

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::db::models::{BillingRun, BillingRunId, HouseId, RunPrice, TariffId};
use crate::db::queries;
use crate::domain::billing::Price;
use crate::domain::tariff::tariff_in_effect;
use crate::domain::{Period, Service};

pub use batch::{BatchOutcome, load_batch, run_batch};
pub use start::{StartError, StartedAll, start, start_all, start_current_periods};
pub use worker::{Stopper, Waker, WorkerConfig, Workers};

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    /// A service the run kept no price for is needed (a meter of a kind no
    /// tariff covered was added after it started): the run must fail rather
    /// than bill a service at no price.
    #[error("no {0} tariff is in effect for the month")]
    MissingTariff(Service),
    /// Another worker holds the run now (this one's lease expired).
    #[error("the run's lease passed to another worker")]
    LeaseLost,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// The tariff `house` pays per service in `period`; a service with none in
/// effect is absent. The tariffs are loaded once and chosen by the one rule
/// of `domain::tariff`.
pub fn prices(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
) -> QueryResult<BTreeMap<Service, Price<TariffId>>> {
    let tariffs = queries::billing_inputs::tariffs_for_house(conn, house, period)?;
    Ok(Service::ALL
        .iter()
        .filter_map(|&service| {
            let (tariff, _) = tariff_in_effect(&tariffs, service, Some(&house), period)?;
            let price = Price {
                tariff: tariff.id,
                price: tariff.price,
                valid_from: tariff.valid_from,
            };
            Some((service, price))
        })
        .collect())
}

/// The prices `run` bills at: those kept when it started, so a tariff
/// added or changed meanwhile changes none of its lines. A run started
/// before prices were kept bills at the tariffs in effect.
pub fn run_prices(
    conn: &mut PgConnection,
    run: &BillingRun,
) -> QueryResult<BTreeMap<Service, Price<TariffId>>> {
    let kept = kept_prices(conn, run.id)?;
    if kept.is_empty() {
        return prices(conn, run.house_id, run.period);
    }
    Ok(kept)
}

fn kept_prices(
    conn: &mut PgConnection,
    run: BillingRunId,
) -> QueryResult<BTreeMap<Service, Price<TariffId>>> {
    Ok(queries::billing_inputs::run_prices(conn, run)?
        .into_iter()
        .map(|p| {
            let price = Price {
                tariff: p.tariff_id,
                price: p.price,
                valid_from: p.valid_from,
            };
            (p.service, price)
        })
        .collect())
}

/// Keeps the prices in effect for the run's house and month with the run.
fn keep_prices(conn: &mut PgConnection, run: &BillingRun) -> QueryResult<usize> {
    let rows: Vec<RunPrice> = prices(conn, run.house_id, run.period)?
        .into_iter()
        .map(|(service, price)| RunPrice {
            run_id: run.id,
            service,
            tariff_id: price.tariff,
            price: price.price,
            valid_from: price.valid_from,
        })
        .collect();
    queries::billing_inputs::keep_prices(conn, &rows)
}

/// After a tariff of `house` (every house when None) in effect from `from`
/// was added, changed or deleted, in the same transaction: marks stale the
/// runs for which some kept price is no longer the one in effect.
pub fn mark_stale_if_prices_changed(
    conn: &mut PgConnection,
    house: Option<HouseId>,
    from: Period,
) -> QueryResult<usize> {
    let mut stale = Vec::new();
    for run in queries::run_queue::priced_since(conn, house, from)? {
        let kept = kept_prices(conn, run.id)?;
        if kept.is_empty() {
            continue;
        }
        let now = prices(conn, run.house_id, run.period)?;
        if kept
            .iter()
            .any(|(service, price)| now.get(service) != Some(price))
        {
            stale.push(run.id);
        }
    }
    queries::run_queue::mark_runs_stale(conn, &stale)
}

/// The services some apartment of the house needs in `period` with no
/// tariff in effect: maintenance if it has apartments, a water service if
/// some meter of that kind exists. A run may start only when this is empty.
pub fn missing_services(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
) -> QueryResult<Vec<Service>> {
    let (has_apartments, kinds) = queries::billing_inputs::house_needs(conn, house)?;
    let mut needed: Vec<Service> = kinds.into_iter().map(|k| k.service()).collect();
    if has_apartments {
        needed.push(Service::Maintenance);
    }
    needed.sort();
    needed.dedup();
    let prices = prices(conn, house, period)?;
    needed.retain(|s| !prices.contains_key(s));
    Ok(needed)
}
