//! Payments: by hand to an account, deleted only with a reason, and bank
//! registers imported all or nothing — each row once however often the
//! file comes, an unknown account's rows kept unmatched until assigned.
//! Every payment marks stale the runs whose penalties it changes. Also the
//! key rates penalties are computed by, and the terms a run keeps.

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use crate::csv::bank_register::{self, LineError};
use crate::db::models::{
    Account, AccountId, KeyRate, KeyRateId, NewKeyRate, NewPayment, NewPaymentImport, Payment,
    PaymentId, PaymentImport,
};
use crate::db::queries;
use crate::domain::{PaymentSource, Period, Problem};
use crate::error::AppError;

/// A payment entered by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddPayment {
    pub account: String,
    pub paid_on: NaiveDate,
    pub amount: Decimal,
    pub period: Option<Period>,
}

pub fn add(conn: &mut PgConnection, new: &AddPayment) -> Result<Payment, AppError> {
    conn.transaction(|conn| {
        let account = account_named(conn, "account", &new.account)?;
        may_pay(conn, &account, new.paid_on)?;
        let row = NewPayment {
            account_id: Some(account.id),
            account_number: account.number.clone(),
            paid_on: new.paid_on,
            amount: new.amount,
            period: new.period,
            source: PaymentSource::Manual,
            operation: None,
            payer: account.holder.clone(),
            address: String::new(),
            import_id: None,
        };
        let payment = queries::payments::insert(conn, &row)?;
        queries::payments::mark_stale_for_payments(conn, &[(account.id, payment.paid_on)])?;
        Ok(payment)
    })
}

/// The account `number` names, or 422 naming `field`.
fn account_named(conn: &mut PgConnection, field: &str, number: &str) -> Result<Account, AppError> {
    queries::accounts::find_by_number(conn, number)
        .optional()?
        .ok_or_else(|| AppError::invalid_field(field, Problem::NoSuchAccount(number.to_owned())))
}

/// A payment is dated no later than today in its house's time zone and not
/// before its account's ledger starts.
fn may_pay(conn: &mut PgConnection, account: &Account, paid_on: NaiveDate) -> Result<(), AppError> {
    let house = queries::payments::house_of(conn, account.id)?;
    let house = queries::houses::find(conn, house)?;
    let today = Utc::now().with_timezone(&house.time_zone.tz()).date_naive();
    if paid_on > today {
        return Err(AppError::invalid_field("paid_on", Problem::PaidInFuture));
    }
    if paid_on < account.opening_period.first_day() {
        return Err(AppError::invalid_field(
            "paid_on",
            Problem::PaidBeforeOpening(account.opening_period),
        ));
    }
    Ok(())
}

/// Marks the payment deleted with the reason (the audit log keeps both);
/// a deleted payment counts nowhere.
pub fn delete(conn: &mut PgConnection, id: PaymentId, reason: &str) -> Result<Payment, AppError> {
    conn.transaction(|conn| {
        let payment = queries::payments::find_for_update(conn, id)?;
        if payment.deleted_at.is_some() {
            return Err(AppError::NotFound);
        }
        let deleted = queries::payments::mark_deleted(conn, id, reason)?;
        if let Some(account) = deleted.account_id {
            queries::payments::mark_stale_for_payments(conn, &[(account, deleted.paid_on)])?;
        }
        Ok(deleted)
    })
}

/// Gives an unmatched bank payment to the account `number` names.
pub fn assign(conn: &mut PgConnection, id: PaymentId, number: &str) -> Result<Payment, AppError> {
    conn.transaction(|conn| {
        let payment = queries::payments::find_for_update(conn, id)?;
        if payment.deleted_at.is_some() {
            return Err(AppError::NotFound);
        }
        if payment.account_id.is_some() {
            return Err(AppError::conflict(Problem::PaymentSettled));
        }
        let account = account_named(conn, "account", number)?;
        let assigned = queries::payments::assign(conn, id, account.id)?;
        queries::payments::mark_stale_for_payments(conn, &[(account.id, assigned.paid_on)])?;
        Ok(assigned)
    })
}

