//! The all-in-one on a temporary data directory: every service in one process on SQLite files
//! and the in-process bus, on the system clock.

use std::{path::Path, sync::Arc};

use tachawor_all_in_one::{ADMIN_PASSWORD_FILE, Options, Platform as AllInOne};
use tachawor_storage::SystemClock;

use crate::{Platform, separate::config_file};

/// The generated administrator's email.
const ADMIN_EMAIL: &str = "admin@tachawor.local";

/// A running all-in-one; it stops when this is dropped.
pub struct Running {
    pub platform: Platform,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    _data: tempfile::TempDir,
}

impl Running {
    /// Starts on a fresh data directory with `config` (TOML) as its settings file, which every
    /// service reads.
    pub async fn start(config: &str) -> Self {
        Self::start_hosting(config, Default::default()).await
    }

    /// Starts hosting only `services` (the platform's notification channel then leads nowhere
    /// when notification is left out).
    pub async fn start_hosting(config: &str, services: tachawor_all_in_one::Selection) -> Self {
        Self::start_on(config, services, 0).await
    }

    /// As [`Running::start_hosting`], the portal on `portal_port` (0: any free port). The links
    /// in the messages the platform sends name the portal's port, which a test that follows
    /// them chooses beforehand.
    pub async fn start_on(
        config: &str,
        services: tachawor_all_in_one::Selection,
        portal_port: u16,
    ) -> Self {
        let data = tempfile::tempdir().expect("a data directory");
        let config_path = data.path().join("tachawor.toml");
        std::fs::write(&config_path, config).expect("write the settings file");
        let options = Options {
            identity_port: 0,
            consultation_port: 0,
            training_port: 0,
            reporting_port: 0,
            notification_port: 0,
            portal_port,
            listen_host: std::net::Ipv4Addr::LOCALHOST.into(),
            region_file: Some(config_file("regions/laayoune-sakia-el-hamra.toml").into()),
            commitments_file: Some(config_file("commitments/malaa0004.toml").into()),
            services,
        };
        let dir = data.path().join("data");
        let platform = AllInOne::build(&dir, Some(&config_path), options)
            .await
            .expect("the all-in-one builds");
        let address = |name: &str| {
            let addr = platform
                .addresses()
                .into_iter()
                .find(|(n, _)| *n == name)
                .unwrap_or_else(|| panic!("{name} is hosted"))
                .1;
            tachawor_testkit::channel(addr)
        };
        let handle = Platform {
            identity: address("identity"),
            consultation: address("consultation"),
            training: address("training"),
            reporting: address("reporting"),
            notification: if platform
                .addresses()
                .iter()
                .any(|(n, _)| *n == "notification")
            {
                address("notification")
            } else {
                tachawor_testkit::channel(([127, 0, 0, 1], 9).into())
            },
            portal: platform
                .addresses()
                .into_iter()
                .find(|(n, _)| *n == "portal")
                .expect("the portal is hosted")
                .1,
            admin_email: ADMIN_EMAIL.into(),
            admin_password: admin_password(&dir),
            clock: Arc::new(SystemClock),
            manual: None,
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(platform.run_until_stopped(async move {
            let _ = stopped.await;
        }));
        Self {
            platform: handle,
            stop: Some(stop),
            task: Some(task),
            _data: data,
        }
    }

    /// Stops every service gracefully and fails if one stopped with an error.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(std::time::Duration::from_secs(20), task)
                .await
                .expect("the all-in-one stops within 20 s")
                .expect("the all-in-one's task")
                .expect("every service stops cleanly");
        }
    }
}

fn admin_password(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(ADMIN_PASSWORD_FILE))
        .expect("the generated administrator's password")
        .trim()
        .to_string()
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// The all-in-one as the portal's tests run it: cheap password hashing (read by every
/// service), warnings only, the tests standing in for an ingress on loopback (naming each
/// person's address), and few failed sign-ins per address so a test reaches the limit.
pub const PORTAL_CONFIG: &str = r#"
[telemetry]
log_filter = "warn"

[passwords]
memory_kib = 64
iterations = 1

[server]
trusted_proxies = ["127.0.0.1"]

[login_limits]
max_failures_per_peer = 8
"#;

/// The all-in-one as the scenarios run it, read by every service: cheap password hashing, room
/// for every account a scenario makes from one address, a small petition minimum (so few
/// accounts are needed), warnings only.
pub const SCENARIO_CONFIG: &str = r#"
[telemetry]
log_filter = "warn"

[passwords]
memory_kib = 64
iterations = 1

[register_limits]
max_per_peer = 100000

[petitions]
minimum_signatures = 8
"#;
