//! Saving a batch of readings — a month's form, a CSV upload or an API
//! call — all or nothing, with every refused row named.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::models::{HouseId, MeterId, NewReading};
use crate::db::queries;
use crate::domain::reading::{MeterHistory, Proposed, check_batch, doubts};
use crate::domain::{Period, Problem, ReadingSource, lookalike_key};
use crate::error::{AppError, METER_OF_ANOTHER_HOUSE, RowError, UNKNOWN_METER, UNREADABLE_ROW};

/// The most readings one batch (an API request, an upload) may carry:
/// well above a month of a large estate, small enough that checking and
/// saving a batch stays within bounded memory. Larger batches are refused
/// before their rows are built.
pub const MAX_BATCH_ROWS: usize = 50_000;

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

/// Why a row of a batch could not be read (a form field, a CSV line, a
/// JSON item): the field to blame and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub field: String,
    pub message: Problem,
}

/// A row of a batch as its reader left it.
pub type BatchRow = Result<ReadingEntry, Unreadable>;

/// What saving did: new months, corrected months, and months sent again
/// with the value already stored (left untouched); and the rows saved with
/// a warning, by their index in the batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub warnings: Vec<(usize, Problem)>,
}

impl Saved {
    /// Every reading of the batch, saved or already there.
    pub fn accepted(&self) -> usize {
        self.created + self.updated + self.unchanged
    }
}

