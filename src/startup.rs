//! Builds the application: the database (migrated) and the HTTP server bound
//! to its listener, so tests can bind port 0 and read the port back.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};

use actix_session::SessionMiddleware;
use actix_session::config::CookieContentSecurity;
use actix_web::cookie::SameSite;
use tracing_actix_web::TracingLogger;

use crate::auth::{self, PgSessionStore};
use crate::billing::{Stopper, WorkerConfig, Workers};
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
    #[error("cannot read the session key kept in the database: {0}")]
    StoredSessionKey(#[source] anyhow::Error),
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
        let key = match settings.session_key()? {
            Some(key) => key,
            None => auth::stored_cookie_key(&pool).map_err(StartupError::StoredSessionKey)?,
        };
        let metrics = Metrics::new();
        let mut config = worker_config(settings, port);
        config.apartments_billed = metrics.apartments_billed();
        config.expired_leases_taken_over = metrics.expired_leases_taken_over();
        let workers = Workers::start(pool.clone(), config);
        let store = PgSessionStore::new(pool.clone());
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
        let secure = settings.secure_cookies;
        let trusted_proxies = web::Data::new(settings.trusted_proxies.clone());
        let server = HttpServer::new(move || {
            // Sessions live in PostgreSQL; the (encrypted and signed) cookie
            // holds only the session's random id.
            let sessions = SessionMiddleware::builder(store.clone(), key.clone())
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
                .app_data(trusted_proxies.clone())
                .app_data(metrics_access.clone())
                .app_data(health.clone())
                .configure(routes::configure)
        })
        // Signals are ours (run_until_stopped): the workers must stop
        // claiming the moment one arrives, not once the connections close.
        .disable_signals()
        .shutdown_timeout(CONNECTIONS_CLOSE_WITHIN.as_secs())
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

    /// Serves until stopped through its [`handle`](Self::handle), then lets
    /// the billing workers finish their batch and hand back their runs.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run(false).await
    }

    /// Serves as the binary does: as [`run_until_stopped`](Self::run_until_stopped),
    /// and on SIGTERM or SIGINT the workers stop claiming at once, requests in
    /// flight are answered, and connections still open after
    /// [`CONNECTIONS_CLOSE_WITHIN`] (keep-alive clients) are closed; a second
    /// signal stops at once. (Servers inside tests leave signals alone, so
    /// Ctrl-C still ends a test run.)
    pub async fn run_until_signalled(self) -> std::io::Result<()> {
        self.run(true).await
    }

    async fn run(self, on_signals: bool) -> std::io::Result<()> {
        let Self {
            server,
            workers,
            metrics,
            ..
        } = self;
        // Installed before anything is awaited: a signal from now on is ours.
        let on_signal = if on_signals {
            match Signals::install() {
                Ok(signals) => Some(actix_web::rt::spawn(stop_on_signal(
                    signals,
                    server.handle(),
                    workers.stopper(),
                ))),
                Err(e) => {
                    tracing::warn!("serving without SIGTERM/SIGINT handling: {e}");
                    None
                }
            }
        } else {
            None
        };
        // The metrics address lives as long as the main server.
        let served = match metrics {
            Some((_, metrics)) => {
                let handle = metrics.handle();
                let main = async {
                    let served = server.await;
                    handle.stop(true).await;
                    served
                };
                let (served, metrics_served) = futures_util::future::join(main, metrics).await;
                if let Err(e) = metrics_served {
                    tracing::warn!("the metrics server stopped with an error: {e}");
                }
                served
            }
            None => server.await,
        };
        if let Some(task) = on_signal {
            task.abort();
        }
        actix_web::rt::task::spawn_blocking(move || workers.shutdown())
            .await
            .map_err(std::io::Error::other)?;
        served
    }
}

/// How long a stopping server waits for its open connections.
pub const CONNECTIONS_CLOSE_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

/// SIGTERM and SIGINT, caught.
struct Signals {
    terminate: actix_web::rt::signal::unix::Signal,
    interrupt: actix_web::rt::signal::unix::Signal,
}

impl Signals {
    fn install() -> std::io::Result<Self> {
        use actix_web::rt::signal::unix::{SignalKind, signal};
        Ok(Self {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
        })
    }

    async fn next(&mut self) {
        let terminate = std::pin::pin!(self.terminate.recv());
        let interrupt = std::pin::pin!(self.interrupt.recv());
        futures_util::future::select(terminate, interrupt).await;
    }
}

async fn stop_on_signal(
    mut signals: Signals,
    server: actix_web::dev::ServerHandle,
    workers: Stopper,
) {
    signals.next().await;
    tracing::info!("stopping: no new billing runs are claimed; finishing the current batches");
    workers.stop();
    let graceful = tokio::spawn({
        let server = server.clone();
        async move { server.stop(true).await }
    });
    signals.next().await;
    tracing::info!("stopping at once");
    server.stop(false).await;
    let _ = graceful.await;
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
