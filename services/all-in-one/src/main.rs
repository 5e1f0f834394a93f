//! `tachawor`: the whole platform in one process, for a region with little IT or a laptop.

use std::path::PathBuf;

use clap::Parser;
use tachawor_all_in_one::{Part, Selection};

#[derive(Parser)]
#[command(name = "tachawor", about = "Tachawor, every service in one process")]
struct Cli {
    /// A TOML settings file layered over the defaults (environment variables still win).
    #[arg(long, env = "TACHAWOR_CONFIG")]
    config: Option<PathBuf>,
    /// Where the SQLite databases, the generated secrets and the event bus live.
    #[arg(long, env = "TACHAWOR_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// The identity service's port.
    #[arg(long, env = "TACHAWOR_IDENTITY_PORT", default_value_t = 50051)]
    identity_port: u16,
    /// The consultation service's port.
    #[arg(long, env = "TACHAWOR_CONSULTATION_PORT", default_value_t = 50052)]
    consultation_port: u16,
    /// The training service's port.
    #[arg(long, env = "TACHAWOR_TRAINING_PORT", default_value_t = 50053)]
    training_port: u16,
    /// The reporting service's port.
    #[arg(long, env = "TACHAWOR_REPORTING_PORT", default_value_t = 50054)]
    reporting_port: u16,
    /// The notification service's port.
    #[arg(long, env = "TACHAWOR_NOTIFICATION_PORT", default_value_t = 50055)]
    notification_port: u16,
    /// The web portal's port: the platform is at http://localhost:<port>.
    #[arg(long, env = "TACHAWOR_PORTAL_PORT", default_value_t = 8080)]
    portal_port: u16,
    /// The address to listen on: 127.0.0.1 (the default) on a laptop, 0.0.0.0 in a container.
    #[arg(long, env = "TACHAWOR_LISTEN_HOST", default_value = "127.0.0.1")]
    listen_host: std::net::IpAddr,
    /// The region's reference data (provinces, population, instances); a TOML file.
    #[arg(long, env = "TACHAWOR_REGION_FILE")]
    region_file: Option<PathBuf>,
    /// The commitments reporting tracks (the OGP commitment and its milestones); a TOML file.
    #[arg(long, env = "TACHAWOR_COMMITMENTS_FILE")]
    commitments_file: Option<PathBuf>,
    /// The services to host, comma-separated (`identity,training` runs training alone with
    /// the identity it needs; the portal needs every other service but notification, whose
    /// inbox pages it shows when notification is hosted).
    #[arg(
        long,
        env = "TACHAWOR_SERVICES",
        default_value = "identity,consultation,training,reporting,notification,portal"
    )]
    services: Selection,
}

fn main() -> anyhow::Result<()> {
    // Identity hashes passwords in this process: their memory must go back when done.
    tachawor_identity::memory::return_hash_memory_when_done();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let options = tachawor_all_in_one::Options {
        identity_port: cli.identity_port,
        consultation_port: cli.consultation_port,
        training_port: cli.training_port,
        reporting_port: cli.reporting_port,
        notification_port: cli.notification_port,
        portal_port: cli.portal_port,
        listen_host: cli.listen_host,
        commitments_file: cli.commitments_file,
        region_file: cli.region_file,
        services: cli.services,
    };
    let platform =
        tachawor_all_in_one::Platform::build(&cli.data_dir, cli.config.as_deref(), options).await?;
    for (name, addr) in platform.addresses() {
        if name == Part::Portal.name() {
            println!("Tachawor is running: open http://localhost:{}", addr.port());
        } else {
            println!("{name}: gRPC on {addr}");
        }
    }
    platform
        .run_until_stopped(tachawor_server::shutdown_signal())
        .await
}