/// Checks the whole batch against the stored readings and itself, then saves
/// it in one transaction; any refused row refuses the batch (422 listing
/// each row's index in `rows`, field and message). Rows that could not be
/// read refuse it too, but the others are still checked, so one answer names
/// every problem. With `house`, meters of other houses are refused (a form
/// or file meant for one house must not land in another). `latest` is the
/// last month a reading may be for.
pub fn save(
    conn: &mut PgConnection,
    source: ReadingSource,
    rows: &[BatchRow],
    house: Option<HouseId>,
    latest: Period,
) -> Result<Saved, AppError> {
    let mut errors: Vec<RowError> = Vec::new();
    let mut entries: Vec<&ReadingEntry> = Vec::with_capacity(rows.len());
    let mut origin: Vec<usize> = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        match row {
            Ok(entry) => {
                entries.push(entry);
                origin.push(index);
            }
            Err(Unreadable { field, message }) => errors.push(RowError {
                index,
                field: field.clone(),
                code: UNREADABLE_ROW,
                message: message.clone(),
            }),
        }
    }
    conn.transaction(|conn| {
        let Resolved {
            mut histories,
            meter_of,
            errors: unresolved,
        } = resolve(conn, &entries, &origin, house)?;
        errors.extend(unresolved);
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
        // New months go in by COPY; corrections of stored ones by upsert.
        let mut fresh = Vec::new();
        let mut corrected = Vec::new();
        // What the doubt rule said of each reading, for the dashboard.
        let mut judged = Vec::new();
        let mut doubtful = Vec::new();
        for (meter, indexes) in &by_meter {
            let history = &histories[meter];
            let proposed: Vec<Proposed> = indexes
                .iter()
                .map(|&i| Proposed {
                    period: entries[i].period,
                    value: entries[i].value,
                })
                .collect();
            let verdicts = check_batch(history, &proposed, latest);
            if verdicts.iter().all(Option::is_none) {
                for (&index, doubt) in indexes.iter().zip(doubts(history, &proposed)) {
                    let reading = (*meter, entries[index].period);
                    judged.push(reading);
                    if let Some(doubt) = doubt {
                        saved.warnings.push((origin[index], doubt));
                        doubtful.push(reading);
                    }
                }
            }
            for (&index, problem) in indexes.iter().zip(verdicts) {
                if let Some(problem) = problem {
                    errors.push(RowError {
                        index: origin[index],
                        field: problem.field.to_owned(),
                        code: problem.code,
                        message: problem.message,
                    });
                    continue;
                }
                let entry = &entries[index];
                match history.readings.get(&entry.period) {
                    Some(stored) if *stored == entry.value => saved.unchanged += 1,
                    stored => {
                        let row = NewReading {
                            meter_id: *meter,
                            period: entry.period,
                            value: entry.value,
                            source,
                        };
                        if stored.is_some() {
                            saved.updated += 1;
                            corrected.push(row);
                        } else {
                            saved.created += 1;
                            fresh.push(row);
                        }
                    }
                }
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.index);
            return Err(AppError::InvalidRows(std::mem::take(&mut errors)));
        }
        saved.warnings.sort_by_key(|(index, _)| *index);
        // Runs that billed from the old state of these months are stale.
        let changed: Vec<_> = fresh
            .iter()
            .chain(&corrected)
            .map(|r| (r.meter_id, r.period))
            .collect();
        queries::run_queue::mark_stale_for_readings(conn, &changed)?;
        queries::readings::record_doubts(conn, &judged, &doubtful)?;
        // The meters stay locked until commit, so no other save can store
        // one of the fresh months meanwhile.
        queries::readings::insert_new(conn, &fresh)?;
        queries::readings::upsert(conn, &corrected)?;
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

fn resolve(
    conn: &mut PgConnection,
    entries: &[&ReadingEntry],
    origin: &[usize],
    house: Option<HouseId>,
) -> Result<Resolved, AppError> {
    let mut ids = Vec::new();
    let mut serials = Vec::new();
    for entry in entries {
        match &entry.meter {
            MeterRef::Id(id) => ids.push(*id),
            MeterRef::Serial(serial) => serials.push(serial.as_str()),
        }
    }
    let meters = queries::meters::lock_by_ids_or_serials(conn, &ids, &serials)?;
    let by_serial: HashMap<&str, MeterId> = meters
        .iter()
        .map(|(m, _)| (m.serial.as_str(), m.id))
        .collect();
    // A serial typed with look-alike letters finds the meter under its key;
    // rows come in id order, so the meter holding the key comes first.
    let mut by_key: HashMap<String, MeterId> = HashMap::new();
    for (m, _) in &meters {
        by_key.entry(lookalike_key(&m.serial)).or_insert(m.id);
    }
    let house_of: HashMap<MeterId, (HouseId, &str)> = meters
        .iter()
        .map(|(m, house)| (m.id, (*house, m.serial.as_str())))
        .collect();
    let mut errors = Vec::new();
    let meter_of = entries
        .iter()
        .enumerate()
        .map(|(k, entry)| {
            let (found, field) = match &entry.meter {
                MeterRef::Id(id) => (house_of.contains_key(id).then_some(*id), "meter_id"),
                MeterRef::Serial(serial) => (
                    by_serial
                        .get(serial.as_str())
                        .or_else(|| by_key.get(&lookalike_key(serial)))
                        .copied(),
                    "serial",
                ),
            };
            // Messages are formatted only for the rows refused.
            let (code, message) = match (found, &entry.meter) {
                (None, MeterRef::Id(id)) => (UNKNOWN_METER, Problem::NoSuchMeter(id.0)),
                (None, MeterRef::Serial(serial)) => {
                    (UNKNOWN_METER, Problem::NoSuchSerial(serial.clone()))
                }
                (Some(id), _) => match (house, house_of[&id]) {
                    (Some(wanted), (actual, serial)) if wanted != actual => (
                        METER_OF_ANOTHER_HOUSE,
                        Problem::MeterOfAnotherHouse(serial.to_string()),
                    ),
                    _ => return found,
                },
            };
            errors.push(RowError {
                index: origin[k],
                field: field.to_owned(),
                code,
                message,
            });
            None
        })
        .collect();
    // Shared locks: a month cannot close while readings of it are saved.
    let houses: Vec<HouseId> = meters.iter().map(|(_, house)| *house).collect();
    let closed = queries::houses::closed_through_shared(conn, &houses)?;
    let histories = meters
        .iter()
        .map(|(m, house)| {
            let history = MeterHistory {
                serial: m.serial.clone(),
                initial_reading: m.initial_reading,
                dates: m.dates(),
                readings: BTreeMap::new(),
                closed_through: closed.get(house).copied().flatten(),
            };
            (m.id, history)
        })
        .collect();
    Ok(Resolved {
        histories,
        meter_of,
        errors,
    })
}
