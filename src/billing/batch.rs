//! One step of a billing run: the next apartments after the run's cursor are
//! billed and their lines saved together with the run's progress, in one
//! transaction, so progress never claims unsaved work and saved work is never
//! redone.

use std::collections::BTreeMap;

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{BillingError, run_prices};
use crate::db::models::{ApartmentId, BillingRunId, HouseId, NewCharge};
use crate::db::queries;
use crate::domain::Period;
use crate::domain::billing::{
    ApartmentToBill, Dial, MeterReadings, bill_apartment, services_needed,
};

/// What one batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Apartments billed and committed by this batch.
    pub processed_now: usize,
    /// No apartments remain: the run is now completed (or already was).
    pub done: bool,
}

/// The next `limit` apartments of `house` after `after`, in id order, with
/// what billing needs of them for `period`, in two queries whatever the
/// batch size. A meter's previous dial is its latest reading before the
/// month, else its initial reading (period None).
pub fn load_batch(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
    after: Option<ApartmentId>,
    limit: usize,
) -> QueryResult<Vec<(ApartmentId, ApartmentToBill)>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let apartments = queries::billing_inputs::apartments_after(conn, house, after, limit)?;
    let ids: Vec<ApartmentId> = apartments.iter().map(|(id, _)| *id).collect();
    let mut meters: BTreeMap<ApartmentId, Vec<MeterReadings>> = BTreeMap::new();
    for m in queries::readings::apartments_month(conn, &ids, period)? {
        let previous = match (m.previous_period, m.previous_value) {
            (Some(period), Some(value)) => Dial {
                period: Some(period),
                value,
            },
            _ => Dial {
                period: None,
                value: m.initial_reading,
            },
        };
        meters
            .entry(ApartmentId(m.apartment_id))
            .or_default()
            .push(MeterReadings {
                serial: m.serial,
                kind: m.kind,
                previous,
                current: m.value,
            });
    }
    Ok(apartments
        .into_iter()
        .map(|(id, area)| {
            let meters = meters.remove(&id).unwrap_or_default();
            (id, ApartmentToBill { area, meters })
        })
        .collect())
}

/// Bills the next `limit` apartments of the run (at least one) in one
/// transaction: locks the run row, bills the apartments after its cursor,
/// replaces their lines for the month (deleting lines of services that no
/// longer apply) and advances processed, cursor and amount. A batch shorter
/// than `limit` is the last: it also marks the run completed (status
/// 'completed', finished_at, lease released), in the same transaction.
/// A run that is no longer queued or running is left alone (done); one
/// whose lease `owner` no longer holds is refused with `LeaseLost`, so a
/// worker that stalled past its lease never writes over its successor.
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
            let prices = run_prices(conn, &run)?;
            let ids: Vec<ApartmentId> = batch.iter().map(|(id, _)| *id).collect();
            let mut charges = Vec::with_capacity(batch.len() * 3);
            let mut amount = Decimal::ZERO;
            for (apartment, to_bill) in &batch {
                if let Some(&missing) = services_needed(to_bill)
                    .iter()
                    .find(|s| !prices.contains_key(s))
                {
                    return Err(BillingError::MissingTariff(missing));
                }
                for line in bill_apartment(to_bill, &prices) {
                    amount += line.amount;
                    let explanation = serde_json::to_value(&line.explanation)
                        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
                    charges.push(NewCharge {
                        run_id: run.id,
                        apartment_id: *apartment,
                        period: run.period,
                        service: line.service,
                        quantity: line.quantity,
                        unit: line.unit,
                        unit_price: line.price.price,
                        amount: line.amount,
                        tariff_id: line.price.tariff,
                        tariff_valid_from: line.price.valid_from,
                        missing_reading: line.missing_reading,
                        explanation,
                    });
                }
            }
            let keep: Vec<_> = charges
                .iter()
                .map(|c| (c.apartment_id, c.service))
                .collect();
            queries::charges::delete_other_lines(conn, &ids, run.period, &keep)?;
            queries::charges::upsert(conn, &charges)?;
            // The batch is at most i32::MAX long: `limit` is clamped above.
            let processed = i32::try_from(batch.len()).unwrap_or(i32::MAX);
            queries::run_queue::advance(conn, run.id, processed, *last, amount)?;
        }
        let done = batch.len() < limit;
        if done {
            queries::run_queue::complete(conn, run.id)?;
        }
        Ok(BatchOutcome {
            processed_now: batch.len(),
            done,
        })
    })
}
