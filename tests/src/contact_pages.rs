//! The portal's pages for contacts and passwords, driven as a browser without script would:
//! the contact details page (verification sent, the phone's code, changes, the consent to
//! messages), changing the password, a forgotten password, and the emailed verification link.
//!
//! Links and codes reach a person through the notification service; the tests obtain them as
//! it does: the `identity.contact.message_requested` event names the request, and
//! `GetDeliveryContact` with notification's service token gives its secret.

use tachawor_identity::testing::{PASSWORD, SERVICE_SECRET};
use tachawor_proto::{
    events::ContactMessageRequested,
    identity::{
        ContactChannel, GetDeliveryContactRequest, GetMyAccountRequest, IssueServiceTokenRequest,
        LoginRequest, RefreshRequest, identity_service_client::IdentityServiceClient,
    },
};
use tonic::Code;

use crate::{
    Platform,
    separate::Servers,
    signed_in::register,
    web::{Browser, Page},
};

const NEW_PASSWORD: &str = "une nouvelle phrase de passe";

fn anonymous(p: &Platform) -> IdentityServiceClient<tonic::transport::Channel> {
    IdentityServiceClient::new(p.identity.clone())
}

async fn login(p: &Platform, identifier: &str, password: &str) -> Result<String, tonic::Status> {
    anonymous(p)
        .login(LoginRequest {
            identifier: identifier.into(),
            password: password.into(),
        })
        .await
        .map(|r| r.into_inner().tokens.expect("tokens").refresh_token)
}

pub async fn access_token(p: &Platform, identifier: &str, password: &str) -> String {
    anonymous(p)
        .login(LoginRequest {
            identifier: identifier.into(),
            password: password.into(),
        })
        .await
        .expect("signs in")
        .into_inner()
        .tokens
        .expect("tokens")
        .access_token
}

/// The error summary links to `field`, and the field carries its message.
fn beside(page: &Page, field: &str) {
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.body.contains(&format!("href=\"#{field}\""))
            && page.body.contains(&format!("id=\"{field}-error\"")),
        "no error beside {field}: {}",
        page.body
    );
    assert!(
        page.plain().contains("<title>Erreur :") || page.plain().contains("<title>خطأ:"),
        "the title says error first"
    );
}

