//! One step of a billing run: the next apartments after the run's cursor are
//! billed and their lines and meter volumes saved together with the run's
//! progress, in one transaction, so progress never claims unsaved work and
//! saved work is never redone.

use std::collections::BTreeMap;

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{BillingError, run_terms};
use crate::db::models::{
    AccountId, ApartmentId, BillingRunId, HouseId, MeterId, MeterVolume, NewCharge, PenaltyCharge,
};
use crate::db::queries;
use crate::domain::lines::{ApartmentFacts, MeterFacts, People, Unpriced, bill};
use crate::domain::residents::{ResidentsFrom, residents_in};
use crate::domain::volume::{AVERAGE_FOR_MONTHS, AVERAGE_WINDOW_MONTHS, MeterRecord};
use crate::domain::{Period, ledger};

/// What one batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Apartments billed and committed by this batch.
    pub processed_now: usize,
    /// No apartments remain: the run is now completed (or already was).
    pub done: bool,
}

/// The next `limit` apartments of `house` after `after`, in id order, with
/// what billing `period` needs of them, in three queries whatever the batch
/// size: the apartments with their residents, their meters, and the meters'
/// history (the readings of the months an average can reach, each meter's
/// latest usable one before them, and the estimates billed since).
pub fn load_batch(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
    after: Option<ApartmentId>,
    limit: usize,
) -> QueryResult<Vec<(ApartmentId, ApartmentFacts)>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let apartments = queries::billing_inputs::apartments_after(conn, house, after, limit)?;
    let ids: Vec<ApartmentId> = apartments.iter().map(|a| a.id).collect();
    let meters = queries::billing_inputs::meters_of(conn, &ids)?;
    let meter_ids: Vec<MeterId> = meters.iter().map(|m| m.id).collect();
    let mut records: BTreeMap<MeterId, MeterRecord> = meters
        .iter()
        .map(|m| {
            let record = MeterRecord {
                initial_reading: m.initial_reading,
                dates: m.dates(),
                ..MeterRecord::default()
            };
            (m.id, record)
        })
        .collect();
    // A base more than AVERAGE_FOR_MONTHS back bills no average; an average
    // looks AVERAGE_WINDOW_MONTHS behind its base.
    let average_from = period.months_before(AVERAGE_FOR_MONTHS.unsigned_abs());
    let history = queries::billing_inputs::meter_history(
        conn,
        &meter_ids,
        period,
        average_from,
        AVERAGE_WINDOW_MONTHS,
    )?;
    for row in history {
        if let Some(record) = records.get_mut(&row.meter_id) {
            let months = if row.estimate {
                &mut record.estimates
            } else {
                &mut record.readings
            };
            months.insert(row.period, row.value);
        }
    }
    let mut facts: BTreeMap<ApartmentId, Vec<MeterFacts>> = BTreeMap::new();
    for meter in meters {
        let record = records.remove(&meter.id).unwrap_or_default();
        facts
            .entry(meter.apartment_id)
            .or_default()
            .push(MeterFacts {
                id: meter.id.0,
                serial: meter.serial,
                kind: meter.kind,
                record,
            });
    }
    Ok(apartments
        .into_iter()
        .map(|a| {
            let history: Vec<ResidentsFrom> = a
                .resident_months
                .iter()
                .zip(&a.resident_counts)
                .map(|(&valid_from, &count)| ResidentsFrom {
                    valid_from,
                    count: u32::try_from(count).unwrap_or(0),
                })
                .collect();
            let people = People {
                residents: residents_in(&history, period),
                owners: u32::try_from(a.owners).unwrap_or(0),
            };
            let apartment = ApartmentFacts {
                area: a.area,
                people,
                meter_impossible: a.meter_impossible,
                meters: facts.remove(&a.id).unwrap_or_default(),
            };
            (a.id, apartment)
        })
        .collect())
}

/// The penalty of `period` of each of these apartments' accounts, its own
/// line beside the charges (replacing what a previous billing gave).
/// Computed with the key rates in effect now: a change of them marks the
/// runs it concerns stale.
fn charge_penalties(
    conn: &mut PgConnection,
    run: BillingRunId,
    period: Period,
    apartments: &[ApartmentId],
) -> QueryResult<()> {
    let accounts = queries::accounts::of_apartments(conn, apartments)?;
    if accounts.is_empty() {
        return Ok(());
    }
    let terms = queries::payments::penalty_terms(conn)?;
    let histories = queries::accounts::histories(conn, &accounts, period)?;
    let mut rows = Vec::new();
    for account in &accounts {
        let Some(history) = histories.get(&account.id) else {
            continue;
        };
        let penalty = ledger::penalty(history, period, &terms);
        if penalty.amount.is_zero() {
            continue;
        }
        let explanation = serde_json::to_value(&penalty.debts)
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
        rows.push(PenaltyCharge {
            run_id: run,
            account_id: account.id,
            period,
            amount: penalty.amount,
            explanation,
        });
    }
    let ids: Vec<AccountId> = accounts.iter().map(|a| a.id).collect();
    queries::accounts::replace_penalties(conn, &ids, period, &rows)?;
    Ok(())
}

