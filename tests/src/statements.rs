//! SQL statements counted per RPC. A `tracing` layer sees sqlx's event for every statement it
//! runs (target `sqlx::query`, one per statement, logged at debug, or at warn when slow) and
//! files it under the server span it ran in (`grpc.server`, named `package.Service/Method`).
//! Statements outside a server span (the outbox relay, consumers, start-up) are not counted,
//! nor the set-up of a connection the pool happens to open during a call.
//! On SQLite, sqlx runs statements on a worker thread that enters the caller's span, so they
//! are filed the same way. The subscriber is process-global: [`Statements::install`] once per
//! test binary, before any service starts (telemetry then stands aside).

use std::{
    collections::HashMap,
    fmt,
    sync::{Arc, Mutex, OnceLock},
};

use tracing::{
    Event, Level, Subscriber,
    field::{Field, Visit},
    span::{Attributes, Id},
};
use tracing_subscriber::{
    Layer, filter::Targets, layer::Context, layer::SubscriberExt, registry::LookupSpan,
    util::SubscriberInitExt,
};

/// What each RPC ran so far: per `package.Service/Method`, the first words of each statement.
#[derive(Clone, Default)]
pub struct Statements {
    ran: Arc<Mutex<HashMap<String, Vec<String>>>>,
}

static INSTALLED: OnceLock<Statements> = OnceLock::new();

impl Statements {
    /// The process's counter, installed as the global subscriber on first call.
    pub fn install() -> Self {
        INSTALLED
            .get_or_init(|| {
                let statements = Statements::default();
                let filter = Targets::new()
                    .with_target("sqlx::query", Level::TRACE)
                    .with_target("tachawor_telemetry", Level::INFO);
                tracing_subscriber::registry()
                    .with(Counting(statements.clone()).with_filter(filter))
                    .init();
                statements
            })
            .clone()
    }

    /// The statements `method` ran so far, oldest first.
    pub fn of(&self, method: &str) -> Vec<String> {
        self.ran
            .lock()
            .expect("statements")
            .get(method)
            .cloned()
            .unwrap_or_default()
    }
}

/// The method of a server span, kept in the span's extensions.
struct Method(String);

struct Counting(Statements);

impl<S> Layer<S> for Counting
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != "grpc.server" {
            return;
        }
        let mut name = FieldText("otel.name", None);
        attrs.record(&mut name);
        if let (Some(method), Some(span)) = (name.1, ctx.span(id)) {
            span.extensions_mut().insert(Method(method));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let Some(scope) = ctx.event_scope(event) else {
            return;
        };
        for span in scope {
            if let Some(Method(method)) = span.extensions().get::<Method>() {
                let mut summary = FieldText("summary", None);
                event.record(&mut summary);
                // Setting up a connection the pool opened during the call is not the call's
                // work (SQLite's PRAGMAs after connecting).
                if summary
                    .1
                    .as_deref()
                    .is_some_and(|s| s.starts_with("PRAGMA"))
                {
                    return;
                }
                self.0
                    .ran
                    .lock()
                    .expect("statements")
                    .entry(method.clone())
                    .or_default()
                    .push(summary.1.unwrap_or_default());
                return;
            }
        }
    }
}

/// Reads one field's value as text.
struct FieldText(&'static str, Option<String>);

impl Visit for FieldText {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == self.0 {
            self.1 = Some(value.to_string());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == self.0 {
            // `%value` fields arrive here; their Debug is their Display.
            self.1 = Some(format!("{value:?}"));
        }
    }
}
