//! Receipts (единый платёжный документ): for each account of a house and a
//! billed month, what the model form of Приказ Минстроя № 43/пр prints —
//! the payer, the month's statement, its lines with how each was found, the
//! meters' readings, the penalty and its debts — read for a whole house in
//! a few statements. The numbers are the ledger's as stored: nothing is
//! rounded again here or when printed.

use std::collections::HashMap;

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::models::{Account, Apartment, ApartmentId, Charge, House, HouseId};
use crate::db::queries;
use crate::db::queries::readings::MonthRow;
use crate::domain::billing::Explanation;
use crate::domain::ledger::{self, DebtPenalty, StatementRow};
use crate::domain::residents::residents_in;
use crate::domain::{Period, Problem, RunStatus};
use crate::error::AppError;

/// A line of the receipt: the charge and how it was found (None: a stored
/// explanation that cannot be read; the line's numbers still print).
#[derive(Debug, Clone)]
pub struct ReceiptLine {
    pub charge: Charge,
    pub explanation: Option<Explanation>,
}

/// The month's penalty and the debts it was charged on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptPenalty {
    pub amount: Decimal,
    pub debts: Vec<DebtPenalty>,
}

/// One account's receipt for one month.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub period: Period,
    pub house: House,
    pub apartment: Apartment,
    pub account: Account,
    /// Registered in the month (owners when nobody is: the normative's n).
    pub residents: u32,
    /// Opening (debt at the start), charged, penalty, paid, closing.
    pub statement: StatementRow,
    pub lines: Vec<ReceiptLine>,
    pub penalty: Option<ReceiptPenalty>,
    /// The apartment's meters with the previous and the month's reading.
    pub meters: Vec<MonthRow>,
    /// The month was billed, but something changed since (billed again,
    /// the receipt would differ).
    pub stale: bool,
}

impl Receipt {
    /// What the receipt asks to pay: the closing balance when it is owed.
    pub fn due(&self) -> Decimal {
        self.statement.closing.max(Decimal::ZERO)
    }

    /// An advance the payer has, when the closing balance is below zero.
    pub fn advance(&self) -> Option<Decimal> {
        (self.statement.closing < Decimal::ZERO).then(|| -self.statement.closing)
    }
}

/// Whether the house's billed month went stale since its run; 409 when it
/// was not billed: receipts are only for billed months.
fn stale_since_billed(
    conn: &mut PgConnection,
    house: &House,
    period: Period,
) -> Result<bool, AppError> {
    let run = queries::run_listing::latest_for(conn, house.id, period)?
        .filter(|run| run.status == RunStatus::Completed);
    match run {
        Some(run) => Ok(run.stale_at.is_some()),
        None => Err(AppError::conflict(Problem::ReceiptNotBilled(period))),
    }
}

/// The receipts of every account of the house for `period`, in the
/// apartments' order.
pub fn of_house(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
) -> Result<Vec<Receipt>, AppError> {
    let house = queries::houses::find(conn, house)?;
    let stale = stale_since_billed(conn, &house, period)?;
    let accounts: Vec<Account> = queries::accounts::of_house(conn, house.id)?
        .into_iter()
        .map(|(account, _)| account)
        // An account opened after the month has nothing on its receipt.
        .filter(|account| account.opening_period <= period)
        .collect();
    receipts(conn, house, accounts, period, stale)
}

/// The receipt of the account numbered `number` for `period`.
pub fn of_account(
    conn: &mut PgConnection,
    number: &str,
    period: Period,
) -> Result<Receipt, AppError> {
    let located = super::accounts::find(conn, number)?;
    // Before its ledger starts, an account has no receipt.
    if located.account.opening_period > period {
        return Err(AppError::NotFound);
    }
    let stale = stale_since_billed(conn, &located.house, period)?;
    receipts(conn, located.house, vec![located.account], period, stale)?
        .pop()
        .ok_or(AppError::NotFound)
}

fn receipts(
    conn: &mut PgConnection,
    house: House,
    accounts: Vec<Account>,
    period: Period,
    stale: bool,
) -> Result<Vec<Receipt>, AppError> {
    let ids: Vec<ApartmentId> = accounts.iter().map(|a| a.apartment_id).collect();
    let mut apartments: HashMap<ApartmentId, Apartment> = queries::apartments::by_ids(conn, &ids)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let residents = queries::apartments::residents_of(conn, &ids)?;
    let histories = queries::accounts::histories(conn, &accounts, period)?;
    let mut lines: HashMap<ApartmentId, Vec<ReceiptLine>> = HashMap::new();
    for charge in queries::charges::list_for_apartments(conn, &ids, period)? {
        let explanation = serde_json::from_value(charge.explanation.clone()).ok();
        lines
            .entry(charge.apartment_id)
            .or_default()
            .push(ReceiptLine {
                charge,
                explanation,
            });
    }
    let mut penalties: HashMap<_, ReceiptPenalty> =
        queries::charges::penalties_for_house_month(conn, house.id, period)?
            .into_iter()
            .map(|(_, _, penalty)| {
                let debts = serde_json::from_value(penalty.explanation).unwrap_or_default();
                let amount = penalty.amount;
                (penalty.account_id, ReceiptPenalty { amount, debts })
            })
            .collect();
    let mut meters: HashMap<i64, Vec<MonthRow>> = HashMap::new();
    for row in queries::readings::house_month(conn, house.id, period)? {
        meters.entry(row.apartment_id).or_default().push(row);
    }
    let mut receipts = Vec::with_capacity(accounts.len());
    for account in accounts {
        let Some(apartment) = apartments.remove(&account.apartment_id) else {
            continue;
        };
        let history = histories.get(&account.id);
        let statement = history
            .and_then(|h| ledger::statement(h, period, period).pop())
            .unwrap_or(StatementRow {
                period,
                opening: account.opening_balance,
                charged: Decimal::ZERO,
                penalty: Decimal::ZERO,
                paid: Decimal::ZERO,
                closing: account.opening_balance,
            });
        let people = residents
            .get(&apartment.id)
            .map(|history| residents_in(history, period))
            .unwrap_or(0);
        receipts.push(Receipt {
            period,
            house: house.clone(),
            residents: people,
            statement,
            lines: lines.remove(&apartment.id).unwrap_or_default(),
            penalty: penalties.remove(&account.id),
            meters: meters.remove(&apartment.id.0).unwrap_or_default(),
            stale,
            apartment,
            account,
        });
    }
    Ok(receipts)
}