/// What an import did with a register's rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The import's record, when the file brought anything new.
    pub import: Option<PaymentImport>,
    pub imported: usize,
    pub unmatched: usize,
    pub duplicates: usize,
    /// The sum of the imported and unmatched rows.
    pub amount: Decimal,
}

/// Why a register was refused: its bad lines (or its one problem as a
/// whole, line 0), nothing saved.
#[derive(Debug)]
pub enum ImportError {
    Refused(Vec<LineError>),
    App(AppError),
}

impl<E: Into<AppError>> From<E> for ImportError {
    fn from(e: E) -> Self {
        ImportError::App(e.into())
    }
}

/// Imports a bank register: every row or none. Rows are matched to
/// accounts by number; an unknown number's rows are kept unmatched.
pub fn import(
    conn: &mut PgConnection,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<Imported, ImportError> {
    let sha256 = super::hex(&Sha256::digest(&bytes));
    let register = bank_register::read(bytes).map_err(ImportError::Refused)?;
    let total = register.payments.len();
    conn.transaction(|conn| {
        let mut numbers: Vec<String> = register
            .payments
            .iter()
            .map(|p| p.account.to_uppercase())
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let known = queries::accounts::by_numbers(conn, &numbers)?;
        let import_id = queries::payments::next_import_id(conn)?;
        let rows: Vec<NewPayment> = register
            .payments
            .into_iter()
            .map(|p| NewPayment {
                account_id: known.get(&p.account.to_uppercase()).map(|(id, _)| *id),
                account_number: p.account,
                paid_on: p.paid_on,
                amount: p.amount,
                period: p.period,
                source: PaymentSource::Bank,
                operation: Some(p.operation),
                payer: p.payer,
                address: p.address,
                import_id: Some(import_id),
            })
            .collect();
        let saved = queries::payments::insert_bank_rows(conn, &rows)?;
        let duplicates = total - saved.matched - saved.unmatched;
        let import = match saved.matched + saved.unmatched {
            0 => None,
            _ => {
                let paid: Vec<(AccountId, NaiveDate)> = rows
                    .iter()
                    .filter_map(|r| r.account_id.map(|a| (a, r.paid_on)))
                    .collect();
                queries::payments::mark_stale_for_payments(conn, &paid)?;
                let record = NewPaymentImport {
                    file_name: file_name.chars().take(255).collect(),
                    file_sha256: sha256,
                    imported: count(saved.matched),
                    unmatched: count(saved.unmatched),
                    duplicates: count(duplicates),
                    amount: saved.amount,
                };
                Some(queries::payments::insert_import(conn, import_id, &record)?)
            }
        };
        Ok(Imported {
            import,
            imported: saved.matched,
            unmatched: saved.unmatched,
            duplicates,
            amount: saved.amount,
        })
    })
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

pub fn add_key_rate(
    conn: &mut PgConnection,
    valid_from: NaiveDate,
    rate: Decimal,
) -> Result<KeyRate, AppError> {
    conn.transaction(|conn| {
        let row = NewKeyRate { valid_from, rate };
        let key_rate = queries::payments::insert_key_rate(conn, &row).map_err(|e| {
            super::taken(
                e,
                "key_rates_valid_from_key",
                "valid_from",
                Problem::KeyRateTaken,
            )
        })?;
        mark_all_stale_from(conn, valid_from)?;
        Ok(key_rate)
    })
}

pub fn delete_key_rate(conn: &mut PgConnection, id: KeyRateId) -> Result<KeyRate, AppError> {
    conn.transaction(|conn| {
        let key_rate = queries::payments::delete_key_rate(conn, id)?;
        mark_all_stale_from(conn, key_rate.valid_from)?;
        Ok(key_rate)
    })
}

/// A key rate changes the penalties of every house from its month on.
fn mark_all_stale_from(conn: &mut PgConnection, day: NaiveDate) -> QueryResult<usize> {
    queries::run_queue::mark_stale_everywhere(conn, Period::containing(day))
}
