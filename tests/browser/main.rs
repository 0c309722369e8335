//! Browser tests: the real app on its own database, used through headless
//! Chromium over WebDriver the way a property manager would use it.
//! Needs /usr/bin/chromium and /usr/bin/chromedriver (./scripts/test.sh
//! installs them); CHROMIUM and CHROMEDRIVER override the paths.

mod billing;
mod flows;
mod harness;
// The API tests' helpers; the browser tests use only part of them.
#[allow(dead_code)]
#[path = "../api/helpers/mod.rs"]
mod helpers;
mod languages;
mod readings;
mod receipts;
mod smoke;
