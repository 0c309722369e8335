//! Login attempt limiting: after too many failed attempts for one name, or
//! from one client address, within a window, further attempts are refused
//! until the oldest of them leaves the window. Kept in memory per process.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed attempts allowed per name and per address within the window.
pub const MAX_FAILURES: usize = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Past this many names and addresses, stale ones are swept out at once.
const SWEEP_AT: usize = 10_000;

pub struct LoginLimiter {
    max: usize,
    window: Duration,
    /// The latest failures (at most `max`) per key, oldest first.
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        Self::new(MAX_FAILURES, WINDOW)
    }
}

fn keys(name: &str, ip: Option<IpAddr>) -> Vec<String> {
    let mut keys = vec![format!("name:{}", name.trim().to_lowercase())];
    keys.extend(ip.map(|ip| format!("ip:{ip}")));
    keys
}

impl LoginLimiter {
    pub fn new(max: usize, window: Duration) -> Self {
        Self {
            max,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        // A panic elsewhere while holding the lock leaves a usable map.
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How long until `name` (from `ip`) may try again; None when it may now.
    pub fn wait(&self, name: &str, ip: Option<IpAddr>) -> Option<Duration> {
        self.wait_at(name, ip, Instant::now())
    }

    fn wait_at(&self, name: &str, ip: Option<IpAddr>, now: Instant) -> Option<Duration> {
        let failures = self.lock();
        keys(name, ip)
            .iter()
            .filter_map(|key| failures.get(key))
            .filter(|times| times.len() >= self.max)
            .filter_map(|times| times.front())
            .map(|oldest| (*oldest + self.window).saturating_duration_since(now))
            .filter(|wait| !wait.is_zero())
            .max()
    }

    /// Counts a failed attempt against the name and the address.
    pub fn failed(&self, name: &str, ip: Option<IpAddr>) {
        self.failed_at(name, ip, Instant::now());
    }

    fn failed_at(&self, name: &str, ip: Option<IpAddr>, now: Instant) {
        let mut failures = self.lock();
        if failures.len() >= SWEEP_AT {
            let window = self.window;
            failures.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        for key in keys(name, ip) {
            let times = failures.entry(key).or_default();
            while times
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.window)
            {
                times.pop_front();
            }
            times.push_back(now);
            while times.len() > self.max {
                times.pop_front();
            }
        }
    }

    /// A successful sign-in clears the name's failures (not the address's:
    /// one good password must not reopen guessing at other names).
    pub fn succeeded(&self, name: &str) {
        let key = format!("name:{}", name.trim().to_lowercase());
        self.lock().remove(&key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IP: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));

    #[test]
    fn the_sixth_attempt_within_the_window_waits_for_the_first_to_expire() {
        let limiter = LoginLimiter::new(5, Duration::from_secs(900));
        let start = Instant::now();
        for i in 0..5 {
            assert_eq!(limiter.wait_at("anna", IP, start), None, "attempt {i}");
            limiter.failed_at("anna", IP, start + Duration::from_secs(i * 60));
        }
        let now = start + Duration::from_secs(300);
        assert_eq!(
            limiter.wait_at("Anna", None, now),
            Some(Duration::from_secs(600))
        );
        assert_eq!(
            limiter.wait_at("boris", IP, now),
            Some(Duration::from_secs(600))
        );
        assert_eq!(limiter.wait_at("boris", None, now), None);
        assert_eq!(
            limiter.wait_at("anna", IP, start + Duration::from_secs(900)),
            None
        );
    }

    #[test]
    fn success_forgets_the_names_failures_only() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(900));
        let now = Instant::now();
        limiter.failed_at("anna", IP, now);
        limiter.failed_at("anna", IP, now);
        limiter.succeeded("ANNA");
        assert_eq!(limiter.wait_at("anna", None, now), None);
        assert!(
            limiter.wait_at("anna", IP, now).is_some(),
            "the address still waits"
        );
    }
}
