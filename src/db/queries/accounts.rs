//! Personal accounts and what their ledgers are made of: the months'
//! charges and penalties and the payments, read for many accounts at once
//! (a house's balances, a billing batch's penalties) in three statements.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Numeric};
use rust_decimal::Decimal;

use crate::db::models::{
    Account, AccountChangeset, AccountId, ApartmentId, BillingRunId, HouseId, NewAccount,
    PenaltyCharge,
};
use crate::db::schema::{accounts, apartments};
use crate::domain::Period;
use crate::domain::ledger::{History, Payment};

/// The account named by `number`, whatever the case of its letters.
pub fn find_by_number(conn: &mut PgConnection, number: &str) -> QueryResult<Account> {
    // PostgreSQL refuses a NUL in text (a path may carry `%00`): no number
    // has one.
    if number.contains('\0') {
        return Err(diesel::result::Error::NotFound);
    }
    accounts::table
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("upper(number) = upper(")
                .bind::<diesel::sql_types::Text, _>(number)
                .sql(")"),
        )
        .select(Account::as_select())
        .first(conn)
}

pub fn find(conn: &mut PgConnection, id: AccountId) -> QueryResult<Account> {
    accounts::table
        .find(id)
        .select(Account::as_select())
        .first(conn)
}

pub fn of_apartment(
    conn: &mut PgConnection,
    apartment: ApartmentId,
) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::apartment_id.eq(apartment))
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut PgConnection, new: &NewAccount) -> QueryResult<Account> {
    diesel::insert_into(accounts::table)
        .values(new)
        .returning(Account::as_returning())
        .get_result(conn)
}

pub fn update(
    conn: &mut PgConnection,
    id: AccountId,
    changes: &AccountChangeset,
) -> QueryResult<Account> {
    diesel::update(accounts::table.find(id))
        .set(changes)
        .returning(Account::as_returning())
        .get_result(conn)
}

/// A house's accounts with their apartments' numbers, in the apartments'
/// order.
pub fn of_house(conn: &mut PgConnection, house: HouseId) -> QueryResult<Vec<(Account, String)>> {
    accounts::table
        .inner_join(apartments::table)
        .filter(apartments::house_id.eq(house))
        .order_by((apartments::number_order, apartments::number, apartments::id))
        .select((Account::as_select(), apartments::number))
        .load(conn)
}

/// The accounts whose numbers (upper-cased) are among `numbers`, with
/// their apartments, by upper-cased number: a register's rows matched in
/// one statement.
pub fn by_numbers(
    conn: &mut PgConnection,
    numbers: &[String],
) -> QueryResult<HashMap<String, (AccountId, ApartmentId)>> {
    let rows: Vec<(AccountId, String, ApartmentId)> = accounts::table
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("upper(accounts.number) = ANY(")
                .bind::<Array<diesel::sql_types::Text>, _>(numbers)
                .sql(")"),
        )
        .select((accounts::id, accounts::number, accounts::apartment_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, number, apartment)| (number.to_uppercase(), (id, apartment)))
        .collect())
}

#[derive(QueryableByName)]
struct MonthSum {
    #[diesel(sql_type = BigInt)]
    account_id: AccountId,
    #[diesel(sql_type = Date)]
    period: Period,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
}

#[derive(QueryableByName)]
struct Paid {
    #[diesel(sql_type = BigInt)]
    account_id: AccountId,
    #[diesel(sql_type = Date)]
    paid_on: NaiveDate,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
}

