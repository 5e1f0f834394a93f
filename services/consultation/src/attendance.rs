//! Training's sessions and attendance, projected from its events (`training.session.scheduled`,
//! `training.attendance.recorded`): what AddForumContribution needs to know whether the caller
//! was present at the session hosting a Forum workshop, without calling training. The consumer
//! is durable and idempotent (events library, `processed_events`); every write is an upsert.

use futures::future::BoxFuture;
use sqlx::AnyConnection;
use std::sync::Arc;
use tachawor_events::{ConsumerSettings, Envelope, Handler, HandlerError, handled_event};
use tachawor_proto::catalogue::Event;

use crate::store::attendance;

/// The service's one durable consumer on training's stream (`consultation-training`, the
/// name its NATS user may use), reading the whole stream so a later need (another training
/// event) does not change its filter.
pub fn consumer_settings() -> ConsumerSettings {
    ConsumerSettings::new("consultation-training", &["training.>"])
}

/// Applies training's events; every other event is acknowledged and ignored.
pub struct TrainingEvents;

impl TrainingEvents {
    pub fn new() -> Arc<Self> {
        Arc::new(Self)
    }
}

impl Handler for TrainingEvents {
    fn handle<'a>(
        &'a self,
        tx: &'a mut AnyConnection,
        envelope: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            let event = handled_event(envelope)?;
            match event {
                Some(Event::SessionScheduled(e)) => {
                    attendance::record_session(tx, &e.session_id, &e.kind).await?
                }
                Some(Event::AttendanceRecorded(e)) => {
                    let account_id = e.participant.map(|p| p.account_id).unwrap_or_default();
                    if account_id.is_empty() || e.session_id.is_empty() {
                        return Err(HandlerError::Poison(
                            "training.attendance.recorded without a session or participant".into(),
                        ));
                    }
                    attendance::record_presence(tx, &e.session_id, &account_id).await?
                }
                _ => {}
            }
            Ok(())
        })
    }
}
