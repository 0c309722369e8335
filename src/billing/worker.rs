//! The billing workers: threads of the server that claim runs from the
//! queue in PostgreSQL and bill them batch by batch, plus a heartbeat that
//! keeps their leases alive. Any number of server processes may share one
//! database: a claim is exclusive, and a run whose worker died is taken over
//! when its lease expires, from its cursor.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use diesel::PgConnection;
use diesel::result::Error as DieselError;

use super::{BillingError, run_batch};
use crate::db::PgPool;
use crate::db::models::{BillingRun, BillingRunId};
use crate::db::queries;
use crate::domain::RunFailure;

/// How the workers run.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Worker threads (runs billed at once by this process).
    pub workers: usize,
    /// Apartments per batch: progress is committed after each.
    pub batch_size: usize,
    /// How long a claim lasts without a heartbeat; the heartbeat renews it
    /// every third of this.
    pub lease: Duration,
    /// How often an idle worker looks for runs that others started or
    /// whose lease expired (runs started by this process wake it at once).
    pub poll: Duration,
    /// Names this process in `lease_owner`; runs held under the same name
    /// by an earlier process are resumed at once on start-up. Unique among
    /// live processes: host and listening port.
    pub name: String,
    /// Counts the apartments committed, for the metrics.
    pub apartments_billed: prometheus::IntCounter,
    /// Counts the runs taken over after their lease ran out, for the metrics.
    pub expired_leases_taken_over: prometheus::IntCounter,
}

impl WorkerConfig {
    pub fn new(name: impl Into<String>, workers: usize) -> Self {
        Self {
            workers,
            batch_size: 500,
            lease: Duration::from_secs(15),
            poll: Duration::from_secs(1),
            name: name.into(),
            apartments_billed: prometheus::IntCounter::new("apartments_billed", "not exported")
                .expect("a valid metric name"),
            expired_leases_taken_over: prometheus::IntCounter::new(
                "expired_leases_taken_over",
                "not exported",
            )
            .expect("a valid metric name"),
        }
    }
}

/// Wakes idle workers when a run is queued by this process.
#[derive(Clone)]
pub struct Waker(Arc<Shared>);

impl Waker {
    pub fn wake(&self) {
        self.0.signal();
    }
}

struct Shared {
    pool: PgPool,
    config: WorkerConfig,
    /// `name/pid`: this process, as written into `lease_owner`.
    owner: String,
    stop: AtomicBool,
    /// Counts wake-ups, so a wake between two looks is not missed.
    wakes: Mutex<u64>,
    bell: Condvar,
    /// The runs a worker of this process is billing right now: the only
    /// leases the heartbeat renews, so a run a worker gave up (and could not
    /// release, the database being away) expires and is resumed.
    held: Mutex<BTreeSet<BillingRunId>>,
}

impl Shared {
    fn signal(&self) {
        let mut wakes = self.wakes.lock().unwrap_or_else(|e| e.into_inner());
        *wakes += 1;
        self.bell.notify_all();
    }

    fn hold(&self, run: BillingRunId, held: bool) {
        let mut runs = self.held.lock().unwrap_or_else(|e| e.into_inner());
        if held {
            runs.insert(run);
        } else {
            runs.remove(&run);
        }
    }

    fn held(&self) -> Vec<BillingRunId> {
        let runs = self.held.lock().unwrap_or_else(|e| e.into_inner());
        runs.iter().copied().collect()
    }

    fn request_stop(&self) {
        self.stop.store(true, Ordering::Release);
        self.signal();
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }

    /// Sleeps up to `timeout`, or until woken or told to stop.
    fn idle(&self, seen: u64, timeout: Duration) {
        let wakes = self.wakes.lock().unwrap_or_else(|e| e.into_inner());
        if *wakes == seen && !self.stopping() {
            let _ = self.bell.wait_timeout(wakes, timeout);
        }
    }

