//! Query functions: plain synchronous diesel over `&mut PgConnection`,
//! returning `QueryResult`, so callers compose them in one transaction.

pub mod apartments;
pub mod audit;
pub mod billing;
pub mod billing_runs;
pub mod billing_runs_view;
pub mod charges;
pub mod dashboard;
pub mod house_view;
pub mod houses;
pub mod meters;
pub mod readings;
pub mod tariffs;
pub mod tokens;
pub mod users;
