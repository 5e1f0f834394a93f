//! A NATS server of the test's own, for tests that stop and restart the broker. It runs with
//! the test authorization (`nats/test.conf`): connect as [`NatsServer::admin`] or as a service
//! user ([`service_user`]).

use tachawor_events::{EventsSettings, NatsAuth};

use std::{
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

/// The accounts, users and permissions of every test NATS server.
pub const TEST_CONF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/nats/test.conf");

/// The test server's admin (may manage streams), as `nats/test.conf` defines it.
pub fn admin_user() -> NatsAuth {
    password_auth("admin", "admin-test")
}

/// A service's user on a test server (`identity`, `consultation`, `training`, `reporting`),
/// allowed only what production allows that service.
pub fn service_user(service: &str) -> NatsAuth {
    password_auth(service, &format!("{service}-test"))
}

/// `settings` turned into a service's own under least privilege: its user, its reply prefix,
/// no stream management.
pub fn as_service(mut settings: EventsSettings, service: &str) -> EventsSettings {
    settings.auth = service_user(service);
    settings.inbox_prefix = format!("_INBOX_{service}");
    settings.manage_streams = false;
    settings
}

fn password_auth(user: &str, password: &str) -> NatsAuth {
    NatsAuth {
        user: Some(user.to_string()),
        password: Some(password.to_string().into()),
        ..NatsAuth::default()
    }
}

/// A `nats-server -js` child process on a free port with its own store directory and the test
/// authorization. It is killed when dropped.
pub struct NatsServer {
    port: u16,
    store: PathBuf,
    child: Option<Child>,
}

fn binary() -> String {
    std::env::var("TACHAWOR_TEST_NATS_SERVER").unwrap_or_else(|_| {
        [
            "/usr/sbin/nats-server",
            "/usr/bin/nats-server",
            "/usr/local/bin/nats-server",
        ]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or("nats-server")
        .to_string()
    })
}

impl NatsServer {
    /// Starts a server and waits until it accepts connections.
    pub async fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let store =
            std::env::temp_dir().join(format!("tachawor-nats-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&store).expect("store directory");
        let mut server = Self {
            port,
            store,
            child: None,
        };
        server.restart().await;
        server
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// The identity that may do anything on this server.
    pub fn admin(&self) -> NatsAuth {
        admin_user()
    }

    /// Kills the server (SIGKILL) and waits for it to exit.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port and store.
    pub async fn restart(&mut self) {
        self.kill();
        let child = Command::new(binary())
            .args([
                "-c",
                TEST_CONF,
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-js",
                "-sd",
            ])
            .arg(&self.store)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "could not start nats-server ({e}); install Debian's nats-server or set \
                     TACHAWOR_TEST_NATS_SERVER"
                )
            });
        self.child = Some(child);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .is_err()
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "nats-server did not listen on {} within 10 s",
                self.port
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.store);
    }
}
