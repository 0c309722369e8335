//! What both benches need: scratch databases on DATABASE_URL's server and
//! the app serving one of them in-process, as the tests start it.

use actix_web::dev::ServerHandle;
use diesel::prelude::*;
use kvartplata::config::Settings;
use kvartplata::db;
use kvartplata::startup::Application;

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

/// The app serving `database_url` on a free port: its base URL and handle.
/// (The billing bench runs the binary instead, to measure its memory.)
#[allow(dead_code)]
pub fn serve(database_url: &str) -> (String, ServerHandle) {
    let settings = Settings::for_database(database_url);
    let pool = db::build_pool(database_url, settings.db_pool_size);
    let app = Application::build(&settings, pool).expect("build the app");
    let base = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    (base, handle)
}
