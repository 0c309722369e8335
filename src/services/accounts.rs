//! Personal accounts (лицевые счета): one per apartment, set by its
//! number, holder and opening balance; their statements by month and a
//! house's balances (оборотно-сальдовая ведомость), both computed by
//! `domain::ledger` from what the database holds.

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::taken;
use crate::db::models::{
    Account, AccountChangeset, Apartment, ApartmentId, House, HouseId, NewAccount,
};
use crate::db::queries;
use crate::domain::ledger::{self, StatementRow};
use crate::domain::{Period, Problem};
use crate::error::AppError;

const NUMBER_KEY: &str = "accounts_number_key";

/// An apartment's account as a manager sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAccount {
    pub number: String,
    pub holder: String,
    pub opening_balance: Decimal,
    pub opening_period: Period,
}

/// An account with where it is.
#[derive(Debug, Clone)]
pub struct Located {
    pub account: Account,
    pub apartment: Apartment,
    pub house: House,
}

/// Creates the apartment's account or changes it. A changed opening
/// balance or month changes every later penalty: the house's runs from the
/// earlier opening month on are marked stale.
pub fn set(
    conn: &mut PgConnection,
    apartment: ApartmentId,
    set: &SetAccount,
) -> Result<Account, AppError> {
    // The column takes the digits and the Latin and Russian letters only
    // (a number is typed into bank apps); other letters are refused here
    // rather than by its CHECK.
    if !set.number.chars().all(is_number_char) {
        return Err(AppError::invalid_field(
            "number",
            Problem::AccountNumberChars,
        ));
    }
    conn.transaction(|conn| {
        let apartment = queries::apartments::find(conn, apartment)?;
        let number_taken = |e| {
            taken(
                e,
                NUMBER_KEY,
                "number",
                Problem::AccountNumberTaken(set.number.clone()),
            )
        };
        let (account, stale_from) = match queries::accounts::of_apartment(conn, apartment.id)? {
            None => {
                let new = NewAccount {
                    apartment_id: apartment.id,
                    number: set.number.clone(),
                    holder: set.holder.clone(),
                    opening_balance: set.opening_balance,
                    opening_period: set.opening_period,
                };
                let account = queries::accounts::insert(conn, &new).map_err(number_taken)?;
                (account, Some(set.opening_period))
            }
            Some(before) => {
                refuse_closed_ledger(conn, apartment.house_id, &before, set)?;
                let changes = AccountChangeset {
                    number: Some(set.number.clone()),
                    holder: Some(set.holder.clone()),
                    opening_balance: Some(set.opening_balance),
                    opening_period: Some(set.opening_period),
                };
                let after =
                    queries::accounts::update(conn, before.id, &changes).map_err(number_taken)?;
                let from =
                    ledger_changed_from(&before, after.opening_balance, after.opening_period);
                (after, from)
            }
        };
        if let Some(from) = stale_from {
            queries::run_queue::mark_stale(conn, apartment.house_id, Some(from))?;
        }
        Ok(account)
    })
}

/// The month an opening balance or month change rewrites the ledger
/// from, when it does: the earlier of the two opening months.
pub fn ledger_changed_from(before: &Account, balance: Decimal, period: Period) -> Option<Period> {
    (before.opening_balance != balance || before.opening_period != period)
        .then(|| before.opening_period.min(period))
}

/// A closed month's balances do not change: a new opening balance or
/// month reaching into one is refused, naming the field that changed.
fn refuse_closed_ledger(
    conn: &mut PgConnection,
    house: HouseId,
    before: &Account,
    set: &SetAccount,
) -> Result<(), AppError> {
    let Some(from) = ledger_changed_from(before, set.opening_balance, set.opening_period) else {
        return Ok(());
    };
    match queries::houses::find(conn, house)?.closed_through {
        Some(last) if from <= last => {
            let field = match before.opening_balance != set.opening_balance {
                true => "opening_balance",
                false => "opening_period",
            };
            Err(AppError::invalid_field(field, Problem::PeriodClosed(from)))
        }
        _ => Ok(()),
    }
}

/// A character an account number may have: `[0-9A-Za-zА-Яа-яЁё]`, as the
/// column's CHECK says.
fn is_number_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, 'А'..='я' | 'Ё' | 'ё')
}

/// The account with this number (letters in any case), or 404.
pub fn find(conn: &mut PgConnection, number: &str) -> Result<Located, AppError> {
    let account = queries::accounts::find_by_number(conn, number)?;
    let apartment = queries::apartments::find(conn, account.apartment_id)?;
    let house = queries::houses::find(conn, apartment.house_id)?;
    Ok(Located {
        account,
        apartment,
        house,
    })
}

/// The account's statement from `from` (its opening month when None) to
/// `to` (its house's current period when None).
pub fn statement(
    conn: &mut PgConnection,
    located: &Located,
    from: Option<Period>,
    to: Option<Period>,
) -> Result<Vec<StatementRow>, AppError> {
    let account = &located.account;
    let from = from.unwrap_or(account.opening_period);
    let to = to.unwrap_or_else(|| located.house.current_period());
    let histories = queries::accounts::histories(conn, std::slice::from_ref(account), to)?;
    Ok(histories
        .get(&account.id)
        .map(|history| ledger::statement(history, from, to))
        .unwrap_or_default())
}

/// One account's row of a house's balances.
#[derive(Debug, Clone)]
pub struct BalanceRow {
    pub account: Account,
    pub apartment: String,
    pub row: StatementRow,
}

