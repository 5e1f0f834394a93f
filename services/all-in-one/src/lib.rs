//! The all-in-one: every service in one process, each on its own port, on SQLite files under a
//! data directory, with the in-process event bus in place of NATS.
//!
//! The services run the very code they run on Kubernetes; only the adapters differ: SQLite
//! instead of PostgreSQL, the in-process bus instead of JetStream. Secrets that a deployment
//! would set are generated on first start and kept in the data directory.
//!
//! # Layout
//! - `secrets`: the generated secrets and first administrator.
//! - `files`: the data directory and its files, readable by their owner only.
//! - `hosted`: one service, built and bound, as the platform runs it.
//! - `selection`: which services this process hosts (`--services`).

mod files;
mod hosted;
mod secrets;
mod selection;

use std::{collections::HashMap, future::Future, net::SocketAddr, path::Path, sync::Arc};

use hosted::Hosted;
pub use secrets::ADMIN_PASSWORD_FILE;
pub use selection::{Part, Selection};
use tachawor_events::Bus;
use tachawor_runtime::Dependencies;
use tachawor_storage::{Database, DatabaseSettings, SystemClock};

/// What the command line may set beside the settings file.
#[derive(Debug, Clone)]
pub struct Options {
    /// The port of each service; 0 picks a free one (tests).
    pub identity_port: u16,
    pub consultation_port: u16,
    pub training_port: u16,
    pub reporting_port: u16,
    pub notification_port: u16,
    /// The web portal's port.
    pub portal_port: u16,
    /// The address every service and the portal listen on: loopback on a laptop, the pod's
    /// address (`0.0.0.0`) in a container.
    pub listen_host: std::net::IpAddr,
    /// The region's reference data file, when not the configured one.
    pub region_file: Option<std::path::PathBuf>,
    /// The commitments reporting tracks, when not the configured file.
    pub commitments_file: Option<std::path::PathBuf>,
    /// The services this process hosts (all by default).
    pub services: Selection,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            identity_port: 50051,
            consultation_port: 50052,
            training_port: 50053,
            reporting_port: 50054,
            notification_port: 50055,
            portal_port: 8080,
            listen_host: std::net::Ipv4Addr::LOCALHOST.into(),
            region_file: None,
            commitments_file: None,
            services: Selection::all(),
        }
    }
}

/// Every service, serving.
pub struct Platform {
    services: Vec<Hosted>,
    stop: tokio::sync::watch::Sender<bool>,
    _telemetry: tachawor_telemetry::TelemetryGuard,
}

/// The directory, under the data directory, of the attachments' bytes.
const DOCUMENTS_DIR: &str = "documents";
/// The SQLite database of the bus, beside one per hosted service.
const BUS_DATABASE: &str = "bus";

fn sqlite_url(data_dir: &Path, name: &str) -> String {
    format!("sqlite://{}", data_dir.join(format!("{name}.db")).display())
}

/// Settings the all-in-one imposes on one service, under the file and the environment.
fn embedded(
    data_dir: &Path,
    service: &str,
    port: u16,
    options: &Options,
) -> HashMap<String, String> {
    let mut values = HashMap::from([
        ("database.url".to_string(), sqlite_url(data_dir, service)),
        ("events.bus".to_string(), "in_process".to_string()),
        // Attachments' bytes, under one directory (keys start with the service's name).
        (
            "documents.local.path".to_string(),
            data_dir.join(DOCUMENTS_DIR).display().to_string(),
        ),
        (
            "server.listen_addr".to_string(),
            SocketAddr::new(options.listen_host, port).to_string(),
        ),
    ]);
    if let Some(region) = &options.region_file {
        values.insert("region.file".into(), region.display().to_string());
    }
    values
}

