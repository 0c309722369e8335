use std::collections::HashSet;

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::taken;
use crate::db::models::{ApartmentId, Meter, MeterChangeset, MeterId, NewMeter};
use crate::db::queries;
use crate::domain::{Holder, MeterKind, Problem, lookalike_key};
use crate::error::AppError;

const SERIAL_TAKEN: Problem = Problem::SerialTaken;
const CHUNK: usize = 5_000;

/// A meter to add, already checked field by field.
#[derive(Debug, Clone)]
pub struct AddMeter {
    pub serial: String,
    pub kind: MeterKind,
    pub initial_reading: Decimal,
    pub installed_on: Option<NaiveDate>,
}

/// What may change on a meter; `None` keeps the current value.
#[derive(Debug, Default, Clone)]
pub struct ChangeMeter {
    pub serial: Option<String>,
    pub kind: Option<MeterKind>,
    pub initial_reading: Option<Decimal>,
    /// `Some(None)` clears the date.
    pub installed_on: Option<Option<NaiveDate>>,
}

impl ChangeMeter {
    /// Nothing to change (diesel refuses an UPDATE with nothing to set).
    pub fn is_empty(&self) -> bool {
        self.serial.is_none()
            && self.kind.is_none()
            && self.initial_reading.is_none()
            && self.installed_on.is_none()
    }
}

/// Every field set, as an edit form that shows them all asks.
impl From<AddMeter> for ChangeMeter {
    fn from(meter: AddMeter) -> Self {
        Self {
            serial: Some(meter.serial),
            kind: Some(meter.kind),
            initial_reading: Some(meter.initial_reading),
            installed_on: Some(meter.installed_on),
        }
    }
}

/// Adds one meter to an apartment.
pub fn create(
    conn: &mut PgConnection,
    apartment: ApartmentId,
    input: &AddMeter,
) -> Result<Meter, AppError> {
    conn.transaction(|conn| {
        let apartment_row = queries::apartments::find(conn, apartment)?;
        refuse_existing_serials(conn, &[(String::new(), input)])?;
        // A new meter adds water lines the house's runs did not bill.
        queries::run_queue::mark_stale(conn, apartment_row.house_id, None)?;
        queries::meters::insert(conn, &new_meter(apartment, input))
            .map_err(|e| taken(e, "meters_serial_key", "serial", SERIAL_TAKEN))
    })
}

fn new_meter(apartment: ApartmentId, m: &AddMeter) -> NewMeter<'_> {
    NewMeter {
        apartment_id: apartment,
        serial: &m.serial,
        kind: m.kind,
        initial_reading: m.initial_reading,
        installed_on: m.installed_on,
    }
}

/// Inserts meters in chunks, inside the caller's transaction.
pub(super) fn insert_all(
    conn: &mut PgConnection,
    meters: &[(ApartmentId, &AddMeter)],
) -> Result<(), AppError> {
    for chunk in meters.chunks(CHUNK) {
        let rows: Vec<_> = chunk.iter().map(|(a, m)| new_meter(*a, m)).collect();
        queries::meters::insert_many(conn, &rows)
            .map_err(|e| taken(e, "meters_serial_key", "serial", SERIAL_TAKEN))?;
    }
    Ok(())
}

/// Two meters of one request with one serial can never both be saved.
pub(super) fn refuse_repeated_serials(meters: &[(String, &AddMeter)]) -> Result<(), AppError> {
    let mut seen = std::collections::HashMap::new();
    for (path, meter) in meters {
        if let Some(first) = seen.insert(lookalike_key(&meter.serial), path) {
            return Err(AppError::conflict_field(
                &serial_field(path),
                Problem::SerialListedTwice {
                    serial: meter.serial.clone(),
                    first: (*first).clone(),
                },
            ));
        }
    }
    Ok(())
}

fn serial_field(path: &str) -> String {
    if path.is_empty() {
        "serial".to_owned()
    } else {
        format!("{path}.serial")
    }
}

/// Refuses serials some meter already has, naming the first such field
/// (`PATH.serial`, or `serial` when the path is empty).
pub(super) fn refuse_existing_serials(
    conn: &mut PgConnection,
    meters: &[(String, &AddMeter)],
) -> Result<(), AppError> {
    let keys: Vec<String> = meters
        .iter()
        .map(|(_, m)| lookalike_key(&m.serial))
        .collect();
    let existing: HashSet<String> = queries::meters::existing_serial_keys(conn, &keys)?
        .into_iter()
        .collect();
    match meters
        .iter()
        .zip(&keys)
        .find(|(_, key)| existing.contains(*key))
        .map(|(meter, _)| meter)
    {
        None => Ok(()),
        Some((path, m)) => Err(AppError::conflict_field(
            &serial_field(path),
            Problem::SerialUsed(m.serial.clone()),
        )),
    }
}

pub fn update(
    conn: &mut PgConnection,
    id: MeterId,
    patch: &ChangeMeter,
) -> Result<Meter, AppError> {
    conn.transaction(|conn| {
        let meter = queries::meters::find(conn, id)?;
        if patch.is_empty() {
            return Ok(meter);
        }
        mark_house_stale(conn, &meter)?;
        if let Some(initial) = patch.initial_reading {
            // Every reading must stay >= the initial reading.
            if let Some(first) = queries::readings::list_for_meter(conn, meter.id)?
                .into_iter()
                .find(|r| r.value < initial)
            {
                return Err(AppError::invalid_field(
                    "initial_reading",
                    Problem::AboveLaterReading {
                        value: initial,
                        later: first.period,
                        later_value: first.value,
                    },
                ));
            }
        }
        queries::meters::update(
            conn,
            id,
            &MeterChangeset {
                serial: patch.serial.as_deref(),
                kind: patch.kind,
                initial_reading: patch.initial_reading,
                installed_on: patch.installed_on,
            },
        )
        .map_err(|e| taken(e, "meters_serial_key", "serial", SERIAL_TAKEN))
    })
}

/// Deletes a meter that has no readings.
pub fn delete(conn: &mut PgConnection, id: MeterId) -> Result<Meter, AppError> {
    conn.transaction(|conn| {
        let meter = queries::meters::find(conn, id)?;
        let readings = queries::meters::reading_count(conn, id)?;
        if readings > 0 {
            return Err(AppError::conflict(Problem::HasHistory {
                holder: Holder::Meter(meter.serial),
                readings,
                charges: 0,
            }));
        }
        mark_house_stale(conn, &meter)?;
        queries::meters::delete(conn, id)?;
        Ok(meter)
    })
}

/// The meter's kind, initial reading and serial are billing inputs of
/// every month of its house.
fn mark_house_stale(conn: &mut PgConnection, meter: &Meter) -> QueryResult<usize> {
    let apartment = queries::apartments::find(conn, meter.apartment_id)?;
    queries::run_queue::mark_stale(conn, apartment.house_id, None)
}
