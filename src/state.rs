//! What every handler shares: the connection pool.

use diesel::PgConnection;

use crate::db::PgPool;
use crate::error::AppError;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
}

impl AppState {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
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
