//! Query functions: plain synchronous diesel over `&mut PgConnection`,
//! returning `QueryResult`, so callers compose them in one transaction.

pub mod accounts;
pub mod apartments;
pub mod audit;
pub mod billing_inputs;
pub mod charges;
pub mod dashboard;
pub mod house_listing;
pub mod houses;
pub mod login_attempts;
pub mod meters;
pub mod normatives;
pub mod organization;
pub mod payments;
pub mod readings;
pub mod run_listing;
pub mod run_queue;
pub mod run_stats;
pub mod sessions;
pub mod tariffs;
pub mod tokens;
pub mod users;
