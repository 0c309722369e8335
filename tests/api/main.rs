//! HTTP-level tests: each test starts the real application on port 0 against
//! its own database, cloned from a migrated template and dropped afterwards.

mod cli;
mod constraints;
mod health;
mod helpers;
mod houses;
mod migrations;