    fn wakes(&self) -> u64 {
        *self.wakes.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Tells the workers to stop claiming runs, from a signal handler, without
/// waiting for them: each finishes its current batch and stops.
#[derive(Clone)]
pub struct Stopper(Arc<Shared>);

impl Stopper {
    pub fn stop(&self) {
        self.0.request_stop();
    }
}

/// The running workers; [`Workers::shutdown`] stops them between batches.
pub struct Workers {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Releases what an earlier process of the same name left behind and
    /// starts the worker threads and the heartbeat.
    pub fn start(pool: PgPool, config: WorkerConfig) -> Self {
        let owner = format!("{}/{}", config.name, std::process::id());
        let shared = Arc::new(Shared {
            pool,
            owner,
            config,
            stop: AtomicBool::new(false),
            wakes: Mutex::new(0),
            bell: Condvar::new(),
            held: Mutex::new(BTreeSet::new()),
        });
        match shared.pool.get() {
            Ok(mut conn) => {
                let earlier = format!("{}/%", like_escape(&shared.config.name));
                match queries::run_queue::release_leases(&mut conn, &earlier) {
                    Ok(0) => {}
                    Ok(n) => tracing::info!("resuming {n} billing run(s) of an earlier process"),
                    Err(e) => tracing::warn!("cannot release earlier billing leases: {e}"),
                }
            }
            Err(e) => tracing::warn!("billing workers start without the database: {e}"),
        }
        let mut threads = Vec::with_capacity(shared.config.workers + 1);
        for i in 0..shared.config.workers {
            let shared = Arc::clone(&shared);
            threads.push(spawn(format!("billing-{i}"), move || work(&shared)));
        }
        let heart = Arc::clone(&shared);
        threads.push(spawn("billing-heartbeat".into(), move || heartbeat(&heart)));
        tracing::info!(
            "{} billing worker(s) started as {}",
            shared.config.workers,
            shared.owner
        );
        Self { shared, threads }
    }

    pub fn waker(&self) -> Waker {
        Waker(Arc::clone(&self.shared))
    }

    pub fn stopper(&self) -> Stopper {
        Stopper(Arc::clone(&self.shared))
    }

    /// Stops the workers after their current batch and gives up their
    /// leases, so another process can resume their runs at once.
    pub fn shutdown(mut self) {
        self.shared.request_stop();
        for thread in std::mem::take(&mut self.threads) {
            let _ = thread.join();
        }
        if let Ok(mut conn) = self.shared.pool.get() {
            let owner = like_escape(&self.shared.owner);
            let _ = queries::run_queue::release_leases(&mut conn, &owner);
        }
    }
}

/// Workers dropped without [`Workers::shutdown`] (their server's future was
/// dropped) still stop after their batch; their leases then run out.
impl Drop for Workers {
    fn drop(&mut self) {
        self.shared.request_stop();
    }
}

fn spawn(name: String, f: impl FnOnce() + Send + 'static) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name(name)
        .spawn(f)
        .expect("spawning a billing thread")
}

/// `value` as a LIKE pattern that matches only itself.
fn like_escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// A worker: claims a run, bills it to the end, looks for the next.
fn work(shared: &Shared) {
    while !shared.stopping() {
        let seen = shared.wakes();
        match claim(shared) {
            Ok(Some(run)) if shared.stopping() => {
                // Claimed just as the stop came: give it back untouched.
                if let Ok(mut conn) = shared.pool.get() {
                    let _ = queries::run_queue::release(&mut conn, run.id, &shared.owner);
                }
            }
            Ok(Some(run)) => {
                let span = run_span(&run);
                let _entered = span.enter();
                tracing::info!(owner = %shared.owner, "claimed the run");
                shared.hold(run.id, true);
                // A bug must not leave the run leased (and renewed by the
                // heartbeat) forever: it fails, and the worker goes on.
                let billed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    bill(shared, &run);
                }));
                shared.hold(run.id, false);
                if billed.is_err() {
                    fail_after_panic(shared, &run);
                }
            }
            Ok(None) => shared.idle(seen, shared.config.poll),
            Err(e) => {
                tracing::warn!("billing worker cannot reach the database: {e}");
                shared.idle(seen, shared.config.poll);
            }
        }
    }
}

fn claim(shared: &Shared) -> anyhow::Result<Option<BillingRun>> {
    let mut conn = shared.pool.get()?;
    let claimed = queries::run_queue::claim(&mut conn, &shared.owner, shared.config.lease)?;
    Ok(claimed.map(|claimed| {
        if claimed.lease_expired {
            shared.config.expired_leases_taken_over.inc();
        }
        claimed.run
    }))
}

/// The span a run's lines are logged in, on whichever worker thread: every
/// line from its claim to its end names the run.
fn run_span(run: &BillingRun) -> tracing::Span {
    tracing::info_span!("run", id = %run.id, house = %run.house_id, period = %run.period)
}

