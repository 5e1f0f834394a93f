//! The notification service beside the real identity service: what a person receives from
//! registering, confirming their email and consenting, to a staff answer in their inbox and
//! mailbox; a password reset by email; and who gets no email. Identity publishes its events
//! into the notification service's bus and answers its `GetDeliveryContact`, as deployed.

use std::time::Duration;

use mail_parser::{Message, MessageParser};
use tachawor_identity::testing::PASSWORD;
use tachawor_proto::{
    common::Locale,
    events::ConsultationProposalAnswered,
    identity::{
        ConfirmContactRequest, ContactChannel, LoginRequest, RecordConsentRequest, RefreshRequest,
        RegisterRequest, RequestPasswordResetRequest, ResetPasswordRequest, TokenPair,
    },
    notification::NotificationKind,
};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::*;

const PORTAL: &str = "https://portal.region.test";

/// Registers `email` in Arabic, as the portal's registration form does.
async fn register(app: &TestApp, email: &str) -> String {
    app.identity
        .anonymous()
        .register(RegisterRequest {
            email: email.into(),
            password: PASSWORD.into(),
            display_name: "فاطمة الزهراء".into(),
            locale: Locale::Ar as i32,
            ..Default::default()
        })
        .await
        .expect("register");
    app.identity.account_id_of(email).await
}

async fn login(app: &TestApp, email: &str, password: &str) -> Result<TokenPair, tonic::Status> {
    app.identity
        .anonymous()
        .login(LoginRequest {
            identifier: email.into(),
            password: password.into(),
        })
        .await
        .map(|r| r.into_inner().tokens.expect("tokens"))
}

async fn reset(app: &TestApp, token: &str, password: &str) -> Result<(), tonic::Status> {
    app.identity
        .anonymous()
        .reset_password(ResetPasswordRequest {
            secret: token.into(),
            new_password: password.into(),
            ..Default::default()
        })
        .await
        .map(drop)
}

fn parse(raw: &[u8]) -> Message<'_> {
    MessageParser::default().parse(raw).expect("a message")
}

/// The one link of `message` starting with `prefix`, and its `token` parameter decoded.
fn token_from(message: &Message<'_>, prefix: &str) -> String {
    let text = message.body_text(0).expect("a plain text part");
    let link = text
        .split_whitespace()
        .find(|word| word.starts_with(prefix))
        .unwrap_or_else(|| panic!("no link to {prefix} in {text}"));
    let url = url::Url::parse(link).expect("a URL");
    url.query_pairs()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .expect("a token in the link")
}

/// Registers `email`, confirms it with the token of the link the verification email carries
/// (the `mail_before`+1th message the SMTP server receives) and signs in.
async fn register_and_confirm(
    app: &TestApp,
    email: &str,
    mail_before: usize,
) -> (String, TokenPair) {
    let id = register(app, email).await;
    let mail = app.wait_for_mail(mail_before + 1).await;
    let message = parse(&mail[mail_before]);
    assert_eq!(
        message
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address()),
        Some(email)
    );
    assert_eq!(message.subject(), Some("تأكيد بريدك الإلكتروني"));
    let token = token_from(
        &message,
        &format!("{PORTAL}/ar/account/contact/verify?token="),
    );
    app.identity
        .anonymous()
        .confirm_contact(ConfirmContactRequest {
            channel: ContactChannel::Email as i32,
            secret: token,
        })
        .await
        .expect("the emailed link confirms the address");
    (id, login(app, email, PASSWORD).await.expect("sign in"))
}

async fn consent_to_email(app: &TestApp, tokens: &TokenPair) {
    app.identity
        .with_token(&tokens.access_token)
        .record_consent(RecordConsentRequest {
            purpose: "messages.email".into(),
            version: "2026-12".into(),
            granted: true,
        })
        .await
        .expect("consent");
}

/// Staff answer a proposal of `author`, as consultation publishes it.
async fn answer(app: &TestApp, author: &str) {
    let id = || uuid::Uuid::now_v7().to_string();
    app.publish(
        "consultation.proposal.answered",
        &ConsultationProposalAnswered {
            proposal_id: id(),
            consultation_id: id(),
            answer: "accepted".into(),
            author_account_id: author.into(),
        },
    )
    .await;
    app.settle().await;
}

/// The person's inbox, read as them.
async fn inbox_kinds(app: &TestApp, id: &str, tokens: &TokenPair) -> Vec<i32> {
    let person = Person {
        id: id.to_string(),
        client: app.with_token(&tokens.access_token),
    };
    app.inbox(&person).await.iter().map(|n| n.kind).collect()
}

