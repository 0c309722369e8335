//! Billing runs against the database (docs/billing.md): the prices a house
//! pays for a month, the check that lets a run start, and the batch step a
//! worker repeats until the run is done. The arithmetic itself is
//! `domain::billing`.

pub mod batch;
pub mod charges;
pub mod start;
pub mod worker;

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::db::models::{HouseId, TariffId};
use crate::db::queries;
use crate::domain::billing::Price;
use crate::domain::tariff::tariff_in_effect;
use crate::domain::{Period, Service};

pub use batch::{BatchOutcome, load_batch, run_batch};
pub use start::{StartError, StartedAll, start, start_all};
pub use worker::{Waker, WorkerConfig, Workers};

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    /// A tariff disappeared after the run started: the run must fail rather
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
