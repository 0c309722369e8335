//! The register of a house's premises and accounts (`csv::apartment_register`)
//! compared with what is stored, as a plan of what it creates and changes,
//! and applied all or nothing. Applying the same file twice changes
//! nothing the second time: only what differs is written.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::accounts::SetAccount;
use super::apartments::{AddApartment, ChangeApartment, People};
use super::meters::{AddMeter, ChangeMeter};
use crate::csv::apartment_register::{self, AccountEntry, ApartmentEntry, LineError};
use crate::db::models::{Account, Apartment, HouseId, Meter};
use crate::db::queries;
use crate::domain::residents::{ResidentsFrom, residents_in};
use crate::domain::{MeterKind, Period, Problem, lookalike_key};
use crate::error::AppError;

/// One change a register makes to an apartment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    NewApartment,
    Area {
        from: Decimal,
        to: Decimal,
    },
    Residents {
        from: u32,
        to: u32,
    },
    Owners {
        from: u32,
        to: u32,
    },
    NewAccount {
        number: String,
    },
    AccountNumber {
        from: String,
        to: String,
    },
    Holder {
        from: String,
        to: String,
    },
    OpeningBalance {
        from: Decimal,
        to: Decimal,
    },
    OpeningPeriod {
        from: Period,
        to: Period,
    },
    NewMeter {
        serial: String,
        kind: MeterKind,
    },
    Commissioned {
        serial: String,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    Verified {
        serial: String,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
}

/// A change and the apartment (and line) it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub line: usize,
    pub apartment: String,
    pub change: Change,
    /// The entry of the register it comes from.
    entry: usize,
}

/// What a register would do to the house.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub changes: Vec<Planned>,
    /// Apartments the register names that it leaves as they are.
    pub unchanged: usize,
}

/// What a plan creates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Created {
    pub apartments: usize,
    pub accounts: usize,
    pub meters: usize,
}

impl Plan {
    /// The apartments, accounts and meters the plan creates.
    pub fn created(&self) -> Created {
        let mut created = Created::default();
        for planned in &self.changes {
            match planned.change {
                Change::NewApartment => created.apartments += 1,
                Change::NewAccount { .. } => created.accounts += 1,
                Change::NewMeter { .. } => created.meters += 1,
                _ => {}
            }
        }
        created
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Stored apartments the register changes.
    pub fn changed_apartments(&self) -> usize {
        self.by_apartment()
            .filter(|changes| changes[0].change != Change::NewApartment)
            .count()
    }

    /// The changes of each apartment together, in the register's order.
    pub fn by_apartment(&self) -> impl Iterator<Item = &[Planned]> {
        self.changes.chunk_by(|a, b| a.entry == b.entry)
    }
}

/// What the house holds that a register may change.
struct Stored {
    period: Period,
    /// The house's last closed month: no opening balance reaches into it.
    closed_through: Option<Period>,
    apartments: HashMap<String, Apartment>,
    residents: HashMap<crate::db::models::ApartmentId, Vec<ResidentsFrom>>,
    accounts: HashMap<crate::db::models::ApartmentId, Account>,
    /// Meters by look-alike key of their serials, with their apartment's
    /// number and house.
    meters: HashMap<String, (Meter, String, HouseId)>,
    /// Accounts of other apartments, by upper-cased number.
    taken_numbers: HashMap<String, crate::db::models::ApartmentId>,
}

fn load(
    conn: &mut PgConnection,
    house: HouseId,
    entries: &[ApartmentEntry],
) -> Result<Stored, AppError> {
    let house_row = queries::houses::find(conn, house)?;
    let period = house_row.current_period();
    let apartments = queries::apartments::list_for_house(conn, house)?;
    let ids: Vec<_> = apartments.iter().map(|a| a.id).collect();
    let residents = queries::apartments::residents_of(conn, &ids)?;
    let accounts = queries::accounts::of_apartments(conn, &ids)?
        .into_iter()
        .map(|a| (a.apartment_id, a))
        .collect();
    let keys: Vec<String> = entries
        .iter()
        .flat_map(|e| e.meters.iter().map(|m| lookalike_key(&m.serial)))
        .collect();
    let meters = queries::meters::by_serial_keys(conn, &keys)?
        .into_iter()
        .map(|(meter, number, house)| (lookalike_key(&meter.serial), (meter, number, house)))
        .collect();
    let numbers: Vec<String> = entries
        .iter()
        .filter_map(|e| e.account.as_ref().map(|a| a.number.to_uppercase()))
        .collect();
    let taken_numbers = queries::accounts::by_numbers(conn, &numbers)?
        .into_iter()
        .map(|(number, (_, apartment))| (number, apartment))
        .collect();
    Ok(Stored {
        period,
        closed_through: house_row.closed_through,
        apartments: apartments
            .into_iter()
            .map(|a| (lookalike_key(&a.number), a))
            .collect(),
        residents,
        accounts,
        meters,
        taken_numbers,
    })
}

/// Whether an import only says what it would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Preview,
    Apply,
}

