//! Every service as its own process from the workspace's built binaries, configured as the
//! manifests configure them (own NATS user and reply prefix, streams made beforehand by the
//! admin with three replicas), each on its own database of the harness's PostgreSQL.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::Context;
use base64::Engine;
use tonic::transport::{Channel, Endpoint};

use crate::procs::{Proc, free_port, wait_listening};

pub const ADMIN_EMAIL: &str = tachawor_identity::testing::ADMIN_EMAIL;
pub const PASSWORD: &str = tachawor_identity::testing::PASSWORD;
const SERVICE_SECRET: &str = "faults service secret";

/// The services and how many replicas each runs.
pub const SERVICES: [(&str, usize); 5] = [
    ("identity", 1),
    ("consultation", 2),
    ("training", 2),
    ("reporting", 2),
    ("notification", 1),
];

pub struct Replica {
    pub name: String,
    pub port: u16,
    pub proc: Proc,
}

impl Replica {
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub async fn restart(&mut self) -> anyhow::Result<()> {
        self.proc.start()?;
        wait_listening(self.port, Duration::from_secs(60), &self.name).await
    }
}

pub struct Service {
    pub name: &'static str,
    pub replicas: Vec<Replica>,
}

impl Service {
    /// A channel spreading calls over the replicas (client-side balancing).
    pub fn channel(&self) -> Channel {
        Channel::balance_list(self.replicas.iter().map(|r| {
            Endpoint::from_shared(r.endpoint())
                .expect("an address")
                .connect_timeout(Duration::from_secs(2))
                .timeout(Duration::from_secs(10))
        }))
    }
}

