//! Billing runs against the database (docs/billing.md): what a house's month
//! is billed at (prices, normatives and coefficients, kept with each run
//! when it starts), the check that lets a run start, the batch step a worker
//! repeats until the run is done, and which runs a change of those rates
//! makes stale. The arithmetic itself is `domain::lines`.

pub mod batch;
pub mod charges;
pub mod start;
pub mod worker;

use std::collections::BTreeMap;

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::models::{BillingRun, BillingRunId, House, HouseId, RunPrice, RunRate, TariffId};
use crate::db::queries;
use crate::domain::lines::{MonthTerms, WaterRates};
use crate::domain::tariff::{Price, tariff_in_effect};
use crate::domain::{MeterKind, Period, Service};

pub use batch::{BatchOutcome, bill_here, load_batch, run_batch};
pub use start::{StartError, StartedAll, start, start_all, start_current_periods};
pub use worker::{Stopper, Waker, WorkerConfig, Workers};

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    /// A service the run kept no tariff or normative for is needed (added
    /// to the house after the run started): the run must fail rather than
    /// bill a service at no price.
    #[error("no {0} tariff or normative was kept with the run")]
    MissingTariff(Service),
    /// Another worker holds the run now (this one's lease expired).
    #[error("the run's lease passed to another worker")]
    LeaseLost,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

pub type Prices = BTreeMap<Service, Price<TariffId>>;
pub type Rates = BTreeMap<MeterKind, WaterRates>;

/// The tariff `house` pays per service in `period`; a service with none in
/// effect is absent. The tariffs are loaded once and chosen by the one rule
/// of `domain::tariff`.
pub fn prices(conn: &mut PgConnection, house: HouseId, period: Period) -> QueryResult<Prices> {
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

/// The normative (the house's own, else the default) and coefficient (1
/// with none) of each water service with a normative in effect in `period`.
pub fn rates(conn: &mut PgConnection, house: HouseId, period: Period) -> QueryResult<Rates> {
    let normatives = queries::billing_inputs::normatives_for_house(conn, house, period)?;
    let coefficients = queries::billing_inputs::coefficients_until(conn, period)?;
    Ok(MeterKind::ALL
        .iter()
        .filter_map(|&kind| {
            let service = kind.service();
            let (normative, _) = tariff_in_effect(&normatives, service, Some(&house), period)?;
            let coefficient = tariff_in_effect(&coefficients, service, None, period)
                .map_or(Decimal::ONE, |(c, _)| c.value);
            let rates = WaterRates {
                normative: normative.value,
                normative_from: normative.valid_from,
                coefficient,
            };
            Some((kind, rates))
        })
        .collect())
}

/// What `run` bills: the services, prices and rates kept when it started,
/// so a tariff or normative added or changed meanwhile changes none of its
/// lines. A run started before they were kept bills the house's services at
/// those in effect.
pub fn run_terms(conn: &mut PgConnection, run: &BillingRun) -> QueryResult<MonthTerms<TariffId>> {
    let services = match &run.services {
        Some(kept) => kept.clone(),
        None => queries::houses::find(conn, run.house_id)?.services,
    };
    let mut prices = kept_prices(conn, run.id)?;
    if prices.is_empty() {
        prices = self::prices(conn, run.house_id, run.period)?;
    }
    let mut water = kept_rates(conn, run.id)?;
    if water.is_empty() {
        water = rates(conn, run.house_id, run.period)?;
    }
    Ok(MonthTerms {
        period: run.period,
        services,
        prices,
        water,
    })
}

fn kept_prices(conn: &mut PgConnection, run: BillingRunId) -> QueryResult<Prices> {
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

fn kept_rates(conn: &mut PgConnection, run: BillingRunId) -> QueryResult<Rates> {
    Ok(queries::billing_inputs::run_rates(conn, run)?
        .into_iter()
        .map(|r| {
            let rates = WaterRates {
                normative: r.normative,
                normative_from: r.normative_from,
                coefficient: r.coefficient,
            };
            (r.service, rates)
        })
        .collect())
}

/// Keeps the services of `house` and the prices and rates in effect for
/// its month with the run.
fn keep_terms(conn: &mut PgConnection, run: &BillingRun, house: &House) -> QueryResult<()> {
    queries::run_queue::keep_services(conn, run.id, &house.services)?;
    let prices: Vec<RunPrice> = prices(conn, run.house_id, run.period)?
        .into_iter()
        .map(|(service, price)| RunPrice {
            run_id: run.id,
            service,
            tariff_id: price.tariff,
            price: price.price,
            valid_from: price.valid_from,
        })
        .collect();
    queries::billing_inputs::keep_prices(conn, &prices)?;
    let rates: Vec<RunRate> = rates(conn, run.house_id, run.period)?
        .into_iter()
        .map(|(service, rates)| RunRate {
            run_id: run.id,
            service,
            normative: rates.normative,
            normative_from: rates.normative_from,
            coefficient: rates.coefficient,
        })
        .collect();
    queries::billing_inputs::keep_rates(conn, &rates)?;
    Ok(())
}

/// After a tariff, normative or coefficient of `house` (every house when
/// None) in effect from `from` was added, changed or deleted, in the same
/// transaction: marks stale the open runs for which something kept is no
/// longer what is in effect (a normative by its value: one restated at the
/// same value changes no line).
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
        let prices_changed = kept
            .iter()
            .any(|(service, price)| now.get(service) != Some(price));
        let kept = kept_rates(conn, run.id)?;
        let now = rates(conn, run.house_id, run.period)?;
        let values = |r: &WaterRates| (r.normative, r.coefficient);
        let rates_changed = kept.len() != now.len()
            || kept
                .iter()
                .any(|(kind, r)| now.get(kind).map(values) != Some(values(r)));
        if prices_changed || rates_changed {
            stale.push(run.id);
        }
    }
    queries::run_queue::mark_runs_stale(conn, &stale)
}

/// What `house` lacks to be billed for `period`: the services it bills
/// without a tariff in effect, and its water services without a normative.
/// A run may start only when both are empty.
pub fn unpriced(
    conn: &mut PgConnection,
    house: &House,
    period: Period,
) -> QueryResult<(Vec<Service>, Vec<Service>)> {
    let prices = prices(conn, house.id, period)?;
    let rates = rates(conn, house.id, period)?;
    let mut tariffs = Vec::new();
    let mut normatives = Vec::new();
    for &service in Service::ALL.iter().filter(|s| house.bills(**s)) {
        if !prices.contains_key(&service) {
            tariffs.push(service);
        }
        if let Some(kind) = MeterKind::ALL.iter().find(|k| k.service() == service)
            && !rates.contains_key(kind)
        {
            normatives.push(service);
        }
    }
    Ok((tariffs, normatives))
}
