//! The test harness: databases per test, the app on port 0, a switchable
//! TCP proxy in front of PostgreSQL.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use kvartplata::config::Settings;
use kvartplata::db::{self, migrations};
use kvartplata::domain::Role;
use kvartplata::services::accounts;
use kvartplata::startup::Application;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The server the tests create their databases on; its role needs CREATEDB.
pub fn server_url() -> String {
    std::env::var("DATABASE_URL").expect(
        "DATABASE_URL must name a PostgreSQL database whose role may create databases; \
         ./scripts/test.sh sets it up",
    )
}

pub fn url_for_database(name: &str) -> String {
    let mut url = url::Url::parse(&server_url()).expect("DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

fn server_conn() -> PgConnection {
    PgConnection::establish(&server_url()).expect("connect to DATABASE_URL")
}

/// A database of its own for one test, dropped when the test ends.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    /// A fresh database with every migration applied.
    pub fn migrated() -> Self {
        Self::create(Some(template()))
    }

    /// A fresh database with nothing in it.
    pub fn empty() -> Self {
        Self::create(None)
    }

    fn create(template: Option<&str>) -> Self {
        let name = format!("kvartplata_test_{}", uuid::Uuid::new_v4().simple());
        let sql = match template {
            Some(t) => format!(r#"CREATE DATABASE "{name}" TEMPLATE "{t}""#),
            None => format!(r#"CREATE DATABASE "{name}""#),
        };
        let mut conn = server_conn();
        // Cloning fails while anyone is connected to the template; nobody
        // stays connected, but a moment's overlap is possible.
        let mut attempt = 0;
        while let Err(e) = diesel::sql_query(&sql).execute(&mut conn) {
            attempt += 1;
            assert!(
                attempt < 50 && e.to_string().contains("being accessed by other users"),
                "creating {name}: {e}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let url = url_for_database(&name);
        Self { name, url }
    }

    pub fn conn(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connect to the test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let sql = format!(r#"DROP DATABASE IF EXISTS "{}" WITH (FORCE)"#, self.name);
        if let Err(e) = diesel::sql_query(sql).execute(&mut server_conn()) {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}

#[derive(QueryableByName)]
struct DatabaseName {
    #[diesel(sql_type = Text)]
    datname: String,
}

/// The migrated template, built once per set of migrations by whichever test
/// process gets there first (the others wait on an advisory lock).
fn template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("kvartplata_tpl_{:016x}", migrations_fingerprint());
        let mut conn = server_conn();
        let lock = 0x6b76_7465_6d70_6c61_i64; // "kvtempla"
        diesel::sql_query("SELECT pg_advisory_lock($1)")
            .bind::<BigInt, _>(lock)
            .execute(&mut conn)
            .unwrap();
        let templates: Vec<DatabaseName> = diesel::sql_query(
            r"SELECT datname FROM pg_database WHERE datname LIKE 'kvartplata\_tpl\_%'",
        )
        .load(&mut conn)
        .unwrap();
        if !templates.iter().any(|t| t.datname == name) {
            // Build under another name and rename, so a half-built template
            // (a killed test run) is never cloned.
            for stale in &templates {
                diesel::sql_query(format!(
                    r#"DROP DATABASE IF EXISTS "{}" WITH (FORCE)"#,
                    stale.datname
                ))
                .execute(&mut conn)
                .unwrap();
            }
            let building = format!("{name}_building");
            diesel::sql_query(format!(r#"CREATE DATABASE "{building}""#))
                .execute(&mut conn)
                .unwrap();
            {
                let mut tpl = PgConnection::establish(&url_for_database(&building)).unwrap();
                migrations::run_pending(&mut tpl).unwrap();
            }
            diesel::sql_query(format!(r#"ALTER DATABASE "{building}" RENAME TO "{name}""#))
                .execute(&mut conn)
                .unwrap();
        }
        diesel::sql_query("SELECT pg_advisory_unlock($1)")
            .bind::<BigInt, _>(lock)
            .execute(&mut conn)
            .unwrap();
        name
    })
}

/// Changes whenever a migration file changes.
fn migrations_fingerprint() -> u64 {
    fn visit(dir: &Path, hasher: &mut DefaultHasher) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            path.file_name().hash(hasher);
            if path.is_dir() {
                visit(&path, hasher);
            } else {
                std::fs::read(&path).unwrap().hash(hasher);
            }
        }
    }
    let mut hasher = DefaultHasher::new();
    visit(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations"),
        &mut hasher,
    );
    hasher.finish()
}

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
/// `services::accounts`, as the CLI and the setup page do).
pub const ADMIN_NAME: &str = "admin";
pub const ADMIN_PASSWORD: &str = "test admin password";

/// The application, serving on a free port of 127.0.0.1.
pub struct TestApp {
    pub address: String,
    /// Sends the admin's API token with every request.
    pub client: reqwest::Client,
    /// The admin's API token.
    pub token: String,
    pub db: TestDb,
    server: ServerHandle,
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
        csrf_token_in(&self.text_of(client, path).await)
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
        client_builder(Some(&self.token)).build().unwrap()
    }

    /// A browser-like client with no credentials at all.
    pub fn anonymous_client(&self) -> reqwest::Client {
        client_builder(None).build().unwrap()
    }

    /// Creates a user with `role` directly (password [`ADMIN_PASSWORD`])
    /// and returns an API token of theirs.
    pub fn user_with_token(&self, name: &str, role: Role) -> String {
        let mut conn = self.db.conn();
        accounts::create_user(&mut conn, name, ADMIN_PASSWORD, role).unwrap();
        accounts::create_token(&mut conn, name, "test").unwrap()
    }

    /// A browser-like client that signs in as `name` through the login form.
    pub async fn signed_in_client(&self, name: &str, password: &str) -> reqwest::Client {
        let client = self.anonymous_client();
        let csrf = self.csrf_from(&client, "/login").await;
        let response = client
            .post(self.url("/login"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("name", name),
                ("password", password),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "signing in as {name}");
        client
    }
}

/// The `csrf_token` hidden field's value in a page.
/// The CSRF token of a form in `html`.
pub fn csrf_token_in(html: &str) -> String {
    let marker = r#"name="csrf_token" value=""#;
    let start = html.find(marker).expect("a csrf_token field") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop accepting and close the pool before the database goes.
        drop(self.server.stop(false));
    }
}

/// An HTTP client that keeps its cookies (the session, so CSRF tokens
/// match) and does not follow redirects, like one person's browser; with
/// `token`, it sends it as `Authorization: Bearer` on every request.
fn client_builder(token: Option<&str>) -> reqwest::ClientBuilder {
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

/// Starts the app on its own migrated database.
pub async fn spawn_app() -> TestApp {
    let db = TestDb::migrated();
    let url = db.url.clone();
    spawn_app_with(db, &url)
}

/// Starts the app on `db`, reaching it through `app_database_url` (which
/// may lead through a [`DbProxy`]). The database is already migrated, so
/// the pool connects lazily, as `main` does after migrating.
pub fn spawn_app_with(db: TestDb, app_database_url: &str) -> TestApp {
    let token = {
        let mut conn = db.conn();
        accounts::create_user(&mut conn, ADMIN_NAME, ADMIN_PASSWORD, Role::Admin).unwrap();
        accounts::create_token(&mut conn, ADMIN_NAME, "tests").unwrap()
    };
    start(db, app_database_url, token)
}

/// Starts the app on a migrated database without any user, as on the first
/// run; `token` is empty and `client` has no credentials.
pub async fn spawn_app_without_users() -> TestApp {
    let db = TestDb::migrated();
    let url = db.url.clone();
    start(db, &url, String::new())
}

fn start(db: TestDb, app_database_url: &str, token: String) -> TestApp {
    let settings = Settings::for_database(app_database_url);
    let pool = db::build_pool(app_database_url, settings.db_pool_size);
    let app = Application::build(&settings, pool).expect("build the app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let server = app.handle();
    tokio::spawn(app.run_until_stopped());
    let mut headers = reqwest::header::HeaderMap::new();
    if !token.is_empty() {
        headers.insert(
            reqwest::header::AUTHORIZATION,
            format!("Bearer {token}").parse().unwrap(),
        );
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap();
    TestApp {
        address,
        client,
        token,
        db,
        server,
    }
}

/// A TCP proxy in front of PostgreSQL that can be switched off (every
/// connection cut, new ones refused) and on again, to play a database outage.
pub struct DbProxy {
    pub port: u16,
    up: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl DbProxy {
    pub async fn start() -> Self {
        let server = url::Url::parse(&server_url()).unwrap();
        let host = server.host_str().unwrap_or("localhost").to_owned();
        let target: SocketAddr = tokio::net::lookup_host((host, server.port().unwrap_or(5432)))
            .await
            .unwrap()
            .next()
            .unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let links = Arc::new(Mutex::new(Vec::new()));
        let (up2, links2) = (up.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    continue; // dropping `inbound` closes it at once
                }
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                links2.lock().unwrap().push(link);
            }
        });
        Self { port, up, links }
    }

    /// `database`'s URL through this proxy.
    pub fn url_for(&self, database: &str) -> String {
        let mut url = url::Url::parse(&url_for_database(database)).unwrap();
        url.set_host(Some("127.0.0.1")).unwrap();
        url.set_port(Some(self.port)).unwrap();
        url.to_string()
    }

    pub fn go_down(&self) {
        self.up.store(false, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    pub fn come_back(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
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
