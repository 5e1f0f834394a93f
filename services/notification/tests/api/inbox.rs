//! Who is told what: each event of the list reaches the people it concerns, once,
//! in their inbox only; preferences, reading, paging and deleted accounts.

use std::time::Duration;

use tachawor_proto::{
    common::{ActorKind, PageRequest},
    events::*,
    notification::*,
};
use tachawor_testkit::matrix;

use crate::helpers::*;

fn participant(account_id: &str) -> Option<TrainingParticipant> {
    Some(TrainingParticipant {
        account_id: account_id.into(),
        province_code: "laayoune".into(),
        actor_kind: ActorKind::Citizen as i32,
        ..Default::default()
    })
}

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The kind, subject and detail of each message, newest first.
fn told(inbox: &[Notification]) -> Vec<(NotificationKind, &str, &str, &str)> {
    inbox
        .iter()
        .map(|n| {
            (
                NotificationKind::try_from(n.kind).unwrap(),
                n.subject_type.as_str(),
                n.subject_id.as_str(),
                n.detail.as_str(),
            )
        })
        .collect()
}

matrix! {
    async fn proposal_authors_and_consultation_followers_are_told(app: TestApp) {
        let author = app.citizen().await;
        let supporter = app.citizen().await;
        let bystander = app.citizen().await;
        let (consultation, proposal) = (id(), id());
        app.publish("consultation.proposal.submitted", &ConsultationProposalSubmitted {
            proposal_id: proposal.clone(),
            consultation_id: consultation.clone(),
            account_id: author.id.clone(),
            ..Default::default()
        }).await;
        app.publish("consultation.proposal.supported", &ConsultationProposalSupported {
            proposal_id: proposal.clone(),
            consultation_id: consultation.clone(),
            account_id: supporter.id.clone(),
            ..Default::default()
        }).await;
        app.clock.advance(Duration::from_secs(60));
        let answered = app.publish("consultation.proposal.answered", &ConsultationProposalAnswered {
            proposal_id: proposal.clone(),
            consultation_id: consultation.clone(),
            answer: "accepted".into(),
            author_account_id: author.id.clone(),
        }).await;
        // A copy the broker does not catch, then the consultation closes.
        app.publish_copy(&answered).await;
        app.clock.advance(Duration::from_secs(60));
        app.publish("consultation.consultation.closed", &ConsultationClosed {
            consultation_id: consultation.clone(),
        }).await;
        app.settle_broadcasts().await;

        let inbox = app.inbox(&author).await;
        assert_eq!(
            told(&inbox),
            [
                (NotificationKind::ConsultationProgress, "consultation", consultation.as_str(), "closed"),
                (NotificationKind::ProposalAnswered, "proposal", proposal.as_str(), "accepted"),
            ]
        );
        assert_eq!(inbox[1].occurred_at, answered.occurred_at);
        assert!(inbox.iter().all(|n| n.read_at.is_none()));
        assert_eq!(
            told(&app.inbox(&supporter).await),
            [(NotificationKind::ConsultationProgress, "consultation", consultation.as_str(), "closed")]
        );
        assert!(app.inbox(&bystander).await.is_empty());
        // An answer from a producer older than the author field tells nobody.
        app.publish("consultation.proposal.answered", &ConsultationProposalAnswered {
            proposal_id: id(),
            consultation_id: consultation.clone(),
            answer: "rejected".into(),
            author_account_id: String::new(),
        }).await;
        app.settle().await;
        assert_eq!(app.count("nt_notifications").await, 3);
    }

    async fn petitioners_are_told_of_each_stage(app: TestApp) {
        let agent = app.citizen().await;
        let signer = app.citizen().await;
        let withdrawn = app.citizen().await;
        let petition = id();
        app.publish("consultation.petition.created", &PetitionCreated {
            petition_id: petition.clone(),
            kind: "citizen".into(),
            agent_account_id: agent.id.clone(),
            ..Default::default()
        }).await;
        for person in [&agent, &signer, &withdrawn] {
            app.publish("consultation.petition.signed", &PetitionSigned {
                petition_id: petition.clone(),
                account_id: person.id.clone(),
                ..Default::default()
            }).await;
        }
        app.publish("consultation.petition.signature_withdrawn", &PetitionSignatureWithdrawn {
            petition_id: petition.clone(),
            account_id: withdrawn.id.clone(),
            ..Default::default()
        }).await;
        app.publish("consultation.petition.deposited", &PetitionDeposited {
            petition_id: petition.clone(),
            ..Default::default()
        }).await;
        app.clock.advance(Duration::from_secs(3600));
        app.publish("consultation.petition.rejected", &PetitionRejected {
            petition_id: petition.clone(),
            late: true,
        }).await;
        app.clock.advance(Duration::from_secs(1));
        app.publish("consultation.petition.answered_late", &PetitionAnsweredLate {
            petition_id: petition.clone(),
            ..Default::default()
        }).await;
        app.settle().await;
        let expected = [
            (NotificationKind::PetitionProgress, "petition", petition.as_str(), "answered_late"),
            (NotificationKind::PetitionProgress, "petition", petition.as_str(), "rejected"),
            (NotificationKind::PetitionProgress, "petition", petition.as_str(), "deposited"),
        ];
        // The agent, who also signed, is told once per stage.
        assert_eq!(told(&app.inbox(&agent).await), expected);
        assert_eq!(told(&app.inbox(&signer).await), expected);
        assert!(app.inbox(&withdrawn).await.is_empty());
    }

    async fn participants_are_told_of_their_sessions(app: TestApp) {
        let confirmed = app.citizen().await;
        let waiting = app.citizen().await;
        let cancelled = app.citizen().await;
        let (session, program) = (id(), id());
        let registrations: Vec<String> = (0..3).map(|_| id()).collect();
        for (event, person, registration) in [
            ("training.registration.confirmed", &confirmed, &registrations[0]),
            ("training.registration.waitlisted", &waiting, &registrations[1]),
            ("training.registration.confirmed", &cancelled, &registrations[2]),
            ("training.registration.cancelled", &cancelled, &registrations[2]),
        ] {
            app.publish(event, &TrainingRegistrationChanged {
                registration_id: registration.clone(),
                session_id: session.clone(),
                program_id: program.clone(),
                participant: participant(&person.id),
                previous_status: String::new(),
            }).await;
        }
        app.clock.advance(Duration::from_secs(1));
        app.publish("training.registration.promoted", &TrainingRegistrationChanged {
            registration_id: registrations[1].clone(),
            session_id: session.clone(),
            program_id: program.clone(),
            participant: participant(&waiting.id),
            previous_status: "waitlisted".into(),
        }).await;
        app.clock.advance(Duration::from_secs(1));
        app.publish("training.session.changed", &TrainingSessionChanged {
            session_id: session.clone(),
            program_id: program.clone(),
            changed: vec!["days".into(), "venue".into()],
            ..Default::default()
        }).await;
        app.clock.advance(Duration::from_secs(1));
        let certificate = id();
        app.publish("training.certificate.issued", &TrainingCertificateIssued {
            certificate_id: certificate.clone(),
            session_id: session.clone(),
            program_id: program.clone(),
            participant: participant(&confirmed.id),
            ..Default::default()
        }).await;
        app.clock.advance(Duration::from_secs(1));
        app.publish("training.session.cancelled", &TrainingSessionCancelled {
            session_id: session.clone(),
            program_id: program.clone(),
            confirmed_count: 2,
        }).await;
        app.settle().await;
        let s = session.as_str();
        assert_eq!(
            told(&app.inbox(&confirmed).await),
            [
                (NotificationKind::SessionCancelled, "session", s, ""),
                (NotificationKind::CertificateIssued, "certificate", certificate.as_str(), ""),
                (NotificationKind::SessionChanged, "session", s, "days,venue"),
            ]
        );
        assert_eq!(
            told(&app.inbox(&waiting).await),
            [
                (NotificationKind::SessionCancelled, "session", s, ""),
                (NotificationKind::SessionChanged, "session", s, "days,venue"),
                (NotificationKind::RegistrationPromoted, "registration", registrations[1].as_str(), ""),
            ]
        );
        assert!(app.inbox(&cancelled).await.is_empty());
    }

    async fn people_learnt_of_late_are_told_what_came_after_they_joined(app: TestApp) {
        // News first; then, on the same streams, the events of people who joined before it
        // (as after a restart, or from another replica) and of people who joined after it.
        let (petition, session, instance, consultation, recommendation) = (id(), id(), id(), id(), id());
        app.publish("consultation.petition.deposited", &PetitionDeposited {
            petition_id: petition.clone(),
            ..Default::default()
        }).await;
        app.publish("training.session.changed", &TrainingSessionChanged {
            session_id: session.clone(),
            changed: vec!["venue".into()],
            ..Default::default()
        }).await;
        app.publish("consultation.recommendation.answered", &InstanceRecommendationAnswered {
            recommendation_id: recommendation.clone(),
            opinion_id: id(),
            instance_id: instance.clone(),
            answer: "accepted".into(),
        }).await;
        app.publish("consultation.consultation.closed", &ConsultationClosed {
            consultation_id: consultation.clone(),
        }).await;
        app.settle_broadcasts().await;
        assert_eq!(app.count("nt_notifications").await, 0);

        let (early, late, cancelled, ended) =
            (app.citizen().await, app.citizen().await, app.citizen().await, app.citizen().await);
        let ended_membership = id();
        app.publish("identity.instance.membership_ended", &InstanceMembershipEnded {
            instance_id: instance.clone(),
            membership_id: ended_membership.clone(),
            account_id: ended.id.clone(),
            ..Default::default()
        }).await;
        let joins = |account_id: &str, at: i64| {
            [
                envelope("consultation.petition.signed", at, &PetitionSigned {
                    petition_id: petition.clone(),
                    account_id: account_id.into(),
                    ..Default::default()
                }),
                envelope("training.registration.confirmed", at, &TrainingRegistrationChanged {
                    registration_id: id(),
                    session_id: session.clone(),
                    participant: participant(account_id),
                    ..Default::default()
                }),
                envelope("identity.instance.member_added", at, &InstanceMemberAdded {
                    instance_id: instance.clone(),
                    membership_id: id(),
                    account_id: account_id.into(),
                    member_role: "member".into(),
                    ..Default::default()
                }),
                envelope("consultation.response.submitted", at, &ConsultationResponseSubmitted {
                    consultation_id: consultation.clone(),
                    response_id: id(),
                    account_id: account_id.into(),
                    ..Default::default()
                }),
            ]
        };
        let before = app.now() - 60_000;
        let early_joins = joins(&early.id, before);
        let late_joins = joins(&late.id, app.now() + 60_000);
        // Taking part the instant a consultation opens is no news of its opening.
        let at_once = app.citizen().await;
        let at_once_joins = joins(&at_once.id, app.now());
        // Joined before, but no longer there when learnt of.
        let gone = [
            envelope("training.registration.cancelled", before, &TrainingRegistrationChanged {
                registration_id: id(),
                session_id: session.clone(),
                participant: participant(&cancelled.id),
                ..Default::default()
            }),
            envelope("identity.instance.member_added", before, &InstanceMemberAdded {
                instance_id: instance.clone(),
                membership_id: ended_membership.clone(),
                account_id: ended.id.clone(),
                member_role: "member".into(),
                ..Default::default()
            }),
        ];
        for event in early_joins.iter().chain(&late_joins).chain(&at_once_joins).chain(&gone) {
            app.publish_envelope(event).await;
        }
        // The early joins delivered again tell nothing more (events after the copies on each
        // stream show, once handled, that the copies were).
        for event in &early_joins {
            app.publish_copy(event).await;
        }
        for event in joins(&late.id, app.now() + 60_000) {
            app.publish_envelope(&event).await;
        }
        app.settle_broadcasts().await;

        let inbox = app.inbox(&early).await;
        let mut got = told(&inbox);
        got.sort();
        let mut expected = vec![
            (NotificationKind::PetitionProgress, "petition", petition.as_str(), "deposited"),
            (NotificationKind::SessionChanged, "session", session.as_str(), "venue"),
            (NotificationKind::RecommendationAnswered, "recommendation", recommendation.as_str(), "accepted"),
            (NotificationKind::ConsultationProgress, "consultation", consultation.as_str(), "closed"),
        ];
        expected.sort();
        assert_eq!(got, expected);
        assert!(inbox.iter().all(|n| n.occurred_at == Some(tachawor_proto::dates::timestamp(app.now()))));
        for person in [&late, &at_once, &cancelled, &ended] {
            assert!(app.inbox(person).await.is_empty());
        }
        assert_eq!(app.count("nt_notifications").await, 4);
    }

    async fn preferences_reading_and_paging(app: TestApp) {
        let mut person = app.citizen().await;
        // Defaults: inbox and email on, SMS off, for every kind.
        let defaults = person.client.get_my_preferences(GetMyPreferencesRequest {}).await.unwrap().into_inner();
        assert_eq!(defaults.preferences.len(), 3 * 10);
        // Inbox and email on, SMS off, for every kind but new consultations, off everywhere.
        for p in &defaults.preferences {
            let expected = p.channel != Channel::Sms as i32
                && p.kind != NotificationKind::NewConsultation as i32;
            assert_eq!(p.enabled, expected, "{p:?}");
        }
        // Certificates kept out of the inbox; SMS asked for answers.
        let set = person.client.set_my_preferences(SetMyPreferencesRequest {
            preferences: vec![
                Preference {
                    channel: Channel::Inbox as i32,
                    kind: NotificationKind::CertificateIssued as i32,
                    enabled: false,
                },
                Preference {
                    channel: Channel::Sms as i32,
                    kind: NotificationKind::ProposalAnswered as i32,
                    enabled: true,
                },
            ],
        }).await.unwrap().into_inner();
        let got = person.client.get_my_preferences(GetMyPreferencesRequest {}).await.unwrap().into_inner();
        assert_eq!(set.preferences, got.preferences);
        let enabled = |channel: Channel, kind: NotificationKind| {
            got.preferences.iter().find(|p| p.channel == channel as i32 && p.kind == kind as i32).unwrap().enabled
        };
        assert!(!enabled(Channel::Inbox, NotificationKind::CertificateIssued));
        assert!(enabled(Channel::Sms, NotificationKind::ProposalAnswered));
        assert!(enabled(Channel::Inbox, NotificationKind::ProposalAnswered));
        assert!(!enabled(Channel::Sms, NotificationKind::SessionChanged));

        app.publish("training.certificate.issued", &TrainingCertificateIssued {
            certificate_id: id(),
            participant: participant(&person.id),
            ..Default::default()
        }).await;
        for _ in 0..5 {
            app.clock.advance(Duration::from_secs(1));
            app.publish("consultation.proposal.answered", &ConsultationProposalAnswered {
                proposal_id: id(),
                consultation_id: id(),
                answer: "evaluating".into(),
                author_account_id: person.id.clone(),
            }).await;
        }
        app.settle().await;
        // Pages of two, newest first, the certificate not in the inbox.
        let mut seen = Vec::new();
        let mut token = String::new();
        loop {
            let page = person.client.list_my_notifications(ListMyNotificationsRequest {
                unread_only: false,
                page: Some(PageRequest { page_size: 2, page_token: token.clone() }),
            }).await.unwrap().into_inner();
            assert!(page.notifications.len() <= 2);
            assert_eq!(page.unread, 5);
            seen.extend(page.notifications);
            if page.next_page_token.is_empty() {
                break;
            }
            token = page.next_page_token;
        }
        assert_eq!(seen.len(), 5);
        assert!(seen.iter().all(|n| n.kind == NotificationKind::ProposalAnswered as i32));
        assert!(seen.windows(2).all(|w| w[0].occurred_at.as_ref().unwrap().seconds > w[1].occurred_at.as_ref().unwrap().seconds));

        // Marking read: someone else's ids change nothing; one of mine, then all.
        let mut other = app.citizen().await;
        let theirs = other.client.mark_notifications_read(MarkNotificationsReadRequest {
            notification_ids: vec![seen[0].notification_id.clone()],
            all: false,
        }).await.unwrap().into_inner();
        assert_eq!(theirs.marked, 0);
        let one = person.client.mark_notifications_read(MarkNotificationsReadRequest {
            notification_ids: vec![seen[0].notification_id.clone(), seen[0].notification_id.clone()],
            all: false,
        }).await.unwrap().into_inner();
        assert_eq!(one.marked, 1);
        let unread = person.client.list_my_notifications(ListMyNotificationsRequest {
            unread_only: true,
            page: None,
        }).await.unwrap().into_inner();
        assert_eq!(unread.unread, 4);
        assert_eq!(unread.notifications.len(), 4);
        assert!(unread.notifications.iter().all(|n| n.notification_id != seen[0].notification_id));
        let rest = person.client.mark_notifications_read(MarkNotificationsReadRequest {
            notification_ids: vec![],
            all: true,
        }).await.unwrap().into_inner();
        assert_eq!(rest.marked, 4);
        let all = app.inbox(&person).await;
        assert!(all.iter().all(|n| n.read_at == Some(tachawor_proto::dates::timestamp(app.now()))));
        other = app.citizen().await;
        assert!(app.inbox(&other).await.is_empty());
    }

    async fn killed_mid_stream_it_tells_everyone_once_after_a_restart(app: TestApp) {
        let mut app = app;
        let agent = app.citizen().await;
        let petition = id();
        app.publish("consultation.petition.created", &PetitionCreated {
            petition_id: petition.clone(),
            kind: "citizen".into(),
            agent_account_id: agent.id.clone(),
            ..Default::default()
        }).await;
        let signers: Vec<String> = (0..300).map(|_| id()).collect();
        for signer in &signers {
            app.publish("consultation.petition.signed", &PetitionSigned {
                petition_id: petition.clone(),
                account_id: signer.clone(),
                ..Default::default()
            }).await;
        }
        let mut stages = Vec::new();
        for (n, stage) in ["consultation.petition.deposited", "consultation.petition.admitted"].iter().enumerate() {
            app.clock.advance(Duration::from_secs(60));
            let envelope = if n == 0 {
                app.publish(stage, &PetitionDeposited { petition_id: petition.clone(), ..Default::default() }).await
            } else {
                app.publish(stage, &PetitionAdmitted { petition_id: petition.clone(), late: false }).await
            };
            stages.push(envelope.event_id);
        }
        // Killed while the signatures are being applied, then started again.
        while app.count("processed_events").await < 100 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        app.kill_and_restart().await;
        assert!(app.count("nt_notifications").await < 2 * 301, "killed before the end");
        app.settle().await;
        // Every signer and the agent told of each stage exactly once.
        for event_id in &stages {
            let (messages, people): (i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), COUNT(DISTINCT account_id) FROM nt_notifications WHERE event_id = $1",
            )
            .bind(event_id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
            assert_eq!((messages, people), (301, 301), "{event_id}");
        }
        assert_eq!(app.count("nt_notifications").await, 2 * 301);
        let (agent_told,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM nt_notifications WHERE account_id = $1")
                .bind(&agent.id)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(agent_told, 2);
    }

    async fn a_deleted_account_is_forgotten(app: TestApp) {
        let person = app.citizen().await;
        let keeper = app.citizen().await;
        let consultation = id();
        for who in [&person, &keeper] {
            app.publish("consultation.response.submitted", &ConsultationResponseSubmitted {
                consultation_id: consultation.clone(),
                response_id: id(),
                account_id: who.id.clone(),
                ..Default::default()
            }).await;
        }
        app.publish("consultation.consultation.closed", &ConsultationClosed {
            consultation_id: consultation.clone(),
        }).await;
        app.settle_broadcasts().await;
        let mut client = person.client.clone();
        client.set_my_preferences(SetMyPreferencesRequest {
            preferences: vec![Preference {
                channel: Channel::Email as i32,
                kind: NotificationKind::ConsultationProgress as i32,
                enabled: false,
            }],
        }).await.unwrap();
        assert_eq!(app.count("nt_notifications").await, 2);
        app.publish("identity.account.deleted", &AccountDeleted { account_id: person.id.clone() }).await;
        app.publish("consultation.consultation.answered", &ConsultationAnswered {
            consultation_id: consultation.clone(),
        }).await;
        app.settle_broadcasts().await;
        // Nothing of the person is left; the other follower is told as before.
        for table in ["nt_notifications", "nt_preferences", "nt_followers"] {
            let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {table} WHERE account_id = $1"
            )))
            .bind(&person.id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
            assert_eq!(n, 0, "{table}");
        }
        assert_eq!(app.inbox(&keeper).await.len(), 2);
    }
}
