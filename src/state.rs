//! What every handler shares: the connection pool, and the handle that
//! wakes this process's billing workers when a run is started, so it is
//! billed at once instead of at their next look at the queue, and the
//! metrics requests are counted in.

use diesel::PgConnection;

use crate::actor;
use crate::billing::Waker;
use crate::db::PgPool;
use crate::db::queries;
use crate::error::AppError;
use crate::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub billing: Waker,
    pub metrics: Metrics,
}

impl AppState {
    pub fn new(pool: PgPool, billing: Waker, metrics: Metrics) -> Self {
        Self {
            pool,
            billing,
            metrics,
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
