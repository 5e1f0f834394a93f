//! Server-wide limits: calls over `max_concurrent_calls` are refused at once across all
//! connections while health still answers, and `max_concurrent_streams` holds back the streams
//! a client opens on one connection.

mod support;

use std::{
    sync::atomic::Ordering,
    time::{Duration, Instant},
};

use support::{Echo, Running, echo, guarded, settings};
use tachawor_server::ServerSettings;
use tonic::Code;
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

/// Waits until `n` calls are in the handler, failing after five seconds.
async fn until_running(service: &Echo, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while service.running.load(Ordering::SeqCst) < n {
        assert!(Instant::now() < deadline, "{n} calls never ran at once");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn calls_over_the_limit_are_refused_at_once_while_health_answers() {
    const LIMIT: usize = 3;
    const OVER: usize = 4;
    let service = Echo::default();
    let mut server = Running::start(
        guarded(service.clone()),
        Vec::new(),
        ServerSettings {
            max_concurrent_calls: LIMIT,
            ..settings()
        },
    )
    .await;

    // The limit is across connections: each slow call on its own.
    let mut slow = Vec::new();
    for _ in 0..LIMIT {
        let channel = server.channel().await;
        slow.push(tokio::spawn(echo(channel, "sleep:2000", false)));
    }
    until_running(&service, LIMIT).await;

    let mut refused = Vec::new();
    for _ in 0..OVER {
        let channel = server.channel().await;
        refused.push(tokio::spawn(async move {
            let started = Instant::now();
            (echo(channel, "quick", false).await, started.elapsed())
        }));
    }
    for call in refused {
        let (outcome, took) = call.await.unwrap();
        let status = outcome.expect_err("a call over the limit was served");
        assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
        assert!(
            took < Duration::from_millis(1000),
            "refused only after {took:?}"
        );
    }

    // Probes are exempt: health answers SERVING while the service is full.
    let health = HealthClient::new(server.channel().await)
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(health.status(), ServingStatus::Serving);
    assert_eq!(service.most_running.load(Ordering::SeqCst), LIMIT);

    // Once the slow calls end, their places are free again.
    for call in slow {
        assert_eq!(call.await.unwrap().unwrap(), "sleep:2000");
    }
    assert_eq!(
        echo(server.channel().await, "again", false).await.unwrap(),
        "again"
    );

    server.shut_down();
    server.stopped(Duration::from_secs(5)).await.unwrap();
}

#[tokio::test]
async fn one_connection_runs_at_most_max_concurrent_streams_calls() {
    let service = Echo::default();
    let mut server = Running::start(
        guarded(service.clone()),
        Vec::new(),
        ServerSettings {
            max_concurrent_streams: 2,
            ..settings()
        },
    )
    .await;
    let channel = server.channel().await;
    // One round trip first, so the client has the server's HTTP/2 settings.
    echo(channel.clone(), "hello", false).await.unwrap();

    let calls: Vec<_> = (0..5)
        .map(|_| tokio::spawn(echo(channel.clone(), "sleep:200", false)))
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), "sleep:200");
    }
    assert_eq!(service.most_running.load(Ordering::SeqCst), 2);

    server.shut_down();
    server.stopped(Duration::from_secs(5)).await.unwrap();
}