/// Reads a register file and plans it or applies it: what it does, or
/// every line that refuses the file (nothing is saved then).
pub fn import(
    conn: &mut PgConnection,
    house: HouseId,
    file: Vec<u8>,
    mode: Mode,
) -> Result<Result<Plan, Vec<LineError>>, AppError> {
    let entries = match apartment_register::read(file) {
        Ok(entries) => entries,
        Err(errors) => {
            // A house that is not there is a 404 before the file's faults.
            queries::houses::find(conn, house)?;
            return Ok(Err(errors));
        }
    };
    match mode {
        Mode::Preview => plan(conn, house, &entries),
        Mode::Apply => apply(conn, house, &entries),
    }
}

/// Compares the register with the house: every change it makes, or every
/// line it cannot be applied by.
pub fn plan(
    conn: &mut PgConnection,
    house: HouseId,
    entries: &[ApartmentEntry],
) -> Result<Result<Plan, Vec<LineError>>, AppError> {
    let stored = load(conn, house, entries)?;
    Ok(compare(&stored, house, entries))
}

fn compare(
    stored: &Stored,
    house: HouseId,
    entries: &[ApartmentEntry],
) -> Result<Plan, Vec<LineError>> {
    let mut plan = Plan::default();
    let mut errors = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let before = plan.changes.len();
        let mut add = |line: usize, change: Change| {
            plan.changes.push(Planned {
                line,
                apartment: entry.number.clone(),
                change,
                entry: index,
            })
        };
        let apartment = stored.apartments.get(&lookalike_key(&entry.number));
        match apartment {
            None => {
                if entry.area.is_none() {
                    errors.push(LineError {
                        line: entry.line,
                        problem: Problem::Empty(crate::domain::What::Area),
                    });
                    continue;
                }
                add(entry.line, Change::NewApartment);
            }
            Some(apartment) => {
                if let Some(area) = entry.area
                    && area != apartment.area.normalize()
                {
                    add(
                        entry.line,
                        Change::Area {
                            from: apartment.area,
                            to: area,
                        },
                    );
                }
                if let Some(owners) = entry.owners {
                    let from = u32::try_from(apartment.owners).unwrap_or(0);
                    if owners != from {
                        add(entry.line, Change::Owners { from, to: owners });
                    }
                }
                if let Some(residents) = entry.residents {
                    let history = stored
                        .residents
                        .get(&apartment.id)
                        .map(Vec::as_slice)
                        .unwrap_or(&[]);
                    let from = residents_in(history, stored.period);
                    if residents != from {
                        add(
                            entry.line,
                            Change::Residents {
                                from,
                                to: residents,
                            },
                        );
                    }
                }
            }
        }
        if let Some(account) = &entry.account {
            let own = apartment.and_then(|a| stored.accounts.get(&a.id));
            match stored.taken_numbers.get(&account.number.to_uppercase()) {
                Some(owner) if Some(*owner) != apartment.map(|a| a.id) => {
                    errors.push(LineError {
                        line: entry.line,
                        problem: Problem::AccountNumberTaken(account.number.clone()),
                    });
                    continue;
                }
                _ => {}
            }
            if let (Some(own), Some(last)) = (own, stored.closed_through) {
                let balance = account.opening_balance.unwrap_or(own.opening_balance);
                let period = account.opening_period.unwrap_or(own.opening_period);
                if let Some(from) = super::accounts::ledger_changed_from(own, balance, period)
                    && from <= last
                {
                    errors.push(LineError {
                        line: entry.line,
                        problem: Problem::PeriodClosed(from),
                    });
                    continue;
                }
            }
            account_changes(own, account, |change| add(entry.line, change));
        }
        for meter in &entry.meters {
            match stored.meters.get(&lookalike_key(&meter.serial)) {
                None => add(
                    meter.line,
                    Change::NewMeter {
                        serial: meter.serial.clone(),
                        kind: meter.kind,
                    },
                ),
                Some((existing, number, meter_house)) => {
                    let here = *meter_house == house
                        && lookalike_key(number) == lookalike_key(&entry.number);
                    if !here {
                        errors.push(LineError {
                            line: meter.line,
                            problem: Problem::MeterElsewhere {
                                serial: meter.serial.clone(),
                                apartment: number.clone(),
                            },
                        });
                        continue;
                    }
                    if existing.kind != meter.kind
                        || existing.initial_reading != meter.initial_reading
                    {
                        errors.push(LineError {
                            line: meter.line,
                            problem: Problem::MeterDiffers {
                                serial: meter.serial.clone(),
                            },
                        });
                        continue;
                    }
                    if meter.commissioned_on.is_some()
                        && meter.commissioned_on != existing.commissioned_on
                    {
                        add(
                            meter.line,
                            Change::Commissioned {
                                serial: existing.serial.clone(),
                                from: existing.commissioned_on,
                                to: meter.commissioned_on,
                            },
                        );
                    }
                    if meter.verified_until.is_some()
                        && meter.verified_until != existing.verified_until
                    {
                        add(
                            meter.line,
                            Change::Verified {
                                serial: existing.serial.clone(),
                                from: existing.verified_until,
                                to: meter.verified_until,
                            },
                        );
                    }
                }
            }
        }
        if plan.changes.len() == before {
            plan.unchanged += 1;
        }
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(errors)
    }
}

