//! Settings from the command line, the environment and `.env` (read by
//! `main` before parsing), each read once and passed down.

use std::num::NonZeroUsize;

use clap::{Args, Parser, Subcommand};

use crate::auth::TrustedProxies;
use crate::demo;
use crate::domain::Role;

#[derive(Debug, Parser)]
#[command(
    name = "kvartplata",
    version,
    about = "Monthly utility billing of apartment buildings"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Apply pending migrations, start the billing workers and serve HTTP (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Apply pending migrations and load a realistic demo data set (houses,
    /// apartments, meters, six months of readings, tariffs); running it
    /// again adds nothing twice.
    Demo {
        /// How many demo houses (each with its own address).
        #[arg(long, default_value_t = 4,
              value_parser = clap::value_parser!(u32).range(1..=i64::from(demo::MAX_HOUSES)))]
        houses: u32,
        /// Apartments per house.
        #[arg(long, default_value_t = 120,
              value_parser = clap::value_parser!(u32).range(1..=i64::from(demo::MAX_APARTMENTS)))]
        apartments: u32,
    },
    /// Manage logins.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum UserCommand {
    /// Create a login; the password is the first line of standard input
    /// (at least 10 characters).
    Create {
        /// The name to sign in with.
        name: String,
        /// Make the user an admin (users and tariffs) instead of a manager.
        #[arg(long, conflicts_with = "role")]
        admin: bool,
        /// The role: admin, manager (the default) or viewer.
        #[arg(long, value_parser = clap::value_parser!(Role))]
        role: Option<Role>,
    },
    /// Set the password of the user NAME (the first line of standard
    /// input, at least 10 characters); their sessions end.
    SetPassword { name: String },
    /// Block the user NAME: their sessions end and their API tokens stop
    /// at once, and they cannot sign in.
    Block { name: String },
    /// Let the blocked user NAME sign in again.
    Unblock { name: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum TokenCommand {
    /// Print a new API token for the user NAME (shown only this once).
    Create {
        /// The user the token acts as.
        name: String,
        /// What the token is for, as the tokens page lists it.
        #[arg(long, default_value = "command line")]
        label: String,
    },
}

impl UserCommand {
    /// The role `--admin` / `--role` ask for; manager by default.
    pub fn role(admin: bool, role: Option<Role>) -> Role {
        if admin {
            Role::Admin
        } else {
            role.unwrap_or(Role::Manager)
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// PostgreSQL URL, e.g. postgres://user:password@127.0.0.1:5432/kvartplata
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Address and port to serve HTTP on.
    #[arg(long, env = "BIND_ADDR", default_value = "127.0.0.1:8080")]
    pub bind_addr: String,

    /// Billing worker threads [default: number of cores].
    #[arg(long, env = "BILLING_WORKERS")]
    pub billing_workers: Option<NonZeroUsize>,

    /// Apartments billed per batch; each batch commits its lines and the
    /// run's progress together.
    #[arg(long, env = "BILLING_BATCH_SIZE", default_value_t = 500,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub billing_batch_size: u32,

    /// Seconds a billing worker's claim on a run lasts without a heartbeat:
    /// how soon another process resumes the run of a worker that died.
    #[arg(long, env = "BILLING_LEASE_SECS", default_value_t = 15,
          value_parser = clap::value_parser!(u32).range(2..=3600))]
    pub billing_lease_secs: u32,

    /// Secret (at least 32 characters) that signs and encrypts session
    /// cookies; without it one is made once and kept in the database, so
    /// restarts and other processes keep the sessions.
    #[arg(long, env = "SESSION_KEY", hide_env_values = true)]
    pub session_key: Option<String>,

    /// Send cookies only over HTTPS (set this behind a TLS proxy).
    #[arg(long, env = "SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,

    /// Maximum PostgreSQL connections in the pool.
    #[arg(long, env = "DB_POOL_SIZE", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_pool_size: u32,

    /// Reverse proxies (comma-separated IPs or CIDR blocks) whose
    /// X-Forwarded-For names the client; from anyone else it is ignored.
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "",
          value_parser = clap::value_parser!(TrustedProxies))]
    pub trusted_proxies: TrustedProxies,

    /// Serve GET /metrics (Prometheus) on this separate address only, e.g.
    /// 127.0.0.1:9187, without authentication: bind it where only the
    /// scraper can reach it.
    #[arg(long, env = "METRICS_ADDR")]
    pub metrics_addr: Option<String>,

    /// Without METRICS_ADDR, GET /metrics on the main address answers only
    /// `Authorization: Bearer <METRICS_TOKEN>`; with neither set it is 404.
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error(
    "DATABASE_URL is not set: export it or put it in .env (see .env.example), \
     or start with ./scripts/run.sh, which sets up a local PostgreSQL"
)]
pub struct MissingDatabaseUrl;

#[derive(Debug, thiserror::Error)]
#[error("SESSION_KEY must be at least 32 characters long")]
pub struct ShortSessionKey;

