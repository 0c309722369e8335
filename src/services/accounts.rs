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
                let changes = AccountChangeset {
                    number: Some(set.number.clone()),
                    holder: Some(set.holder.clone()),
                    opening_balance: Some(set.opening_balance),
                    opening_period: Some(set.opening_period),
                };
                let after =
                    queries::accounts::update(conn, before.id, &changes).map_err(number_taken)?;
                let ledger_changed = before.opening_balance != after.opening_balance
                    || before.opening_period != after.opening_period;
                let from = before.opening_period.min(after.opening_period);
                (after, ledger_changed.then_some(from))
            }
        };
        if let Some(from) = stale_from {
            queries::run_queue::mark_stale(conn, apartment.house_id, Some(from))?;
        }
        Ok(account)
    })
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
