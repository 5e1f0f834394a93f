//! The command line every service binary shares: `serve` (the default), `migrate` and
//! `streams`, with
//! `--config FILE` (or `TACHAWOR_CONFIG`) layered over the built-in defaults.
//!
//! A service's `main.rs` is one line: `tachawor_runtime::service_main!(tachawor_training,
//! "training");`. The service crate provides `Settings` (with `database`, `telemetry` and
//! `region.file`), `Application`, `Dependencies` and `MIGRATIONS`, as every service does. The
//! binary runs on [`crate::allocator`]'s allocator.

use std::path::{Path, PathBuf};

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

#[derive(Parser)]
pub struct Cli {
    /// A TOML settings file layered over the defaults (environment variables still win).
    #[arg(long, env = "TACHAWOR_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Command {
    /// Serve gRPC until SIGTERM or SIGINT (the default).
    Serve,
    /// Apply the database migrations and exit (a job run before a new version serves).
    Migrate,
    /// Create or update the service's event stream on NATS and exit. Run with an identity
    /// allowed to manage streams (an admin), before a service whose own NATS user is not.
    Streams,
}

impl Cli {
    /// Parses the process's arguments for the binary `binary`, described as `about`.
    pub fn parse_for(binary: &'static str, about: &'static str) -> Self {
        let command = <Self as CommandFactory>::command()
            .name(binary)
            .about(about);
        let matches = command.get_matches();
        Self::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }

    /// The subcommand given, `serve` when none is.
    pub fn subcommand(&self) -> Command {
        self.command.unwrap_or(Command::Serve)
    }
}

/// Starts telemetry for the service `name`, tagged with the region of `region_file`.
pub fn telemetry(
    name: &str,
    region_file: &str,
    settings: &tachawor_telemetry::TelemetrySettings,
) -> anyhow::Result<tachawor_telemetry::TelemetryGuard> {
    let region = tachawor_region::Region::load(Path::new(region_file))?;
    Ok(tachawor_telemetry::init(name, &region.code, settings)?)
}

/// A service binary's `main`: see the module documentation.
#[macro_export]
macro_rules! service_main {
    ($service:ident, $name:literal) => {
        #[global_allocator]
        static ALLOCATOR: $crate::Allocator = $crate::Allocator;

        fn main() -> anyhow::Result<()> {
            $crate::allocator::return_freed_memory();
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?
                .block_on(serve())
        }

        async fn serve() -> anyhow::Result<()> {
            let cli = $crate::cli::Cli::parse_for(
                concat!("tachawor-", $name),
                concat!("Tachawor ", $name, " service"),
            );
            let settings = $service::Settings::load(cli.config.as_deref())?;
            let _telemetry =
                $crate::cli::telemetry($name, &settings.region.file, &settings.telemetry)?;
            match cli.subcommand() {
                $crate::cli::Command::Serve => {
                    $service::Application::build(settings, $service::Dependencies::default())
                        .await?
                        .run_until_stopped($crate::shutdown_signal())
                        .await?;
                }
                $crate::cli::Command::Migrate => {
                    $crate::migrate(&settings.database, &$service::MIGRATIONS).await?;
                    tracing::info!("migrations applied");
                }
                $crate::cli::Command::Streams => {
                    $crate::create_streams(&settings.events, $name).await?;
                }
            }
            Ok(())
        }
    };
}
