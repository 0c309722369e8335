//! What every handler shares: the connection pool, and the bell that wakes
//! the billing workers when a run is started.

use diesel::PgConnection;

use crate::billing::Waker;
use crate::db::PgPool;
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
    pub async fn db<T, E, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
        E: Into<AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            work(&mut conn).map_err(Into::into)
        })
        .await?
    }
}