/// What an account entry changes of the stored account (None: it is new).
fn account_changes(own: Option<&Account>, entry: &AccountEntry, mut add: impl FnMut(Change)) {
    let Some(own) = own else {
        add(Change::NewAccount {
            number: entry.number.clone(),
        });
        return;
    };
    if own.number != entry.number {
        add(Change::AccountNumber {
            from: own.number.clone(),
            to: entry.number.clone(),
        });
    }
    if let Some(holder) = &entry.holder
        && *holder != own.holder
    {
        add(Change::Holder {
            from: own.holder.clone(),
            to: holder.clone(),
        });
    }
    if let Some(balance) = entry.opening_balance
        && balance != own.opening_balance
    {
        add(Change::OpeningBalance {
            from: own.opening_balance,
            to: balance,
        });
    }
    if let Some(period) = entry.opening_period
        && period != own.opening_period
    {
        add(Change::OpeningPeriod {
            from: own.opening_period,
            to: period,
        });
    }
}

/// The account an entry sets: what it gives, the rest as stored (or the
/// defaults of a new account: no holder, a zero balance from the house's
/// current period).
fn set_account(own: Option<&Account>, entry: &AccountEntry, current: Period) -> SetAccount {
    SetAccount {
        number: entry.number.clone(),
        holder: entry
            .holder
            .clone()
            .or_else(|| own.map(|a| a.holder.clone()))
            .unwrap_or_default(),
        opening_balance: entry
            .opening_balance
            .or(own.map(|a| a.opening_balance))
            .unwrap_or_default(),
        opening_period: entry
            .opening_period
            .or(own.map(|a| a.opening_period))
            .unwrap_or(current),
    }
}

fn add_meter(meter: &crate::csv::apartment_register::MeterEntry) -> AddMeter {
    AddMeter {
        serial: meter.serial.clone(),
        kind: meter.kind,
        initial_reading: meter.initial_reading,
        installed_on: None,
        commissioned_on: meter.commissioned_on,
        verified_until: meter.verified_until,
    }
}

