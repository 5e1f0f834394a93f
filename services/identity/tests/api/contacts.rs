//! Contacts and passwords: verification by link and code, the secrets the notification service
//! reads, password change and reset, contact change; expiry, single use, tries and rate limits.

use std::time::Duration;

use prost::Message;
use tachawor_events::Envelope;
use tachawor_proto::{
    common::Locale,
    events::{AccountPasswordChanged, ContactMessageRequested},
    identity::*,
};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{Client, PASSWORD, TestApp, my_account};

const NEW_PASSWORD: &str = "another long password";

/// The payloads of every `event_type` row in identity's outbox, oldest first, with the raw
/// envelope bytes (to search for what must not be there).
async fn outbox<M: prost::Name + Default>(app: &TestApp, event_type: &str) -> Vec<(M, Vec<u8>)> {
    let rows: Vec<(Vec<u8>,)> =
        sqlx::query_as("SELECT envelope FROM outbox WHERE event_type = $1 ORDER BY seq")
            .bind(event_type)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    rows.into_iter()
        .map(|(bytes,)| {
            let envelope = Envelope::decode(bytes.as_slice()).expect("an envelope");
            (
                tachawor_events::decode_payload(&envelope).expect("its payload"),
                bytes,
            )
        })
        .collect()
}

/// The latest message requested for `account_id` on `channel` ("email"/"sms") for `purpose`.
async fn requested(
    app: &TestApp,
    account_id: &str,
    channel: &str,
    purpose: &str,
) -> Option<ContactMessageRequested> {
    outbox::<ContactMessageRequested>(app, "identity.contact.message_requested")
        .await
        .into_iter()
        .map(|(m, _)| m)
        .rfind(|m| m.account_id == account_id && m.channel == channel && m.purpose == purpose)
}

async fn requests_count(app: &TestApp, account_id: &str, purpose: &str) -> usize {
    outbox::<ContactMessageRequested>(app, "identity.contact.message_requested")
        .await
        .into_iter()
        .filter(|(m, _)| m.account_id == account_id && m.purpose == purpose)
        .count()
}

async fn notification(app: &TestApp) -> Client {
    app.with_token(&app.service_token("notification").await)
}

fn channel_of(name: &str) -> ContactChannel {
    if name == "email" {
        ContactChannel::Email
    } else {
        ContactChannel::Phone
    }
}

/// GetDeliveryContact as the notification service, for `request_id` (empty: none).
async fn delivery(
    app: &TestApp,
    account_id: &str,
    channel: ContactChannel,
    request_id: String,
) -> Result<GetDeliveryContactResponse, tonic::Status> {
    notification(app)
        .await
        .get_delivery_contact(GetDeliveryContactRequest {
            account_id: account_id.into(),
            channel: channel as i32,
            request_id,
        })
        .await
        .map(tonic::Response::into_inner)
}

/// The address and secret the notification service gets for the latest such request.
async fn delivered(
    app: &TestApp,
    account_id: &str,
    channel: &str,
    purpose: &str,
) -> GetDeliveryContactResponse {
    let request = requested(app, account_id, channel, purpose)
        .await
        .unwrap_or_else(|| panic!("no {purpose} message requested on {channel}"));
    delivery(app, account_id, channel_of(channel), request.request_id)
        .await
        .expect("the pending request's contact")
}

fn rule(status: &tonic::Status) -> String {
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
    tachawor_errors::violated_rule(status).unwrap_or_default()
}

/// Registers an account with an email and a phone; its id and a signed-in client.
async fn person(app: &TestApp, email: &str, phone: &str) -> (String, Client) {
    app.anonymous()
        .register(RegisterRequest {
            email: email.into(),
            phone: phone.into(),
            password: PASSWORD.into(),
            display_name: "Khadija Ait".into(),
            locale: Locale::Fr as i32,
        })
        .await
        .unwrap();
    let id = app.account_id_of(email).await;
    let tokens = app.login(email).await;
    (id, app.with_token(&tokens.access_token))
}