impl Settings {
    /// Settings for serving `database_url` on a free port of 127.0.0.1 (tests).
    pub fn for_database(database_url: impl Into<String>) -> Self {
        Self {
            database_url: Some(database_url.into()),
            bind_addr: "127.0.0.1:0".into(),
            billing_workers: None,
            billing_batch_size: 500,
            billing_lease_secs: 15,
            session_key: None,
            secure_cookies: false,
            db_pool_size: 4,
            trusted_proxies: TrustedProxies::default(),
            metrics_addr: None,
            metrics_token: None,
        }
    }

    pub fn database_url(&self) -> Result<&str, MissingDatabaseUrl> {
        self.database_url.as_deref().ok_or(MissingDatabaseUrl)
    }

    /// The key for session cookies derived from SESSION_KEY; None when it
    /// is not set (the database keeps one then).
    pub fn session_key(&self) -> Result<Option<actix_web::cookie::Key>, ShortSessionKey> {
        match &self.session_key {
            Some(secret) if secret.len() >= 32 => {
                Ok(Some(actix_web::cookie::Key::derive_from(secret.as_bytes())))
            }
            Some(_) => Err(ShortSessionKey),
            None => Ok(None),
        }
    }

    pub fn billing_workers(&self) -> usize {
        self.billing_workers
            .or_else(|| std::thread::available_parallelism().ok())
            .map_or(1, NonZeroUsize::get)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn flags_override_defaults() {
        let cli = Cli::try_parse_from([
            "kvartplata",
            "--database-url",
            "postgres://localhost/kv",
            "--db-pool-size",
            "3",
            "migrate",
        ])
        .unwrap();
        assert_eq!(cli.command, Some(Command::Migrate));
        assert_eq!(cli.settings.db_pool_size, 3);
        assert_eq!(
            cli.settings.database_url().unwrap(),
            "postgres://localhost/kv"
        );
    }

    #[test]
    fn demo_takes_sizes_within_bounds() {
        let cli = Cli::try_parse_from(["kvartplata", "demo"]).unwrap();
        assert_eq!(
            cli.command,
            Some(Command::Demo {
                houses: 4,
                apartments: 120
            })
        );
        let cli = Cli::try_parse_from([
            "kvartplata",
            "demo",
            "--houses",
            "2",
            "--apartments",
            "2000",
        ])
        .unwrap();
        assert_eq!(
            cli.command,
            Some(Command::Demo {
                houses: 2,
                apartments: 2000
            })
        );
        for bad in [
            ["--houses", "0"],
            ["--houses", "21"],
            ["--houses", "-1"],
            ["--apartments", "0"],
            ["--apartments", "2001"],
            ["--apartments", "many"],
        ] {
            let args = ["kvartplata", "demo", bad[0], bad[1]];
            assert!(Cli::try_parse_from(args).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn user_and_token_commands_take_names_and_roles() {
        let cli = Cli::try_parse_from(["kvartplata", "user", "create", "anna", "--admin"]).unwrap();
        assert_eq!(
            cli.command,
            Some(Command::User {
                command: UserCommand::Create {
                    name: "anna".into(),
                    admin: true,
                    role: None
                }
            })
        );
        let cli = Cli::try_parse_from(["kvartplata", "user", "create", "ivan", "--role", "viewer"])
            .unwrap();
        let Some(Command::User {
            command: UserCommand::Create { admin, role, .. },
        }) = cli.command
        else {
            panic!("not a user command");
        };
        assert_eq!(UserCommand::role(admin, role), Role::Viewer);
        assert_eq!(UserCommand::role(false, None), Role::Manager);
        for bad in [
            &["kvartplata", "user", "create", "x", "--role", "root"][..],
            &[
                "kvartplata",
                "user",
                "create",
                "x",
                "--admin",
                "--role",
                "viewer",
            ],
            &["kvartplata", "user", "create"],
            &["kvartplata", "token", "create"],
        ] {
            assert!(Cli::try_parse_from(bad).is_err(), "{bad:?} accepted");
        }
        let cli = Cli::try_parse_from(["kvartplata", "user", "set-password", "anna"]).unwrap();
        assert_eq!(
            cli.command,
            Some(Command::User {
                command: UserCommand::SetPassword {
                    name: "anna".into()
                }
            })
        );
        for (verb, expected) in [
            (
                "block",
                UserCommand::Block {
                    name: "ivan".into(),
                },
            ),
            (
                "unblock",
                UserCommand::Unblock {
                    name: "ivan".into(),
                },
            ),
        ] {
            let cli = Cli::try_parse_from(["kvartplata", "user", verb, "ivan"]).unwrap();
            assert_eq!(cli.command, Some(Command::User { command: expected }));
        }
        assert!(Cli::try_parse_from(["kvartplata", "user", "block"]).is_err());
        let cli = Cli::try_parse_from(["kvartplata", "token", "create", "anna"]).unwrap();
        assert_eq!(
            cli.command,
            Some(Command::Token {
                command: TokenCommand::Create {
                    name: "anna".into(),
                    label: "command line".into()
                }
            })
        );
    }

    #[test]
    fn pool_size_zero_is_refused() {
        assert!(Cli::try_parse_from(["kvartplata", "--db-pool-size", "0"]).is_err());
    }
}