/// Where the services' binaries are: `TACHAWOR_FAULTS_BIN`, else target/debug.
pub fn binaries() -> PathBuf {
    std::env::var("TACHAWOR_FAULTS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace().join("target/debug"))
}

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn random_key() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// What every process is told, section by section (TOML).
struct Layout {
    pg: u16,
    nats_url: String,
    identity: String,
    secrets: [String; 3],
}

impl Layout {
    fn settings(&self, service: &str, port: u16) -> String {
        let config = workspace().join("config");
        let mut s = format!(
            "[server]\nlisten_addr = \"127.0.0.1:{port}\"\n\
             [database]\nurl = \"postgres://postgres@127.0.0.1:{pg}/{service}\"\n\
             [region]\nfile = \"{region}\"\n\
             [events]\nbus = \"nats\"\nnats_url = \"{nats}\"\nsubject_prefix = \"tachawor\"\n\
             manage_streams = false\nstream_replicas = 3\ninbox_prefix = \"_INBOX_{service}\"\n\
             auth.user = \"{service}\"\nauth.password = \"{service}-test\"\n\
             [auth]\nidentity_url = \"{identity}\"\n",
            pg = self.pg,
            region = config
                .join("regions/laayoune-sakia-el-hamra.toml")
                .display(),
            nats = self.nats_url,
            identity = self.identity,
        );
        match service {
            "identity" => {
                s.push_str(&format!(
                    "[secrets]\ncin_encryption_key = \"{}\"\ncin_hmac_key = \"{}\"\n\
                     signing_key_encryption_key = \"{}\"\n\
                     [bootstrap]\nadmin_email = \"{ADMIN_EMAIL}\"\nadmin_password = \"{PASSWORD}\"\n\
                     [passwords]\nmemory_kib = 64\niterations = 1\nqueue_wait_ms = 30000\n\
                     [register_limits]\nmax_per_peer = 1000000\nmax_total = 1000000\n\
                     [service_clients]\n",
                    self.secrets[0], self.secrets[1], self.secrets[2]
                ));
                for client in ["consultation", "training", "reporting", "portal"] {
                    s.push_str(&format!("{client} = \"{SERVICE_SECRET}\"\n"));
                }
            }
            "consultation" | "training" => s.push_str(&format!(
                "[identity]\nurl = \"{}\"\nclient_id = \"{service}\"\nclient_secret = \"{SERVICE_SECRET}\"\n",
                self.identity
            )),
            "reporting" => s.push_str(&format!(
                "[commitments]\nfile = \"{}\"\n",
                config.join("commitments/malaa0004.toml").display()
            )),
            _ => {}
        }
        s
    }
}

/// The portal, reaching every replica of each service.
pub async fn start_portal(
    root: &Path,
    logs: &Path,
    services: &[Service],
) -> anyhow::Result<Replica> {
    let urls = |name: &str| {
        services
            .iter()
            .filter(|s| s.name == name)
            .flat_map(|s| s.replicas.iter().map(Replica::endpoint))
            .collect::<Vec<_>>()
            .join(",")
    };
    let port = free_port();
    let settings = format!(
        "[server]\nlisten_addr = \"127.0.0.1:{port}\"\npublic_url = \"http://127.0.0.1:{port}\"\n\
         [services]\nidentity_url = \"{}\"\nconsultation_url = \"{}\"\ntraining_url = \"{}\"\n\
         reporting_url = \"{}\"\nnotification_url = \"{}\"\nclient_secret = \"{SERVICE_SECRET}\"\n\
         [region]\nfile = \"{}\"\n\
         [pages]\ncache_ttl_ms = 0\n",
        urls("identity"),
        urls("consultation"),
        urls("training"),
        urls("reporting"),
        urls("notification"),
        workspace()
            .join("config/regions/laayoune-sakia-el-hamra.toml")
            .display(),
    );
    let file = root.join("portal-0.toml");
    std::fs::write(&file, settings)?;
    let file = file.display().to_string();
    let mut portal = Replica {
        proc: Proc::new(
            "portal-0",
            &binaries().join("tachawor-portal"),
            &["--config", &file],
            logs,
        )
        .env("RUST_LOG", "info"),
        name: "portal-0".into(),
        port,
    };
    portal.restart().await?;
    Ok(portal)
}

/// Migrates each service's database, makes its stream as the NATS admin, then starts every
/// replica.
pub async fn start(
    root: &Path,
    logs: &Path,
    pg: u16,
    nats_url: &str,
) -> anyhow::Result<Vec<Service>> {
    let identity_port = free_port();
    let layout = Layout {
        pg,
        nats_url: nats_url.to_string(),
        identity: format!("http://127.0.0.1:{identity_port}"),
        secrets: [random_key(), random_key(), random_key()],
    };
    let bin = binaries();
    let mut services = Vec::new();
    for (name, replicas) in SERVICES {
        let program = bin.join(format!("tachawor-{name}"));
        anyhow::ensure!(
            program.exists(),
            "{} is missing: build the services first (make faults does)",
            program.display()
        );
        let mut list = Vec::new();
        for i in 0..replicas {
            let port = if name == "identity" {
                identity_port
            } else {
                free_port()
            };
            let file = root.join(format!("{name}-{i}.toml"));
            std::fs::write(&file, layout.settings(name, port))?;
            let file = file.display().to_string();
            if i == 0 {
                Proc::new(
                    &format!("{name}-migrate"),
                    &program,
                    &["--config", &file, "migrate"],
                    logs,
                )
                .run()
                .await
                .with_context(|| format!("{name} migrate"))?;
                Proc::new(
                    &format!("{name}-streams"),
                    &program,
                    &["--config", &file, "streams"],
                    logs,
                )
                .env("TACHAWOR__EVENTS__AUTH__USER", "admin")
                .env("TACHAWOR__EVENTS__AUTH__PASSWORD", "admin-test")
                .run()
                .await
                .with_context(|| format!("{name} streams"))?;
            }
            let replica_name = format!("{name}-{i}");
            list.push(Replica {
                proc: Proc::new(&replica_name, &program, &["--config", &file], logs)
                    .env("RUST_LOG", "info"),
                name: replica_name,
                port,
            });
        }
        for replica in &mut list {
            replica.restart().await?;
        }
        services.push(Service {
            name,
            replicas: list,
        });
    }
    Ok(services)
}
