//! A test's own database and event bus, for any service: PostgreSQL + NATS or SQLite + the
//! in-process bus, with the settings that point a service at them.

use std::{collections::HashMap, time::Duration};

use tachawor_events::{Bus, Envelope, EventsSettings, NatsAuth, settings::ExposeSecret};
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

    /// As [`TestEnv::start`], with the NATS server given, reached with the identity of
    /// `TACHAWOR_TEST_NATS_USER` / `TACHAWOR_TEST_NATS_PASSWORD`.
    pub async fn start_on(backend: Backend, nats_url: Option<String>) -> Self {
        Self::start_with(backend, nats_url.map(|url| (url, crate::nats_auth()))).await
    }

    /// On PostgreSQL and a test's own NATS server (an outage test's), as its admin.
    pub async fn start_on_server(server: &crate::NatsServer) -> Self {
        Self::start_with(Backend::Postgres, Some((server.url(), server.admin()))).await
    }

    async fn start_with(backend: Backend, nats: Option<(String, NatsAuth)>) -> Self {
        crate::init_logging();
        let database = TestDatabase::fresh(backend).await;
        let mut events = EventsSettings {
            subject_prefix: unique_prefix(),
            ..EventsSettings::default()
        };
        // Tests wait on the relay; a short poll keeps them quick.
        events.relay.poll_interval_ms = 50;
        let (bus, bus_database) = match nats {
            Some((url, auth)) => {
                events.bus = tachawor_events::BusKind::Nats;
                events.nats_url = url;
                events.auth = auth;
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
        let mut settings = HashMap::from([
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
        ]);
        if let (Some(user), Some(password)) = (&e.auth.user, &e.auth.password) {
            settings.insert("events.auth.user".into(), user.clone());
            settings.insert(
                "events.auth.password".into(),
                password.expose_secret().to_string(),
            );
        }
        settings
    }

    /// [`TestEnv::settings`] for `service` connecting as its own NATS user, confined as in
    /// production (the streams are an admin's: [`TestEnv::create_streams`] first). The same as
    /// `settings` on the in-process bus.
    pub fn service_settings(&self, service: &str) -> HashMap<String, String> {
        let mut settings = self.settings();
        if self.backend == Backend::Postgres {
            let auth = crate::service_user(service);
            settings.insert("events.auth.user".into(), service.into());
            settings.insert(
                "events.auth.password".into(),
                auth.password
                    .expect("a password")
                    .expose_secret()
                    .to_string(),
            );
            settings.insert("events.inbox_prefix".into(), format!("_INBOX_{service}"));
            settings.insert("events.manage_streams".into(), "false".into());
        }
        settings
    }

    /// Creates the streams of `producers` as the test's admin, as `<binary> streams` does
    /// before services whose users may not.
    pub async fn create_streams(&self, producers: &[&str]) {
        for producer in producers {
            self.bus
                .ensure_stream(producer)
                .await
                .expect("stream created");
        }
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

    /// Publishes `envelope` again under a fresh message id: a redelivery the broker's
    /// de-duplication does not catch (the consumer's processed-events table must).
    pub async fn publish_copy(&self, envelope: &Envelope) {
        let subject = format!("{}.{}", self.events.subject_prefix, envelope.r#type);
        self.bus
            .publish_bytes(
                &subject,
                &uuid::Uuid::now_v7().to_string(),
                prost::Message::encode_to_vec(envelope),
            )
            .await
            .expect("publish bytes");
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        if self.backend != Backend::Postgres {
            return;
        }
        // The test's streams go with it, so the broker does not fill with test streams.
        let url = self.events.nats_url.clone();
        let auth = self.events.auth.clone();
        let prefix = self.events.subject_prefix.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                let Ok(client) = crate::nats_client(&url, &auth).await else {
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
