//! Email and SMS: what goes out, to whom, once, through a real SMTP server (aiosmtpd) and a
//! real HTTP server standing for the SMS provider; retries, dead letters, rate limit, digest,
//! two replicas and a killed service.

use std::{collections::HashMap, time::Duration};

use mail_parser::MessageParser;
use tachawor_events::Envelope;
use tachawor_notification::delivery::Lang;
use tachawor_proto::{events::*, identity::ContactChannel};
use tachawor_testkit::matrix;

use crate::helpers::*;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Publishes an answer to a proposal of `author`.
async fn answer(app: &TestApp, author: &str, answer: &str) -> Envelope {
    app.publish(
        "consultation.proposal.answered",
        &ConsultationProposalAnswered {
            proposal_id: id(),
            consultation_id: id(),
            answer: answer.into(),
            author_account_id: author.into(),
        },
    )
    .await
}

/// The recipients of each received message (the `To` addresses).
fn recipients(mail: &[Vec<u8>]) -> Vec<String> {
    mail.iter()
        .map(|m| {
            let parsed = MessageParser::default().parse(m).expect("a message");
            parsed
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

fn sent(rows: &[(String, Option<String>, i64)]) -> usize {
    rows.iter().filter(|r| r.0 == "sent").count()
}

matrix! {
    async fn an_answered_proposal_reaches_its_author_by_email_in_arabic(app: TestApp) {
        let author = app.citizen().await;
        let address = format!("fatima.{}@example.ma", &author.id[..8]);
        app.contacts.consent(&author.id, ContactChannel::Email, &address, Lang::Ar, "فاطمة <الزهراء>");
        answer(&app, &author.id, "accepted").await;
        app.settle().await;
        let mail = app.wait_for_mail(1).await;
        let message = MessageParser::default().parse(&mail[0]).unwrap();
        assert_eq!(recipients(&mail), vec![address.clone()]);
        assert_eq!(message.subject(), Some("رد على مقترحك"));
        let text = message.body_text(0).unwrap();
        assert!(text.contains("قُبل مقترحك."), "{text}");
        assert!(text.contains("مرحباً فاطمة <الزهراء>"), "{text}");
        assert!(text.contains("https://portal.region.test/ar/account/notifications"), "{text}");
        let html = message.body_html(0).unwrap();
        assert!(html.contains(r#"<html lang="ar" dir="rtl">"#), "{html}");
        assert!(html.contains("فاطمة &lt;الزهراء&gt;"), "{html}");
        let rows = app.wait_deliveries("sent", |r| sent(r) == 1).await;
        assert_eq!(rows.len(), 1, "email only: SMS is off by default");
        // The inbox has it too.
        assert_eq!(app.inbox(&author).await.len(), 1);
        // Nothing about the person reached a log line or an event.
        let logs = tachawor_testkit::captured_logs();
        assert!(!logs.contains(&address), "the address reached a log line");
        assert!(!logs.contains("فاطمة"), "the name reached a log line");
        assert_eq!(app.count("outbox").await, 0, "the service publishes no events");
    }

    async fn without_consent_or_verified_contact_nothing_is_sent(app: TestApp) {
        let author = app.citizen().await;
        answer(&app, &author.id, "rejected").await;
        app.settle().await;
        let rows = app.wait_deliveries("skipped", |r| r.len() == 1 && r[0].0 == "skipped").await;
        assert_eq!(rows[0].1.as_deref(), Some("no verified contact consented to messages"));
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(app.mail().is_empty());
    }

    async fn a_person_who_turned_email_off_gets_no_email_and_sms_when_turned_on(app: TestApp) {
        use tachawor_proto::notification::{Channel, NotificationKind, Preference, SetMyPreferencesRequest};
        let author = app.citizen().await;
        author.client.clone().set_my_preferences(SetMyPreferencesRequest {
            preferences: vec![
                Preference { channel: Channel::Email as i32, kind: NotificationKind::ProposalAnswered as i32, enabled: false },
                Preference { channel: Channel::Sms as i32, kind: NotificationKind::ProposalAnswered as i32, enabled: true },
            ],
        }).await.unwrap();
        app.contacts.consent(&author.id, ContactChannel::Email, "off@example.ma", Lang::Fr, "");
        app.contacts.consent(&author.id, ContactChannel::Phone, "+212600000001", Lang::Fr, "");
        answer(&app, &author.id, "accepted").await;
        app.settle().await;
        app.wait_deliveries("sent", |r| r.len() == 1 && sent(r) == 1).await;
        let texts = app.sms.texts();
        assert_eq!(texts.len(), 1);
        assert_eq!(texts[0].0, format!("Bearer {SMS_TOKEN}"));
        assert_eq!(texts[0].1["to"], "+212600000001");
        let text = texts[0].1["text"].as_str().unwrap();
        assert!(text.starts_with("Tachawor : votre proposition a reçu une réponse."), "{text}");
        assert!(app.mail().is_empty());
    }

    async fn verification_and_reset_messages_reach_the_requested_contact(app: TestApp) {
        let person = app.citizen().await;
        let (email_request, sms_request) = (id(), id());
        app.contacts.request(&email_request, "unverified@example.ma", "tok/en+1");
        app.contacts.request(&sms_request, "+212600000002", "482913");
        app.publish("identity.contact.message_requested", &ContactMessageRequested {
            account_id: person.id.clone(),
            request_id: email_request.clone(),
            channel: "email".into(),
            purpose: "verify_contact".into(),
            expires_at: Some(tachawor_proto::dates::timestamp(app.now() + 3_600_000)),
        }).await;
        app.publish("identity.contact.message_requested", &ContactMessageRequested {
            account_id: person.id.clone(),
            request_id: sms_request.clone(),
            channel: "sms".into(),
            purpose: "reset_password".into(),
            expires_at: Some(tachawor_proto::dates::timestamp(app.now() + 3_600_000)),
        }).await;
        app.settle().await;
        let mail = app.wait_for_mail(1).await;
        assert_eq!(recipients(&mail), vec!["unverified@example.ma".to_string()]);
        let message = MessageParser::default().parse(&mail[0]).unwrap();
        let text = message.body_text(0).unwrap();
        // No language known: the region's default, Arabic.
        assert!(
            text.contains("https://portal.region.test/ar/account/contact/verify?token=tok%2Fen%2B1"),
            "{text}"
        );
        app.wait_deliveries("sent", |r| sent(r) == 2).await;
        let texts = app.sms.texts();
        assert_eq!(texts.len(), 1);
        assert!(texts[0].1["text"].as_str().unwrap().contains("482913"));
        // Requests never reach the inbox.
        assert!(app.inbox(&person).await.is_empty());
        let logs = tachawor_testkit::captured_logs();
        for secret in ["tok/en+1", "tok%2Fen%2B1", "482913", "unverified@example.ma", "+212600000002"] {
            assert!(!logs.contains(secret), "{secret} reached a log line");
        }
    }

    async fn a_changed_password_is_told_by_email_whatever_the_preferences(app: TestApp) {
        let person = app.citizen().await;
        app.contacts.consent(&person.id, ContactChannel::Email, "owner@example.ma", Lang::Fr, "Ali");
        app.publish("identity.account.password_changed", &AccountPasswordChanged {
            account_id: person.id.clone(),
            how: "reset".into(),
        }).await;
        app.settle().await;
        let mail = app.wait_for_mail(1).await;
        let message = MessageParser::default().parse(&mail[0]).unwrap();
        assert_eq!(message.subject(), Some("Le mot de passe de votre compte a changé"));
        assert!(message.body_text(0).unwrap().contains("réinitialisé"));
        let inbox = app.inbox(&person).await;
        assert_eq!(inbox.len(), 1);
        assert_eq!(inbox[0].kind, tachawor_proto::notification::NotificationKind::PasswordChanged as i32);
    }

    async fn a_message_is_retried_until_the_smtp_server_is_back(app: TestApp) {
        let mut app = app;
        app.stop_smtp();
        let author = app.citizen().await;
        app.contacts.consent(&author.id, ContactChannel::Email, "retry@example.ma", Lang::Fr, "");
        answer(&app, &author.id, "accepted").await;
        app.settle().await;
        let rows = app
            .wait_deliveries("tried once", |r| r.len() == 1 && r[0].2 == 1 && r[0].0 == "pending")
            .await;
        assert_eq!(rows[0].1.as_deref(), Some("SMTP connection failed"));
        // Not tried again before its backoff.
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(app.deliveries().await[0].2, 1);
        app.start_smtp();
        app.clock.advance(Duration::from_secs(31));
        assert_eq!(recipients(&app.wait_for_mail(1).await), vec!["retry@example.ma".to_string()]);
        app.wait_deliveries("sent", |r| sent(r) == 1).await;
    }

    async fn identity_unavailable_is_retried_and_gives_up_after_the_last_attempt(app: TestApp) {
        let mut app = app;
        app.restart_with(&[("delivery.max_attempts", "2")]).await;
        app.contacts.down.store(true, std::sync::atomic::Ordering::SeqCst);
        let author = app.citizen().await;
        answer(&app, &author.id, "accepted").await;
        app.settle().await;
        app.wait_deliveries("tried once", |r| r.len() == 1 && r[0].2 == 1).await;
        app.clock.advance(Duration::from_secs(31));
        let rows = app.wait_deliveries("dead", |r| r[0].0 == "dead").await;
        assert_eq!(rows[0].1.as_deref(), Some("identity answered Unavailable"));
        assert_eq!(rows[0].2, 2);
    }

    async fn a_permanent_refusal_is_dead_lettered_at_once_with_its_reason(app: TestApp) {
        let author = app.citizen().await;
        app.contacts.consent(&author.id, ContactChannel::Email, "reject.me@example.ma", Lang::Ar, "");
        answer(&app, &author.id, "accepted").await;
        app.settle().await;
        let rows = app.wait_deliveries("dead", |r| r.len() == 1 && r[0].0 == "dead").await;
        assert_eq!(rows[0].1.as_deref(), Some("SMTP 550"));
        assert_eq!(rows[0].2, 0, "not retried");
        // The SMS provider refusing is permanent too.
        let other = app.citizen().await;
        app.contacts.consent(&other.id, ContactChannel::Phone, "+212600000003", Lang::Ar, "");
        app.sms.status.store(422, std::sync::atomic::Ordering::SeqCst);
        app.publish("identity.contact.message_requested", &ContactMessageRequested {
            account_id: other.id.clone(),
            request_id: { let r = id(); app.contacts.request(&r, "+212600000003", "123456"); r },
            channel: "sms".into(),
            purpose: "verify_contact".into(),
            expires_at: None,
        }).await;
        app.settle().await;
        let rows = app.wait_deliveries("dead", |r| r.len() == 2 && r[1].0 == "dead").await;
        assert_eq!(rows[1].1.as_deref(), Some("SMS provider HTTP 422"));
        assert!(app.mail().is_empty());
    }

    async fn an_event_delivered_again_sends_one_message(app: TestApp) {
        let author = app.citizen().await;
        app.contacts.consent(&author.id, ContactChannel::Email, "once@example.ma", Lang::Fr, "");
        let event = answer(&app, &author.id, "accepted").await;
        app.publish_envelope(&event).await;
        app.publish_copy(&event).await;
        // An event after the copy on the same stream shows the copy was handled.
        answer(&app, &id(), "rejected").await;
        app.settle().await;
        app.wait_deliveries("ended", |r| r.len() == 2 && r.iter().all(|x| x.0 != "pending")).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(recipients(&app.mail()), vec!["once@example.ma".to_string()]);
    }

    async fn over_the_rate_limit_messages_wait(app: TestApp) {
        let mut app = app;
        // A worker that looks only when it starts, so every row is due at once.
        app.restart_with(&[
            ("delivery.poll_interval_ms", "3600000"),
            ("delivery.rate_limit", "2"),
            ("delivery.digest_threshold", "100"),
        ]).await;
        let author = app.citizen().await;
        app.contacts.consent(&author.id, ContactChannel::Email, "busy@example.ma", Lang::Fr, "");
        for _ in 0..5 {
            answer(&app, &author.id, "accepted").await;
        }
        app.settle().await;
        app.kill_and_restart().await;
        let rows = app.wait_deliveries("two sent", |r| sent(r) == 2).await;
        let waiting: Vec<_> = rows.iter().filter(|r| r.0 == "pending").collect();
        assert_eq!(waiting.len(), 3);
        assert!(waiting.iter().all(|r| r.1.as_deref() == Some("rate limit")));
        assert_eq!(app.wait_for_mail(2).await.len(), 2);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(app.mail().len(), 2);
        // An hour later, two more.
        app.clock.advance(Duration::from_secs(3601));
        app.kill_and_restart().await;
        app.wait_deliveries("four sent", |r| sent(r) == 4).await;
    }

    async fn many_notifications_due_together_go_as_one_digest(app: TestApp) {
        let mut app = app;
        app.restart_with(&[
            ("delivery.poll_interval_ms", "3600000"),
            ("delivery.digest_threshold", "3"),
        ]).await;
        let author = app.citizen().await;
        app.contacts.consent(&author.id, ContactChannel::Email, "digest@example.ma", Lang::Fr, "");
        for answer_given in ["accepted", "rejected", "partially_accepted", "accepted"] {
            answer(&app, &author.id, answer_given).await;
        }
        // A verification due at the same time goes alone.
        let request = id();
        app.contacts.request(&request, "digest@example.ma", "secret-token");
        app.publish("identity.contact.message_requested", &ContactMessageRequested {
            account_id: author.id.clone(),
            request_id: request,
            channel: "email".into(),
            purpose: "verify_contact".into(),
            expires_at: None,
        }).await;
        app.settle().await;
        app.kill_and_restart().await;
        app.wait_deliveries("sent", |r| sent(r) == 5).await;
        let mail = app.wait_for_mail(2).await;
        assert_eq!(mail.len(), 2);
        let subjects: Vec<String> = mail
            .iter()
            .map(|m| MessageParser::default().parse(m).unwrap().subject().unwrap().to_string())
            .collect();
        assert!(subjects.contains(&"4 nouveaux messages sur Tachawor".to_string()), "{subjects:?}");
        // identity gave no language with the request: the region's default, Arabic.
        assert!(subjects.contains(&"تأكيد بريدك الإلكتروني".to_string()), "{subjects:?}");
        let digest = mail
            .iter()
            .map(|m| MessageParser::default().parse(m).unwrap().body_text(0).unwrap().to_string())
            .find(|t| t.contains("Vous avez plusieurs nouveaux messages"))
            .unwrap();
        assert!(digest.contains("partiellement acceptée"), "{digest}");
        assert!(digest.contains("rejetée"), "{digest}");
    }

    async fn two_instances_never_send_a_message_twice(app: TestApp) {
        let mut app = app;
        app.start_replica().await;
        let mut addresses = Vec::new();
        for i in 0..20 {
            let author = id();
            let address = format!("two.{i}@example.ma");
            app.contacts.consent(&author, ContactChannel::Email, &address, Lang::Ar, "");
            answer(&app, &author, "accepted").await;
            addresses.push(address);
        }
        app.settle().await;
        app.wait_deliveries("sent", |r| r.len() == 20 && sent(r) == 20).await;
        app.wait_for_mail(20).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut got = recipients(&app.mail());
        got.sort();
        addresses.sort();
        assert_eq!(got, addresses, "each message exactly once");
    }

    async fn a_killed_service_sends_every_pending_message_at_most_once(app: TestApp) {
        let mut app = app;
        let mut addresses = Vec::new();
        for i in 0..30 {
            let author = id();
            let address = format!("kill.{i}@example.ma");
            app.contacts.consent(&author, ContactChannel::Email, &address, Lang::Ar, "");
            answer(&app, &author, "accepted").await;
            addresses.push(address);
        }
        app.settle().await;
        // Killed while messages are going out.
        app.wait_for_mail(3).await;
        app.kill_and_restart().await;
        // Rows the killed worker had claimed come back after its lease; one it was sending is
        // never sent again.
        app.clock.advance(Duration::from_secs(600));
        let rows = app
            .wait_deliveries("ended", |r| r.len() == 30 && r.iter().all(|x| x.0 == "sent" || x.0 == "dead"))
            .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let got = recipients(&app.mail());
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for a in &got {
            *counts.entry(a.as_str()).or_default() += 1;
        }
        assert!(counts.values().all(|n| *n == 1), "a message went out twice: {counts:?}");
        let unknown: Vec<_> = rows.iter().filter(|r| r.0 == "dead").collect();
        assert!(unknown.len() <= 1, "one message at a time is in flight: {unknown:?}");
        assert!(unknown.iter().all(|r| r.1.as_deref() == Some("outcome unknown: the service stopped while sending")));
        assert!(got.len() >= sent(&rows) && got.len() <= sent(&rows) + unknown.len());
        // With nothing in flight at the kill, every message went out exactly once.
        if unknown.is_empty() {
            let mut got = got.clone();
            got.sort();
            addresses.sort();
            assert_eq!(got, addresses);
        }
    }
}
