//! `serve` end to end on loopback: health driven by probes, reflection, the interceptor-wrapped
//! service, the request timeout, and draining on shutdown.

mod support;

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use support::{ECHO_SERVICE, Echo, Running, echo, guarded, settings};
use tachawor_server::{Check, LIVENESS, ServerSettings, probe};
use tonic::{Code, transport::Channel};
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

async fn health(channel: Channel, service: &str) -> Result<ServingStatus, tonic::Status> {
    let response = HealthClient::new(channel)
        .check(HealthCheckRequest {
            service: service.to_owned(),
        })
        .await?;
    Ok(response.into_inner().status())
}

/// Polls the health of `service` until it is `wanted`, failing after five seconds.
async fn wait_for_health(channel: &Channel, service: &str, wanted: ServingStatus) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let status = health(channel.clone(), service).await.unwrap();
        if status == wanted {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "`{service}` still {status:?}, expected {wanted:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn switch(initially: bool) -> (Arc<AtomicBool>, tachawor_server::Probe) {
    let healthy = Arc::new(AtomicBool::new(initially));
    let flag = healthy.clone();
    let check = probe(move || {
        let flag = flag.clone();
        async move { flag.load(Ordering::SeqCst) }
    });
    (healthy, check)
}

#[tokio::test]
async fn health_follows_the_probes() {
    let (database, database_probe) = switch(true);
    let (_bus, bus_probe) = switch(true);
    let mut server = Running::start(
        guarded(Echo::default()),
        vec![
            Check::required("database", database_probe),
            Check::required("bus", bus_probe),
        ],
        settings(),
    )
    .await;
    let channel = server.channel().await;

    for service in ["", ECHO_SERVICE] {
        assert_eq!(
            health(channel.clone(), service).await.unwrap(),
            ServingStatus::Serving
        );
    }
    let unknown = health(channel.clone(), "tachawor.nope.v1.Nope")
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);

    database.store(false, Ordering::SeqCst);
    wait_for_health(&channel, ECHO_SERVICE, ServingStatus::NotServing).await;
    assert_eq!(
        health(channel.clone(), "").await.unwrap(),
        ServingStatus::NotServing
    );

    database.store(true, Ordering::SeqCst);
    wait_for_health(&channel, ECHO_SERVICE, ServingStatus::Serving).await;
    assert_eq!(
        health(channel.clone(), "").await.unwrap(),
        ServingStatus::Serving
    );

    server.shut_down();
    server.stopped(Duration::from_secs(5)).await.unwrap();
}

/// The bus down leaves the service ready (writes wait in the outbox); the database down makes
/// it unready; neither makes it look dead to a liveness probe.
#[tokio::test]
async fn a_degrading_check_leaves_it_ready_and_no_check_makes_it_dead() {
    let (database, database_probe) = switch(true);
    let (bus, bus_probe) = switch(true);
    let mut server = Running::start(
        guarded(Echo::default()),
        vec![
            Check::required("database", database_probe),
            Check::degrading("bus", bus_probe),
        ],
        settings(),
    )
    .await;
    let channel = server.channel().await;
    assert_eq!(
        health(channel.clone(), LIVENESS).await.unwrap(),
        ServingStatus::Serving
    );

    bus.store(false, Ordering::SeqCst);
    database.store(false, Ordering::SeqCst);
    wait_for_health(&channel, "", ServingStatus::NotServing).await;
    assert_eq!(
        health(channel.clone(), LIVENESS).await.unwrap(),
        ServingStatus::Serving,
        "an unready process is still alive"
    );
    // The database back, the bus still down: ready again.
    database.store(true, Ordering::SeqCst);
    wait_for_health(&channel, "", ServingStatus::Serving).await;
    for service in [ECHO_SERVICE, LIVENESS] {
        assert_eq!(
            health(channel.clone(), service).await.unwrap(),
            ServingStatus::Serving
        );
    }
    assert!(!bus.load(Ordering::SeqCst));

    server.shut_down();
    server.stopped(Duration::from_secs(5)).await.unwrap();
}

#[tokio::test]
async fn a_failing_probe_means_not_serving_from_the_first_call() {
    let (_database, database_probe) = switch(false);
    let mut server = Running::start(
        guarded(Echo::default()),
        vec![Check::required("database", database_probe)],
        ServerSettings {
            // No re-check can run before the assertion: the verdict is the initial one.
            health_check_interval_ms: 60_000,
            ..settings()
        },
    )
    .await;
    let channel = server.channel().await;
    for service in ["", ECHO_SERVICE] {
        assert_eq!(
            health(channel.clone(), service).await.unwrap(),
            ServingStatus::NotServing
        );
    }
    server.shut_down();
    server.stopped(Duration::from_secs(5)).await.unwrap();
}

#[tokio::test]
async fn a_probe_that_hangs_counts_as_failing() {
    let hanging = probe(std::future::pending::<bool>);
    let mut server = Running::start(
        guarded(Echo::default()),
        vec![Check::required("hangs", hanging)],
        settings(),
    )
    .await;
    let channel = server.channel().await;
    assert_eq!(
        health(channel, ECHO_SERVICE).await.unwrap(),
        ServingStatus::NotServing
    );
    server.shut_down();
    server.stopped(Duration::from_secs(5)).await.unwrap();
}

