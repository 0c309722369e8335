//! Payments, bank register imports, and the tables penalties are computed
//! by (key rates, caps, due days).

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Nullable, Numeric, Text};
use rust_decimal::Decimal;

use crate::db::models::{
    AccountId, DueDayRow, HouseId, KeyRate, KeyRateId, NewKeyRate, NewPayment, NewPaymentImport,
    Payment, PaymentId, PaymentImport, PaymentImportId, PenaltyCapRow,
};
use crate::db::schema::{due_days, key_rates, payment_imports, payments, penalty_caps};
use crate::domain::ledger::{PenaltyCap, PenaltyTerms};

pub fn insert(conn: &mut PgConnection, new: &NewPayment) -> QueryResult<Payment> {
    diesel::insert_into(payments::table)
        .values(new)
        .returning(Payment::as_returning())
        .get_result(conn)
}

/// A payment that is not deleted.
pub fn find(conn: &mut PgConnection, id: PaymentId) -> QueryResult<Payment> {
    payments::table
        .find(id)
        .filter(payments::deleted_at.is_null())
        .select(Payment::as_select())
        .first(conn)
}

/// Locks the payment's row while it is deleted or assigned.
pub fn find_for_update(conn: &mut PgConnection, id: PaymentId) -> QueryResult<Payment> {
    payments::table
        .find(id)
        .select(Payment::as_select())
        .for_update()
        .first(conn)
}

pub fn mark_deleted(conn: &mut PgConnection, id: PaymentId, reason: &str) -> QueryResult<Payment> {
    diesel::update(payments::table.find(id))
        .set((
            payments::deleted_at.eq(diesel::dsl::now),
            payments::deleted_reason.eq(reason),
        ))
        .returning(Payment::as_returning())
        .get_result(conn)
}

pub fn assign(conn: &mut PgConnection, id: PaymentId, account: AccountId) -> QueryResult<Payment> {
    diesel::update(payments::table.find(id))
        .set(payments::account_id.eq(account))
        .returning(Payment::as_returning())
        .get_result(conn)
}

/// An account's payments, newest first.
pub fn of_account(conn: &mut PgConnection, account: AccountId) -> QueryResult<Vec<Payment>> {
    payments::table
        .filter(payments::account_id.eq(account))
        .filter(payments::deleted_at.is_null())
        .order_by((payments::paid_on.desc(), payments::id.desc()))
        .select(Payment::as_select())
        .load(conn)
}

/// Bank rows no account took yet, oldest first, `limit` from `offset`.
pub fn unmatched(conn: &mut PgConnection, limit: i64, offset: i64) -> QueryResult<Vec<Payment>> {
    payments::table
        .filter(payments::account_id.is_null())
        .filter(payments::deleted_at.is_null())
        .order_by(payments::id)
        .limit(limit)
        .offset(offset)
        .select(Payment::as_select())
        .load(conn)
}

pub fn count_unmatched(conn: &mut PgConnection) -> QueryResult<i64> {
    payments::table
        .filter(payments::account_id.is_null())
        .filter(payments::deleted_at.is_null())
        .count()
        .get_result(conn)
}

/// The id the next import will have: its rows are saved first (the
/// reference is checked at commit), the import with their counts after.
pub fn next_import_id(conn: &mut PgConnection) -> QueryResult<PaymentImportId> {
    diesel::select(diesel::dsl::sql::<BigInt>(
        "nextval(pg_get_serial_sequence('payment_imports', 'id'))",
    ))
    .get_result::<i64>(conn)
    .map(PaymentImportId)
}

#[derive(QueryableByName)]
struct Inserted {
    #[diesel(sql_type = Nullable<BigInt>)]
    account_id: Option<AccountId>,
    #[diesel(sql_type = Numeric)]
    amount: Decimal,
}

/// What a register's rows became: the rows saved to an account, saved
/// without one, and their sum; the rest were there already.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    pub matched: usize,
    pub unmatched: usize,
    pub amount: Decimal,
}