/// Bills `run` batch by batch until it is done, the lease is lost or the
/// process stops. A run that cannot go on (a tariff removed meanwhile, data
/// the database refuses) fails with its reason; a lost connection only
/// pauses it: the lease expires and a worker resumes it from its cursor.
fn bill(shared: &Shared, run: &BillingRun) {
    tracing::info!(
        "billing run {} (house {}, {}) from {}/{}",
        run.id,
        run.house_id,
        run.period,
        run.processed,
        run.total
    );
    while !shared.stopping() {
        let mut conn = match shared.pool.get() {
            Ok(conn) => conn,
            Err(e) => {
                tracing::warn!("billing run {} paused: {e}", run.id);
                return;
            }
        };
        let batch = run_batch(&mut conn, run.id, &shared.owner, shared.config.batch_size);
        if let Ok(outcome) = &batch {
            let billed = u64::try_from(outcome.processed_now).unwrap_or(u64::MAX);
            shared.config.apartments_billed.inc_by(billed);
        }
        match batch {
            Ok(outcome) if outcome.done => {
                tracing::info!("billing run {} finished", run.id);
                return;
            }
            Ok(_) => {}
            Err(BillingError::LeaseLost) => {
                tracing::warn!("billing run {}: lease lost to another worker", run.id);
                return;
            }
            Err(e) if is_transient(&e) => {
                // Let go at once so any worker may resume it when the
                // database answers again; if it cannot be told, the lease
                // runs out (the heartbeat cannot renew it either).
                tracing::warn!("billing run {} paused: {e}", run.id);
                drop(conn);
                if let Ok(mut conn) = shared.pool.get() {
                    let _ = queries::run_queue::release(&mut conn, run.id, &shared.owner);
                }
                std::thread::sleep(shared.config.poll);
                return;
            }
            Err(e) => {
                tracing::error!("billing run {} failed: {e}", run.id);
                fail(&mut conn, shared, run, &e);
                return;
            }
        }
    }
}

fn fail(conn: &mut PgConnection, shared: &Shared, run: &BillingRun, error: &BillingError) {
    let (failure, message) = match error {
        BillingError::MissingTariff(_) => (RunFailure::MissingTariff, error.to_string()),
        _ => (
            RunFailure::Database,
            format!("The database refused the run's lines: {error}"),
        ),
    };
    if let Err(e) = queries::run_queue::fail(conn, run.id, &shared.owner, failure, &message) {
        tracing::error!("cannot mark billing run {} failed: {e}", run.id);
    }
}

fn fail_after_panic(shared: &Shared, run: &BillingRun) {
    tracing::error!("billing run {} failed: the worker panicked", run.id);
    match shared.pool.get() {
        Ok(mut conn) => {
            let message = "An internal error stopped the run; it has been logged.";
            let failure = RunFailure::Internal;
            if let Err(e) =
                queries::run_queue::fail(&mut conn, run.id, &shared.owner, failure, message)
            {
                tracing::error!("cannot mark billing run {} failed: {e}", run.id);
            }
        }
        Err(e) => tracing::error!("cannot mark billing run {} failed: {e}", run.id),
    }
}

/// Errors that a retry may cure: the connection, not the data. Anything
/// else (a value the database refuses, a row gone) fails the run with its
/// reason; the manager can start it again.
fn is_transient(error: &BillingError) -> bool {
    use diesel::result::DatabaseErrorKind::{
        ClosedConnection, ReadOnlyTransaction, SerializationFailure, UnableToSendCommand,
    };
    match error {
        BillingError::Db(DieselError::DatabaseError(kind, _)) => matches!(
            kind,
            ClosedConnection | UnableToSendCommand | SerializationFailure | ReadOnlyTransaction
        ),
        BillingError::Db(DieselError::BrokenTransactionManager) => true,
        _ => false,
    }
}

/// Renews the leases of the runs being billed every third of the lease time.
fn heartbeat(shared: &Shared) {
    let beat = shared.config.lease / 3;
    while !shared.stopping() {
        let seen = shared.wakes();
        // One statement per run: renewing waits for that run's batch to
        // commit, and must not hold another worker's run meanwhile.
        for run in shared.held() {
            let renewed = shared
                .pool
                .get()
                .map_err(anyhow::Error::from)
                .and_then(|mut conn| {
                    let lease = shared.config.lease;
                    Ok(queries::run_queue::renew_lease(
                        &mut conn,
                        run,
                        &shared.owner,
                        lease,
                    )?)
                });
            if let Err(e) = renewed {
                tracing::warn!("billing heartbeat failed for run {run}: {e}");
            }
        }
        // Woken early by new runs too; renewing then is harmless.
        shared.idle(seen, beat);
    }
}