pub async fn check_signed_out(p: &Platform) {
    let mut visitor = Browser::new(p.portal);
    for page in ["/fr/account/contact", "/ar/account/password"] {
        let to = visitor.get(page).await;
        assert_eq!(to.status, 303, "{page}");
        assert!(to.header("location").contains("/sign-in?next="), "{page}");
    }
    // The pages reached without an account: forgotten password, the emailed link.
    for page in [
        "/fr/password/forgot",
        "/ar/password/forgot",
        "/fr/password/reset?token=abc",
        "/ar/password/reset",
    ] {
        let shown = visitor.get(page).await;
        assert_eq!(shown.status, 200, "{page}: {}", shown.body);
        assert_eq!(shown.header("cache-control"), "no-store", "{page}");
    }
    let sign_in = visitor.get("/fr/sign-in").await;
    assert!(sign_in.body.contains("href=\"/fr/password/forgot\""));

    let link = visitor.get("/fr/account/contact/verify?token=abc").await;
    assert_eq!(link.status, 200, "{}", link.body);
    assert!(
        link.body.contains("name=\"token\" value=\"abc\"")
            && link.plain().contains("Confirmer mon adresse e-mail")
    );
    let empty = visitor.get("/ar/account/contact/verify").await;
    assert_eq!(empty.status, 422);
    assert!(empty.plain().contains("هذا الرابط لم يعد يعمل"));
    // A made-up token is refused with the failure page, in the page's language.
    let refused = visitor
        .submit(
            "/fr/account/contact/verify?token=abc",
            "/fr/account/contact/verify",
            &[("token", "abc")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.plain().contains("Ce lien ne fonctionne plus"));
    assert!(refused.plain().contains("<title>Erreur :"));
    // Without its form token nothing is tried.
    let forged = visitor
        .post_raw("/fr/account/contact/verify", &[("token", "abc")])
        .await;
    assert_eq!(forged.status, 403);
}

pub async fn check_forgot(p: &Platform) {
    let mut visitor = Browser::new(p.portal);
    let empty = visitor
        .submit(
            "/fr/password/forgot",
            "/fr/password/forgot",
            &[("identifier", "")],
        )
        .await;
    beside(&empty, "identifier");
    let malformed = visitor
        .submit(
            "/ar/password/forgot",
            "/ar/password/forgot",
            &[("identifier", "not an address")],
        )
        .await;
    beside(&malformed, "identifier");
    // The same answer for an address with an account and one without.
    let (_, email) = register(p, "fr", "Nadia Reset").await;
    for who in [email.as_str(), "nobody-here@portal.test"] {
        let sent = visitor
            .submit(
                "/fr/password/forgot",
                "/fr/password/forgot",
                &[("identifier", who)],
            )
            .await;
        assert_eq!(sent.status, 303, "{}", sent.body);
        assert_eq!(sent.header("location"), "/fr/password/forgot/sent");
    }
    let page = visitor.get("/fr/password/forgot/sent").await;
    assert!(page.plain().contains("Si un compte a cette adresse e-mail"));
    // A phone number leads to the form that takes the code; the number is not in the URL.
    let by_phone = visitor
        .submit(
            "/ar/password/forgot",
            "/ar/password/forgot",
            &[("identifier", "0612345678")],
        )
        .await;
    assert_eq!(by_phone.status, 303, "{}", by_phone.body);
    assert_eq!(by_phone.header("location"), "/ar/password/reset?sent=1");
    let code_form = visitor.follow(&by_phone).await;
    assert!(code_form.plain().contains("رسالة نصية برمز في الطريق"));
    assert!(code_form.body.contains("id=\"code\"") && code_form.body.contains("id=\"phone\""));

    // The reset form: both passwords the same, the code beside its field, a spent link at the
    // top; nothing is sent back.
    let different = visitor
        .submit(
            "/fr/password/reset?token=abc",
            "/fr/password/reset",
            &[
                ("token", "abc"),
                ("new_password", NEW_PASSWORD),
                ("new_password_again", "autre chose encore"),
            ],
        )
        .await;
    beside(&different, "new_password_again");
    assert!(!different.body.contains(NEW_PASSWORD));
    let bad_link = visitor
        .submit(
            "/fr/password/reset?token=abc",
            "/fr/password/reset",
            &[
                ("token", "abc"),
                ("new_password", NEW_PASSWORD),
                ("new_password_again", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(bad_link.status, 422, "{}", bad_link.body);
    assert!(
        bad_link
            .plain()
            .contains("Ce lien ou ce code n’est plus valable")
    );
    let bad_code = visitor
        .submit(
            "/fr/password/reset",
            "/fr/password/reset",
            &[
                ("phone", "0612345678"),
                ("code", "000000"),
                ("new_password", NEW_PASSWORD),
                ("new_password_again", NEW_PASSWORD),
            ],
        )
        .await;
    beside(&bad_code, "code");
    let missing = visitor
        .submit(
            "/ar/password/reset",
            "/ar/password/reset",
            &[("phone", ""), ("code", ""), ("new_password", "")],
        )
        .await;
    for field in ["phone", "code", "new_password"] {
        beside(&missing, field);
    }
    // The password was not changed by any of it.
    assert!(login(p, &email, PASSWORD).await.is_ok());
}

pub async fn check_change_password(p: &Platform) {
    let (mut browser, email) = register(p, "fr", "Karim Motdepasse").await;
    let page = browser.get("/fr/account/password").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.header("cache-control"), "no-store");
    let account = browser.get("/fr/account").await;
    assert!(account.body.contains("href=\"/fr/account/password\""));
    assert!(account.body.contains("href=\"/fr/account/contact\""));

    let forged = browser
        .post_raw(
            "/fr/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
                ("new_password_again", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    let fields = |current: &'static str, new: &'static str, again: &'static str| {
        [
            ("current_password", current),
            ("new_password", new),
            ("new_password_again", again),
        ]
    };
    let different = browser
        .submit(
            "/fr/account/password",
            "/fr/account/password",
            &fields(PASSWORD, NEW_PASSWORD, "pas la même phrase"),
        )
        .await;
    beside(&different, "new_password_again");
    assert!(
        different
            .body
            .contains("href=\"/fr/account/notifications\""),
        "a form shown again has the header's inbox link"
    );
    let wrong = browser
        .submit(
            "/fr/account/password",
            "/fr/account/password",
            &fields("not the password", NEW_PASSWORD, NEW_PASSWORD),
        )
        .await;
    beside(&wrong, "current_password");
    assert!(
        wrong
            .plain()
            .contains("Le mot de passe actuel est incorrect")
    );
    let short = browser
        .submit(
            "/ar/account/password",
            "/ar/account/password",
            &fields(PASSWORD, "court", "court"),
        )
        .await;
    beside(&short, "new_password");
    assert!(short.plain().contains("10 أحرف على الأقل"));
    assert!(login(p, &email, PASSWORD).await.is_ok(), "nothing changed");

    // Another session, elsewhere: signed out by the change.
    let elsewhere = login(p, &email, PASSWORD).await.expect("signs in");
    let changed = browser
        .submit(
            "/fr/account/password",
            "/fr/account/password",
            &fields(PASSWORD, NEW_PASSWORD, NEW_PASSWORD),
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(changed.header("location"), "/fr/account/password?done=1");
    assert!(
        changed
            .headers
            .iter()
            .any(|(n, v)| n == "set-cookie" && v.starts_with("tachawor-session=")),
        "the new tokens are kept"
    );
    let told = browser.follow(&changed).await;
    assert!(
        told.plain()
            .contains("Toutes vos autres sessions ont été déconnectées")
    );
    assert_eq!(
        browser.get("/fr/account").await.status,
        200,
        "still signed in"
    );
    let refused = anonymous(p)
        .refresh(RefreshRequest {
            refresh_token: elsewhere,
        })
        .await
        .expect_err("the other session is over");
    assert_eq!(refused.code(), Code::Unauthenticated);
    assert!(login(p, &email, PASSWORD).await.is_err());
    assert!(login(p, &email, NEW_PASSWORD).await.is_ok());
}

pub async fn check_contact_page(p: &Platform) {
    let (mut browser, email) = register(p, "fr", "Leila Contact").await;
    let page = browser.get("/fr/account/contact").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.header("cache-control"), "no-store");
    let text = page.plain();
    assert!(
        text.contains(&email) && text.contains("Pas encore vérifié"),
        "{text}"
    );
    assert!(text.contains("seulement à une adresse ou un numéro vérifié"));

    let sent = browser
        .submit(
            "/fr/account/contact",
            "/fr/account/contact/send",
            &[("channel", "email")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(
        sent.header("location"),
        "/fr/account/contact?done=sent-email"
    );
    assert!(
        browser
            .follow(&sent)
            .await
            .plain()
            .contains("Un lien de vérification est en route")
    );
    // The account has no phone: nothing to send to, said as a sentence.
    let no_phone = browser
        .submit(
            "/fr/account/contact",
            "/fr/account/contact/send",
            &[("channel", "phone")],
        )
        .await;
    assert_eq!(no_phone.status, 422, "{}", no_phone.body);
    assert!(
        no_phone
            .plain()
            .contains("Votre compte n’a pas encore cette coordonnée")
    );

    // A phone added: it starts unverified, with the form for its code.
    let digits = uuid::Uuid::new_v4().as_u128() % 100_000_000;
    let phone = format!("06{digits:08}");
    let added = browser
        .submit(
            "/fr/account/contact",
            "/fr/account/contact/change",
            &[
                ("channel", "phone"),
                ("new_phone", &phone),
                ("phone_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(
        added.header("location"),
        "/fr/account/contact?done=changed-phone"
    );
    let shown = browser.follow(&added).await;
    assert!(shown.body.contains("id=\"code\""), "{}", shown.body);

    // The phone's code: required, and a wrong one beside the field.
    let empty = browser
        .submit(
            "/fr/account/contact",
            "/fr/account/contact/confirm",
            &[("code", "")],
        )
        .await;
    beside(&empty, "code");
    let wrong = browser
        .submit(
            "/fr/account/contact",
            "/fr/account/contact/confirm",
            &[("code", "123456")],
        )
        .await;
    beside(&wrong, "code");

    // Changing the email: fields named beside the form that was sent, nothing changed.
    let change = |value: &'static str, password: &'static str| {
        [
            ("channel", "email"),
            ("new_email", value),
            ("email_password", password),
        ]
    };
    let missing = browser
        .submit(
            "/fr/account/contact",
            "/fr/account/contact/change",
            &change("", ""),
        )
        .await;
    beside(&missing, "new_email");
    beside(&missing, "email_password");
    let malformed = browser
        .submit(
            "/fr/account/contact",
            "/fr/account/contact/change",
            &change("pas une adresse", PASSWORD),
        )
        .await;
    beside(&malformed, "new_email");
    assert!(malformed.body.contains("value=\"pas une adresse\""), "kept");
    let wrong_password = browser
        .submit(
            "/fr/account/contact",
            "/fr/account/contact/change",
            &change("nouvelle@portal.test", "not the password"),
        )
        .await;
    beside(&wrong_password, "email_password");
    let token = access_token(p, &email, PASSWORD).await;
    let account = p
        .identity_as(&token)
        .get_my_account(GetMyAccountRequest {})
        .await
        .expect("account")
        .into_inner()
        .account
        .expect("account");
    assert_eq!(account.email, email, "nothing changed");

    // The consent to messages, read back through identity.
    let forged = browser
        .post_raw("/fr/account/contact/messages", &[("email", "yes")])
        .await;
    assert_eq!(forged.status, 403);
    let saved = browser
        .submit(
            "/fr/account/contact",
            "/fr/account/contact/messages",
            &[("email", "yes")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let consents = p
        .identity_as(&token)
        .export_my_data(tachawor_proto::identity::ExportMyDataRequest {})
        .await
        .expect("export")
        .into_inner()
        .consents;
    let latest = |purpose: &str| {
        consents
            .iter()
            .filter(|c| c.purpose == purpose)
            .max_by_key(|c| c.recorded_at.map(|t| (t.seconds, t.nanos)))
            .map(|c| (c.granted, c.version.clone()))
    };
    assert_eq!(latest("messages.email"), Some((true, "1".into())));
    assert_eq!(latest("messages.sms"), Some((false, "1".into())));
    let shown = browser.get("/ar/account/contact").await;
    assert!(
        shown
            .body
            .contains("id=\"messages-email\" name=\"email\" value=\"yes\" checked")
    );
    assert!(
        !shown
            .body
            .contains("id=\"messages-sms\" name=\"sms\" value=\"yes\" checked")
    );

    // Changed: the new address starts unverified.
    let changed_to = format!("{}@portal.test", uuid::Uuid::new_v4().simple());
    let changed = browser
        .submit(
            "/fr/account/contact",
            "/fr/account/contact/change",
            &[
                ("channel", "email"),
                ("new_email", &changed_to),
                ("email_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    let after = browser.follow(&changed).await.plain();
    assert!(
        after.contains(&changed_to) && after.contains("Pas encore vérifié"),
        "{after}"
    );
}

/// The secret of the latest request of `purpose` for `account_id` on `channel`, as the
/// notification service would obtain it.
async fn secret_of(
    servers: &Servers,
    account_id: &str,
    channel: ContactChannel,
    purpose: &str,
) -> String {
    let events = servers.env.events(&servers.identity.db, "identity").await;
    let wanted = if channel == ContactChannel::Email {
        "email"
    } else {
        "sms"
    };
    let request = events
        .iter()
        .rev()
        .filter_map(|(_, e)| tachawor_events::decode_payload::<ContactMessageRequested>(e).ok())
        .find(|m| m.account_id == account_id && m.purpose == purpose && m.channel == wanted)
        .expect("a message was requested");
    let p = &servers.platform;
    let token = anonymous(p)
        .issue_service_token(IssueServiceTokenRequest {
            client_id: "notification".into(),
            client_secret: SERVICE_SECRET.into(),
        })
        .await
        .expect("notification's token")
        .into_inner()
        .access_token;
    p.identity_as(&token)
        .get_delivery_contact(GetDeliveryContactRequest {
            account_id: account_id.into(),
            channel: channel as i32,
            request_id: request.request_id,
        })
        .await
        .expect("the pending request's contact")
        .into_inner()
        .secret
}

async fn account_of(
    p: &Platform,
    identifier: &str,
    password: &str,
) -> tachawor_proto::identity::Account {
    let token = access_token(p, identifier, password).await;
    p.identity_as(&token)
        .get_my_account(GetMyAccountRequest {})
        .await
        .expect("account")
        .into_inner()
        .account
        .expect("account")
}

/// Register, verify the email through its link, then forget the password and reset it.
pub async fn check_email_flows(servers: &Servers) {
    let p = &servers.platform;
    let (mut browser, email) = register(p, "ar", "Hind Verified").await;
    let account_id = account_of(p, &email, PASSWORD).await.account_id;
    let sent = browser
        .submit(
            "/ar/account/contact",
            "/ar/account/contact/send",
            &[("channel", "email")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let token = secret_of(
        servers,
        &account_id,
        ContactChannel::Email,
        "verify_contact",
    )
    .await;

    // The link opened elsewhere, signed out: showing it (twice, as a mail scanner would) spends
    // nothing; the button does.
    let mut elsewhere = Browser::new(p.portal);
    let link = format!("/ar/account/contact/verify?token={token}");
    for _ in 0..2 {
        let shown = elsewhere.get(&link).await;
        assert_eq!(shown.status, 200, "{}", shown.body);
    }
    assert!(!account_of(p, &email, PASSWORD).await.email_verified);
    let confirmed = elsewhere
        .submit(&link, "/ar/account/contact/verify", &[("token", &token)])
        .await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.body);
    assert_eq!(confirmed.header("location"), "/ar/account/contact/verified");
    assert!(
        elsewhere
            .follow(&confirmed)
            .await
            .plain()
            .contains("تم التحقق من بريدك الإلكتروني")
    );
    assert!(account_of(p, &email, PASSWORD).await.email_verified);
    assert!(
        browser
            .get("/fr/account/contact")
            .await
            .plain()
            .contains(">Vérifié<")
    );
    let again = elsewhere
        .submit(&link, "/ar/account/contact/verify", &[("token", &token)])
        .await;
    assert_eq!(again.status, 422, "a link works once");

    // Forgotten: the link by email, the new password twice, then signing in with it.
    let mut forgetful = Browser::new(p.portal);
    let asked = forgetful
        .submit(
            "/fr/password/forgot",
            "/fr/password/forgot",
            &[("identifier", &email)],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    let token = secret_of(
        servers,
        &account_id,
        ContactChannel::Email,
        "reset_password",
    )
    .await;
    let link = format!("/fr/password/reset?token={token}");
    let reset = forgetful
        .submit(
            &link,
            "/fr/password/reset",
            &[
                ("token", &token),
                ("new_password", NEW_PASSWORD),
                ("new_password_again", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(reset.status, 303, "{}", reset.body);
    assert_eq!(reset.header("location"), "/fr/password/reset/done");
    assert!(
        forgetful
            .follow(&reset)
            .await
            .plain()
            .contains("Connectez-vous avec votre nouveau mot de passe")
    );
    // Every session ended, the registering browser's too: its refresh token is refused (its
    // access token lives out its few minutes).
    let cookie = browser.cookies.get("tachawor-session").expect("a session");
    let refresh_token = cookie
        .split('~')
        .nth(2)
        .expect("the refresh token")
        .to_string();
    let refused = anonymous(p)
        .refresh(RefreshRequest { refresh_token })
        .await
        .expect_err("the session is over");
    assert_eq!(refused.code(), Code::Unauthenticated);
    let signed_in = forgetful
        .submit(
            "/fr/sign-in",
            "/fr/sign-in",
            &[
                ("identifier", &email),
                ("password", NEW_PASSWORD),
                ("next", "/fr/account"),
            ],
        )
        .await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    assert_eq!(signed_in.header("location"), "/fr/account");
}

/// Register with a phone, verify it with the texted code, then reset the password by code.
pub async fn check_phone_flows(servers: &Servers) {
    let p = &servers.platform;
    let mut browser = Browser::new(p.portal);
    let digits = uuid::Uuid::new_v4().as_u128() % 100_000_000;
    let phone = format!("06{digits:08}");
    let done = browser
        .submit(
            "/fr/register",
            "/fr/register",
            &[
                ("display_name", "Omar Téléphone"),
                ("email", ""),
                ("phone", &phone),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let account_id = account_of(p, &phone, PASSWORD).await.account_id;
    let sent = browser
        .submit(
            "/fr/account/contact",
            "/fr/account/contact/send",
            &[("channel", "phone")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let code = secret_of(
        servers,
        &account_id,
        ContactChannel::Phone,
        "verify_contact",
    )
    .await;
    let confirmed = browser
        .submit(
            "/fr/account/contact",
            "/fr/account/contact/confirm",
            &[("code", &code)],
        )
        .await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.body);
    assert_eq!(
        confirmed.header("location"),
        "/fr/account/contact?done=confirmed"
    );
    assert!(account_of(p, &phone, PASSWORD).await.phone_verified);

    let asked = browser
        .submit(
            "/ar/password/forgot",
            "/ar/password/forgot",
            &[("identifier", &phone)],
        )
        .await;
    assert_eq!(asked.header("location"), "/ar/password/reset?sent=1");
    let code = secret_of(
        servers,
        &account_id,
        ContactChannel::Phone,
        "reset_password",
    )
    .await;
    let reset = browser
        .submit(
            "/ar/password/reset?sent=1",
            "/ar/password/reset",
            &[
                ("phone", &phone),
                ("code", &code),
                ("new_password", NEW_PASSWORD),
                ("new_password_again", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(reset.status, 303, "{}", reset.body);
    assert!(login(p, &phone, NEW_PASSWORD).await.is_ok());
}

/// The inbox's link and unread count in the header of a public page read by a signed-in
/// person, never stored by shared caches; none for the anonymous.
pub async fn check_header_count(p: &Platform) {
    let (mut browser, _) = register(p, "fr", "Samir Header").await;
    let page = browser.get("/fr/petitions").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("href=\"/fr/account/notifications\""),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<!--inbox-link-->"));
    assert_eq!(page.header("cache-control"), "no-store");
    let anonymous = Browser::new(p.portal).get("/fr/petitions").await;
    assert!(
        !anonymous
            .body
            .contains("href=\"/fr/account/notifications\"")
    );
}
