//! The portal binary: serves the web front until SIGTERM or SIGINT.

use clap::Parser;

#[derive(Parser)]
#[command(name = "tachawor-portal", about = "Tachawor's web front")]
struct Cli {
    /// A TOML settings file layered over the defaults (environment variables still win).
    #[arg(long, env = "TACHAWOR_CONFIG")]
    config: Option<std::path::PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = tachawor_portal::Settings::load(cli.config.as_deref())?;
    let _telemetry = tachawor_telemetry::init("portal", "", &settings.telemetry)?;
    let app = tachawor_portal::Application::build(settings).await?;
    tracing::info!(address = %app.local_addr(), "portal listening");
    app.run_until_stopped(shutdown_signal()).await
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("a SIGTERM handler");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}
