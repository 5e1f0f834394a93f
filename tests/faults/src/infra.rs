//! The harness's own PostgreSQL (initdb into the run's directory) and three-node NATS
//! JetStream cluster with the test authorization (libs/testkit/nats/test.conf, the accounts
//! and permissions of production's). Never the machine's shared servers.

use std::{
    ffi::CString,
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::{Context, bail};
use tachawor_storage::sqlx::{self, Connection};

use crate::procs::{Proc, free_port, wait_listening};

/// The newest `/usr/lib/postgresql/<version>/bin`.
fn postgres_bin() -> anyhow::Result<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .context("no /usr/lib/postgresql: install Debian's postgresql")?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .context("no PostgreSQL server binaries under /usr/lib/postgresql")
}

/// PostgreSQL refuses to run as root: then it runs as the `postgres` user.
fn postgres_user() -> Option<(u32, u32)> {
    // SAFETY: getuid has no preconditions; getpwnam returns a static entry or null.
    unsafe {
        if libc::getuid() != 0 {
            return None;
        }
        let name = CString::new("postgres").expect("no NUL");
        let entry = libc::getpwnam(name.as_ptr());
        if entry.is_null() {
            return None;
        }
        Some(((*entry).pw_uid, (*entry).pw_gid))
    }
}

pub struct Postgres {
    pub port: u16,
    proc: Proc,
}

impl Postgres {
    /// initdb into `root/postgres`, then start on a free port.
    pub async fn start(root: &Path, logs: &Path) -> anyhow::Result<Self> {
        let bin = postgres_bin()?;
        let user = postgres_user();
        let home = root.join("postgres");
        std::fs::create_dir_all(&home)?;
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(&home, Some(uid), Some(gid))?;
        }
        let data = home.join("data");
        let data_arg = data.display().to_string();
        Proc::new(
            "initdb",
            &bin.join("initdb"),
            &[
                "-D", &data_arg, "-U", "postgres", "-A", "trust", "-E", "UTF8",
            ],
            logs,
        )
        .user(user)
        .run()
        .await?;
        let port = free_port();
        let port_arg = port.to_string();
        let socket_arg = home.display().to_string();
        let proc = Proc::new(
            "postgres",
            &bin.join("postgres"),
            &[
                "-D",
                &data_arg,
                "-p",
                &port_arg,
                "-k",
                &socket_arg,
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "max_connections=300",
            ],
            logs,
        )
        .user(user);
        let mut pg = Self { port, proc };
        pg.restart().await?;
        Ok(pg)
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Starts the server and waits until it accepts queries.
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        self.proc.start()?;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(c) = sqlx::PgConnection::connect(&self.url("postgres")).await {
                let _ = c.close().await;
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                bail!("PostgreSQL did not accept connections within 60 s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// SIGINT: fast shutdown (sessions ended, a checkpoint); SIGQUIT: immediate (a crash:
    /// recovery from the WAL at the next start).
    pub async fn stop(&mut self, signal: i32) {
        self.proc.stop(signal, Duration::from_secs(60)).await;
    }

    pub async fn create_databases(&self, names: &[&str]) -> anyhow::Result<()> {
        let mut c = sqlx::PgConnection::connect(&self.url("postgres")).await?;
        for name in names {
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut c)
                .await?;
        }
        c.close().await?;
        Ok(())
    }
}

/// The nats-server binary, found as scripts/test-services.sh and libs/testkit find it.
fn nats_bin() -> PathBuf {
    std::env::var("TACHAWOR_TEST_NATS_SERVER")
        .ok()
        .or_else(|| {
            [
                "/usr/sbin/nats-server",
                "/usr/bin/nats-server",
                "/usr/local/bin/nats-server",
            ]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .map(str::to_string)
        })
        .unwrap_or_else(|| "nats-server".to_string())
        .into()
}

/// Whether the server knows `sync_interval` (2.10 and later).
fn syncs_every_write() -> bool {
    let Ok(out) = std::process::Command::new(nats_bin())
        .arg("--version")
        .output()
    else {
        return false;
    };
    // "nats-server: v2.9.10"
    let text = String::from_utf8_lossy(&out.stdout);
    let version: Vec<u32> = text
        .trim()
        .rsplit('v')
        .next()
        .unwrap_or("")
        .split('.')
        .filter_map(|n| n.parse().ok())
        .collect();
    version.as_slice() >= [2, 10].as_slice()
}

/// Three JetStream servers in one cluster, each with its own store, every write synced before
/// it is acknowledged as in production's nats.conf.
pub struct Nats {
    pub ports: Vec<u16>,
    nodes: Vec<Proc>,
}

impl Nats {
    pub async fn start(root: &Path, logs: &Path) -> anyhow::Result<Self> {
        let accounts = std::fs::read_to_string(tachawor_testkit::TEST_CONF)
            .context("libs/testkit/nats/test.conf")?;
        let ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
        let routes: Vec<u16> = (0..3).map(|_| free_port()).collect();
        let route_list = routes
            .iter()
            .map(|p| format!("nats-route://127.0.0.1:{p}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sync = if syncs_every_write() {
            "  sync_interval: always\n"
        } else {
            println!(
                "nats-server older than 2.10: JetStream syncs lazily (no sync_interval); a \
                 killed process loses nothing the kernel holds, a lost machine could"
            );
            ""
        };
        let mut nodes = Vec::new();
        for i in 0..3 {
            let store = root.join(format!("nats-{i}"));
            std::fs::create_dir_all(&store)?;
            let conf = root.join(format!("nats-{i}.conf"));
            std::fs::write(
                &conf,
                format!(
                    "{accounts}\nserver_name: n{i}\nlisten: 127.0.0.1:{port}\n\
                     jetstream {{\n  store_dir: \"{store}\"\n{sync}}}\n\
                     cluster {{\n  name: faults\n  listen: 127.0.0.1:{route}\n  \
                     routes: [{route_list}]\n}}\n",
                    port = ports[i],
                    store = store.display(),
                    route = routes[i],
                    sync = sync,
                ),
            )?;
            let conf = conf.display().to_string();
            nodes.push(Proc::new(
                &format!("nats-{i}"),
                &nats_bin(),
                &["-c", &conf],
                logs,
            ));
        }
        let mut nats = Self { ports, nodes };
        for i in 0..3 {
            nats.start_node(i).await?;
        }
        Ok(nats)
    }

    /// What the services are given: every node, so any of them lets a process start.
    pub fn url(&self) -> String {
        self.ports
            .iter()
            .map(|p| format!("nats://127.0.0.1:{p}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    pub async fn start_node(&mut self, i: usize) -> anyhow::Result<()> {
        self.nodes[i].start()?;
        wait_listening(self.ports[i], Duration::from_secs(20), "nats-server").await
    }

    pub async fn stop_node(&mut self, i: usize, signal: i32) {
        self.nodes[i].stop(signal, Duration::from_secs(20)).await;
    }
}
