use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::schema::organization;

/// The organisation that bills the houses: the executor on the receipts
/// and the payee of their QR code. One row, or none until an admin sets it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = organization, check_for_backend(diesel::pg::Pg))]
pub struct Organization {
    pub name: String,
    pub inn: String,
    pub kpp: String,
    pub address: String,
    /// Free text; may be empty.
    pub phone: String,
    /// May be empty.
    pub email: String,
    pub bank_name: String,
    pub bic: String,
    /// р/с
    pub account: String,
    /// к/с
    pub corr_account: String,
    pub updated_at: DateTime<Utc>,
}

/// The requisites as checked (`services::organization::check`), written
/// whole: the row is created the first time, replaced after.
#[derive(Debug, Clone, PartialEq, Eq, Insertable, AsChangeset)]
#[diesel(table_name = organization)]
pub struct NewOrganization {
    pub name: String,
    pub inn: String,
    pub kpp: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub bank_name: String,
    pub bic: String,
    pub account: String,
    pub corr_account: String,
}
