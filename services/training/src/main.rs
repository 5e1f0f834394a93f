//! The training service binary: `serve` (default), `migrate`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use tachawor_training::{Application, Dependencies, Settings};

#[derive(Parser)]
#[command(name = "tachawor-training", about = "Tachawor training service")]
struct Cli {
    /// A TOML settings file layered over the defaults (environment variables still win).
    #[arg(long, env = "TACHAWOR_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve gRPC until SIGTERM or SIGINT (the default).
    Serve,
    /// Apply the database migrations and exit (a job run before a new version serves).
    Migrate,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.as_deref())?;
    let region = tachawor_region::Region::load(std::path::Path::new(&settings.region.file))?;
    let _telemetry = tachawor_telemetry::init("training", &region.code, &settings.telemetry)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(settings, Dependencies::default()).await?;
            app.run_until_stopped(tachawor_server::shutdown_signal())
                .await?;
        }
        Command::Migrate => {
            tachawor_runtime::migrate(&settings.database, &tachawor_training::MIGRATIONS).await?;
            tracing::info!("migrations applied");
        }
    }
    Ok(())
}
