//! Bounded costs: login attempts counted before the password is checked, a delay that grows
//! instead of a lockout, per-client limits keyed on the address a trusted front reports (IPv6
//! by /64), registrations limited per client and overall, password hashing bounded.

use std::{collections::HashMap, time::Duration};

use tachawor_identity::testing::{Client, SERVICE_SECRET};
use tachawor_proto::identity::{IssueServiceTokenRequest, LoginRequest, RegisterRequest};
use tachawor_testkit::{Backend, matrix};
use tonic::{Code, Status};

use crate::helpers::{PASSWORD, TestApp};

/// A login for `identifier`, answered as a status code and message.
async fn attempt(
    client: &mut Client,
    identifier: &str,
    password: &str,
    from: Option<&str>,
) -> (Code, String) {
    let mut request = tonic::Request::new(LoginRequest {
        identifier: identifier.into(),
        password: password.into(),
    });
    if let Some(address) = from {
        request
            .metadata_mut()
            .insert(tachawor_auth::CLIENT_ADDRESS, address.parse().unwrap());
    }
    match client.login(request).await {
        Ok(_) => (Code::Ok, String::new()),
        Err(e) => (e.code(), e.message().to_string()),
    }
}

/// A client authenticated as the service `client_id` (configured with [`SERVICE_SECRET`]).
async fn service_client(app: &TestApp, client_id: &str) -> Client {
    let token = app
        .anonymous()
        .issue_service_token(IssueServiceTokenRequest {
            client_id: client_id.into(),
            client_secret: SERVICE_SECRET.into(),
        })
        .await
        .expect("service token")
        .into_inner()
        .access_token;
    app.with_token(&token)
}