/// Bills `run` here and now, batch after batch, as a worker would (for the
/// command line, which has no workers): takes its lease, unless someone
/// already holds it.
pub fn bill_here(
    conn: &mut PgConnection,
    run: BillingRunId,
    limit: usize,
) -> Result<(), BillingError> {
    const OWNER: &str = "command-line";
    let lease = std::time::Duration::from_secs(600);
    if queries::run_queue::take(conn, run, OWNER, lease)?.is_none() {
        return Err(BillingError::LeaseLost);
    }
    while !run_batch(conn, run, OWNER, limit)?.done {}
    Ok(())
}

/// Bills the next `limit` apartments of the run (at least one) in one
/// transaction: locks the run row, bills the apartments after its cursor,
/// replaces their lines for the month (deleting lines of services that no
/// longer apply) and their meters' volumes, and advances processed, cursor
/// and amount. A batch shorter than `limit` is the last: it also marks the
/// run completed (status 'completed', finished_at, lease released) and the
/// house's billed runs of later open months stale, in the same transaction.
/// A run that is no longer queued or running is left
/// alone (done); one whose lease `owner` no longer holds is refused with
/// `LeaseLost`, so a worker that stalled past its lease never writes over
/// its successor.
pub fn run_batch(
    conn: &mut PgConnection,
    run: BillingRunId,
    owner: &str,
    limit: usize,
) -> Result<BatchOutcome, BillingError> {
    let limit = limit.clamp(1, i32::MAX as usize);
    conn.transaction(|conn| {
        let run = queries::run_queue::lock(conn, run)?;
        if !run.status.is_active() {
            return Ok(BatchOutcome {
                processed_now: 0,
                done: true,
            });
        }
        if run.lease_owner.as_deref() != Some(owner) {
            return Err(BillingError::LeaseLost);
        }
        let batch = load_batch(conn, run.house_id, run.period, run.cursor, limit)?;
        if let Some((last, _)) = batch.last() {
            let terms = run_terms(conn, &run)?;
            let ids: Vec<ApartmentId> = batch.iter().map(|(id, _)| *id).collect();
            let meters: Vec<MeterId> = batch
                .iter()
                .flat_map(|(_, a)| a.meters.iter().map(|m| MeterId(m.id)))
                .collect();
            let mut charges = Vec::with_capacity(batch.len() * terms.services.len());
            let mut volumes = Vec::with_capacity(meters.len());
            let mut amount = Decimal::ZERO;
            for (apartment, facts) in &batch {
                let bill = bill(facts, &terms).map_err(|missing| match missing {
                    Unpriced::Tariff(service) | Unpriced::Normative(service) => {
                        BillingError::MissingTariff(service)
                    }
                })?;
                amount += bill.total();
                for line in bill.lines {
                    let figures = line.figures;
                    let explanation = serde_json::to_value(&figures.basis)
                        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
                    charges.push(NewCharge {
                        run_id: run.id,
                        apartment_id: *apartment,
                        period: run.period,
                        service: line.service,
                        quantity: figures.quantity,
                        unit: line.service.unit(),
                        unit_price: figures.price.price,
                        amount: figures.amount,
                        tariff_id: figures.price.tariff,
                        tariff_valid_from: figures.price.valid_from,
                        missing_reading: line.missing_reading,
                        explanation,
                        method: figures.method,
                        coefficient: figures.coefficient,
                        excess: figures.excess,
                    });
                }
                volumes.extend(bill.volumes.into_iter().map(|v| MeterVolume {
                    meter_id: MeterId(v.meter),
                    period: run.period,
                    method: v.method,
                    volume: v.volume,
                    run_id: run.id,
                }));
            }
            let keep: Vec<_> = charges
                .iter()
                .map(|c| (c.apartment_id, c.service))
                .collect();
            queries::charges::delete_other_lines(conn, &ids, run.period, &keep)?;
            queries::charges::upsert(conn, &charges)?;
            queries::charges::replace_meter_volumes(conn, &meters, run.period, &volumes)?;
            charge_penalties(conn, run.id, run.period, &ids)?;
            // The batch is at most i32::MAX long: `limit` is clamped above.
            let processed = i32::try_from(batch.len()).unwrap_or(i32::MAX);
            queries::run_queue::advance(conn, run.id, processed, *last, amount)?;
        }
        let done = batch.len() < limit;
        if done {
            queries::run_queue::complete(conn, run.id)?;
            // Later months measured their readings from this month's
            // volumes as they were: they must be billed again.
            queries::run_queue::mark_stale(conn, run.house_id, Some(run.period.next()))?;
        }
        Ok(BatchOutcome {
            processed_now: batch.len(),
            done,
        })
    })
}