/// The ledgers of these accounts through `through`: each month's
/// non-penalty charges from the account's opening month, its penalties, and
/// its payments (not deleted) summed by day, in three statements whatever
/// their number. The accounts come as arrays, so the lines are found by
/// their apartments' index without a second look into `accounts` (joined,
/// it was a scan of every account and half a billing batch's time); the
/// payments are summed here, where PostgreSQL's sort and numeric sums per
/// day cost more than reading the rows.
pub fn histories(
    conn: &mut PgConnection,
    accounts: &[Account],
    through: Period,
) -> QueryResult<HashMap<AccountId, History>> {
    let ids: Vec<AccountId> = accounts.iter().map(|a| a.id).collect();
    let apartments: Vec<ApartmentId> = accounts.iter().map(|a| a.apartment_id).collect();
    let opening: Vec<Period> = accounts.iter().map(|a| a.opening_period).collect();
    let charges: Vec<MonthSum> = diesel::sql_query(
        "SELECT a.id AS account_id, c.period, sum(c.amount) AS amount \
         FROM unnest($1::int8[], $2::int8[], $3::date[]) AS a (id, apartment_id, opening_period) \
         JOIN charges c ON c.apartment_id = a.apartment_id \
                       AND c.period >= a.opening_period AND c.period <= $4 \
         GROUP BY a.id, c.period",
    )
    .bind::<Array<BigInt>, _>(&ids)
    .bind::<Array<BigInt>, _>(&apartments)
    .bind::<Array<Date>, _>(&opening)
    .bind::<Date, _>(through)
    .load(conn)?;
    let penalties: Vec<MonthSum> = diesel::sql_query(
        "SELECT p.account_id, p.period, p.amount \
         FROM unnest($1::int8[], $2::date[]) AS a (id, opening_period) \
         JOIN penalties p ON p.account_id = a.id \
                         AND p.period >= a.opening_period AND p.period <= $3",
    )
    .bind::<Array<BigInt>, _>(&ids)
    .bind::<Array<Date>, _>(&opening)
    .bind::<Date, _>(through)
    .load(conn)?;
    let payments: Vec<Paid> = diesel::sql_query(
        "SELECT account_id, paid_on, amount FROM payments \
         WHERE account_id = ANY($1) AND deleted_at IS NULL AND paid_on < $2",
    )
    .bind::<Array<BigInt>, _>(&ids)
    .bind::<Date, _>(through.next().first_day())
    .load(conn)?;

    let mut histories: HashMap<AccountId, History> = accounts
        .iter()
        .map(|a| {
            let history = History {
                opening_period: a.opening_period,
                opening_balance: a.opening_balance,
                charges: Vec::new(),
                penalties: Vec::new(),
                payments: Vec::new(),
            };
            (a.id, history)
        })
        .collect();
    for row in charges {
        if let Some(h) = histories.get_mut(&row.account_id) {
            h.charges.push((row.period, row.amount));
        }
    }
    for row in penalties {
        if let Some(h) = histories.get_mut(&row.account_id) {
            h.penalties.push((row.period, row.amount));
        }
    }
    for row in payments {
        if let Some(h) = histories.get_mut(&row.account_id) {
            h.payments.push(Payment {
                paid_on: row.paid_on,
                amount: row.amount,
            });
        }
    }
    for h in histories.values_mut() {
        by_day(&mut h.payments);
    }
    Ok(histories)
}

/// Payments in the order of their days, those of one day summed.
fn by_day(payments: &mut Vec<Payment>) {
    payments.sort_unstable_by_key(|p| p.paid_on);
    payments.dedup_by(|later, kept| {
        let same_day = later.paid_on == kept.paid_on;
        if same_day {
            kept.amount += later.amount;
        }
        same_day
    });
}

/// The accounts of these apartments.
pub fn of_apartments(conn: &mut PgConnection, ids: &[ApartmentId]) -> QueryResult<Vec<Account>> {
    accounts::table
        .filter(accounts::apartment_id.eq_any(ids))
        .select(Account::as_select())
        .load(conn)
}

/// Replaces the penalties of these accounts for `period` (an account
/// without a penalty now loses the one a previous billing gave it) and adds
/// the new ones to their run's amount: a run's total is its lines and its
/// penalties, as the results show them. A replaced penalty stays in the
/// amount of the run that charged it, as that run's overwritten lines do.
pub fn replace_penalties(
    conn: &mut PgConnection,
    accounts: &[AccountId],
    period: Period,
    rows: &[PenaltyCharge],
) -> QueryResult<usize> {
    use crate::db::schema::{billing_runs, penalties};
    diesel::delete(
        penalties::table
            .filter(penalties::account_id.eq_any(accounts))
            .filter(penalties::period.eq(period)),
    )
    .execute(conn)?;
    let inserted = diesel::insert_into(penalties::table)
        .values(rows)
        .execute(conn)?;
    let mut by_run: BTreeMap<BillingRunId, Decimal> = BTreeMap::new();
    for row in rows {
        *by_run.entry(row.run_id).or_default() += row.amount;
    }
    for (run, amount) in by_run {
        diesel::update(billing_runs::table.find(run))
            .set(billing_runs::amount.eq(billing_runs::amount + amount))
            .execute(conn)?;
    }
    Ok(inserted)
}