/// Applies the register in one transaction: the plan's changes, nothing
/// else. Refused lines refuse the whole file.
pub fn apply(
    conn: &mut PgConnection,
    house: HouseId,
    entries: &[ApartmentEntry],
) -> Result<Result<Plan, Vec<LineError>>, AppError> {
    conn.transaction(|conn| {
        let stored = load(conn, house, entries)?;
        let plan = match compare(&stored, house, entries) {
            Ok(plan) => plan,
            Err(errors) => return Ok(Err(errors)),
        };
        let mut new = Vec::new();
        // The plan lists an entry's changes together, in the entries' order.
        for changes in plan.by_apartment() {
            let entry = &entries[changes[0].entry];
            match stored.apartments.get(&lookalike_key(&entry.number)) {
                None => new.push(new_apartment(entry, stored.period)),
                Some(apartment) => write_changes(conn, &stored, apartment, entry, changes)?,
            }
        }
        if !new.is_empty() {
            super::houses::add_apartments(conn, house, &new, "apartments")?;
            queries::run_queue::mark_stale(conn, house, None)?;
        }
        Ok(Ok(plan))
    })
}

fn new_apartment(entry: &ApartmentEntry, current: Period) -> AddApartment {
    let residents = entry.residents.map(|count| ResidentsFrom {
        valid_from: None,
        count,
    });
    AddApartment {
        number: entry.number.clone(),
        area: entry.area.unwrap_or_default(),
        people: People {
            residents: residents.into_iter().collect(),
            owners: entry.owners.unwrap_or(People::default().owners),
            meter_impossible: false,
        },
        meters: entry.meters.iter().map(add_meter).collect(),
        account: entry
            .account
            .as_ref()
            .map(|a| set_account(None, a, current)),
    }
}

/// Writes the planned changes of a stored apartment, each service call
/// marking what it changes stale.
fn write_changes(
    conn: &mut PgConnection,
    stored: &Stored,
    apartment: &Apartment,
    entry: &ApartmentEntry,
    changes: &[Planned],
) -> Result<(), AppError> {
    let mut change = ChangeApartment::default();
    let mut account = false;
    let mut new_meters = Vec::new();
    for planned in changes {
        match &planned.change {
            Change::NewApartment => {}
            Change::Area { to, .. } => change.area = Some(*to),
            Change::Owners { to, .. } => change.owners = Some(*to),
            Change::Residents { to, .. } => {
                let residents = ResidentsFrom {
                    valid_from: Some(stored.period),
                    count: *to,
                };
                super::apartments::set_residents(conn, apartment.id, residents)?;
            }
            Change::NewAccount { .. }
            | Change::AccountNumber { .. }
            | Change::Holder { .. }
            | Change::OpeningBalance { .. }
            | Change::OpeningPeriod { .. } => account = true,
            Change::NewMeter { serial, .. } => new_meters.extend(
                entry
                    .meters
                    .iter()
                    .filter(|m| m.serial == *serial)
                    .map(add_meter),
            ),
            Change::Commissioned { serial, to, .. } => {
                let date = ChangeMeter {
                    commissioned_on: Some(*to),
                    ..ChangeMeter::default()
                };
                super::meters::update(conn, stored_meter(stored, serial)?, &date)?;
            }
            Change::Verified { serial, to, .. } => {
                let date = ChangeMeter {
                    verified_until: Some(*to),
                    ..ChangeMeter::default()
                };
                super::meters::update(conn, stored_meter(stored, serial)?, &date)?;
            }
        }
    }
    if change.area.is_some() || change.owners.is_some() {
        super::apartments::update(conn, apartment.id, &change)?;
    }
    if account && let Some(entry_account) = &entry.account {
        let own = stored.accounts.get(&apartment.id);
        super::accounts::set(
            conn,
            apartment.id,
            &set_account(own, entry_account, stored.period),
        )?;
    }
    if !new_meters.is_empty() {
        let pairs: Vec<_> = new_meters.iter().map(|m| (apartment.id, m)).collect();
        super::meters::insert_all(conn, &pairs)?;
        queries::run_queue::mark_stale(conn, apartment.house_id, None)?;
    }
    Ok(())
}

/// The stored meter a planned date change is of.
fn stored_meter(stored: &Stored, serial: &str) -> Result<crate::db::models::MeterId, AppError> {
    stored
        .meters
        .get(&lookalike_key(serial))
        .map(|(meter, _, _)| meter.id)
        .ok_or(AppError::NotFound)
}
