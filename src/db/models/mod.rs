//! One module per table: the row (`Foo`), the new row (`NewFoo`) and the
//! changeset (`FooChangeset`), plus the table's newtype id.

mod account;
mod apartment;
mod api_token;
mod audit;
mod billing_run;
mod charge;
mod house;
mod meter;
mod normative;
mod organization;
mod reading;
mod tariff;
mod user;

pub use account::{
    Account, AccountChangeset, AccountId, DueDayRow, KeyRate, KeyRateId, NewAccount, NewKeyRate,
    NewPayment, NewPaymentImport, Payment, PaymentId, PaymentImport, PaymentImportId,
    PenaltyCapRow, PenaltyCharge,
};
pub use apartment::{
    Apartment, ApartmentChangeset, ApartmentId, NewApartment, NewResidents, Residents, ResidentsId,
};
pub use api_token::{ApiToken, ApiTokenId, ApiTokenListing, NewApiToken};
pub use audit::{AuditAction, AuditEntity, AuditEntry, AuditEntryId};
pub use billing_run::{
    BillingRun, BillingRunChangeset, BillingRunId, NewBillingRun, RunPrice, RunRate,
};
pub use charge::{Charge, ChargeId, MeterVolume, NewCharge};
pub use house::{House, HouseChangeset, HouseId, HouseSummary, NewHouse};
pub use meter::{Meter, MeterChangeset, MeterId, NewMeter};
pub use normative::{
    Coefficient, CoefficientChangeset, CoefficientId, NewCoefficient, NewNormative, Normative,
    NormativeChangeset, NormativeId,
};
pub use organization::{NewOrganization, Organization};
pub use reading::{NewReading, Reading, ReadingChangeset, ReadingId};
pub use tariff::{NewTariff, Tariff, TariffChangeset, TariffId};
pub use user::{NewUser, User, UserId};

/// A table's primary key as its own type, so a house id is never passed
/// where an apartment id belongs.
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[derive(diesel_derive_newtype::DieselNewType, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
use id_type;
