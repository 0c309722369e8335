//! The application under test: served in-process on port 0 of its own
//! database, the clients that call it, and the `kvartplata` binary.

use std::time::Duration;

use actix_web::dev::ServerHandle;
use kvartplata::config::Settings;
use kvartplata::db;
use kvartplata::domain::Role;
use kvartplata::services::logins;
use kvartplata::startup::Application;

use super::db::TestDb;
use super::pages::csrf_token;

/// Runs the `kvartplata` binary against `database_url` and waits for it.
pub fn kvartplata(args: &[&str], database_url: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kvartplata"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

/// The admin every test app starts with (created through
/// `services::logins`, as the CLI and the setup page do).
pub const ADMIN_NAME: &str = "admin";
pub const ADMIN_PASSWORD: &str = "test admin password";

/// The application, serving on a free port of 127.0.0.1.
pub struct TestApp {
    pub address: String,
    /// Sends the admin's API token with every request.
    pub client: reqwest::Client,
    /// The admin's API token.
    pub token: String,
    /// `http://127.0.0.1:PORT` of /metrics when METRICS_ADDR is set.
    pub metrics_address: Option<String>,
    /// The app's own connection pool (a test may hold its connections);
    /// dropped before the database.
    pub pool: db::PgPool,
    pub db: TestDb,
    server: ServerHandle,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    /// The body `client` gets at `path`.
    pub async fn text_of(&self, client: &reqwest::Client, path: &str) -> String {
        client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// The CSRF token of the form `client` gets at `path` (its session's).
    pub async fn csrf_from(&self, client: &reqwest::Client, path: &str) -> String {
        csrf_token(&self.text_of(client, path).await)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// GET as the admin (API token).
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// A browser-like client (cookies kept, redirects not followed) that
    /// sends the admin's API token, so pages and forms work at once.
    pub fn browser_client(&self) -> reqwest::Client {
        browser_client_builder(Some(&self.token)).build().unwrap()
    }

    /// A browser-like client with no credentials at all.
    pub fn anonymous_client(&self) -> reqwest::Client {
        browser_client_builder(None).build().unwrap()
    }

    /// Creates a user with `role` directly (password [`ADMIN_PASSWORD`])
    /// and returns an API token of theirs.
    pub fn user_with_token(&self, name: &str, role: Role) -> String {
        let mut conn = self.db.conn();
        logins::create_user(&mut conn, name, ADMIN_PASSWORD, role).unwrap();
        logins::create_token(&mut conn, name, "test").unwrap()
    }

    /// A browser-like client that signs in as `name` through the login form.
    pub async fn signed_in_client(&self, name: &str, password: &str) -> reqwest::Client {
        let client = self.anonymous_client();
        let response = self.sign_in(&client, name, password).await;
        assert_eq!(response.status(), 303, "signing in as {name}");
        client
    }

    /// Sends the sign-in form as `client` (with its session's CSRF token)
    /// and returns the answer, whatever it is.
    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        name: &str,
        password: &str,
    ) -> reqwest::Response {
        let csrf = self.csrf_from(client, "/login").await;
        client
            .post(self.url("/login"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("name", name),
                ("password", password),
            ])
            .send()
            .await
            .unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // The server, its billing workers and its pool are gone before the
        // database is dropped (a field, so after this).
        drop(self.server.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// An HTTP client that keeps its cookies (the session, so CSRF tokens
/// match) and does not follow redirects, like one person's browser; with
/// `token`, it sends it as `Authorization: Bearer` on every request.
pub fn browser_client_builder(token: Option<&str>) -> reqwest::ClientBuilder {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(token) = token {
        let mut value = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
        value.set_sensitive(true);
        headers.insert(reqwest::header::AUTHORIZATION, value);
    }
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
}

/// A JSON API client: no cookies, no redirects followed, and `token`
/// (unless empty) as `Authorization: Bearer` on every request.
pub fn api_client(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if !token.is_empty() {
        headers.insert(
            reqwest::header::AUTHORIZATION,
            format!("Bearer {token}").parse().unwrap(),
        );
    }
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

/// Starts the app on its own migrated database.
pub async fn spawn_app() -> TestApp {
    let db = TestDb::migrated();
    let url = db.url.clone();
    spawn_app_with(db, &url)
}

/// Starts the app on `db`, reaching it through `app_database_url` (which
/// may lead through a [`DbProxy`](super::proxy::DbProxy)). The database is
/// already migrated, so the pool connects lazily, as `main` does after
/// migrating.
pub fn spawn_app_with(db: TestDb, app_database_url: &str) -> TestApp {
    let token = {
        let mut conn = db.conn();
        logins::create_user(&mut conn, ADMIN_NAME, ADMIN_PASSWORD, Role::Admin).unwrap();
        logins::create_token(&mut conn, ADMIN_NAME, "tests").unwrap()
    };
    start(db, app_database_url, token)
}

/// Starts the app on its own migrated database (with the admin), its
/// settings changed by `configure` first.
pub async fn spawn_app_configured(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let db = TestDb::migrated();
    let url = db.url.clone();
    let token = {
        let mut conn = db.conn();
        logins::create_user(&mut conn, ADMIN_NAME, ADMIN_PASSWORD, Role::Admin).unwrap();
        logins::create_token(&mut conn, ADMIN_NAME, "tests").unwrap()
    };
    let mut settings = Settings::for_database(&url);
    configure(&mut settings);
    start_with(db, settings, token)
}

/// Starts the app on a migrated database without any user, as on the first
/// run; `token` is empty and `client` has no credentials.
pub async fn spawn_app_without_users() -> TestApp {
    let db = TestDb::migrated();
    let url = db.url.clone();
    start(db, &url, String::new())
}

fn start(db: TestDb, app_database_url: &str, token: String) -> TestApp {
    start_with(db, Settings::for_database(app_database_url), token)
}

fn start_with(db: TestDb, settings: Settings, token: String) -> TestApp {
    let url = settings.database_url().unwrap();
    let pool = db::build_pool(url, settings.db_pool_size);
    // The server runs on a system of its own: a task on the test's runtime
    // is cancelled when the test ends, before a stopped server has shut down,
    // which left its threads and pool behind, reconnecting to the dropped
    // database and slowing every later test.
    let (started, ready) = std::sync::mpsc::channel();
    let thread = std::thread::spawn({
        let pool = pool.clone();
        move || {
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(&settings, pool).expect("build the app");
                started
                    .send((app.port(), app.metrics_port(), app.handle()))
                    .unwrap();
                app.run_until_stopped().await
            })
        }
    });
    let (port, metrics_port, server) = ready.recv().expect("the app starts");
    let metrics_address = metrics_port.map(|port| format!("http://127.0.0.1:{port}"));
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: api_client(&token),
        token,
        metrics_address,
        pool,
        db,
        server,
        thread: Some(thread),
    }
}

/// `N` distinct free ports of 127.0.0.1 (all held until each is known).
pub fn free_ports<const N: usize>() -> [u16; N] {
    let listeners: Vec<_> = (0..N)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").expect("find a free port"))
        .collect();
    std::array::from_fn(|i| listeners[i].local_addr().unwrap().port())
}

/// A free port of 127.0.0.1 for a server started outside this process.
pub fn free_port() -> u16 {
    let [port] = free_ports();
    port
}

/// Polls `check` until it holds or `timeout` passes.
pub async fn eventually<F, Fut>(timeout: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if check().await {
            return true;
        }
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
