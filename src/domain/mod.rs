//! Pure domain types and rules: no I/O, no database, no HTTP.

pub mod billing;
pub mod input;
mod kinds;
mod lookalike;
mod money;
mod period;
pub mod problem;
mod quote;
pub mod reading;
pub mod tariff;
mod time_zone;

pub use kinds::{
    MeterKind, Named, ReadingSource, Role, RunFailure, RunStatus, Service, Unit, UnknownVariant,
};
pub use lookalike::lookalike_key;
pub use money::round_kopecks;
pub use period::{Period, PeriodError, YEARS};
pub use problem::{Holder, Problem, What};
pub use quote::{MAX_QUOTED_CHARS, excerpt, quoted};
pub use time_zone::TimeZone;
