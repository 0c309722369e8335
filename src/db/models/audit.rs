use chrono::{DateTime, Utc};
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::pg::{Pg, PgValue};
use diesel::prelude::*;
use diesel::sql_types::Text;
use serde_json::Value;

use super::{HouseId, MeterId, id_type};
use crate::db::schema::audit_log;

id_type!(AuditEntryId);

/// One entry of the audit log, as the triggers of migration 000007 wrote it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = audit_log, check_for_backend(diesel::pg::Pg))]
pub struct AuditEntry {
    pub id: AuditEntryId,
    pub at: DateTime<Utc>,
    /// The signed-in user; None for the system and the command line.
    pub actor: Option<String>,
    pub action: AuditAction,
    pub entity: AuditEntity,
    /// The id of the reading, tariff, apartment, meter or billing run.
    pub entity_id: i64,
    pub house_id: Option<HouseId>,
    pub meter_id: Option<MeterId>,
    /// The row before (update, delete) and after (create, update, start):
    /// an object of the fields a user knows, decimals as strings.
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// What happened to the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub enum AuditAction {
    Create,
    Update,
    Delete,
    /// A billing run was started.
    Start,
    SignIn,
    /// A sign-in with a wrong name or password (the name tried is kept).
    SignInFailed,
    RoleChange,
    /// A user changed their own password.
    PasswordChange,
    /// An admin (or the command line) set a user's password.
    PasswordReset,
    Block,
    Unblock,
    SignOutEverywhere,
    TokenCreate,
    TokenRevoke,
}

/// What kind of row an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub enum AuditEntity {
    Reading,
    Tariff,
    Apartment,
    Meter,
    BillingRun,
    User,
    ApiToken,
    House,
    Residents,
    Normative,
    Coefficient,
    Account,
    Payment,
    PaymentImport,
    KeyRate,
    /// The organisation's requisites (one row, entity id 1).
    Organization,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
            AuditAction::Start => "start",
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::RoleChange => "role_change",
            AuditAction::PasswordChange => "password_change",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::Block => "block",
            AuditAction::Unblock => "unblock",
            AuditAction::SignOutEverywhere => "sign_out_everywhere",
            AuditAction::TokenCreate => "token_create",
            AuditAction::TokenRevoke => "token_revoke",
        }
    }
}

impl crate::domain::Named for AuditAction {
    const FAMILY: &'static str = "audit-action";

    fn all() -> &'static [Self] {
        &[
            AuditAction::Create,
            AuditAction::Update,
            AuditAction::Delete,
            AuditAction::Start,
            AuditAction::SignIn,
            AuditAction::SignInFailed,
            AuditAction::RoleChange,
            AuditAction::PasswordChange,
            AuditAction::PasswordReset,
            AuditAction::Block,
            AuditAction::Unblock,
            AuditAction::SignOutEverywhere,
            AuditAction::TokenCreate,
            AuditAction::TokenRevoke,
        ]
    }

    fn as_str(self) -> &'static str {
        AuditAction::as_str(self)
    }
}

impl AuditEntity {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditEntity::Reading => "reading",
            AuditEntity::Tariff => "tariff",
            AuditEntity::Apartment => "apartment",
            AuditEntity::Meter => "meter",
            AuditEntity::BillingRun => "billing_run",
            AuditEntity::User => "user",
            AuditEntity::ApiToken => "api_token",
            AuditEntity::House => "house",
            AuditEntity::Residents => "residents",
            AuditEntity::Normative => "normative",
            AuditEntity::Coefficient => "coefficient",
            AuditEntity::Account => "account",
            AuditEntity::Payment => "payment",
            AuditEntity::PaymentImport => "payment_import",
            AuditEntity::KeyRate => "key_rate",
            AuditEntity::Organization => "organization",
        }
    }
}

impl FromSql<Text, Pg> for AuditAction {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        match <String as FromSql<Text, Pg>>::from_sql(bytes)?.as_str() {
            "create" => Ok(AuditAction::Create),
            "update" => Ok(AuditAction::Update),
            "delete" => Ok(AuditAction::Delete),
            "start" => Ok(AuditAction::Start),
            "sign_in" => Ok(AuditAction::SignIn),
            "sign_in_failed" => Ok(AuditAction::SignInFailed),
            "role_change" => Ok(AuditAction::RoleChange),
            "password_change" => Ok(AuditAction::PasswordChange),
            "password_reset" => Ok(AuditAction::PasswordReset),
            "block" => Ok(AuditAction::Block),
            "unblock" => Ok(AuditAction::Unblock),
            "sign_out_everywhere" => Ok(AuditAction::SignOutEverywhere),
            "token_create" => Ok(AuditAction::TokenCreate),
            "token_revoke" => Ok(AuditAction::TokenRevoke),
            other => Err(format!("unknown audit action {other:?}").into()),
        }
    }
}

impl FromSql<Text, Pg> for AuditEntity {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        match <String as FromSql<Text, Pg>>::from_sql(bytes)?.as_str() {
            "reading" => Ok(AuditEntity::Reading),
            "tariff" => Ok(AuditEntity::Tariff),
            "apartment" => Ok(AuditEntity::Apartment),
            "meter" => Ok(AuditEntity::Meter),
            "billing_run" => Ok(AuditEntity::BillingRun),
            "user" => Ok(AuditEntity::User),
            "api_token" => Ok(AuditEntity::ApiToken),
            "house" => Ok(AuditEntity::House),
            "residents" => Ok(AuditEntity::Residents),
            "normative" => Ok(AuditEntity::Normative),
            "coefficient" => Ok(AuditEntity::Coefficient),
            "account" => Ok(AuditEntity::Account),
            "payment" => Ok(AuditEntity::Payment),
            "payment_import" => Ok(AuditEntity::PaymentImport),
            "key_rate" => Ok(AuditEntity::KeyRate),
            "organization" => Ok(AuditEntity::Organization),
            other => Err(format!("unknown audited entity {other:?}").into()),
        }
    }
}