/// Saves bank rows, one statement for them all; a row already saved
/// (same operation, day, account number and amount, also if since deleted
/// or assigned) is left as it is.
pub fn insert_bank_rows(conn: &mut PgConnection, rows: &[NewPayment]) -> QueryResult<Saved> {
    if rows.is_empty() {
        return Ok(Saved::default());
    }
    let inserted: Vec<Inserted> = diesel::sql_query(
        "INSERT INTO payments (account_id, account_number, paid_on, amount, period, source, \
                               operation, payer, address, import_id) \
         SELECT * FROM unnest($1::int8[], $2::text[], $3::date[], $4::numeric[], $5::date[], \
                              $6::text[], $7::text[], $8::text[], $9::text[], $10::int8[]) \
         ON CONFLICT (operation, paid_on, account_number, amount) WHERE source = 'bank' \
         DO NOTHING RETURNING account_id, amount",
    )
    .bind::<Array<Nullable<BigInt>>, _>(rows.iter().map(|r| r.account_id).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(rows.iter().map(|r| &r.account_number).collect::<Vec<_>>())
    .bind::<Array<Date>, _>(rows.iter().map(|r| r.paid_on).collect::<Vec<_>>())
    .bind::<Array<Numeric>, _>(rows.iter().map(|r| r.amount).collect::<Vec<_>>())
    .bind::<Array<Nullable<Date>>, _>(rows.iter().map(|r| r.period).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(rows.iter().map(|r| r.source.as_str()).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(
        rows.iter()
            .map(|r| r.operation.as_deref())
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Text>, _>(rows.iter().map(|r| &r.payer).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(rows.iter().map(|r| &r.address).collect::<Vec<_>>())
    .bind::<Array<Nullable<BigInt>>, _>(rows.iter().map(|r| r.import_id).collect::<Vec<_>>())
    .load(conn)?;
    let matched = inserted.iter().filter(|r| r.account_id.is_some()).count();
    Ok(Saved {
        matched,
        unmatched: inserted.len() - matched,
        amount: inserted.iter().map(|r| r.amount).sum(),
    })
}

pub fn insert_import(
    conn: &mut PgConnection,
    id: PaymentImportId,
    new: &NewPaymentImport,
) -> QueryResult<PaymentImport> {
    diesel::insert_into(payment_imports::table)
        .values((payment_imports::id.eq(id), new))
        .returning(PaymentImport::as_returning())
        .get_result(conn)
}

/// Past imports, newest first.
pub fn imports(conn: &mut PgConnection, limit: i64) -> QueryResult<Vec<PaymentImport>> {
    payment_imports::table
        .order_by(payment_imports::id.desc())
        .limit(limit)
        .select(PaymentImport::as_select())
        .load(conn)
}

/// Marks stale the runs of each account's house from the month of its
/// payment on: a payment changes the penalties of the months after it.
pub fn mark_stale_for_payments(
    conn: &mut PgConnection,
    paid: &[(AccountId, NaiveDate)],
) -> QueryResult<usize> {
    if paid.is_empty() {
        return Ok(0);
    }
    let (accounts, days): (Vec<AccountId>, Vec<NaiveDate>) = paid.iter().copied().unzip();
    diesel::sql_query(format!(
        "UPDATE billing_runs r SET stale_at = now() \
         FROM (SELECT ap.house_id, date_trunc('month', min(x.paid_on))::date AS from_period \
               FROM unnest($1::int8[], $2::date[]) AS x(account_id, paid_on) \
               JOIN accounts a ON a.id = x.account_id \
               JOIN apartments ap ON ap.id = a.apartment_id \
               GROUP BY ap.house_id) changed \
         WHERE r.house_id = changed.house_id AND r.period >= changed.from_period \
           AND {}",
        super::run_queue::HAS_BILLED
    ))
    .bind::<Array<BigInt>, _>(accounts)
    .bind::<Array<Date>, _>(days)
    .execute(conn)
}

/// The house an account's apartment is in.
pub fn house_of(conn: &mut PgConnection, account: AccountId) -> QueryResult<HouseId> {
    use crate::db::schema::{accounts, apartments};
    accounts::table
        .inner_join(apartments::table)
        .filter(accounts::id.eq(account))
        .select(apartments::house_id)
        .first(conn)
}

pub fn key_rates(conn: &mut PgConnection) -> QueryResult<Vec<KeyRate>> {
    key_rates::table
        .order_by(key_rates::valid_from.desc())
        .select(KeyRate::as_select())
        .load(conn)
}

pub fn insert_key_rate(conn: &mut PgConnection, new: &NewKeyRate) -> QueryResult<KeyRate> {
    diesel::insert_into(key_rates::table)
        .values(new)
        .returning(KeyRate::as_returning())
        .get_result(conn)
}

pub fn delete_key_rate(conn: &mut PgConnection, id: KeyRateId) -> QueryResult<KeyRate> {
    diesel::delete(key_rates::table.find(id))
        .returning(KeyRate::as_returning())
        .get_result(conn)
}

pub fn caps(conn: &mut PgConnection) -> QueryResult<Vec<PenaltyCapRow>> {
    penalty_caps::table
        .order_by(penalty_caps::valid_from)
        .select(PenaltyCapRow::as_select())
        .load(conn)
}

pub fn due_days(conn: &mut PgConnection) -> QueryResult<Vec<DueDayRow>> {
    due_days::table
        .order_by(due_days::valid_from)
        .select(DueDayRow::as_select())
        .load(conn)
}

/// The key rates, caps and due days as the penalty rules take them.
pub fn penalty_terms(conn: &mut PgConnection) -> QueryResult<PenaltyTerms> {
    let key_rates = key_rates(conn)?
        .into_iter()
        .map(|k| (k.valid_from, k.rate))
        .collect();
    let caps = caps(conn)?
        .into_iter()
        .map(|c| PenaltyCap {
            from: c.valid_from,
            to: c.valid_to,
            rate: c.rate,
        })
        .collect();
    let due_days = due_days(conn)?
        .into_iter()
        .map(|d| (d.valid_from, u32::try_from(d.day).unwrap_or(10)))
        .collect();
    Ok(PenaltyTerms {
        key_rates,
        caps,
        due_days,
    })
}
