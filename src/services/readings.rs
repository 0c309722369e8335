//! Saving a batch of readings — a month's form, a CSV upload or an API
//! call — all or nothing, with every refused row named.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::models::{MeterId, NewReading};
use crate::db::queries;
use crate::domain::reading::{MeterHistory, Proposed, check_batch};
use crate::domain::{Period, ReadingSource};
use crate::error::{AppError, RowError};

/// Rows per multi-row upsert (4 parameters each, far below PostgreSQL's 65535).
const CHUNK: usize = 10_000;

/// How a reading names its meter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeterRef {
    Id(MeterId),
    Serial(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadingEntry {
    pub meter: MeterRef,
    pub period: Period,
    pub value: Decimal,
}

/// What saving did: new months, corrected months, and months sent again
/// with the value already stored (left untouched).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Saved {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Saved {
    /// Every reading of the batch, saved or already there.
    pub fn accepted(&self) -> usize {
        self.created + self.updated + self.unchanged
    }
}

/// Checks the whole batch against the stored readings and itself, then saves
/// it in one transaction; any refused row refuses the batch (422 listing
/// each row's index, field and message). `latest` is the last month a
/// reading may be for.
pub fn save(
    conn: &mut PgConnection,
    source: ReadingSource,
    entries: &[ReadingEntry],
    latest: Period,
) -> Result<Saved, AppError> {
    conn.transaction(|conn| {
        let Resolved {
            mut histories,
            meter_of,
            mut errors,
        } = resolve(conn, entries)?;
        let ids: Vec<MeterId> = histories.keys().copied().collect();
        for (meter, period, value) in queries::readings::for_meters(conn, &ids)? {
            if let Some(history) = histories.get_mut(&meter) {
                history.readings.insert(period, value);
            }
        }

        // Each meter's entries are checked together, in the order sent.
        let mut by_meter: BTreeMap<MeterId, Vec<usize>> = BTreeMap::new();
        for (index, meter) in meter_of.iter().enumerate() {
            if let Some(meter) = meter {
                by_meter.entry(*meter).or_default().push(index);
            }
        }
        let mut saved = Saved::default();
        let mut rows = Vec::new();
        for (meter, indexes) in &by_meter {
            let history = &histories[meter];
            let proposed: Vec<Proposed> = indexes
                .iter()
                .map(|&i| Proposed {
                    period: entries[i].period,
                    value: entries[i].value,
                })
                .collect();
            for (&index, problem) in indexes.iter().zip(check_batch(history, &proposed, latest)) {
                if let Some(problem) = problem {
                    errors.push(RowError {
                        index,
                        field: problem.field.to_owned(),
                        message: problem.message,
                    });
                    continue;
                }
                let entry = &entries[index];
                match history.readings.get(&entry.period) {
                    Some(stored) if *stored == entry.value => saved.unchanged += 1,
                    stored => {
                        if stored.is_some() {
                            saved.updated += 1;
                        } else {
                            saved.created += 1;
                        }
                        rows.push(NewReading {
                            meter_id: *meter,
                            period: entry.period,
                            value: entry.value,
                            source,
                        });
                    }
                }
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.index);
            return Err(AppError::InvalidRows(errors));
        }
        for chunk in rows.chunks(CHUNK) {
            queries::readings::upsert(conn, chunk)?;
        }
        Ok(saved)
    })
}

/// The entries' meters, locked, each with a history holding its initial
/// reading; per entry its meter's id, or a row error when there is none.
struct Resolved {
    histories: HashMap<MeterId, MeterHistory>,
    meter_of: Vec<Option<MeterId>>,
    errors: Vec<RowError>,
}

fn resolve(conn: &mut PgConnection, entries: &[ReadingEntry]) -> Result<Resolved, AppError> {
    let mut ids = Vec::new();
    let mut serials = Vec::new();
    for entry in entries {
        match &entry.meter {
            MeterRef::Id(id) => ids.push(*id),
            MeterRef::Serial(serial) => serials.push(serial.as_str()),
        }
    }
    let meters = queries::meters::lock_by_ids_or_serials(conn, &ids, &serials)?;
    let by_serial: HashMap<&str, MeterId> =
        meters.iter().map(|m| (m.serial.as_str(), m.id)).collect();
    let histories: HashMap<MeterId, MeterHistory> = meters
        .iter()
        .map(|m| {
            let history = MeterHistory {
                initial_reading: m.initial_reading,
                readings: BTreeMap::new(),
            };
            (m.id, history)
        })
        .collect();
    let mut errors = Vec::new();
    let meter_of = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let (found, field, message) = match &entry.meter {
                MeterRef::Id(id) => (
                    histories.contains_key(id).then_some(*id),
                    "meter_id",
                    format!("There is no meter {id}."),
                ),
                MeterRef::Serial(serial) => (
                    by_serial.get(serial.as_str()).copied(),
                    "serial",
                    format!("There is no meter with serial {serial}."),
                ),
            };
            if found.is_none() {
                errors.push(RowError {
                    index,
                    field: field.to_owned(),
                    message,
                });
            }
            found
        })
        .collect();
    Ok(Resolved {
        histories,
        meter_of,
        errors,
    })
}