/// A house's balances for a month: a row per account (an account opened
/// after the month has none) and their totals.
#[derive(Debug, Clone)]
pub struct Balances {
    pub period: Period,
    pub accounts: Vec<BalanceRow>,
    pub totals: Totals,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub opening: Decimal,
    pub charged: Decimal,
    pub penalty: Decimal,
    pub paid: Decimal,
    pub closing: Decimal,
}

impl Totals {
    fn add(&mut self, row: &StatementRow) {
        self.opening += row.opening;
        self.charged += row.charged;
        self.penalty += row.penalty;
        self.paid += row.paid;
        self.closing += row.closing;
    }
}

pub fn balances(
    conn: &mut PgConnection,
    house: HouseId,
    period: Period,
) -> Result<Balances, AppError> {
    queries::houses::find(conn, house)?;
    let accounts = queries::accounts::of_house(conn, house)?;
    let plain: Vec<Account> = accounts.iter().map(|(a, _)| a.clone()).collect();
    let histories = queries::accounts::histories(conn, &plain, period)?;
    let mut totals = Totals::default();
    let rows = accounts
        .into_iter()
        .filter_map(|(account, apartment)| {
            let history = histories.get(&account.id)?;
            let row = ledger::statement(history, period, period).pop()?;
            totals.add(&row);
            Some(BalanceRow {
                account,
                apartment,
                row,
            })
        })
        .collect();
    Ok(Balances {
        period,
        accounts: rows,
        totals,
    })
}

/// Each month's penalty explanation of the account from..=to: the debts
/// it was charged on, as the run that charged it stored them. A month whose
/// stored explanation cannot be read has none (its amount is still in the
/// statement).
pub fn penalty_explanations(
    conn: &mut PgConnection,
    located: &Located,
    from: Period,
    to: Period,
) -> Result<std::collections::BTreeMap<Period, Vec<ledger::DebtPenalty>>, AppError> {
    let rows = queries::accounts::penalties_of(conn, located.account.id, from, to)?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            match serde_json::from_value::<Vec<ledger::DebtPenalty>>(row.explanation) {
                Ok(debts) => Some((row.period, debts)),
                Err(e) => {
                    tracing::warn!(account = %located.account.number, period = %row.period,
                        "a penalty's explanation cannot be read: {e}");
                    None
                }
            }
        })
        .collect())
}

/// How the debtors are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DebtorOrder {
    /// The largest debt first.
    #[default]
    Debt,
    /// The longest in debt first.
    Months,
    Number,
    /// By house, then apartment.
    Address,
}

/// Which accounts the debtors list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebtorsFilter {
    /// Only this house's accounts.
    pub house: Option<HouseId>,
    /// The closing balance is above this amount.
    pub above: Decimal,
    /// In debt for at least this many months.
    pub months: u32,
    pub order: DebtorOrder,
}

impl Default for DebtorsFilter {
    fn default() -> Self {
        Self {
            house: None,
            above: Decimal::ZERO,
            months: 1,
            order: DebtorOrder::Debt,
        }
    }
}

/// An account in debt as of its house's current period.
#[derive(Debug, Clone)]
pub struct Debtor {
    pub account: Account,
    pub apartment: String,
    pub house: House,
    /// The house's current period, whose closing balance is the debt.
    pub period: Period,
    /// The closing balance of `period`, positive.
    pub debt: Decimal,
    /// Consecutive months up to `period` that closed in debt.
    pub months: u32,
}

/// The accounts whose closing balance of their house's current period is
/// above `filter.above` and that have been in debt for at least
/// `filter.months` months, in `filter.order`. Every ledger is read in the
/// same three statements (`queries::accounts::histories`) whatever the
/// number of accounts.
pub fn debtors(conn: &mut PgConnection, filter: &DebtorsFilter) -> Result<Vec<Debtor>, AppError> {
    if let Some(house) = filter.house {
        queries::houses::find(conn, house)?;
    }
    let placed = queries::accounts::placed(conn, filter.house)?;
    let Some(through) = placed.iter().map(|p| p.house.current_period()).max() else {
        return Ok(Vec::new());
    };
    let accounts: Vec<Account> = placed.iter().map(|p| p.account.clone()).collect();
    let histories = queries::accounts::histories(conn, &accounts, through)?;
    let mut debtors: Vec<Debtor> = placed
        .into_iter()
        .filter_map(|p| {
            let period = p.house.current_period();
            let history = histories.get(&p.account.id)?;
            let rows = ledger::statement(history, p.account.opening_period, period);
            let debt = rows.last()?.closing;
            let months = ledger::months_in_debt(&rows);
            let owes = debt > Decimal::ZERO && debt > filter.above && months >= filter.months;
            owes.then_some(Debtor {
                account: p.account,
                apartment: p.apartment,
                house: p.house,
                period,
                debt,
                months,
            })
        })
        .collect();
    // Stable: equal keys keep the address order the query gave.
    match filter.order {
        DebtorOrder::Debt => debtors.sort_by_key(|d| std::cmp::Reverse(d.debt)),
        DebtorOrder::Months => {
            debtors.sort_by(|a, b| b.months.cmp(&a.months).then(b.debt.cmp(&a.debt)))
        }
        DebtorOrder::Number => debtors.sort_by(|a, b| {
            a.account
                .number
                .to_uppercase()
                .cmp(&b.account.number.to_uppercase())
        }),
        DebtorOrder::Address => {}
    }
    Ok(debtors)
}