/// Verifies both contacts of a person registered by [`person`].
async fn verify_both(app: &TestApp, id: &str, me: &mut Client) {
    let link = delivered(app, id, "email", "verify_contact").await.secret;
    app.anonymous()
        .confirm_contact(ConfirmContactRequest {
            channel: ContactChannel::Email as i32,
            secret: link,
        })
        .await
        .unwrap();
    let code = delivered(app, id, "sms", "verify_contact").await.secret;
    me.confirm_contact(ConfirmContactRequest {
        channel: ContactChannel::Phone as i32,
        secret: code,
    })
    .await
    .unwrap();
}

/// Pending secrets an account has.
async fn secrets_of(app: &TestApp, account_id: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM contact_secrets WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    n
}

async fn audit_count(app: &TestApp, action: &str, target: &str) -> i64 {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND target_id = $2")
            .bind(action)
            .bind(target)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    n
}

matrix! {
    async fn a_new_person_confirms_email_by_link_and_phone_by_code(app: TestApp) {
        let email = "khadija.ait@example.ma";
        let (id, mut me) = person(&app, email, "0662223344").await;
        let before = my_account(&mut me).await;
        assert!(!before.email_verified && !before.phone_verified);

        // Register asked for both verifications; the events carry no contact and no secret.
        let events = outbox::<ContactMessageRequested>(&app, "identity.contact.message_requested").await;
        let mine: Vec<_> = events.iter().filter(|(m, _)| m.account_id == id).collect();
        assert_eq!(mine.len(), 2);
        let channels: Vec<&str> = mine.iter().map(|(m, _)| m.channel.as_str()).collect();
        assert_eq!(channels, ["email", "sms"]);
        let now = app.now_secs();
        let email_request = &mine[0].0;
        assert_eq!(email_request.purpose, "verify_contact");
        assert_eq!(email_request.expires_at.unwrap().seconds, now + 48 * 3600);
        assert_eq!(mine[1].0.expires_at.unwrap().seconds, now + 15 * 60);

        let link = delivered(&app, &id, "email", "verify_contact").await;
        assert_eq!(link.address, email);
        assert_eq!(link.locale, Locale::Fr as i32);
        assert_eq!(link.display_name, "Khadija Ait");
        assert!(link.secret.len() >= 40, "a long token: {}", link.secret.len());
        let code = delivered(&app, &id, "sms", "verify_contact").await;
        assert_eq!(code.address, "+212662223344");
        assert!(code.secret.len() == 6 && code.secret.chars().all(|c| c.is_ascii_digit()));
        for (_, bytes) in &mine {
            let text = String::from_utf8_lossy(bytes);
            for secret in [email, "+212662223344", "Khadija", &link.secret, &code.secret] {
                assert!(!text.contains(secret), "the event carries {secret}");
            }
        }
        let database = crate::privacy::whole_database(&app).await;
        assert!(!database.contains(&link.secret), "the link's token is stored in clear");
        assert!(!database.contains(&format!("\n{}\n", code.secret)), "the code is stored in clear");

        // The link works without signing in, once.
        let confirmed = app
            .anonymous()
            .confirm_contact(ConfirmContactRequest { channel: ContactChannel::Email as i32, secret: link.secret.clone() })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(confirmed.account_id, id);
        assert_eq!(confirmed.channel, ContactChannel::Email as i32);
        let again = app
            .anonymous()
            .confirm_contact(ConfirmContactRequest { channel: ContactChannel::Email as i32, secret: link.secret.clone() })
            .await
            .unwrap_err();
        assert_eq!(rule(&again), "contact.secret_invalid");
        let gone = delivery(&app, &id, ContactChannel::Email, email_request.request_id.clone())
            .await
            .unwrap_err();
        assert_eq!(gone.code(), Code::NotFound, "a used request is not sent again");

        // A code needs its signed-in owner: anonymous and another person are refused.
        let phone = ConfirmContactRequest { channel: ContactChannel::Phone as i32, secret: code.secret.clone() };
        let e = app.anonymous().confirm_contact(phone.clone()).await.unwrap_err();
        assert_eq!(e.code(), Code::Unauthenticated);
        let e = app.service().await.confirm_contact(phone.clone()).await.unwrap_err();
        assert_eq!(e.code(), Code::PermissionDenied);
        let (_, mut other) = app.citizen().await;
        assert_eq!(rule(&other.confirm_contact(phone.clone()).await.unwrap_err()), "contact.secret_invalid");
        me.confirm_contact(phone).await.unwrap();

        let after = my_account(&mut me).await;
        assert!(after.email_verified && after.phone_verified);
        let exported = me.export_my_data(ExportMyDataRequest {}).await.unwrap().into_inner();
        let exported_account = exported.account.unwrap();
        assert!(exported_account.email_verified && exported_account.phone_verified);
        assert_eq!(audit_count(&app, "account.confirm_contact", &id).await, 2);
        assert_eq!(secrets_of(&app, &id).await, 0, "used secrets are erased");
        let logs = tachawor_testkit::captured_logs();
        assert!(!logs.contains(&link.secret), "the link's token reached a log line");
        assert!(!logs.contains(email), "the email reached a log line");
    }

    async fn codes_die_after_five_wrong_tries_links_expire_and_new_requests_supersede(app: TestApp) {
        let email = "youssef.b@example.ma";
        let (id, mut me) = person(&app, email, "0663334455").await;
        let code = delivered(&app, &id, "sms", "verify_contact").await.secret;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..5 {
            let e = me
                .confirm_contact(ConfirmContactRequest { channel: ContactChannel::Phone as i32, secret: wrong.into() })
                .await
                .unwrap_err();
            assert_eq!(rule(&e), "contact.secret_invalid");
        }
        let e = me
            .confirm_contact(ConfirmContactRequest { channel: ContactChannel::Phone as i32, secret: code.clone() })
            .await
            .unwrap_err();
        assert_eq!(rule(&e), "contact.secret_invalid", "the right code after five wrong ones");

        // A new request supersedes the older one.
        me.request_contact_verification(RequestContactVerificationRequest { channel: ContactChannel::Phone as i32 })
            .await
            .unwrap();
        let first = delivered(&app, &id, "sms", "verify_contact").await.secret;
        let first_request = requested(&app, &id, "sms", "verify_contact").await.unwrap();
        me.request_contact_verification(RequestContactVerificationRequest { channel: ContactChannel::Phone as i32 })
            .await
            .unwrap();
        let second = delivered(&app, &id, "sms", "verify_contact").await.secret;
        let e = delivery(&app, &id, ContactChannel::Phone, first_request.request_id)
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::NotFound, "a superseded request");
        if first != second {
            let e = me
                .confirm_contact(ConfirmContactRequest { channel: ContactChannel::Phone as i32, secret: first })
                .await
                .unwrap_err();
            assert_eq!(rule(&e), "contact.secret_invalid");
        }
        me.confirm_contact(ConfirmContactRequest { channel: ContactChannel::Phone as i32, secret: second })
            .await
            .unwrap();

        // The emailed link lives 48 hours.
        let link = delivered(&app, &id, "email", "verify_contact").await.secret;
        app.clock.advance(Duration::from_secs(48 * 3600 + 1));
        let e = app
            .anonymous()
            .confirm_contact(ConfirmContactRequest { channel: ContactChannel::Email as i32, secret: link })
            .await
            .unwrap_err();
        assert_eq!(rule(&e), "contact.secret_invalid", "an expired link");
        let request = requested(&app, &id, "email", "verify_contact").await.unwrap();
        let e = delivery(&app, &id, ContactChannel::Email, request.request_id)
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::NotFound, "an expired request");
        let tokens = app.login(email).await;
        let account = my_account(&mut app.with_token(&tokens.access_token)).await;
        assert!(!account.email_verified && account.phone_verified);
    }

    async fn verification_requests_need_an_unverified_contact_and_are_limited(app: TestApp) {
        let (id, mut me) = person(&app, "salma.e@example.ma", "0664445566").await;
        let (_, mut email_only) = {
            let id = app.register("only.email@example.ma").await;
            let tokens = app.login("only.email@example.ma").await;
            (id, app.with_token(&tokens.access_token))
        };
        let e = email_only
            .request_contact_verification(RequestContactVerificationRequest { channel: ContactChannel::Phone as i32 })
            .await
            .unwrap_err();
        assert_eq!(rule(&e), "contact.missing");

        verify_both(&app, &id, &mut me).await;
        let e = me
            .request_contact_verification(RequestContactVerificationRequest { channel: ContactChannel::Email as i32 })
            .await
            .unwrap_err();
        assert_eq!(rule(&e), "contact.already_verified");

        let before = app.count("outbox").await;
        for _ in 0..5 {
            let answer = email_only
                .request_contact_verification(RequestContactVerificationRequest { channel: ContactChannel::Email as i32 })
                .await
                .unwrap()
                .into_inner();
            assert_eq!(answer.expires_at.unwrap().seconds, app.now_secs() + 48 * 3600);
        }
        let e = email_only
            .request_contact_verification(RequestContactVerificationRequest { channel: ContactChannel::Email as i32 })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::ResourceExhausted);
        assert_eq!(app.count("outbox").await, before + 5, "the sixth request sent nothing");
        app.clock.advance(Duration::from_secs(3601));
        let tokens = app.login("only.email@example.ma").await;
        app.with_token(&tokens.access_token)
            .request_contact_verification(RequestContactVerificationRequest { channel: ContactChannel::Email as i32 })
            .await
            .expect("a new hour, a new request");
    }

    async fn a_password_is_reset_by_email_link_and_by_phone_code(app: TestApp) {
        let email = "reset.me@example.ma";
        let (id, mut me) = person(&app, email, "0665556677").await;
        verify_both(&app, &id, &mut me).await;
        let sessions = [app.login(email).await, app.login(email).await];

        app.anonymous()
            .request_password_reset(RequestPasswordResetRequest { identifier: " Reset.Me@Example.ma ".into(), locale: Locale::Ar as i32 })
            .await
            .unwrap();
        let request = requested(&app, &id, "email", "reset_password").await.expect("a reset requested");
        assert_eq!(request.expires_at.unwrap().seconds, app.now_secs() + 30 * 60);
        let link = delivered(&app, &id, "email", "reset_password").await;
        assert_eq!(link.locale, Locale::Ar as i32, "the language asked for");
        assert_eq!(link.address, email);

        let e = app
            .anonymous()
            .reset_password(ResetPasswordRequest { secret: "not-the-token".into(), new_password: NEW_PASSWORD.into(), ..Default::default() })
            .await
            .unwrap_err();
        assert_eq!(rule(&e), "password.reset_invalid");
        app.anonymous()
            .reset_password(ResetPasswordRequest { secret: link.secret.clone(), new_password: NEW_PASSWORD.into(), ..Default::default() })
            .await
            .unwrap();
        let e = app
            .anonymous()
            .reset_password(ResetPasswordRequest { secret: link.secret.clone(), new_password: PASSWORD.into(), ..Default::default() })
            .await
            .unwrap_err();
        assert_eq!(rule(&e), "password.reset_invalid", "a link is used once");

        for session in &sessions {
            let e = app
                .anonymous()
                .refresh(RefreshRequest { refresh_token: session.refresh_token.clone() })
                .await
                .unwrap_err();
            assert_eq!(e.code(), Code::Unauthenticated, "a session outlived the reset");
        }
        let old = app
            .anonymous()
            .login(LoginRequest { identifier: email.into(), password: PASSWORD.into() })
            .await
            .unwrap_err();
        assert_eq!(old.code(), Code::Unauthenticated);
        app.anonymous()
            .login(LoginRequest { identifier: email.into(), password: NEW_PASSWORD.into() })
            .await
            .expect("the new password signs in");

        // By phone: the code with the number.
        app.anonymous()
            .request_password_reset(RequestPasswordResetRequest { identifier: "06 65 55 66 77".into(), locale: 0 })
            .await
            .unwrap();
        let code = delivered(&app, &id, "sms", "reset_password").await;
        assert_eq!(code.locale, Locale::Fr as i32, "the account's language");
        let e = app
            .anonymous()
            .reset_password(ResetPasswordRequest { secret: code.secret.clone(), new_password: PASSWORD.into(), ..Default::default() })
            .await
            .unwrap_err();
        assert_eq!(rule(&e), "password.reset_invalid", "a code alone finds no account");
        app.anonymous()
            .reset_password(ResetPasswordRequest {
                secret: code.secret.clone(),
                identifier: "+212665556677".into(),
                new_password: PASSWORD.into(),
            })
            .await
            .unwrap();
        app.login(email).await;

        let changed = outbox::<AccountPasswordChanged>(&app, "identity.account.password_changed").await;
        let hows: Vec<&str> = changed.iter().filter(|(m, _)| m.account_id == id).map(|(m, _)| m.how.as_str()).collect();
        assert_eq!(hows, ["reset", "reset"]);
        assert_eq!(audit_count(&app, "account.password_changed", &id).await, 2);
    }

    async fn reset_codes_expire_and_die_after_five_wrong_tries(app: TestApp) {
        let email = "tries@example.ma";
        let (id, mut me) = person(&app, email, "0667778899").await;
        verify_both(&app, &id, &mut me).await;
        let reset = |identifier: &str| RequestPasswordResetRequest { identifier: identifier.into(), locale: 0 };
        app.anonymous().request_password_reset(reset("0667778899")).await.unwrap();
        let code = delivered(&app, &id, "sms", "reset_password").await.secret;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let attempt = |secret: &str| ResetPasswordRequest {
            secret: secret.into(),
            identifier: "0667778899".into(),
            new_password: NEW_PASSWORD.into(),
        };
        for _ in 0..5 {
            assert_eq!(rule(&app.anonymous().reset_password(attempt(wrong)).await.unwrap_err()), "password.reset_invalid");
        }
        assert_eq!(rule(&app.anonymous().reset_password(attempt(&code)).await.unwrap_err()), "password.reset_invalid");

        app.anonymous().request_password_reset(reset("0667778899")).await.unwrap();
        let code = delivered(&app, &id, "sms", "reset_password").await.secret;
        app.clock.advance(Duration::from_secs(15 * 60 + 1));
        assert_eq!(rule(&app.anonymous().reset_password(attempt(&code)).await.unwrap_err()), "password.reset_invalid");
        app.login(email).await;
    }

    async fn a_reset_is_answered_alike_for_unknown_and_unverified_contacts_and_is_limited(app: TestApp) {
        let email = "limited@example.ma";
        let (id, _me) = person(&app, email, "0668889900").await;
        let reset = |identifier: &str| RequestPasswordResetRequest { identifier: identifier.into(), locale: 0 };

        // Unverified: the same answer, and nothing sent.
        let before = (app.count("outbox").await, app.count("contact_secrets").await);
        let unverified = app.anonymous().request_password_reset(reset(email)).await.unwrap().into_inner();
        let unknown = app.anonymous().request_password_reset(reset("nobody@example.ma")).await.unwrap().into_inner();
        assert_eq!(unverified, unknown);
        app.anonymous().request_password_reset(reset("0600000000")).await.unwrap();
        assert_eq!((app.count("outbox").await, app.count("contact_secrets").await), before, "an unverified or unknown contact got something");

        // Verified: at most three requests an hour for one identifier send something (the
        // unverified one above was the first), the others are answered alike.
        let link = delivered(&app, &id, "email", "verify_contact").await.secret;
        app.anonymous()
            .confirm_contact(ConfirmContactRequest { channel: ContactChannel::Email as i32, secret: link })
            .await
            .unwrap();
        let mut answers = Vec::new();
        for _ in 0..5 {
            answers.push(app.anonymous().request_password_reset(reset(email)).await.unwrap().into_inner());
        }
        assert!(answers.iter().all(|a| *a == unknown));
        assert_eq!(requests_count(&app, &id, "reset_password").await, 2, "three requests an hour per identifier");
        app.clock.advance(Duration::from_secs(3601));
        app.anonymous().request_password_reset(reset(email)).await.unwrap();
        assert_eq!(requests_count(&app, &id, "reset_password").await, 3, "a new hour, a new message");
    }

    async fn resets_are_limited_per_client_address_whatever_the_identifier(app: TestApp) {
        let portal = app.with_token(&app.service_token("portal").await);
        let from = |address: &str, identifier: &str| {
            let mut request = tonic::Request::new(RequestPasswordResetRequest { identifier: identifier.into(), locale: 0 });
            request.metadata_mut().insert(tachawor_auth::CLIENT_ADDRESS, address.parse().unwrap());
            request
        };
        for i in 0..30 {
            portal.clone().request_password_reset(from("198.51.100.7", &format!("p{i}@example.ma"))).await.unwrap();
        }
        for identifier in ["p0@example.ma", "someone.else@example.ma", "0611111111"] {
            let e = portal.clone().request_password_reset(from("198.51.100.7", identifier)).await.unwrap_err();
            assert_eq!(e.code(), Code::ResourceExhausted, "{identifier}");
        }
        portal
            .clone()
            .request_password_reset(from("198.51.100.8", "p0@example.ma"))
            .await
            .expect("another address is not limited");
    }

    async fn changing_the_password_needs_the_current_one_and_ends_every_other_session(app: TestApp) {
        let email = "change.pw@example.ma";
        let (id, mut me) = person(&app, email, "0669990011").await;
        let other = app.login(email).await;

        let e = me
            .change_password(ChangePasswordRequest { current_password: "not my password".into(), new_password: NEW_PASSWORD.into() })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::PermissionDenied);
        app.anonymous()
            .refresh(RefreshRequest { refresh_token: other.refresh_token.clone() })
            .await
            .expect("a wrong password changes nothing");
        let other = app.login(email).await;

        let fresh = me
            .change_password(ChangePasswordRequest { current_password: PASSWORD.into(), new_password: NEW_PASSWORD.into() })
            .await
            .unwrap()
            .into_inner()
            .tokens
            .expect("new tokens");
        let e = app.anonymous().refresh(RefreshRequest { refresh_token: other.refresh_token }).await.unwrap_err();
        assert_eq!(e.code(), Code::Unauthenticated, "another session outlived the change");
        app.anonymous()
            .refresh(RefreshRequest { refresh_token: fresh.refresh_token })
            .await
            .expect("the caller's new session goes on");
        let mut with_new = app.with_token(&fresh.access_token);
        assert_eq!(my_account(&mut with_new).await.account_id, id);
        app.anonymous()
            .login(LoginRequest { identifier: email.into(), password: NEW_PASSWORD.into() })
            .await
            .expect("the new password signs in");
        let changed = outbox::<AccountPasswordChanged>(&app, "identity.account.password_changed").await;
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].0, AccountPasswordChanged { account_id: id, how: "changed".into() });
    }

    async fn changing_a_contact_needs_the_password_and_verifies_the_new_one(app: TestApp) {
        let email = "old.address@example.ma";
        let (id, mut me) = person(&app, email, "0661212121").await;
        verify_both(&app, &id, &mut me).await;
        app.register("taken@example.ma").await;
        let change = |value: &str, password: &str| ChangeContactRequest {
            channel: ContactChannel::Email as i32,
            value: value.into(),
            password: password.into(),
        };

        let e = me.change_contact(change("new.address@example.ma", "wrong password!")).await.unwrap_err();
        assert_eq!(e.code(), Code::PermissionDenied);
        let e = me.change_contact(change(" Taken@Example.ma", PASSWORD)).await.unwrap_err();
        assert_eq!(e.code(), Code::AlreadyExists);
        assert!(e.message().contains("contact.taken"), "{e:?}");
        let e = me.change_contact(change(email, PASSWORD)).await.unwrap_err();
        assert_eq!(rule(&e), "contact.unchanged");
        assert!(my_account(&mut me).await.email_verified, "refusals changed the account");

        let changed = me
            .change_contact(change("New.Address@example.ma", PASSWORD))
            .await
            .unwrap()
            .into_inner()
            .account
            .unwrap();
        assert_eq!(changed.email, "new.address@example.ma");
        assert!(!changed.email_verified && changed.phone_verified);
        let sent = delivered(&app, &id, "email", "verify_contact").await;
        assert_eq!(sent.address, "new.address@example.ma");

        let old = app
            .anonymous()
            .login(LoginRequest { identifier: email.into(), password: PASSWORD.into() })
            .await
            .unwrap_err();
        assert_eq!(old.code(), Code::Unauthenticated, "the old address no longer signs in");
        app.login("new.address@example.ma").await;
        app.anonymous()
            .confirm_contact(ConfirmContactRequest { channel: ContactChannel::Email as i32, secret: sent.secret })
            .await
            .unwrap();
        assert!(my_account(&mut me).await.email_verified);
        assert_eq!(audit_count(&app, "account.change_contact", &id).await, 1);

        // A phone too, in national form.
        let changed = me
            .change_contact(ChangeContactRequest { channel: ContactChannel::Phone as i32, value: "07 00 11 22 33".into(), password: PASSWORD.into() })
            .await
            .unwrap()
            .into_inner()
            .account
            .unwrap();
        assert_eq!(changed.phone, "+212700112233");
        assert!(!changed.phone_verified);
        assert_eq!(delivered(&app, &id, "sms", "verify_contact").await.address, "+212700112233");
    }

    async fn without_a_request_only_a_verified_consented_contact_is_given(app: TestApp) {
        let email = "consent@example.ma";
        let (id, mut me) = person(&app, email, "0661313131").await;
        let mut notification = notification(&app).await;
        let ask = |channel: ContactChannel| GetDeliveryContactRequest {
            account_id: id.clone(),
            channel: channel as i32,
            request_id: String::new(),
        };
        let consent = |purpose: &str, granted: bool| RecordConsentRequest { purpose: purpose.into(), version: "2026-12".into(), granted };

        me.record_consent(consent("messages.email", true)).await.expect("a dotted purpose is accepted");
        let e = notification.get_delivery_contact(ask(ContactChannel::Email)).await.unwrap_err();
        assert_eq!(e.code(), Code::NotFound, "consented but unverified");

        verify_both(&app, &id, &mut me).await;
        let given = notification.get_delivery_contact(ask(ContactChannel::Email)).await.unwrap().into_inner();
        assert_eq!(given.address, email);
        assert!(given.secret.is_empty());
        assert_eq!(given.display_name, "Khadija Ait");
        let e = notification.get_delivery_contact(ask(ContactChannel::Phone)).await.unwrap_err();
        assert_eq!(e.code(), Code::NotFound, "verified but no consent to texts");
        me.record_consent(consent("messages.sms", true)).await.unwrap();
        assert_eq!(
            notification.get_delivery_contact(ask(ContactChannel::Phone)).await.unwrap().into_inner().address,
            "+212661313131"
        );
        me.record_consent(consent("messages.email", false)).await.unwrap();
        let e = notification.get_delivery_contact(ask(ContactChannel::Email)).await.unwrap_err();
        assert_eq!(e.code(), Code::NotFound, "consent withdrawn");

        // Another service is refused.
        let e = app.service().await.get_delivery_contact(ask(ContactChannel::Phone)).await.unwrap_err();
        assert_eq!(e.code(), Code::PermissionDenied);

        // Deleted: nothing to send to, and no secret left.
        me.change_contact(ChangeContactRequest { channel: ContactChannel::Email as i32, value: "pending@example.ma".into(), password: PASSWORD.into() })
            .await
            .unwrap();
        let pending = requested(&app, &id, "email", "verify_contact").await.unwrap();
        me.delete_my_account(DeleteMyAccountRequest { password: PASSWORD.into() }).await.unwrap();
        assert_eq!(secrets_of(&app, &id).await, 0, "pending secrets outlived the account");
        for request_id in [String::new(), pending.request_id] {
            let e = notification
                .get_delivery_contact(GetDeliveryContactRequest { account_id: id.clone(), channel: ContactChannel::Phone as i32, request_id })
                .await
                .unwrap_err();
            assert_eq!(e.code(), Code::NotFound);
        }
    }
}
