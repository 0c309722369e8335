use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{ApartmentId, BillingRunId, id_type};
use crate::db::schema::{
    accounts, due_days, key_rates, payment_imports, payments, penalties, penalty_caps,
};
use crate::domain::{PaymentSource, Period};

id_type!(AccountId);
id_type!(PaymentId);
id_type!(PaymentImportId);
id_type!(KeyRateId);

/// A personal account (лицевой счёт): one per apartment; its ledger starts
/// at `opening_period` with `opening_balance` (+ debt, − advance).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = accounts, check_for_backend(diesel::pg::Pg))]
pub struct Account {
    pub id: AccountId,
    pub apartment_id: ApartmentId,
    pub number: String,
    pub holder: String,
    pub opening_balance: Decimal,
    pub opening_period: Period,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = accounts)]
pub struct NewAccount {
    pub apartment_id: ApartmentId,
    pub number: String,
    pub holder: String,
    pub opening_balance: Decimal,
    pub opening_period: Period,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = accounts)]
pub struct AccountChangeset {
    pub number: Option<String>,
    pub holder: Option<String>,
    pub opening_balance: Option<Decimal>,
    pub opening_period: Option<Period>,
}

/// A payment: to an account, or (account None) a bank row whose account
/// number names none yet, waiting to be assigned.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = payments, check_for_backend(diesel::pg::Pg))]
pub struct Payment {
    pub id: PaymentId,
    pub account_id: Option<AccountId>,
    /// The number as the payer named it.
    pub account_number: String,
    pub paid_on: NaiveDate,
    pub amount: Decimal,
    /// The month the payer said they paid for (kept, not used for ordering).
    pub period: Option<Period>,
    pub source: PaymentSource,
    /// The bank's id of the operation.
    pub operation: Option<String>,
    pub payer: String,
    pub address: String,
    pub import_id: Option<PaymentImportId>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub deleted_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = payments)]
pub struct NewPayment {
    pub account_id: Option<AccountId>,
    pub account_number: String,
    pub paid_on: NaiveDate,
    pub amount: Decimal,
    pub period: Option<Period>,
    pub source: PaymentSource,
    pub operation: Option<String>,
    pub payer: String,
    pub address: String,
    pub import_id: Option<PaymentImportId>,
}

/// A bank register as imported, with what its rows became.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = payment_imports, check_for_backend(diesel::pg::Pg))]
pub struct PaymentImport {
    pub id: PaymentImportId,
    pub file_name: String,
    pub file_sha256: String,
    pub imported_by: Option<String>,
    pub imported_at: DateTime<Utc>,
    pub imported: i32,
    pub unmatched: i32,
    pub duplicates: i32,
    pub amount: Decimal,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = payment_imports)]
pub struct NewPaymentImport {
    pub file_name: String,
    pub file_sha256: String,
    pub imported: i32,
    pub unmatched: i32,
    pub duplicates: i32,
    pub amount: Decimal,
}

/// The Bank of Russia's key rate (percent) from a day on.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = key_rates, check_for_backend(diesel::pg::Pg))]
pub struct KeyRate {
    pub id: KeyRateId,
    pub valid_from: NaiveDate,
    pub rate: Decimal,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = key_rates)]
pub struct NewKeyRate {
    pub valid_from: NaiveDate,
    pub rate: Decimal,
}

/// The rate penalties are capped at between two days.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = penalty_caps, check_for_backend(diesel::pg::Pg))]
pub struct PenaltyCapRow {
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub rate: Decimal,
}

/// The day of the next month a month's charges are due, from a month on.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = due_days, check_for_backend(diesel::pg::Pg))]
pub struct DueDayRow {
    pub valid_from: Period,
    pub day: i32,
}

/// The penalty a month's run charged an account.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = penalties, check_for_backend(diesel::pg::Pg))]
pub struct PenaltyCharge {
    pub run_id: BillingRunId,
    pub account_id: AccountId,
    pub period: Period,
    pub amount: Decimal,
    pub explanation: serde_json::Value,
}
