//! Each consultative instance's vote rule and current members, projected from identity's
//! instance events (`identity.instance.created`, `.updated`, `.member_added`,
//! `.membership_ended`): what counting an opinion's vote needs, without asking identity at
//! each count. The consumer is durable and idempotent (events library); every write here is an
//! upsert, so a replay from the start rebuilds the same tables.

use std::sync::Arc;

use futures::future::BoxFuture;
use sqlx::AnyConnection;
use tachawor_events::{ConsumerSettings, Envelope, Handler, HandlerError, handled_event};
use tachawor_proto::catalogue::Event;
use tachawor_region::Region;

use crate::{erasure::Erasure, store::roster};

/// The service's one durable consumer on identity's stream (`consultation-identity`, the name
/// its NATS user may use), reading the whole stream: deletions and instance events need two
/// filters, which NATS servers before 2.10 refuse.
pub fn consumer_settings() -> ConsumerSettings {
    let mut settings = crate::erasure::consumer_settings();
    settings.filter_subjects = vec!["identity.>".to_string()];
    settings
}

/// What identity's events do here: a deletion erases ([`Erasure`]), an instance event updates
/// the projection ([`Roster`]); every other event is acknowledged and ignored.
pub struct IdentityEvents {
    erasure: Arc<Erasure>,
    roster: Arc<Roster>,
}

impl IdentityEvents {
    pub fn new(erasure: Arc<Erasure>, roster: Arc<Roster>) -> Arc<Self> {
        Arc::new(Self { erasure, roster })
    }
}

impl Handler for IdentityEvents {
    fn handle<'a>(
        &'a self,
        tx: &'a mut AnyConnection,
        envelope: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            // Each ignores what is not its own.
            self.erasure.handle(tx, envelope).await?;
            self.roster.handle(tx, envelope).await
        })
    }
}

pub struct Roster {
    region: Arc<Region>,
}

impl Roster {
    pub fn new(region: Arc<Region>) -> Arc<Self> {
        Arc::new(Self { region })
    }
}

impl Handler for Roster {
    fn handle<'a>(
        &'a self,
        tx: &'a mut AnyConnection,
        envelope: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            let event = handled_event(envelope)?;
            match event {
                Some(Event::InstanceCreated(e)) => {
                    roster::set_rule(tx, &e.instance_id, e.quorum_percent, &e.majority).await?
                }
                Some(Event::InstanceUpdated(e)) => {
                    roster::set_rule(tx, &e.instance_id, e.quorum_percent, &e.majority).await?
                }
                Some(Event::InstanceMemberAdded(e)) => {
                    roster::seat(tx, &e.membership_id, &e.instance_id, &e.started_on).await?
                }
                Some(Event::InstanceMembershipEnded(e)) => {
                    // Older events carry no day: the membership ended when it was published.
                    let ended_on = if e.ended_on.is_empty() {
                        let at = envelope
                            .occurred_at
                            .as_ref()
                            .map(|t| t.seconds * 1000 + i64::from(t.nanos / 1_000_000))
                            .unwrap_or_default();
                        self.region.time_zone.date_of(at)
                    } else {
                        e.ended_on
                    };
                    roster::unseat(tx, &e.membership_id, &e.instance_id, &ended_on).await?
                }
                _ => {}
            }
            Ok(())
        })
    }
}
