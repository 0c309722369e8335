//! Pure domain types and rules: no I/O, no database, no HTTP.

pub mod billing;
pub mod input;
mod kinds;
pub mod ledger;
pub mod lines;
mod lookalike;
mod money;
pub mod payment_qr;
mod period;
pub mod periods;
pub mod problem;
mod quote;
pub mod reading;
pub mod requisites;
pub mod residents;
pub mod tariff;
mod time_zone;
pub mod volume;

pub use kinds::{
    LineMethod, MeterKind, Named, PaymentSource, ReadingSource, Role, RunFailure, RunStatus,
    Service, Unit, UnknownVariant,
};
pub use lookalike::lookalike_key;
pub use money::{round_kopecks, round_litres, round_share};
pub use period::{Period, PeriodError, YEARS};
pub use periods::Periods;
pub use problem::{Holder, Problem, RegisterColumn, RegisterFault, What};
pub use quote::{MAX_QUOTED_CHARS, excerpt, quoted};
pub use time_zone::TimeZone;