/// The wait a `RESOURCE_EXHAUSTED` message names, in seconds.
fn wait_secs(message: &str) -> u64 {
    message
        .rsplit("try again in ")
        .next()
        .and_then(|rest| rest.strip_suffix(" s"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no wait named in {message:?}"))
}

matrix! {
    async fn guesses_sent_at_once_are_checked_at_most_the_allowed_number(app: TestApp) {
        app.register("parallel@example.ma").await;
        let calls: Vec<_> = (0..12)
            .map(|_| {
                let mut client = app.anonymous();
                tokio::spawn(async move {
                    attempt(&mut client, "parallel@example.ma", "a guessed password", None).await
                })
            })
            .collect();
        let (mut checked, mut refused) = (0, 0);
        for call in calls {
            match call.await.unwrap() {
                (Code::Unauthenticated, _) => checked += 1,
                (Code::ResourceExhausted, _) => refused += 1,
                other => panic!("unexpected answer {other:?}"),
            }
        }
        assert!(checked <= 5, "{checked} of 12 guesses sent at once were checked (at most 5)");
        assert_eq!(checked + refused, 12);
    }

    async fn each_further_guess_waits_twice_as_long_and_the_owner_is_not_locked_out(app: TestApp) {
        app.register("owner@example.ma").await;
        let mut client = app.anonymous();
        for _ in 0..5 {
            let (code, _) = attempt(&mut client, "owner@example.ma", "a guessed password", None).await;
            assert_eq!(code, Code::Unauthenticated);
        }
        let mut waits = Vec::new();
        for _ in 0..4 {
            let (code, message) = attempt(&mut client, "owner@example.ma", "a guessed password", None).await;
            assert_eq!(code, Code::ResourceExhausted, "{message}");
            let wait = wait_secs(&message);
            waits.push(wait);
            // Asking again before the time is refused the same and does not push it back.
            let (code, again) = attempt(&mut client, "owner@example.ma", PASSWORD, None).await;
            assert_eq!(code, Code::ResourceExhausted);
            assert_eq!(wait_secs(&again), wait);
            app.clock.advance(Duration::from_secs(wait));
            let (code, _) = attempt(&mut client, "owner@example.ma", "a guessed password", None).await;
            assert_eq!(code, Code::Unauthenticated, "checked once the wait is over");
        }
        assert_eq!(waits, [1, 2, 4, 8], "the delay doubles");
        // The owner, after the current wait (not the whole window), signs in; that ends the run.
        app.clock.advance(Duration::from_secs(16));
        let (code, _) = attempt(&mut client, "owner@example.ma", PASSWORD, None).await;
        assert_eq!(code, Code::Ok);
        let (code, _) = attempt(&mut client, "owner@example.ma", "a guessed password", None).await;
        assert_eq!(code, Code::Unauthenticated, "a new run starts without delay");
    }

}

async fn registrations_limited(backend: Backend) {
    let app = TestApp::start_with(
        backend,
        HashMap::from([
            ("register_limits.max_per_peer", "2".to_string()),
            ("register_limits.max_total", "4".to_string()),
            ("service_clients.portal", SERVICE_SECRET.to_string()),
        ]),
    )
    .await;
    let register = |client: &Client, email: &str, from: Option<&str>| {
        let mut client = client.clone();
        let mut request = tonic::Request::new(RegisterRequest {
            email: email.into(),
            password: PASSWORD.into(),
            display_name: "New Person".into(),
            ..Default::default()
        });
        if let Some(address) = from {
            request
                .metadata_mut()
                .insert(tachawor_auth::CLIENT_ADDRESS, address.parse().unwrap());
        }
        async move {
            client
                .register(request)
                .await
                .map(|_| ())
                .map_err(|e: Status| e.code())
        }
    };
    let anonymous = app.anonymous();
    let portal = service_client(&app, "portal").await;
    assert_eq!(register(&anonymous, "r1@example.ma", None).await, Ok(()));
    assert_eq!(register(&anonymous, "r2@example.ma", None).await, Ok(()));
    assert_eq!(
        register(&anonymous, "r3@example.ma", None).await,
        Err(Code::ResourceExhausted)
    );
    // Through the portal, each person is their own client ...
    assert_eq!(
        register(&portal, "r4@example.ma", Some("192.0.2.10")).await,
        Ok(())
    );
    assert_eq!(
        register(&portal, "r5@example.ma", Some("192.0.2.11")).await,
        Ok(())
    );
    // ... up to the overall limit.
    assert_eq!(
        register(&portal, "r6@example.ma", Some("192.0.2.12")).await,
        Err(Code::ResourceExhausted)
    );
    assert_eq!(
        app.count("accounts").await,
        1 + 4,
        "nothing written for a refused registration"
    );
    app.clock.advance(Duration::from_secs(3601));
    assert_eq!(register(&anonymous, "r3@example.ma", None).await, Ok(()));
}

async fn password_work_bounded(backend: Backend) {
    let app = TestApp::start_with(
        backend,
        HashMap::from([
            ("passwords.max_concurrent", "1".to_string()),
            ("passwords.queue_wait_ms", "1".to_string()),
        ]),
    )
    .await;
    let calls: Vec<_> = (0..8)
        .map(|i| {
            let mut client = app.anonymous();
            tokio::spawn(async move {
                client
                    .register(RegisterRequest {
                        email: format!("burst{i}@example.ma"),
                        password: PASSWORD.into(),
                        display_name: "Burst".into(),
                        ..Default::default()
                    })
                    .await
                    .map(|_| ())
                    .map_err(|e| e.code())
            })
        })
        .collect();
    let mut made = 0;
    let mut busy = 0;
    for call in calls {
        match call.await.unwrap() {
            Ok(()) => made += 1,
            Err(Code::ResourceExhausted) => busy += 1,
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert!(
        busy > 0,
        "8 hashes at once with room for one: some must be turned away"
    );
    assert!(made > 0);
    assert_eq!(
        app.count("accounts").await,
        1 + made,
        "a refused registration writes nothing"
    );
}

/// Per-client failure limits key on the address the portal reports for the person, an IPv6
/// one by its /64; the header from anyone else is ignored.
async fn client_address_from_a_trusted_front(backend: Backend) {
    let app = TestApp::start_with(
        backend,
        HashMap::from([
            ("login_limits.max_failures_per_peer", "3".to_string()),
            ("service_clients.portal", SERVICE_SECRET.to_string()),
        ]),
    )
    .await;
    app.register("honest@example.ma").await;
    let mut portal = service_client(&app, "portal").await;
    let mut other_service = service_client(&app, "consultation").await;
    let mut anonymous = app.anonymous();

    // Three failures from three addresses of one /64, reported by the portal.
    for (i, address) in ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3"]
        .iter()
        .enumerate()
    {
        let (code, _) = attempt(
            &mut portal,
            &format!("guess{i}@example.ma"),
            "wrong password",
            Some(address),
        )
        .await;
        assert_eq!(code, Code::Unauthenticated);
    }
    let (code, _) = attempt(
        &mut portal,
        "honest@example.ma",
        PASSWORD,
        Some("2001:db8:1:2::77"),
    )
    .await;
    assert_eq!(
        code,
        Code::ResourceExhausted,
        "the /64 made too many failures"
    );
    // Another /64 behind the same portal is not affected.
    let (code, _) = attempt(
        &mut portal,
        "honest@example.ma",
        PASSWORD,
        Some("2001:db8:1:3::1"),
    )
    .await;
    assert_eq!(code, Code::Ok);
    // The header from an anonymous caller or an untrusted service is ignored: they are keyed
    // on their own address, which has made no failure.
    let (code, _) = attempt(
        &mut anonymous,
        "honest@example.ma",
        PASSWORD,
        Some("2001:db8:1:2::1"),
    )
    .await;
    assert_eq!(code, Code::Ok);
    let (code, _) = attempt(
        &mut other_service,
        "honest@example.ma",
        PASSWORD,
        Some("2001:db8:1:2::1"),
    )
    .await;
    assert_eq!(code, Code::Ok);

    // Failures by an anonymous caller claiming a fresh address count against its own.
    for i in 0..3 {
        let (code, _) = attempt(
            &mut anonymous,
            &format!("more{i}@example.ma"),
            "wrong password",
            Some("2001:db8:9::1"),
        )
        .await;
        assert_eq!(code, Code::Unauthenticated);
    }
    let (code, _) = attempt(
        &mut anonymous,
        "honest@example.ma",
        PASSWORD,
        Some("2001:db8:9::1"),
    )
    .await;
    assert_eq!(
        code,
        Code::ResourceExhausted,
        "keyed on the direct peer, not the header"
    );
    let (code, _) = attempt(
        &mut portal,
        "honest@example.ma",
        PASSWORD,
        Some("2001:db8:9::1"),
    )
    .await;
    assert_eq!(
        code,
        Code::Ok,
        "the portal's report for that address is clean"
    );
}

/// Runs a test that starts its own server (with its own settings) on both backends.
macro_rules! on_both_backends {
    ($($name:ident => $test:ident;)*) => {
        $(
            mod $name {
                use super::*;

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    $test(Backend::Postgres).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    $test(Backend::Sqlite).await;
                }
            }
        )*
    };
}

on_both_backends! {
    per_client_limits_key_on_the_address_a_trusted_front_reports => client_address_from_a_trusted_front;
    registrations_are_limited_per_client_and_in_all => registrations_limited;
    password_work_is_bounded_and_callers_over_it_are_told_to_come_back => password_work_bounded;
}
