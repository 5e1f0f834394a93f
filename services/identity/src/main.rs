//! The identity service binary: `serve` (default), `migrate`, `streams`, `create-admin`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use tachawor_identity::{Application, Dependencies, Settings};

#[derive(Parser)]
#[command(name = "tachawor-identity", about = "Tachawor identity service")]
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
    /// Create or update the service's event stream on NATS and exit (run with admin
    /// credentials before a service whose own NATS user may not manage streams).
    Streams,
    /// Create an administrator; the password is read from TACHAWOR_ADMIN_PASSWORD.
    CreateAdmin {
        #[arg(long)]
        email: String,
    },
}

fn main() -> anyhow::Result<()> {
    tachawor_identity::memory::return_hash_memory_when_done();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.as_deref())?;
    let region = tachawor_region::Region::load(std::path::Path::new(&settings.region.file))?;
    let _telemetry = tachawor_telemetry::init("identity", &region.code, &settings.telemetry)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(settings, Dependencies::default()).await?;
            app.run_until_stopped(tachawor_server::shutdown_signal())
                .await?;
        }
        Command::Migrate => {
            tachawor_runtime::migrate(&settings.database, &tachawor_identity::MIGRATIONS).await?;
            tracing::info!("migrations applied");
        }
        Command::Streams => {
            tachawor_runtime::create_streams(&settings.events, "identity").await?;
        }
        Command::CreateAdmin { email } => {
            let password = std::env::var("TACHAWOR_ADMIN_PASSWORD").map_err(|_| {
                anyhow::anyhow!("set TACHAWOR_ADMIN_PASSWORD to the new administrator's password")
            })?;
            let app = Application::build(settings, Dependencies::default()).await?;
            let id = tachawor_identity::bootstrap::administrator(
                &app.context(),
                &email,
                &password.into(),
            )
            .await?;
            println!("administrator {id}");
        }
    }
    Ok(())
}