matrix! {
    async fn a_registered_confirmed_consenting_person_gets_the_answer_by_email_in_arabic(app: WithIdentity) {
        let email = format!("fatima.{}@example.ma", uuid::Uuid::now_v7().simple());
        let (id, tokens) = register_and_confirm(&app, &email, 0).await;
        consent_to_email(&app, &tokens).await;
        answer(&app, &id).await;
        let mail = app.wait_for_mail(2).await;
        let message = parse(&mail[1]);
        assert_eq!(message.to().and_then(|a| a.first()).and_then(|a| a.address()), Some(email.as_str()));
        assert_eq!(message.subject(), Some("رد على مقترحك"));
        let text = message.body_text(0).unwrap();
        assert!(text.contains("قُبل مقترحك."), "{text}");
        assert!(text.contains("مرحباً فاطمة الزهراء"), "{text}");
        assert!(text.contains(&format!("{PORTAL}/ar/account/notifications")), "{text}");
        let html = message.body_html(0).unwrap();
        assert!(html.contains(r#"dir="rtl""#), "{html}");
        assert!(html.contains("قُبل مقترحك."), "{html}");
        assert_eq!(inbox_kinds(&app, &id, &tokens).await, vec![NotificationKind::ProposalAnswered as i32]);
        // Neither the address nor the link's token reached a log line.
        let logs = tachawor_testkit::captured_logs();
        assert!(!logs.contains(&email), "the address reached a log line");
    }

    async fn a_forgotten_password_is_reset_by_the_emailed_link(app: WithIdentity) {
        let email = format!("reset.{}@example.ma", uuid::Uuid::now_v7().simple());
        let (id, old) = register_and_confirm(&app, &email, 0).await;
        app.identity
            .anonymous()
            .request_password_reset(RequestPasswordResetRequest {
                identifier: email.clone(),
                locale: Locale::Fr as i32,
            })
            .await
            .expect("reset requested");
        let mail = app.wait_for_mail(2).await;
        let message = parse(&mail[1]);
        assert_eq!(message.subject(), Some("Réinitialisation du mot de passe"));
        let token = token_from(&message, &format!("{PORTAL}/fr/password/reset?token="));
        let new_password = "another long enough password";
        reset(&app, &token, new_password).await.expect("the emailed link resets the password");
        let tokens = login(&app, &email, new_password).await.expect("the new password signs in");
        assert_eq!(login(&app, &email, PASSWORD).await.unwrap_err().code(), Code::Unauthenticated);
        let refused = app
            .identity
            .anonymous()
            .refresh(RefreshRequest { refresh_token: old.refresh_token })
            .await
            .expect_err("the old session was revoked");
        assert_eq!(refused.code(), Code::Unauthenticated);
        // The link works once.
        let again = reset(&app, &token, "a third long enough password").await.unwrap_err();
        assert_eq!(again.code(), Code::FailedPrecondition);
        // The change is told in the inbox; without consent to messages, by no email.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while inbox_kinds(&app, &id, &tokens).await.is_empty() {
            assert!(tokio::time::Instant::now() < deadline, "no password_changed in the inbox");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert_eq!(inbox_kinds(&app, &id, &tokens).await, vec![NotificationKind::PasswordChanged as i32]);
        app.wait_deliveries("settled", |r| r.iter().all(|d| d.0 != "pending")).await;
        assert_eq!(app.mail().len(), 2);
    }

    async fn without_consent_or_with_an_unverified_email_the_inbox_alone_gets_the_answer(app: WithIdentity) {
        // Confirmed, never consented.
        let confirmed = format!("silent.{}@example.ma", uuid::Uuid::now_v7().simple());
        let (silent, silent_tokens) = register_and_confirm(&app, &confirmed, 0).await;
        // Consented, never confirmed: only its verification email goes out.
        let unconfirmed = format!("unverified.{}@example.ma", uuid::Uuid::now_v7().simple());
        let unverified = register(&app, &unconfirmed).await;
        app.wait_for_mail(2).await;
        let unverified_tokens = login(&app, &unconfirmed, PASSWORD).await.unwrap();
        consent_to_email(&app, &unverified_tokens).await;
        answer(&app, &silent).await;
        answer(&app, &unverified).await;
        let rows = app
            .wait_deliveries("skipped", |r| r.iter().filter(|d| d.0 == "skipped").count() == 2)
            .await;
        for row in rows.iter().filter(|d| d.0 == "skipped") {
            assert_eq!(row.1.as_deref(), Some("no verified contact consented to messages"));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(app.mail().len(), 2, "only the two verification emails");
        let answered = vec![NotificationKind::ProposalAnswered as i32];
        assert_eq!(inbox_kinds(&app, &silent, &silent_tokens).await, answered);
        assert_eq!(inbox_kinds(&app, &unverified, &unverified_tokens).await, answered);
    }
}
