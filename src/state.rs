//! What every handler shares: the connection pool, and the handle that
//! wakes this process's billing workers when a run is started, so it is
//! billed at once instead of at their next look at the queue, and the
//! metrics requests are counted in, and the slots that bound how many
//! uploads are read at once.

use std::sync::Arc;
use std::time::Duration;

use diesel::PgConnection;
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::actor;
use crate::billing::Waker;
use crate::db::PgPool;
use crate::db::queries;
use crate::error::AppError;
use crate::metrics::Metrics;

/// Uploads one process reads at once. Reading a file takes up to about
/// 150 MB (`csv::read` holds its text once, twice while Windows-1251 is
/// decoded, and at most `MAX_BATCH_ROWS` parsed lines), so uploads together
/// stay under 300 MB however many are sent.
pub const PARALLEL_UPLOADS: usize = 2;

/// How long an upload waits for a slot before it is answered 503.
pub const UPLOAD_WAIT: Duration = Duration::from_secs(20);

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub billing: Waker,
    pub metrics: Metrics,
    /// Taken by an upload before its body is read.
    pub uploads: Slots,
}

impl AppState {
    pub fn new(pool: PgPool, billing: Waker, metrics: Metrics) -> Self {
        Self {
            pool,
            billing,
            metrics,
            uploads: Slots::new(PARALLEL_UPLOADS, UPLOAD_WAIT),
        }
    }

    /// Runs blocking diesel work on actix's blocking thread pool with a
    /// pooled connection, off the async executor.
    ///
    /// The acting user (`actor::scope`) and the request's span are read
    /// here, on the request's task, because the blocking thread does not see
    /// them; the connection is told the user before the work so the audit
    /// triggers record it.
    pub async fn db<T, E, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
        E: Into<AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let actor = actor::current();
        // The blocking thread is outside the request's span: take it along.
        let span = tracing::Span::current();
        let metrics = self.metrics.clone();
        actix_web::web::block(move || {
            let _entered = span.enter();
            let waiting = metrics.waiting_for_connection();
            let mut conn = pool.get()?;
            drop(waiting);
            queries::audit::set_actor(&mut conn, actor.as_deref())?;
            let result = work(&mut conn).map_err(Into::into);
            if actor.is_some() {
                // Billing workers share the pool without going through here:
                // a user's name must not stay on the connection for them.
                if let Err(e) = queries::audit::set_actor(&mut conn, None) {
                    tracing::warn!("could not clear the audit actor of a pooled connection: {e}");
                }
            }
            result
        })
        .await?
    }
}

/// A bounded number of places for one kind of costly work; who finds none
/// free within `wait` is told the server is busy.
#[derive(Clone)]
pub struct Slots {
    free: Arc<Semaphore>,
    wait: Duration,
}

impl Slots {
    pub fn new(count: usize, wait: Duration) -> Self {
        Self {
            free: Arc::new(Semaphore::new(count)),
            wait,
        }
    }

    /// A slot, held until the permit is dropped, or `Busy` when none frees
    /// in time.
    pub async fn take(&self) -> Result<SemaphorePermit<'_>, AppError> {
        match tokio::time::timeout(self.wait, self.free.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            // The semaphore is never closed; a timeout is the busy case.
            Ok(Err(_)) | Err(_) => Err(AppError::Busy {
                retry_after: self.wait,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_slot_is_waited_for_and_then_refused_as_busy() {
        let slots = Slots::new(2, Duration::from_millis(50));
        let first = slots.take().await.unwrap();
        let _second = slots.take().await.unwrap();
        let refused = slots.take().await.unwrap_err();
        assert!(matches!(refused, AppError::Busy { retry_after } if retry_after.as_millis() == 50));
        // A slot given back is taken by the next one waiting.
        let waiting = slots.take();
        drop(first);
        assert!(waiting.await.is_ok());
    }
}
