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
use crate::metrics::{Metrics, MetricsAccess};
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
    /// The server of METRICS_ADDR, when set, and its port.
    metrics: Option<(u16, Server)>,
}

impl Application {
    pub fn build(settings: &Settings, pool: PgPool) -> Result<Self, StartupError> {
        let bind_error = |source| StartupError::Bind {
            addr: settings.bind_addr.clone(),
            source,
        };
        let listener = TcpListener::bind(&settings.bind_addr).map_err(bind_error)?;
        let port = listener.local_addr().map_err(bind_error)?.port();
        let metrics = Metrics::new();
        let mut config = worker_config(settings, port);
        config.apartments_billed = metrics.apartments_billed();
        let workers = Workers::start(pool.clone(), config);
        let state = web::Data::new(AppState::new(pool, workers.waker(), metrics));
        let health = web::Data::new(routes::HealthProbe::new(settings.database_url()?));
        let metrics_access = web::Data::new(MetricsAccess::new(
            settings.metrics_addr.as_deref(),
            settings.metrics_token.as_deref(),
        ));
        let metrics = match &settings.metrics_addr {
            Some(addr) => Some(metrics_server(addr, state.clone())?),
            None => None,
        };
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
                .app_data(metrics_access.clone())
                .app_data(health.clone())
                .configure(routes::configure)
        })
        .listen(listener)
        .map_err(bind_error)?
        .run();
        Ok(Self {
            port,
            server,
            workers,
            metrics,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port /metrics is served on when METRICS_ADDR is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    /// Stops the server from elsewhere (tests, signal handlers).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped (SIGINT or SIGTERM, or a handle), then lets the
    /// billing workers finish their batch and hand back their runs.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // The metrics address lives as long as the main server, polled
        // in the same task (the tests serve from a plain tokio task).
        let served = match self.metrics {
            Some((_, metrics)) => {
                let handle = metrics.handle();
                let main = async {
                    let served = self.server.await;
                    handle.stop(true).await;
                    served
                };
                let (served, metrics_served) = futures_util::future::join(main, metrics).await;
                if let Err(e) = metrics_served {
                    tracing::warn!("the metrics server stopped with an error: {e}");
                }
                served
            }
            None => self.server.await,
        };
        let workers = self.workers;
        actix_web::rt::task::spawn_blocking(move || workers.shutdown())
            .await
            .map_err(std::io::Error::other)?;
        served
    }
}

/// /metrics alone on `addr`, unauthenticated (whoever can reach the
/// address may scrape): one worker thread is plenty for a scraper.
fn metrics_server(addr: &str, state: web::Data<AppState>) -> Result<(u16, Server), StartupError> {
    let bind_error = |source| StartupError::Bind {
        addr: addr.to_owned(),
        source,
    };
    let listener = TcpListener::bind(addr).map_err(bind_error)?;
    let port = listener.local_addr().map_err(bind_error)?.port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .configure(routes::configure_metrics_only)
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .map_err(bind_error)?
    .run();
    Ok((port, server))
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