/// Settings of a service that calls identity: where it is and this service's credentials.
fn identity_client(
    values: &mut HashMap<String, String>,
    identity: SocketAddr,
    client_id: &str,
    secret: &str,
) {
    let url = format!("http://{identity}");
    values.insert("auth.identity_url".into(), url.clone());
    values.insert("identity.url".into(), url);
    values.insert("identity.client_id".into(), client_id.into());
    values.insert("identity.client_secret".into(), secret.into());
}

/// The portal's settings: its port, the services it calls and its credentials at identity.
/// Notification's address is given only when it is hosted: without it the portal runs without
/// the inbox.
fn portal_values(
    services: &[Hosted],
    port: u16,
    options: &Options,
    secret: &str,
) -> HashMap<String, String> {
    let mut values = HashMap::from([
        (
            "server.listen_addr".to_string(),
            SocketAddr::new(options.listen_host, port).to_string(),
        ),
        ("services.client_secret".to_string(), secret.to_string()),
    ]);
    for service in services {
        values.insert(
            format!("services.{}_url", service.name),
            format!("http://{}", service.addr),
        );
    }
    if let Some(region) = &options.region_file {
        values.insert("region.file".into(), region.display().to_string());
    }
    values
}

impl Platform {
    /// Builds each service on `data_dir` (created if missing).
    pub async fn build(
        data_dir: &Path,
        config: Option<&Path>,
        options: Options,
    ) -> anyhow::Result<Self> {
        files::private_dir(data_dir)?;
        let data_dir = data_dir.canonicalize()?;
        files::tighten(&data_dir)?;
        let hosts = |part| options.services.contains(part);
        let databases = options.services.with_database().map(Part::name);
        for name in databases.chain([BUS_DATABASE]) {
            files::private_database(&data_dir.join(format!("{name}.db")))?;
        }
        // The attachments' bytes: made here, private, before a service's store creates it
        // with whatever the umask allows.
        files::private_dir(&data_dir.join(DOCUMENTS_DIR))?;
        let secrets = secrets::load_or_create(&data_dir)?;

        let mut values = embedded(&data_dir, "identity", options.identity_port, &options);
        values.extend(secrets.identity_overrides());
        let mut identity = tachawor_identity::Settings::load_with(config, values)?;
        let telemetry = tachawor_telemetry::init("tachawor", "", &identity.telemetry)?;
        if identity.bootstrap.admin_email.is_empty() {
            identity.bootstrap.admin_email = secrets.admin_email.clone();
            identity.bootstrap.admin_password = secrets.admin_password.clone();
        }

        let bus_db = Database::connect(&DatabaseSettings::from_url(sqlite_url(
            &data_dir,
            BUS_DATABASE,
        )))
        .await?;
        let deps = Dependencies {
            bus: Some(Bus::in_process(bus_db, &identity.events).await?),
            clock: Arc::new(SystemClock),
        };

        let (stop, stopped) = tokio::sync::watch::channel(false);
        let identity = tachawor_identity::Application::build(identity, deps.clone()).await?;
        let identity_addr = identity.local_addr();
        let mut services = vec![Hosted::start(
            "identity",
            identity_addr,
            stopped.clone(),
            move |stop| identity.run_until_stopped(stop),
        )];

        if hosts(Part::Consultation) {
            let mut values = embedded(
                &data_dir,
                "consultation",
                options.consultation_port,
                &options,
            );
            identity_client(
                &mut values,
                identity_addr,
                "consultation",
                &secrets.service_secret("consultation"),
            );
            let consultation = tachawor_consultation::Application::build(
                tachawor_consultation::Settings::load_with(config, values)?,
                deps.clone(),
            )
            .await?;
            services.push(Hosted::start(
                "consultation",
                consultation.local_addr(),
                stopped.clone(),
                move |stop| consultation.run_until_stopped(stop),
            ));
        }

        if hosts(Part::Training) {
            let mut values = embedded(&data_dir, "training", options.training_port, &options);
            identity_client(
                &mut values,
                identity_addr,
                "training",
                &secrets.service_secret("training"),
            );
            let training = tachawor_training::Application::build(
                tachawor_training::Settings::load_with(config, values)?,
                deps.clone(),
            )
            .await?;
            services.push(Hosted::start(
                "training",
                training.local_addr(),
                stopped.clone(),
                move |stop| training.run_until_stopped(stop),
            ));
        }

        if hosts(Part::Reporting) {
            let mut values = embedded(&data_dir, "reporting", options.reporting_port, &options);
            values.insert(
                "auth.identity_url".into(),
                format!("http://{identity_addr}"),
            );
            if let Some(file) = &options.commitments_file {
                values.insert("commitments.file".into(), file.display().to_string());
            }
            let reporting = tachawor_reporting::Application::build(
                tachawor_reporting::Settings::load_with(config, values)?,
                deps.clone(),
            )
            .await?;
            services.push(Hosted::start(
                "reporting",
                reporting.local_addr(),
                stopped.clone(),
                move |stop| reporting.run_until_stopped(stop),
            ));
        }

        if hosts(Part::Notification) {
            let mut values = embedded(
                &data_dir,
                "notification",
                options.notification_port,
                &options,
            );
            identity_client(
                &mut values,
                identity_addr,
                "notification",
                &secrets.service_secret("notification"),
            );
            // What would be sent stays on the machine, readable: a .eml per email, a line per SMS.
            let mail = data_dir.join("mail");
            files::private_dir(&mail)?;
            values.insert("email.transport".into(), "files".into());
            values.insert("email.directory".into(), mail.display().to_string());
            values.insert("sms.transport".into(), "file".into());
            values.insert(
                "sms.file".into(),
                data_dir.join("sms.log").display().to_string(),
            );
            values.insert(
                "notification.portal_url".into(),
                format!("http://localhost:{}", options.portal_port),
            );
            let notification = tachawor_notification::Application::build(
                tachawor_notification::Settings::load_with(config, values)?,
                deps.clone(),
            )
            .await?;
            services.push(Hosted::start(
                "notification",
                notification.local_addr(),
                stopped.clone(),
                move |stop| notification.run_until_stopped(stop),
            ));
        }

        if hosts(Part::Portal) {
            let portal = tachawor_portal::Application::build(tachawor_portal::Settings::load_with(
                config,
                portal_values(
                    &services,
                    options.portal_port,
                    &options,
                    &secrets.service_secret("portal"),
                ),
            )?)
            .await?;
            let portal_addr = portal.local_addr();
            services.push(Hosted::start(
                "portal",
                portal_addr,
                stopped.clone(),
                move |stop| portal.run_until_stopped(stop),
            ));
        }

        let hosted: Vec<String> = services
            .iter()
            .map(|s| format!("{}={}", s.name, s.addr))
            .collect();
        tracing::info!(
            data_dir = %data_dir.display(),
            services = %hosted.join(" "),
            admin = %secrets.admin_email,
            admin_password_file = %data_dir.join(secrets::ADMIN_PASSWORD_FILE).display(),
            "tachawor all-in-one ready"
        );
        Ok(Self {
            services,
            stop,
            _telemetry: telemetry,
        })
    }

    /// Where each service listens.
    pub fn addresses(&self) -> Vec<(&'static str, SocketAddr)> {
        self.services.iter().map(|s| (s.name, s.addr)).collect()
    }

    /// Serves until `shutdown` resolves, then stops every service gracefully.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        shutdown.await;
        tracing::info!("shutting down");
        let _ = self.stop.send(true);
        let mut failed = None;
        for service in self.services {
            let result = service
                .task
                .await
                .map_err(anyhow::Error::from)
                .and_then(|r| r);
            if let Err(e) = result {
                tracing::error!(
                    service = service.name,
                    error = format!("{e:#}"),
                    "stopped with an error"
                );
                failed.get_or_insert(e);
            }
        }
        failed.map_or(Ok(()), Err)
    }
}
