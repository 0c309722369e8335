//! Login attempt limiting, shared by every process on the database: each
//! attempt is counted (in one statement) against the name tried and the
//! client's address *before* the password is checked, so parallel
//! attempts cannot race past the limit. Past `MAX_ATTEMPTS` in a window,
//! the key waits for the window to end. A successful sign-in takes its
//! attempt back and clears the name's count.

use std::net::IpAddr;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use diesel::PgConnection;

use crate::db::queries::login_attempts;

/// Attempts allowed per name and per address within the window.
pub const MAX_ATTEMPTS: i32 = 5;
pub const WINDOW: TimeDelta = TimeDelta::minutes(15);
/// Stale keys one sign-in sweeps out at most.
const SWEEP: i64 = 100;

/// The keys an attempt counts against.
pub struct Attempt {
    name_key: String,
    address_key: Option<String>,
}

impl Attempt {
    pub fn new(name: &str, address: Option<IpAddr>) -> Self {
        Self {
            name_key: format!("name:{}", name.trim().to_lowercase()),
            address_key: address.map(|ip| format!("address:{ip}")),
        }
    }

    fn keys(&self) -> Vec<String> {
        std::iter::once(self.name_key.clone())
            .chain(self.address_key.clone())
            .collect()
    }

    /// Counts the attempt; how long to wait when it is over the limit.
    pub fn count(&self, conn: &mut PgConnection) -> diesel::QueryResult<Option<Duration>> {
        let mut wait = None;
        for key in self.keys() {
            let (attempts, started) = login_attempts::count(conn, &key, WINDOW)?;
            if attempts > MAX_ATTEMPTS {
                let left = (started + WINDOW - Utc::now())
                    .to_std()
                    .unwrap_or(Duration::from_secs(1));
                wait = wait.max(Some(left));
            }
        }
        Ok(wait)
    }

    /// The password was right: the attempt is taken back and the name's
    /// failures forgotten (not the address's: one good password must not
    /// reopen guessing at other names).
    pub fn succeeded(&self, conn: &mut PgConnection) -> diesel::QueryResult<()> {
        login_attempts::clear(conn, &self.name_key)?;
        if let Some(key) = &self.address_key {
            login_attempts::uncount(conn, std::slice::from_ref(key))?;
        }
        login_attempts::delete_stale(conn, WINDOW, SWEEP)?;
        Ok(())
    }
}
