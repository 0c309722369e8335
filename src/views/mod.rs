//! One askama struct per page; templates live in templates/. Each area has
//! its own module; `forms` and `filters` are shared by all of them.

pub mod accounts;
pub mod apartments;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod chart;
pub mod dashboard;
pub mod docs;
pub mod error_page;
pub mod filters;
pub mod forms;
pub mod houses;
pub mod meters;
pub mod month_nav;
pub mod normatives;
pub mod organization;
pub mod page;
pub mod pager;
pub mod payments;
pub mod readings;
pub mod receipts;
pub mod register;
pub mod runs;
pub mod tariffs;
pub mod tokens;
pub mod upload;
pub mod users;
