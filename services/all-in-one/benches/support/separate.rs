//! Identity, consultation, training and reporting as separate release binaries, each on a
//! fresh PostgreSQL database of its own, talking over one NATS (the tests' server, with its
//! users: `make bench` starts it) as each does in production: as its own NATS user, the
//! streams made beforehand by the admin. Started again on the same databases, they keep
//! their content, so a second start can measure the same reads with other settings.

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
};

use tachawor_testkit::{Backend, TestDatabase, TestEnv};

use super::{commitments_file, free_port, key, region_file, release_binary, variables};

/// The services, in the order of their ports (that of the all-in-one's).
pub const SERVICES: [&str; 4] = ["identity", "consultation", "training", "reporting"];

/// The administrator identity creates on its first start.
pub const ADMIN_EMAIL: &str = "admin@bench.example.org";
pub const ADMIN_PASSWORD: &str = "the bench administrator's password";

/// What services present to identity for their service tokens.
const SERVICE_SECRET: &str = "the bench's service secret";

/// The databases, the streams and the keys the services keep between starts.
pub struct Separate {
    env: TestEnv,
    databases: Vec<TestDatabase>,
    /// identity's keys: its stored signing key is sealed with one of them.
    keys: [String; 3],
    scratch: PathBuf,
    pub ports: [u16; 4],
}

/// The running services; they are killed when this is dropped.
pub struct Started(pub Vec<Child>);

impl Drop for Started {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Separate {
    /// Fresh databases and streams; nothing started yet.
    pub async fn prepare(scratch: PathBuf) -> Self {
        let env = TestEnv::start(Backend::Postgres).await;
        env.create_streams(&SERVICES).await;
        let mut databases = Vec::new();
        for _ in SERVICES {
            databases.push(TestDatabase::fresh(Backend::Postgres).await);
        }
        std::fs::create_dir_all(&scratch).expect("scratch directory");
        Self {
            env,
            databases,
            keys: [key(), key(), key()],
            scratch,
            ports: [free_port(), free_port(), free_port(), free_port()],
        }
    }

    /// Starts the four services with `extra` settings (dotted keys) each.
    pub fn start(&self, extra: &[(&str, &str)]) -> Started {
        let identity_url = format!("http://127.0.0.1:{}", self.ports[0]);
        let mut children = Vec::new();
        for (i, service) in SERVICES.into_iter().enumerate() {
            let mut settings = self.env.service_settings(service);
            for (k, v) in [
                ("server.listen_addr", format!("127.0.0.1:{}", self.ports[i])),
                ("database.url", self.databases[i].url().to_string()),
                ("region.file", region_file().display().to_string()),
                ("commitments.file", commitments_file().display().to_string()),
                ("auth.identity_url", identity_url.clone()),
                ("identity.url", identity_url.clone()),
                ("identity.client_id", service.to_string()),
                ("identity.client_secret", SERVICE_SECRET.to_string()),
                ("telemetry.log_filter", "warn".to_string()),
            ] {
                settings.insert(k.to_string(), v);
            }
            if service == "identity" {
                for (k, v) in [
                    ("bootstrap.admin_email", ADMIN_EMAIL),
                    ("bootstrap.admin_password", ADMIN_PASSWORD),
                    ("secrets.cin_encryption_key", &self.keys[0]),
                    ("secrets.cin_hmac_key", &self.keys[1]),
                    ("secrets.signing_key_encryption_key", &self.keys[2]),
                ] {
                    settings.insert(k.to_string(), v.to_string());
                }
                for client in &SERVICES[1..] {
                    settings.insert(format!("service_clients.{client}"), SERVICE_SECRET.into());
                }
            }
            settings.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            let log = self.scratch.join(format!("{service}.log"));
            let child = Command::new(release_binary(&format!("tachawor-{service}")))
                .current_dir(&self.scratch)
                .envs(variables(&settings))
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).expect("a log file"))
                .spawn()
                .unwrap_or_else(|e| panic!("start {service}: {e}"));
            children.push(child);
        }
        Started(children)
    }
}
