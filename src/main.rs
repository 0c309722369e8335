//! config -> logging -> migrate -> pool -> serve. Everything else is in the
//! library, where the tests build the same application.

use std::process::ExitCode;

use clap::Parser;
use kvartplata::config::{Cli, Command, Settings, TokenCommand, UserCommand};
use kvartplata::domain::Period;
use kvartplata::services::logins;
use kvartplata::startup::{self, Application};
use kvartplata::{db, demo};

fn main() -> ExitCode {
    if let Err(e) = dotenvy::dotenv()
        && !e.not_found()
    {
        eprintln!("kvartplata: cannot read .env: {e}");
        return ExitCode::FAILURE;
    }
    let cli = Cli::parse();
    kvartplata::telemetry::init();

    match run(cli.command.unwrap_or(Command::Serve), &cli.settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kvartplata: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The first line of standard input, without its line ending; a prompt
/// (on standard error) only when a person is typing.
fn read_password() -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal};
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (at least 10 characters; it will be visible): ");
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    anyhow::ensure!(!password.is_empty(), "no password on standard input");
    Ok(password.to_owned())
}

/// `user block` / `user unblock`.
fn block_user(settings: &Settings, name: &str, blocked: bool) -> anyhow::Result<()> {
    startup::migrate(settings)?;
    let mut conn = db::connect(settings.database_url()?)?;
    let user = logins::find_by_name(&mut conn, name)?;
    let user = logins::set_blocked(&mut conn, user.id, blocked)?;
    if blocked {
        println!("{} is blocked: signed out, API tokens stopped.", user.name);
    } else {
        println!("{} is unblocked.", user.name);
    }
    Ok(())
}

fn run(command: Command, settings: &Settings) -> anyhow::Result<()> {
    match command {
        Command::Migrate => {
            startup::migrate(settings)?;
            tracing::info!("the database schema is up to date");
            Ok(())
        }
        Command::Demo { houses, apartments } => {
            startup::migrate(settings)?;
            let mut conn = db::connect(settings.database_url()?)?;
            let summary = demo::load(&mut conn, houses, apartments, Period::current())?;
            print!("{summary}");
            Ok(())
        }
        Command::User {
            command: UserCommand::Create { name, admin, role },
        } => {
            let password = read_password()?;
            startup::migrate(settings)?;
            let mut conn = db::connect(settings.database_url()?)?;
            let user =
                logins::create_user(&mut conn, &name, &password, UserCommand::role(admin, role))?;
            println!("User {} created ({}).", user.name, user.role);
            Ok(())
        }
        Command::User {
            command: UserCommand::SetPassword { name },
        } => {
            let password = read_password()?;
            startup::migrate(settings)?;
            let mut conn = db::connect(settings.database_url()?)?;
            let user = logins::find_by_name(&mut conn, &name)?;
            let user = logins::reset_password(&mut conn, user.id, &password)?;
            println!("Password of {} set; their sessions have ended.", user.name);
            Ok(())
        }
        Command::User {
            command: UserCommand::Block { name },
        } => block_user(settings, &name, true),
        Command::User {
            command: UserCommand::Unblock { name },
        } => block_user(settings, &name, false),
        Command::Token {
            command: TokenCommand::Create { name, label },
        } => {
            startup::migrate(settings)?;
            let mut conn = db::connect(settings.database_url()?)?;
            // Only the token on standard output, so scripts can capture it.
            println!("{}", logins::create_token(&mut conn, &name, &label)?);
            Ok(())
        }
        Command::Serve => {
            startup::migrate(settings)?;
            let pool = startup::pool(settings)?;
            actix_web::rt::System::new().block_on(async {
                let app = Application::build(settings, pool)?;
                tracing::info!("serving on http://{}", settings.bind_addr);
                app.run_until_signalled().await?;
                Ok(())
            })
        }
    }
}
