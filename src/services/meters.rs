use std::collections::HashSet;

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::readings::{self, MeterRef, ReadingEntry};
use super::taken;
use crate::db::models::{ApartmentId, Meter, MeterChangeset, MeterId, NewMeter};
use crate::db::queries;
use crate::domain::{Holder, MeterKind, Period, Problem, ReadingSource, lookalike_key};
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
    /// counts from the month after this day's
    pub commissioned_on: Option<NaiveDate>,
    /// faulty from the month after this day's
    pub verified_until: Option<NaiveDate>,
}

/// What may change on a meter; `None` keeps the current value.
#[derive(Debug, Default, Clone)]
pub struct ChangeMeter {
    pub serial: Option<String>,
    pub kind: Option<MeterKind>,
    pub initial_reading: Option<Decimal>,
    /// `Some(None)` clears the date (so for the two below).
    pub installed_on: Option<Option<NaiveDate>>,
    pub commissioned_on: Option<Option<NaiveDate>>,
    pub verified_until: Option<Option<NaiveDate>>,
}

impl ChangeMeter {
    /// Nothing to change (diesel refuses an UPDATE with nothing to set).
    pub fn is_empty(&self) -> bool {
        self.serial.is_none()
            && self.kind.is_none()
            && self.initial_reading.is_none()
            && self.installed_on.is_none()
            && self.commissioned_on.is_none()
            && self.verified_until.is_none()
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
            commissioned_on: Some(meter.commissioned_on),
            verified_until: Some(meter.verified_until),
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
        commissioned_on: m.commissioned_on,
        verified_until: m.verified_until,
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
        let commissioned_on = patch.commissioned_on.unwrap_or(meter.commissioned_on);
        if let (Some(from), Some(out)) = (commissioned_on, meter.decommissioned_on)
            && from > out
        {
            return Err(AppError::invalid_field(
                "commissioned_on",
                Problem::DecommissionedBeforeCommissioned,
            ));
        }
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
                commissioned_on: patch.commissioned_on,
                verified_until: patch.verified_until,
                decommissioned_on: None,
            },
        )
        .map_err(|e| taken(e, "meters_serial_key", "serial", SERIAL_TAKEN))
    })
}

/// Takes a meter out on `on` with its final reading, which is saved as its
/// reading of that month (source `final`, by every rule a reading obeys);
/// from the next month on the meter no longer counts.
pub fn decommission(
    conn: &mut PgConnection,
    id: MeterId,
    on: NaiveDate,
    final_reading: Decimal,
) -> Result<Meter, AppError> {
    conn.transaction(|conn| {
        let meter = queries::meters::find(conn, id)?;
        if let Some(out) = meter.decommissioned_on {
            return Err(AppError::conflict(Problem::AlreadyDecommissioned(out)));
        }
        if meter.commissioned_on.is_some_and(|from| from > on) {
            return Err(AppError::invalid_field(
                "on",
                Problem::DecommissionedBeforeCommissioned,
            ));
        }
        let month = Period::containing(on);
        if let Some(later) = queries::readings::list_for_meter(conn, id)?
            .into_iter()
            .rev()
            .find(|r| r.period > month)
        {
            return Err(AppError::invalid_field(
                "on",
                Problem::ReadingsAfter(later.period),
            ));
        }
        let row = Ok(ReadingEntry {
            meter: MeterRef::Id(id),
            period: Period::containing(on),
            value: final_reading,
        });
        // As for every reading: up to next month.
        let latest = Period::current().next();
        readings::save(conn, ReadingSource::Final, &[row], None, latest).map_err(|e| match e {
            AppError::InvalidRows(rows) => match rows.into_iter().next() {
                Some(row) => {
                    let field = if row.field == "period" {
                        "on"
                    } else {
                        "final_reading"
                    };
                    AppError::invalid_field(field, row.message)
                }
                None => AppError::invalid(Default::default()),
            },
            e => e,
        })?;
        mark_house_stale(conn, &meter)?;
        let out = MeterChangeset {
            decommissioned_on: Some(Some(on)),
            ..MeterChangeset::default()
        };
        Ok(queries::meters::update(conn, id, &out)?)
    })
}

/// A meter's replacement: the old one's last day and dial, and its
/// successor (of the same kind, in the same apartment).
#[derive(Debug, Clone)]
pub struct Replacement {
    pub on: NaiveDate,
    pub final_reading: Decimal,
    pub serial: String,
    pub initial_reading: Decimal,
    pub commissioned_on: Option<NaiveDate>,
    pub verified_until: Option<NaiveDate>,
}

/// Takes the meter out with its final reading and adds its successor, in
/// one transaction: either both happen or neither.
pub fn replace(
    conn: &mut PgConnection,
    id: MeterId,
    replacement: &Replacement,
) -> Result<Meter, AppError> {
    conn.transaction(|conn| {
        let old = decommission(conn, id, replacement.on, replacement.final_reading)?;
        let new = AddMeter {
            serial: replacement.serial.clone(),
            kind: old.kind,
            initial_reading: replacement.initial_reading,
            installed_on: Some(replacement.on),
            commissioned_on: replacement.commissioned_on,
            verified_until: replacement.verified_until,
        };
        create(conn, old.apartment_id, &new)
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
