//! Metrics in the Prometheus text format: requests by route pattern and
//! status with their latency, the connection pool, and the billing queue.
//!
//! Request and billing counters belong to this process (a scraper sums the
//! processes); the queue's figures are read from the database at scrape
//! time, so every process reports the same shared queue. Labels take only
//! bounded values: the matched route template (never the raw path), the
//! status code, a known method.

use std::sync::Arc;
use std::time::Duration;

use prometheus::{
    HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

use crate::db::PgPool;
use crate::db::queries::run_stats;
use crate::domain::RunStatus;

/// The content type of the text format.
pub const CONTENT_TYPE: &str = prometheus::TEXT_FORMAT;

/// How long a scrape waits for a pooled connection to read the queue: a
/// busy pool leaves those figures as they were rather than stalling it.
const QUEUE_READ_TIMEOUT: Duration = Duration::from_millis(500);

/// The route label of a request that matched no route (404s of unknown
/// paths), so scanning for paths cannot grow the label set.
const UNMATCHED_ROUTE: &str = "unmatched";

/// This process's metrics; clones share them.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    request_seconds: HistogramVec,
    pool_connections: IntGaugeVec,
    pool_max: IntGauge,
    pool_waiting: IntGauge,
    apartments_billed: IntCounter,
    runs: IntGaugeVec,
    queue_length: IntGauge,
    leases_expired: IntGauge,
    expired_leases_taken_over: IntCounter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new_custom(Some("kvartplata".into()), None)
            .expect("a valid metric namespace");
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests answered, by route pattern and status.",
            ),
            &["method", "route", "status"],
        )
        .expect("a valid metric");
        let request_seconds = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time from a request's arrival to its answer's head, by route pattern.",
            ),
            &["method", "route"],
        )
        .expect("a valid metric");
        let pool_connections = IntGaugeVec::new(
            Opts::new(
                "db_pool_connections",
                "PostgreSQL connections of the pool, in use or idle.",
            ),
            &["state"],
        )
        .expect("a valid metric");
        let pool_max = IntGauge::new(
            "db_pool_max_connections",
            "The most connections the pool opens (DB_POOL_SIZE).",
        )
        .expect("a valid metric");
        let pool_waiting = IntGauge::new(
            "db_pool_waiting",
            "Requests waiting for a pooled connection now.",
        )
        .expect("a valid metric");
        let apartments_billed = IntCounter::new(
            "billing_apartments_billed_total",
            "Apartments billed and committed by this process's workers.",
        )
        .expect("a valid metric");
        let runs = IntGaugeVec::new(
            Opts::new("billing_runs", "Billing runs in the database, by status."),
            &["status"],
        )
        .expect("a valid metric");
        let queue_length = IntGauge::new(
            "billing_queue_length",
            "Billing runs waiting for a worker: queued, or running without a live lease.",
        )
        .expect("a valid metric");
        let leases_expired = IntGauge::new(
            "billing_leases_expired",
            "Running billing runs whose lease ran out unrenewed (a worker stalled or died); \
             another worker resumes them.",
        )
        .expect("a valid metric");
        let expired_leases_taken_over = IntCounter::new(
            "billing_expired_leases_taken_over_total",
            "Billing runs this process's workers resumed after another worker's lease ran out.",
        )
        .expect("a valid metric");
        let metrics = Self {
            registry,
            requests,
            request_seconds,
            pool_connections,
            pool_max,
            pool_waiting,
            apartments_billed,
            runs,
            queue_length,
            leases_expired,
            expired_leases_taken_over,
        };
        metrics.register();
        metrics
    }

    fn register(&self) {
        let collectors: [Box<dyn prometheus::core::Collector>; 10] = [
            Box::new(self.requests.clone()),
            Box::new(self.request_seconds.clone()),
            Box::new(self.pool_connections.clone()),
            Box::new(self.pool_max.clone()),
            Box::new(self.pool_waiting.clone()),
            Box::new(self.apartments_billed.clone()),
            Box::new(self.runs.clone()),
            Box::new(self.queue_length.clone()),
            Box::new(self.leases_expired.clone()),
            Box::new(self.expired_leases_taken_over.clone()),
        ];
        for collector in collectors {
            self.registry
                .register(collector)
                .expect("metric names are unique");
        }
    }

    /// Counts one answered request. `route` is the matched route template
    /// (`/houses/{id}`), None when no route matched.
    pub fn observe_request(
        &self,
        method: &actix_web::http::Method,
        route: Option<&str>,
        status: u16,
        elapsed: Duration,
    ) {
        let method = method_label(method);
        let route = route.unwrap_or(UNMATCHED_ROUTE);
        self.requests
            .with_label_values(&[method, route, &status.to_string()])
            .inc();
        self.request_seconds
            .with_label_values(&[method, route])
            .observe(elapsed.as_secs_f64());
    }

    /// Counts a request as waiting for a pooled connection until the guard
    /// is dropped (r2d2 does not count its waiters).
    pub fn waiting_for_connection(&self) -> WaitingGuard {
        self.pool_waiting.inc();
        WaitingGuard(self.pool_waiting.clone())
    }

    /// The counter the billing workers add their committed apartments to.
    pub fn apartments_billed(&self) -> IntCounter {
        self.apartments_billed.clone()
    }

    /// The counter the billing workers add their takeovers of runs whose
    /// lease had run out to.
    pub fn expired_leases_taken_over(&self) -> IntCounter {
        self.expired_leases_taken_over.clone()
    }

    /// The text format of every metric, with the pool and the queue read
    /// now. Blocking: it may query the database.
    pub fn render(&self, pool: &PgPool) -> String {
        let state = pool.state();
        let idle = i64::from(state.idle_connections);
        let in_use = i64::from(state.connections) - idle;
        self.pool_connections.with_label_values(&["idle"]).set(idle);
        self.pool_connections
            .with_label_values(&["in_use"])
            .set(in_use);
        self.pool_max.set(i64::from(pool.max_size()));
        if let Err(e) = self.read_queue(pool) {
            tracing::warn!("metrics: the billing queue's figures are not current: {e:#}");
        }
        TextEncoder::new()
            .encode_to_string(&self.registry.gather())
            .unwrap_or_else(|e| {
                tracing::error!("metrics: cannot encode: {e}");
                String::new()
            })
    }

    fn read_queue(&self, pool: &PgPool) -> anyhow::Result<()> {
        let waiting = self.waiting_for_connection();
        let mut conn = pool.get_timeout(QUEUE_READ_TIMEOUT)?;
        drop(waiting);
        let by_status = run_stats::runs_by_status(&mut conn)?;
        let queue = run_stats::queue_counts(&mut conn)?;
        // Every known status is reported, at 0 when no run has it, so a
        // series does not vanish when its last run moves on.
        self.runs.reset();
        for status in RunStatus::ALL {
            self.runs.with_label_values(&[status.as_str()]).set(0);
        }
        for count in by_status {
            self.runs
                .with_label_values(&[count.status.as_str()])
                .set(count.runs);
        }
        self.queue_length.set(queue.waiting);
        self.leases_expired.set(queue.lease_expired);
        Ok(())
    }
}

