//! config -> logging -> migrate -> pool -> serve. Everything else is in the
//! library, where the tests build the same application.

use std::process::ExitCode;

use clap::Parser;
use kvartplata::config::{Cli, Command, Settings};
use kvartplata::domain::Period;
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
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();

    match run(cli.command.unwrap_or(Command::Serve), &cli.settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kvartplata: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, settings: &Settings) -> anyhow::Result<()> {
    match command {
        Command::Migrate => {
            startup::migrate(settings)?;
            log::info!("the database schema is up to date");
            Ok(())
        }
        Command::Demo { houses, apartments } => {
            startup::migrate(settings)?;
            let mut conn = db::connect(settings.database_url()?)?;
            let summary = demo::load(&mut conn, houses, apartments, Period::current())?;
            print!("{summary}");
            Ok(())
        }
        Command::Serve => {
            startup::migrate(settings)?;
            let pool = startup::pool(settings)?;
            actix_web::rt::System::new().block_on(async {
                let app = Application::build(settings, pool)?;
                log::info!("serving on http://{}", settings.bind_addr);
                app.run_until_stopped().await?;
                Ok(())
            })
        }
    }
}
