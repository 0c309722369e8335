//! What the tests share: each test's own database, the app serving it, the
//! JSON API and the pages as clients see them, and fixtures written
//! straight into the database. The browser tests include this module too.

pub mod api;
pub mod app;
pub mod db;
pub mod fixtures;
pub mod pages;
pub mod proxy;
pub mod server;