/// Ends a wait counted by [`Metrics::waiting_for_connection`].
pub struct WaitingGuard(IntGauge);

impl Drop for WaitingGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// The method as a label: the standard ones by name, anything else one
/// value, so invented methods cannot grow the label set.
fn method_label(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Who may scrape /metrics on the main address.
#[derive(Clone)]
pub enum MetricsAccess {
    /// Served on its own address (METRICS_ADDR) only: 404 here.
    Elsewhere,
    /// Whoever sends `Authorization: Bearer <token>` (METRICS_TOKEN).
    Token(Arc<str>),
    /// Neither is set: never public by default, 404.
    Off,
}

impl MetricsAccess {
    pub fn new(metrics_addr: Option<&str>, token: Option<&str>) -> Self {
        match (metrics_addr, token) {
            (Some(_), _) => Self::Elsewhere,
            (None, Some(token)) if !token.is_empty() => Self::Token(token.into()),
            _ => Self::Off,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_pattern_and_status() {
        let metrics = Metrics::new();
        let get = actix_web::http::Method::GET;
        for _ in 0..2 {
            metrics.observe_request(&get, Some("/houses/{id}"), 200, Duration::from_millis(3));
        }
        metrics.observe_request(&get, None, 404, Duration::from_millis(1));
        let text = TextEncoder::new()
            .encode_to_string(&metrics.registry.gather())
            .unwrap();
        assert!(
            text.contains(
                r#"kvartplata_http_requests_total{method="GET",route="/houses/{id}",status="200"} 2"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"route="unmatched",status="404"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(
                r#"kvartplata_http_request_duration_seconds_count{method="GET",route="/houses/{id}"} 2"#
            ),
            "{text}"
        );
    }

    #[test]
    fn invented_methods_share_one_label() {
        let odd = actix_web::http::Method::from_bytes(b"FROBNICATE").unwrap();
        assert_eq!(method_label(&odd), "other");
        assert_eq!(method_label(&actix_web::http::Method::PATCH), "PATCH");
    }

    #[test]
    fn waiting_guard_counts_while_it_lives() {
        let metrics = Metrics::new();
        let first = metrics.waiting_for_connection();
        let second = metrics.waiting_for_connection();
        assert_eq!(metrics.pool_waiting.get(), 2);
        drop(first);
        drop(second);
        assert_eq!(metrics.pool_waiting.get(), 0);
    }

    #[test]
    fn a_separate_address_wins_over_the_token_and_nothing_set_is_off() {
        assert!(matches!(
            MetricsAccess::new(Some("127.0.0.1:9187"), Some("t")),
            MetricsAccess::Elsewhere
        ));
        assert!(matches!(
            MetricsAccess::new(None, Some("secret")),
            MetricsAccess::Token(t) if &*t == "secret"
        ));
        assert!(matches!(
            MetricsAccess::new(None, Some("")),
            MetricsAccess::Off
        ));
        assert!(matches!(MetricsAccess::new(None, None), MetricsAccess::Off));
    }
}
