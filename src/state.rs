//! What every handler shares: the connection pool, and the bell that wakes
//! the billing workers when a run is started.

use diesel::PgConnection;

use crate::audit;
use crate::billing::Waker;
use crate::db::PgPool;
use crate::db::queries;
use crate::error::AppError;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub billing: Waker,
}

impl AppState {
    pub fn new(pool: PgPool, billing: Waker) -> Self {
        Self { pool, billing }
    }

    /// Runs blocking diesel work on actix's blocking thread pool with a
    /// pooled connection, off the async executor.
    ///
    /// The acting user (`audit::as_actor`) is read here, on the request's
    /// task, because the blocking thread does not see task-locals; the
    /// connection is told before the work so the audit triggers record it.
    pub async fn db<T, E, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
        E: Into<AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let actor = audit::current_actor();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            queries::audit::set_actor(&mut conn, actor.as_deref())?;
            let result = work(&mut conn).map_err(Into::into);
            if actor.is_some() {
                // Billing workers share the pool without going through here:
                // a user's name must not stay on the connection for them.
                if let Err(e) = queries::audit::set_actor(&mut conn, None) {
                    log::warn!("could not clear the audit actor of a pooled connection: {e}");
                }
            }
            result
        })
        .await?
    }
}
