//! HTTP-level tests: each test starts the real application on port 0 against
//! its own database, cloned from a migrated template and dropped afterwards.

mod api_apartments;
mod api_billing;
mod api_houses;
mod api_meters;
mod api_readings;
mod api_tariffs;
mod audit;
mod auth;
mod billing_batch;
mod billing_consistency;
mod billing_workers;
mod bounds;
mod cli;
mod constraints;
mod demo;
mod health;
mod helpers;
mod houses;
mod languages;
mod lookalikes;
mod metrics;
mod migrations;
mod openapi;
mod pages_apartments;
mod pages_billing;
mod pages_dashboard;
mod pages_houses;
mod pages_meters;
mod pages_readings;
mod pages_tariffs;
mod readings_csv;
mod readings_rules;
mod sessions;
mod translations;
mod users_admin;
