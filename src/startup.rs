//! Builds the application: the database (migrated) and the HTTP server bound
//! to its listener, so tests can bind port 0 and read the port back.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};

use actix_session::SessionMiddleware;
use actix_session::config::CookieContentSecurity;
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::SameSite;
use tracing_actix_web::TracingLogger;

use crate::auth::{self, LoginLimiter};
use crate::billing::{WorkerConfig, Workers};
use crate::config::{MissingDatabaseUrl, Settings, ShortSessionKey};
use crate::db::{self, ConnectError, PgPool, migrations};
use crate::routes;
use crate::state::AppState;
use crate::telemetry::{self, RequestSpan};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    MissingDatabaseUrl(#[from] MissingDatabaseUrl),
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error(transparent)]
    SessionKey(#[from] ShortSessionKey),
    #[error("applying migrations failed: {0}")]
    Migrate(#[source] migrations::MigrationError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
}

/// Connects and applies pending migrations (under the advisory lock).
pub fn migrate(settings: &Settings) -> Result<(), StartupError> {
    let mut conn = db::connect(settings.database_url()?)?;
    let applied = migrations::run_pending(&mut conn).map_err(StartupError::Migrate)?;
    for name in &applied {
        tracing::info!("applied migration {name}");
    }
    Ok(())
}

/// The connection pool. Built only when serving: its threads connect in the
/// background, and a process exiting under them (libpq mid-handshake) may crash.
pub fn pool(settings: &Settings) -> Result<PgPool, StartupError> {
    Ok(db::build_pool(
        settings.database_url()?,
        settings.db_pool_size,
    ))
}

/// The HTTP server and the billing workers of one process.
pub struct Application {
    port: u16,
    server: Server,
    workers: Workers,
}

impl Application {
    pub fn build(settings: &Settings, pool: PgPool) -> Result<Self, StartupError> {
        let bind_error = |source| StartupError::Bind {
            addr: settings.bind_addr.clone(),
            source,
        };
        let listener = TcpListener::bind(&settings.bind_addr).map_err(bind_error)?;
        let port = listener.local_addr().map_err(bind_error)?.port();
        let workers = Workers::start(pool.clone(), worker_config(settings, port));
        let state = web::Data::new(AppState::new(pool, workers.waker()));
        let key = settings.session_key()?;
        let secure = settings.secure_cookies;
        // One per server, shared by its worker threads.
        let limiter = web::Data::new(LoginLimiter::default());
        let server = HttpServer::new(move || {
            // Sessions live in a private (encrypted and signed) cookie: they
            // hold the signed-in user's id, the CSRF token and a flash message.
            let sessions = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                .cookie_name("kvartplata".into())
                .cookie_content_security(CookieContentSecurity::Private)
                .cookie_same_site(SameSite::Lax)
                .cookie_http_only(true)
                .cookie_secure(secure)
                .build();
            // The last `wrap` runs first: the log line and the security
            // headers cover every answer, and authentication sees the session.
            App::new()
                .wrap(from_fn(routes::refuse_nul_in_query))
                .wrap(routes::error_handlers())
                .wrap(from_fn(auth::authenticate))
                .wrap(sessions)
                .wrap(auth::security_headers())
                // The request line only: never headers (Authorization) or bodies.
                .wrap(from_fn(telemetry::request_line))
                // Outermost: everything the request logs is inside its span.
                .wrap(TracingLogger::<RequestSpan>::new())
                .app_data(state.clone())
                .app_data(limiter.clone())
                .configure(routes::configure)
        })
        .listen(listener)
        .map_err(bind_error)?
        .run();
        Ok(Self {
            port,
            server,
            workers,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from elsewhere (tests, signal handlers).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped (SIGINT or SIGTERM, or a handle), then lets the
    /// billing workers finish their batch and hand back their runs.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        let workers = self.workers;
        actix_web::rt::task::spawn_blocking(move || workers.shutdown())
            .await
            .map_err(std::io::Error::other)?;
        served
    }
}

/// The workers are named after the host and the listening port: unique
/// among live processes, and the same for a process restarted in place,
/// which then resumes its predecessor's runs at once.
fn worker_config(settings: &Settings, port: u16) -> WorkerConfig {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "localhost".to_owned());
    let mut config = WorkerConfig::new(format!("{host}:{port}"), settings.billing_workers());
    config.batch_size = settings.billing_batch_size as usize;
    config.lease = std::time::Duration::from_secs(settings.billing_lease_secs.into());
    config
}
