//! What the benches need: scratch databases on DATABASE_URL's server, the
//! app serving one of them in-process, as the tests start it, and an admin's
//! API token to call it with (the app refuses anonymous requests).

use actix_web::dev::ServerHandle;
use diesel::prelude::*;
use kvartplata::config::Settings;
use kvartplata::db;
use kvartplata::domain::Role;
use kvartplata::services::logins;
use kvartplata::startup::Application;

/// DATABASE_URL, or (without it) a line saying what `bench` needs and exit
/// status 2.
pub fn server_url_or_exit(bench: &str) -> String {
    std::env::var("DATABASE_URL").unwrap_or_else(|_| {
        eprintln!(
            "{bench}: set DATABASE_URL to a PostgreSQL database whose role may create databases"
        );
        std::process::exit(2);
    })
}

/// The bench's databases on DATABASE_URL's server, dropped when it is.
pub struct Databases {
    server_url: String,
    server: PgConnection,
    names: Vec<String>,
}

impl Databases {
    pub fn new(server_url: &str) -> Self {
        Self {
            server_url: server_url.to_owned(),
            server: PgConnection::establish(server_url).expect("connect to DATABASE_URL"),
            names: Vec::new(),
        }
    }

    /// A new database, empty or a copy of `template` (which must have no
    /// connections).
    pub fn create(&mut self, template: Option<&str>) -> String {
        let name = format!("kvartplata_bench_{}", uuid::Uuid::new_v4().simple());
        let sql = match template {
            None => format!(r#"CREATE DATABASE "{name}""#),
            // FILE_COPY copies the files instead of logging every page (PostgreSQL 15+).
            Some(t) => format!(r#"CREATE DATABASE "{name}" TEMPLATE "{t}" STRATEGY FILE_COPY"#),
        };
        diesel::sql_query(sql)
            .execute(&mut self.server)
            .expect("create a bench database (does the role have CREATEDB?)");
        self.names.push(name.clone());
        name
    }

    pub fn url(&self, name: &str) -> String {
        let mut url = url::Url::parse(&self.server_url).expect("DATABASE_URL is a URL");
        url.set_path(&format!("/{name}"));
        url.to_string()
    }

    pub fn drop_one(&mut self, name: &str) {
        let sql = format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#);
        match diesel::sql_query(sql).execute(&mut self.server) {
            Ok(_) => self.names.retain(|n| n != name),
            Err(e) => eprintln!("could not drop the bench database {name}: {e}"),
        }
    }
}

impl Drop for Databases {
    fn drop(&mut self) {
        for name in std::mem::take(&mut self.names) {
            self.drop_one(&name);
        }
    }
}

/// Creates an admin on `database_url` through `services::logins` (as the
/// CLI does) and returns an API token of theirs: the app refuses anonymous
/// requests.
#[allow(dead_code)]
pub fn admin_token(database_url: &str) -> String {
    let mut conn = PgConnection::establish(database_url).expect("connect to the bench database");
    logins::create_user(&mut conn, BENCH_USER, "bench password", Role::Admin)
        .expect("create the bench's admin");
    logins::create_token(&mut conn, BENCH_USER, "bench").expect("create the bench's token")
}

/// The user the benches act as.
#[allow(dead_code)]
pub const BENCH_USER: &str = "bench";

/// An HTTP client builder that sends `token` as `Authorization: Bearer`
/// with every request and follows no redirects.
#[allow(dead_code)]
pub fn bearer_client(token: &str) -> reqwest::ClientBuilder {
    let mut headers = reqwest::header::HeaderMap::new();
    let mut value = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}"))
        .expect("a token is a valid header value");
    value.set_sensitive(true);
    headers.insert(reqwest::header::AUTHORIZATION, value);
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
}

/// The app serving a database in-process, and a token to call it with.
#[allow(dead_code)]
pub struct Served {
    pub base: String,
    pub handle: ServerHandle,
    pub token: String,
}

#[allow(dead_code)]
impl Served {
    /// A client builder that authenticates as the bench's admin.
    pub fn client(&self) -> reqwest::ClientBuilder {
        bearer_client(&self.token)
    }
}

/// The app serving `database_url` on a free port, with an admin and a token
/// created in that database first (see [`admin_token`]).
/// (The billing bench runs the binary instead, to measure its memory.)
#[allow(dead_code)]
pub fn serve(database_url: &str) -> Served {
    let token = admin_token(database_url);
    let settings = Settings::for_database(database_url);
    let pool = db::build_pool(database_url, settings.db_pool_size);
    let app = Application::build(&settings, pool).expect("build the app");
    let base = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    Served {
        base,
        handle,
        token,
    }
}
