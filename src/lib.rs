//! kvartplata: monthly utility billing of apartment buildings.
//!
//! The binary in `main.rs` only wires these modules together, so tests can
//! build the same application on port 0 against their own database.

pub mod actor;
pub mod auth;
pub mod billing;
pub mod config;
pub mod csv;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod http;
pub mod i18n;
pub mod metrics;
pub mod pdf;
pub mod routes;
pub mod services;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod views;