#[tokio::test]
async fn reflection_lists_the_services_in_v1_and_v1alpha() {
    // A service without an interceptor satisfies `serve` too.
    let mut server = Running::start(Echo::default(), Vec::new(), settings()).await;
    let channel = server.channel().await;

    let v1 = {
        use tonic_reflection::pb::v1::{
            ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
            server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
        };
        let request = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::ListServices(String::new())),
        };
        let mut answers = ServerReflectionClient::new(channel.clone())
            .server_reflection_info(tokio_stream::iter([request]))
            .await
            .unwrap()
            .into_inner();
        match answers.message().await.unwrap().unwrap().message_response {
            Some(MessageResponse::ListServicesResponse(list)) => list
                .service
                .into_iter()
                .map(|service| service.name)
                .collect::<Vec<_>>(),
            other => panic!("unexpected reflection answer: {other:?}"),
        }
    };
    let v1alpha = {
        use tonic_reflection::pb::v1alpha::{
            ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
            server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
        };
        let request = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::ListServices(String::new())),
        };
        let mut answers = ServerReflectionClient::new(channel.clone())
            .server_reflection_info(tokio_stream::iter([request]))
            .await
            .unwrap()
            .into_inner();
        match answers.message().await.unwrap().unwrap().message_response {
            Some(MessageResponse::ListServicesResponse(list)) => list
                .service
                .into_iter()
                .map(|service| service.name)
                .collect::<Vec<_>>(),
            other => panic!("unexpected reflection answer: {other:?}"),
        }
    };
    for expected in [
        "tachawor.identity.v1.IdentityService",
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
    ] {
        assert!(v1.iter().any(|name| name == expected), "{expected}: {v1:?}");
    }
    for expected in [
        "tachawor.identity.v1.IdentityService",
        "grpc.reflection.v1alpha.ServerReflection",
    ] {
        assert!(
            v1alpha.iter().any(|name| name == expected),
            "{expected}: {v1alpha:?}"
        );
    }
    assert_eq!(echo(channel, "plain", false).await.unwrap(), "plain");
    server.shut_down();
    server.stopped(Duration::from_secs(5)).await.unwrap();
}

#[tokio::test]
async fn the_intercepted_service_answers_through_its_interceptor() {
    let mut server = Running::start(guarded(Echo::default()), Vec::new(), settings()).await;
    let channel = server.channel().await;

    assert_eq!(
        echo(channel.clone(), "hello", false).await.unwrap(),
        "hello"
    );
    let denied = echo(channel, "hello", true).await.unwrap_err();
    assert_eq!(denied.code(), Code::Unauthenticated);

    server.shut_down();
    server.stopped(Duration::from_secs(5)).await.unwrap();
}

#[tokio::test]
async fn a_call_longer_than_the_timeout_is_cut_off() {
    let mut server = Running::start(
        guarded(Echo::default()),
        Vec::new(),
        ServerSettings {
            request_timeout_ms: 100,
            ..settings()
        },
    )
    .await;
    let channel = server.channel().await;

    let started = Instant::now();
    let cut = echo(channel, "sleep:5000", false).await.unwrap_err();
    assert!(
        matches!(cut.code(), Code::Cancelled | Code::DeadlineExceeded),
        "{cut:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(4));

    server.shut_down();
    server.stopped(Duration::from_secs(5)).await.unwrap();
}

#[tokio::test]
async fn shutdown_reports_not_serving_and_drains_the_call_in_flight() {
    let service = Echo::default();
    let entered = service.entered.clone();
    let mut server = Running::start(guarded(service), Vec::new(), settings()).await;
    let channel = server.channel().await;

    let mut watch = HealthClient::new(channel.clone())
        .watch(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        watch.message().await.unwrap().unwrap().status(),
        ServingStatus::Serving
    );

    let slow = tokio::spawn(echo(channel, "sleep:300", false));
    entered.notified().await;
    server.shut_down();

    // Watchers hear NOT_SERVING, then their stream ends so it does not hold the drain open.
    assert_eq!(
        watch.message().await.unwrap().unwrap().status(),
        ServingStatus::NotServing
    );
    assert!(watch.message().await.unwrap().is_none());

    assert_eq!(slow.await.unwrap().unwrap(), "sleep:300");
    let addr = server.addr;
    server.stopped(Duration::from_secs(5)).await.unwrap();
    // The listener is closed.
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn the_grace_period_bounds_the_drain() {
    let service = Echo::default();
    let entered = service.entered.clone();
    let mut server = Running::start(
        guarded(service),
        Vec::new(),
        ServerSettings {
            shutdown_grace_ms: 200,
            ..settings()
        },
    )
    .await;
    let channel = server.channel().await;

    let _stuck = tokio::spawn(echo(channel, "sleep:20000", false));
    entered.notified().await;
    let started = Instant::now();
    server.shut_down();
    server.stopped(Duration::from_secs(5)).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(200), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
}
