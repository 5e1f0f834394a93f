//! The all-in-one: every service in one process, each on its own port, on SQLite files under a
//! data directory, with the in-process event bus in place of NATS.
//!
//! The services run the very code they run on Kubernetes; only the adapters differ: SQLite
//! instead of PostgreSQL, the in-process bus instead of JetStream. Secrets that a deployment
//! would set are generated on first start and kept in the data directory.

mod secrets;

pub use secrets::ADMIN_PASSWORD_FILE;

use std::{future::Future, net::SocketAddr, path::Path, sync::Arc};

use tachawor_events::Bus;
use tachawor_storage::{Clock, Database, DatabaseSettings, SystemClock};

/// What the command line may set beside the settings file.
#[derive(Debug, Clone)]
pub struct Options {
    /// The port of each service; 0 picks a free one (tests).
    pub identity_port: u16,
    /// The region's reference data file, when not the configured one.
    pub region_file: Option<std::path::PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            identity_port: 50051,
            region_file: None,
        }
    }
}

/// Every service, built and bound, ready to run.
pub struct Platform {
    identity: tachawor_identity::Application,
    _telemetry: tachawor_telemetry::TelemetryGuard,
}

fn sqlite_url(data_dir: &Path, name: &str) -> String {
    format!("sqlite://{}", data_dir.join(format!("{name}.db")).display())
}

impl Platform {
    /// Builds each service on `data_dir` (created if missing).
    pub async fn build(
        data_dir: &Path,
        config: Option<&Path>,
        options: Options,
    ) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data_dir)?;
        let data_dir = data_dir.canonicalize()?;
        let secrets = secrets::load_or_create(&data_dir)?;
        let mut embedded =
            secrets::embedded_overrides(&data_dir, &secrets, "identity", options.identity_port);
        if let Some(region) = &options.region_file {
            embedded.insert("region.file".into(), region.display().to_string());
        }
        let mut identity = tachawor_identity::Settings::load_with(config, embedded)?;
        let telemetry = tachawor_telemetry::init("tachawor", "", &identity.telemetry)?;
        if identity.bootstrap.admin_email.is_empty() {
            identity.bootstrap.admin_email = secrets.admin_email.clone();
            identity.bootstrap.admin_password = secrets.admin_password.clone();
        }

        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let bus_db =
            Database::connect(&DatabaseSettings::from_url(sqlite_url(&data_dir, "bus"))).await?;
        let bus = Bus::in_process(bus_db, &identity.events).await?;

        let identity = tachawor_identity::Application::build(
            identity,
            tachawor_identity::Dependencies {
                bus: Some(bus.clone()),
                clock: clock.clone(),
            },
        )
        .await?;
        tracing::info!(
            data_dir = %data_dir.display(),
            admin = %secrets.admin_email,
            admin_password_file = %data_dir.join(secrets::ADMIN_PASSWORD_FILE).display(),
            "tachawor all-in-one ready"
        );
        Ok(Self {
            identity,
            _telemetry: telemetry,
        })
    }

    /// Where each service listens.
    pub fn addresses(&self) -> Vec<(&'static str, SocketAddr)> {
        vec![("identity", self.identity.local_addr())]
    }

    /// Runs every service until `shutdown` resolves, then stops them all gracefully.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        for (name, addr) in self.addresses() {
            tracing::info!(service = name, %addr, "listening");
        }
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let signal = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|s| *s).await;
        };
        let identity = tokio::spawn(self.identity.run_until_stopped(signal(stopped.clone())));
        shutdown.await;
        tracing::info!("shutting down");
        let _ = stop.send(true);
        identity.await??;
        Ok(())
    }
}