use crate::db::models::House;
use crate::db::schema::houses;

/// An account with its apartment's number and its house, as the lists of
/// accounts (the search, the debtors) show it.
#[derive(Debug, Clone)]
pub struct PlacedAccount {
    pub account: Account,
    pub apartment: String,
    pub house: House,
}

/// Accounts whose numbers start with `prefix` (letters in any case), by
/// number, at most `limit`.
pub fn starting_with(
    conn: &mut PgConnection,
    prefix: &str,
    limit: i64,
) -> QueryResult<Vec<PlacedAccount>> {
    // LIKE's own signs in what was typed are letters to look for.
    let pattern: String = prefix
        .chars()
        .flat_map(|c| match c {
            '\\' | '%' | '_' => vec!['\\', c],
            c => vec![c],
        })
        .chain(['%'])
        .collect();
    let rows: Vec<(Account, String, House)> = accounts::table
        .inner_join(apartments::table.inner_join(houses::table))
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("upper(accounts.number) LIKE upper(")
                .bind::<diesel::sql_types::Text, _>(pattern)
                .sql(")"),
        )
        .order_by((accounts::number, accounts::id))
        .limit(limit)
        .select((Account::as_select(), apartments::number, House::as_select()))
        .load(conn)?;
    Ok(placed_rows(rows))
}

/// Every account (of `house`, when given) with its apartment and house, by
/// the house's address and then the apartments' order.
pub fn placed(conn: &mut PgConnection, house: Option<HouseId>) -> QueryResult<Vec<PlacedAccount>> {
    let mut query = accounts::table
        .inner_join(apartments::table.inner_join(houses::table))
        .order_by((
            houses::address,
            houses::id,
            apartments::number_order,
            apartments::number,
            apartments::id,
        ))
        .select((Account::as_select(), apartments::number, House::as_select()))
        .into_boxed();
    if let Some(house) = house {
        query = query.filter(apartments::house_id.eq(house));
    }
    Ok(placed_rows(query.load(conn)?))
}

fn placed_rows(rows: Vec<(Account, String, House)>) -> Vec<PlacedAccount> {
    rows.into_iter()
        .map(|(account, apartment, house)| PlacedAccount {
            account,
            apartment,
            house,
        })
        .collect()
}

/// The penalties charged to an account for the months from..=to, each with
/// its explanation as the run stored it.
pub fn penalties_of(
    conn: &mut PgConnection,
    account: AccountId,
    from: Period,
    to: Period,
) -> QueryResult<Vec<PenaltyCharge>> {
    use crate::db::schema::penalties;
    penalties::table
        .filter(penalties::account_id.eq(account))
        .filter(penalties::period.ge(from))
        .filter(penalties::period.le(to))
        .order_by(penalties::period)
        .select(PenaltyCharge::as_select())
        .load(conn)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn paid(day: u32, amount: Decimal) -> Payment {
        Payment {
            paid_on: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            amount,
        }
    }

    #[test]
    fn payments_come_by_day_those_of_a_day_summed() {
        let mut payments = vec![
            paid(20, dec!(100.50)),
            paid(3, dec!(10)),
            paid(20, dec!(0.50)),
            paid(3, dec!(5)),
            paid(7, dec!(1)),
            paid(20, dec!(9)),
        ];
        by_day(&mut payments);
        assert_eq!(
            payments,
            vec![paid(3, dec!(15)), paid(7, dec!(1)), paid(20, dec!(110.00))]
        );
    }
}
