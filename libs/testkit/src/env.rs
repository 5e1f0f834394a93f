//! A test's own database and event bus, for any service: PostgreSQL + NATS or SQLite + the
//! in-process bus, with the settings that point a service at them.

use std::{collections::HashMap, time::Duration};

use tachawor_events::{Bus, Envelope, EventsSettings};
use tachawor_storage::Database;

use crate::{Backend, TestDatabase, unique_prefix};

/// A fresh database, a fresh subject prefix and a bus for one test. The streams it created are
/// deleted when it is dropped.
pub struct TestEnv {
    pub backend: Backend,
    pub database: TestDatabase,
    pub bus: Bus,
    pub events: EventsSettings,
    _bus_database: Option<TestDatabase>,
}

impl TestEnv {
    /// On `backend`, with NATS at `TACHAWOR_TEST_NATS_URL` for PostgreSQL.
    pub async fn start(backend: Backend) -> Self {
        let nats = match backend {
            Backend::Postgres => Some(crate::require_nats().await),
            Backend::Sqlite => None,
        };
        Self::start_on(backend, nats).await
    }

    /// As [`TestEnv::start`], with the NATS server given (an outage test's own server).
    pub async fn start_on(backend: Backend, nats_url: Option<String>) -> Self {
        crate::init_logging();
        let database = TestDatabase::fresh(backend).await;
        let mut events = EventsSettings {
            subject_prefix: unique_prefix(),
            ..EventsSettings::default()
        };
        // Tests wait on the relay; a short poll keeps them quick.
        events.relay.poll_interval_ms = 50;
        let (bus, bus_database) = match nats_url {
            Some(url) => {
                events.bus = tachawor_events::BusKind::Nats;
                events.nats_url = url;
                (Bus::connect(&events).await.expect("NATS bus"), None)
            }
            None => {
                events.bus = tachawor_events::BusKind::InProcess;
                let file = TestDatabase::fresh(Backend::Sqlite).await;
                let db = Database::connect(&file.settings())
                    .await
                    .expect("bus database");
                let bus = Bus::in_process(db, &events).await.expect("in-process bus");
                (bus, Some(file))
            }
        };
        Self {
            backend,
            database,
            bus,
            events,
            _bus_database: bus_database,
        }
    }

    /// Settings (dotted keys) that point a service at this environment; give them to
    /// `tachawor_config::load_with` or turn them into `TACHAWOR__…` variables.
    pub fn settings(&self) -> HashMap<String, String> {
        let e = &self.events;
        HashMap::from([
            ("database.url".into(), self.database.url().to_string()),
            ("server.listen_addr".into(), "127.0.0.1:0".into()),
            (
                "events.bus".into(),
                match e.bus {
                    tachawor_events::BusKind::Nats => "nats".into(),
                    tachawor_events::BusKind::InProcess => "in_process".into(),
                },
            ),
            ("events.nats_url".into(), e.nats_url.clone()),
            ("events.subject_prefix".into(), e.subject_prefix.clone()),
            (
                "events.relay.poll_interval_ms".into(),
                e.relay.poll_interval_ms.to_string(),
            ),
        ])
    }

    /// Every event `producer` published, once its outbox in `db` has drained.
    pub async fn events(&self, db: &Database, producer: &str) -> Vec<(String, Envelope)> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let pending = tachawor_events::pending_count(db).await.expect("outbox");
            if pending == 0 {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{pending} events still in the outbox after 15 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.bus.read_stream(producer).await.expect("read stream")
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        if self.backend != Backend::Postgres {
            return;
        }
        // The test's streams go with it, so the broker does not fill with test streams.
        let url = self.events.nats_url.clone();
        let prefix = self.events.subject_prefix.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                let Ok(client) = async_nats::connect(&url).await else {
                    return;
                };
                let js = async_nats::jetstream::new(client);
                let mut names = js.stream_names();
                let mut mine = Vec::new();
                use futures::StreamExt;
                let wanted = format!("{}_", prefix.to_uppercase());
                while let Some(Ok(name)) = names.next().await {
                    if name.starts_with(&wanted) {
                        mine.push(name);
                    }
                }
                for name in mine {
                    let _ = js.delete_stream(&name).await;
                }
            });
        })
        .join();
    }
}

/// A tonic interceptor that sends `authorization: Bearer <token>` when it has one.
#[derive(Clone, Default)]
pub struct Bearer(Option<tonic::metadata::MetadataValue<tonic::metadata::Ascii>>);

impl Bearer {
    pub fn new(token: &str) -> Self {
        Self(Some(
            format!("Bearer {token}").parse().expect("a token is ASCII"),
        ))
    }
}

impl tonic::service::Interceptor for Bearer {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(token) = &self.0 {
            request
                .metadata_mut()
                .insert("authorization", token.clone());
        }
        Ok(request)
    }
}

/// A lazily connecting channel to a test server.
pub fn channel(addr: std::net::SocketAddr) -> tonic::transport::Channel {
    tonic::transport::Channel::from_shared(format!("http://{addr}"))
        .expect("address")
        .connect_lazy()
}
