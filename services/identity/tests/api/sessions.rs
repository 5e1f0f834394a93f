//! Registration, login, refresh and logout; rate limits; tokens verified by another process.

use std::sync::Arc;

use tachawor_auth::{GrpcKeySource, KeySource, Verifier, VerifierSettings};
use tachawor_proto::identity::{
    GetKeySetRequest, GetMyAccountRequest, LoginRequest, LogoutRequest, RefreshRequest,
    RegisterRequest, RotateSigningKeyRequest,
};
use tachawor_testkit::{Backend, matrix};
use tonic::Code;

use crate::helpers::{PASSWORD, TestApp};
use tachawor_identity::testing::ADMIN_EMAIL;

matrix! {
    async fn register_login_and_read_my_account(app: TestApp) {
        let id = app.register("Amina@Example.MA").await;
        let tokens = app.login("amina@example.ma").await;
        assert!(!tokens.access_token.is_empty());
        assert!(!tokens.refresh_token.is_empty());
        let me = app
            .with_token(&tokens.access_token)
            .get_my_account(GetMyAccountRequest {})
            .await
            .unwrap()
            .into_inner()
            .account
            .unwrap();
        assert_eq!(me.account_id, id);
        assert_eq!(me.email, "amina@example.ma", "emails are stored lowercased");
        assert!(!me.verified);
    }

    async fn registering_a_known_email_answers_as_for_a_new_one_and_adds_nothing(app: TestApp) {
        let first = app
            .anonymous()
            .register(RegisterRequest {
                email: "twice@example.ma".into(),
                password: PASSWORD.into(),
                display_name: "First Owner".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        let again = app
            .anonymous()
            .register(RegisterRequest {
                email: "TWICE@example.ma".into(),
                password: "another long password".into(),
                display_name: "Someone Else".into(),
                ..Default::default()
            })
            .await
            .expect("the same answer as for a new account, not ALREADY_EXISTS");
        assert_eq!(again.into_inner(), first, "nothing tells the two apart");
        assert_eq!(app.count("accounts").await, 2, "the admin and the first account");
        // The owner's password still signs in; the second one does not.
        app.login("twice@example.ma").await;
        let e = app
            .anonymous()
            .login(LoginRequest { identifier: "twice@example.ma".into(), password: "another long password".into() })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::Unauthenticated);
    }

    async fn login_by_phone_in_national_form(app: TestApp) {
        app.anonymous()
            .register(RegisterRequest {
                phone: "+212 6 61 23 45 67".into(),
                password: PASSWORD.into(),
                display_name: "Brahim".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        let r = app
            .anonymous()
            .login(LoginRequest { identifier: "0661234567".into(), password: PASSWORD.into() })
            .await;
        assert!(r.is_ok(), "{r:?}");
    }

    async fn wrong_password_is_unauthenticated_and_says_nothing_more(app: TestApp) {
        app.register("known@example.ma").await;
        let wrong = app
            .anonymous()
            .login(LoginRequest { identifier: "known@example.ma".into(), password: "not the password".into() })
            .await
            .unwrap_err();
        let unknown = app
            .anonymous()
            .login(LoginRequest { identifier: "nobody@example.ma".into(), password: "not the password".into() })
            .await
            .unwrap_err();
        assert_eq!(wrong.code(), Code::Unauthenticated);
        assert_eq!(unknown.code(), Code::Unauthenticated);
        assert_eq!(wrong.message(), unknown.message(), "no hint whether the account exists");
    }

    async fn refresh_rotates_and_a_token_replayed_after_the_grace_revokes_the_family(app: TestApp) {
        app.register("rotate@example.ma").await;
        let first = app.login("rotate@example.ma").await;
        let second = app
            .anonymous()
            .refresh(RefreshRequest { refresh_token: first.refresh_token.clone() })
            .await
            .unwrap()
            .into_inner()
            .tokens
            .unwrap();
        assert_ne!(second.refresh_token, first.refresh_token);

        // The first token again, well after it was used: someone copied it. The family goes.
        app.clock.advance(std::time::Duration::from_secs(21));
        let reuse = app
            .anonymous()
            .refresh(RefreshRequest { refresh_token: first.refresh_token.clone() })
            .await
            .unwrap_err();
        assert_eq!(reuse.code(), Code::Unauthenticated);
        let after = app
            .anonymous()
            .refresh(RefreshRequest { refresh_token: second.refresh_token.clone() })
            .await
            .unwrap_err();
        assert_eq!(after.code(), Code::Unauthenticated, "the legitimate successor is revoked too");

        // Another login is unaffected.
        let other = app.login("rotate@example.ma").await;
        assert!(app
            .anonymous()
            .refresh(RefreshRequest { refresh_token: other.refresh_token })
            .await
            .is_ok());
    }

    async fn pages_refreshing_at_once_with_one_token_all_stay_signed_in(app: TestApp) {
        app.register("race@example.ma").await;
        let tokens = app.login("race@example.ma").await;
        let mut calls = Vec::new();
        for _ in 0..8 {
            let mut client = app.anonymous();
            let token = tokens.refresh_token.clone();
            calls.push(tokio::spawn(async move {
                client.refresh(RefreshRequest { refresh_token: token }).await
            }));
        }
        let mut successors = Vec::new();
        for call in calls {
            let pair = call.await.unwrap().expect("a refresh within the grace succeeds");
            successors.push(pair.into_inner().tokens.unwrap());
        }
        // Each successor is distinct and opens the session; the family was not revoked.
        let distinct: std::collections::BTreeSet<_> =
            successors.iter().map(|t| t.refresh_token.clone()).collect();
        assert_eq!(distinct.len(), successors.len());
        for pair in successors {
            let me = app
                .with_token(&pair.access_token)
                .get_my_account(GetMyAccountRequest {})
                .await;
            assert!(me.is_ok(), "{me:?}");
            assert!(app
                .anonymous()
                .refresh(RefreshRequest { refresh_token: pair.refresh_token })
                .await
                .is_ok());
        }
    }

    async fn logout_ends_the_session(app: TestApp) {
        app.register("bye@example.ma").await;
        let tokens = app.login("bye@example.ma").await;
        app.anonymous()
            .logout(LogoutRequest { refresh_token: tokens.refresh_token.clone() })
            .await
            .unwrap();
        let err = app
            .anonymous()
            .refresh(RefreshRequest { refresh_token: tokens.refresh_token })
            .await
            .unwrap_err();
        assert_eq!(err.code(), Code::Unauthenticated);
    }

    async fn refresh_tokens_expire(app: TestApp) {
        app.register("late@example.ma").await;
        let tokens = app.login("late@example.ma").await;
        app.clock.advance(std::time::Duration::from_secs(31 * 24 * 3600));
        let err = app
            .anonymous()
            .refresh(RefreshRequest { refresh_token: tokens.refresh_token })
            .await
            .unwrap_err();
        assert_eq!(err.code(), Code::Unauthenticated);
    }

    async fn repeated_wrong_passwords_are_rate_limited(app: TestApp) {
        app.register("target@example.ma").await;
        for _ in 0..5 {
            let e = app
                .anonymous()
                .login(LoginRequest { identifier: "target@example.ma".into(), password: "guess guess guess".into() })
                .await
                .unwrap_err();
            assert_eq!(e.code(), Code::Unauthenticated);
        }
        // Even the right password is refused while the limit holds.
        let limited = app
            .anonymous()
            .login(LoginRequest { identifier: "target@example.ma".into(), password: PASSWORD.into() })
            .await
            .unwrap_err();
        assert_eq!(limited.code(), Code::ResourceExhausted);
        // Other identifiers are not affected by this identifier's limit.
        app.register("bystander@example.ma").await;
        app.login("bystander@example.ma").await;
        // After the window it works again.
        app.clock.advance(std::time::Duration::from_secs(16 * 60));
        app.login("target@example.ma").await;
    }

    async fn expired_access_tokens_are_refused(app: TestApp) {
        let (_, mut citizen) = app.citizen().await;
        assert!(citizen.get_my_account(GetMyAccountRequest {}).await.is_ok());
        app.clock.advance(std::time::Duration::from_secs(16 * 60));
        let err = citizen.get_my_account(GetMyAccountRequest {}).await.unwrap_err();
        assert_eq!(err.code(), Code::Unauthenticated);
    }

    async fn forged_and_foreign_tokens_are_refused(app: TestApp) {
        let (_, _) = app.citizen().await;
        // Signed by a key the service never published.
        let stranger = tachawor_auth::SigningKey::generate();
        let now = app.clock_now_secs();
        let claims = tachawor_auth::Claims {
            iss: app.settings.tokens.issuer.clone(),
            aud: app.settings.tokens.audience.clone(),
            sub: uuid::Uuid::now_v7().to_string(),
            exp: now + 600,
            nbf: now,
            iat: now,
            jti: "x".into(),
            kind: tachawor_auth::SubjectKind::Account,
            roles: vec!["administrator".into()],
            scopes: vec![],
        };
        let forged = stranger.sign(&claims).unwrap();
        let e = app.with_token(&forged).get_my_account(GetMyAccountRequest {}).await.unwrap_err();
        assert_eq!(e.code(), Code::Unauthenticated);

        // alg: none.
        use base64::Engine;
        let b64 = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        let none = format!(
            "{}.{}.",
            b64(r#"{"alg":"none","typ":"at+jwt"}"#),
            b64(&serde_json::to_string(&claims).unwrap())
        );
        let e = app.with_token(&none).get_my_account(GetMyAccountRequest {}).await.unwrap_err();
        assert_eq!(e.code(), Code::Unauthenticated);

        // Garbage.
        let e = app.with_token("not.a.jwt").get_my_account(GetMyAccountRequest {}).await.unwrap_err();
        assert_eq!(e.code(), Code::Unauthenticated);
    }
}

impl TestApp {
    fn clock_now_secs(&self) -> i64 {
        use tachawor_storage::Clock;
        self.clock.now_millis() / 1000
    }
}

/// Tokens are for one audience: a deployment configured for another refuses them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_process_verifies_tokens_with_the_published_keys_only_for_its_audience() {
    let app = <TestApp as tachawor_testkit::Harness>::start(Backend::Sqlite).await;
    app.register("keys@example.ma").await;
    let tokens = app.login("keys@example.ma").await;

    // Another process fetches the key set over gRPC, as any service does at start.
    let addr = app.endpoint();
    let channel = tonic::transport::Channel::from_shared(addr)
        .unwrap()
        .connect_lazy();
    let source = GrpcKeySource::new(channel);
    let keys = source.fetch().await.expect("key set");
    assert!(!keys.is_empty());

    let settings = VerifierSettings {
        issuer: app.settings.tokens.issuer.clone(),
        audience: app.settings.tokens.audience.clone(),
        ..VerifierSettings::default()
    };
    let clock = Arc::new(app.clock.clone());
    let verifier = Verifier::with_clock(&settings, clock.clone());
    verifier.set_keys(&keys);
    let claims = verifier.verify(&tokens.access_token).expect("valid token");
    assert_eq!(claims.roles, vec!["citizen".to_string()]);

    let elsewhere = Verifier::with_clock(
        &VerifierSettings {
            audience: "another-deployment".into(),
            ..settings.clone()
        },
        clock,
    );
    elsewhere.set_keys(&keys);
    assert!(
        elsewhere.verify(&tokens.access_token).is_err(),
        "wrong audience accepted"
    );
}

/// The `kid` in a JWT's header.
fn kid_of(token: &str) -> String {
    use base64::Engine;
    let header = token.split('.').next().expect("a JWT");
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .expect("base64url header");
    let value: serde_json::Value = serde_json::from_slice(&json).expect("JSON header");
    value["kid"].as_str().expect("a kid").to_string()
}

matrix! {
    async fn signing_keys_rotate_with_overlap(app: TestApp) {
        let mut admin = app.admin().await;
        let before = app.login(ADMIN_EMAIL).await;
        let first = kid_of(&before.access_token);

        let second = admin.rotate_signing_key(RotateSigningKeyRequest {}).await.unwrap().into_inner().kid;
        let published: Vec<String> = app.anonymous().get_key_set(GetKeySetRequest {}).await.unwrap()
            .into_inner().keys.into_iter().map(|k| k.kid).collect();
        assert!(published.contains(&first) && published.contains(&second), "{published:?}");
        // Published first, signing only after the pre-publication delay.
        assert_eq!(kid_of(&app.login(ADMIN_EMAIL).await.access_token), first);
        app.clock.advance(std::time::Duration::from_secs(361));
        let after = app.login(ADMIN_EMAIL).await;
        assert_eq!(kid_of(&after.access_token), second);
        // Tokens of both keys are accepted during the overlap.
        for token in [&before.access_token, &after.access_token] {
            assert!(app.with_token(token).get_my_account(GetMyAccountRequest {}).await.is_ok());
        }

        // Once every token of the first key has expired, the next rotation retires it.
        app.clock.advance(std::time::Duration::from_secs(900 + 121));
        let mut admin = app.with_token(&app.login(ADMIN_EMAIL).await.access_token);
        let third = admin.rotate_signing_key(RotateSigningKeyRequest {}).await.unwrap().into_inner().kid;
        let published: Vec<String> = app.anonymous().get_key_set(GetKeySetRequest {}).await.unwrap()
            .into_inner().keys.into_iter().map(|k| k.kid).collect();
        assert!(!published.contains(&first), "{published:?}");
        assert!(published.contains(&second) && published.contains(&third));
    }
}

/// With a peer limit of 3, three failures on three identifiers lock that peer out.
async fn peer_limit(backend: Backend) {
    let app = TestApp::start_with(
        backend,
        std::collections::HashMap::from([("login_limits.max_failures_per_peer", "3".to_string())]),
    )
    .await;
    app.register("honest@example.ma").await;
    for i in 0..3 {
        let e = app
            .anonymous()
            .login(LoginRequest {
                identifier: format!("guess{i}@example.ma"),
                password: "wrong password".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::Unauthenticated);
    }
    let limited = app
        .anonymous()
        .login(LoginRequest {
            identifier: "honest@example.ma".into(),
            password: PASSWORD.into(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        limited.code(),
        Code::ResourceExhausted,
        "this peer made too many failures"
    );
}

mod failures_from_one_peer_are_limited_across_identifiers {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        peer_limit(Backend::Postgres).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        peer_limit(Backend::Sqlite).await;
    }
}
