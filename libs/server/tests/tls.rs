//! `serve` with TLS and mutual TLS, with certificates made in the test: who is served and who is
//! refused, and settings that cannot work are refused before anything is served.

mod support;

use std::time::Duration;

use support::{Echo, Running, echo, guarded, settings};
use tachawor_server::{
    ClientTlsSettings, ServerError, ServerSettings, ServerTlsSettings, endpoint,
};
use tachawor_testkit::{CertFiles, TestCa};
use tonic::transport::Channel;

fn path(p: &std::path::Path) -> String {
    p.display().to_string()
}

fn server_tls(server: &CertFiles, client_ca: Option<&TestCa>) -> ServerSettings {
    ServerSettings {
        tls: ServerTlsSettings {
            cert_file: path(&server.cert_file),
            key_file: path(&server.key_file),
            client_ca_file: client_ca.map(|ca| path(&ca.ca_file)).unwrap_or_default(),
        },
        ..settings()
    }
}

fn trusting(ca: &TestCa, client: Option<&CertFiles>) -> ClientTlsSettings {
    ClientTlsSettings {
        ca_file: path(&ca.ca_file),
        cert_file: client.map(|c| path(&c.cert_file)).unwrap_or_default(),
        key_file: client.map(|c| path(&c.key_file)).unwrap_or_default(),
        domain: String::new(),
    }
}

/// Whether an echo call gets through, whether the refusal comes at connect or at the call.
async fn served(channel: Result<Channel, tonic::transport::Error>) -> bool {
    let Ok(channel) = channel else {
        return false;
    };
    let call = tokio::time::timeout(Duration::from_secs(5), echo(channel, "hello", false));
    matches!(call.await, Ok(Ok(answer)) if answer == "hello")
}

#[tokio::test]
async fn a_tls_server_answers_a_client_that_trusts_its_ca() {
    let ca = TestCa::new("platform");
    let cert = ca.issue("server", &["localhost", "127.0.0.1"]);
    let mut server = Running::start(
        guarded(Echo::default()),
        Vec::new(),
        server_tls(&cert, None),
    )
    .await;

    // By address (an IP name in the certificate) and by host name.
    assert!(served(server.tls_channel("127.0.0.1", &trusting(&ca, None)).await).await);
    assert!(served(server.tls_channel("localhost", &trusting(&ca, None)).await).await);
    // A name the certificate does not carry is refused, even from the trusted CA.
    let elsewhere = ClientTlsSettings {
        domain: "identity.elsewhere".into(),
        ..trusting(&ca, None)
    };
    assert!(!served(server.tls_channel("127.0.0.1", &elsewhere).await).await);

    server.shut_down();
    server.stopped(Duration::from_secs(5)).await.unwrap();
}

#[tokio::test]
async fn plaintext_clients_and_clients_trusting_another_ca_are_refused() {
    let ca = TestCa::new("platform");
    let cert = ca.issue("server", &["localhost", "127.0.0.1"]);
    let mut server = Running::start(
        guarded(Echo::default()),
        Vec::new(),
        server_tls(&cert, None),
    )
    .await;

    let plaintext = Channel::from_shared(format!("http://{}", server.addr))
        .unwrap()
        .connect_timeout(Duration::from_secs(5))
        .connect()
        .await;
    assert!(!served(plaintext).await, "a plaintext client was served");

    let other = TestCa::new("impostor");
    assert!(
        !served(
            server
                .tls_channel("127.0.0.1", &trusting(&other, None))
                .await
        )
        .await,
        "a client trusting another CA was served"
    );

    // The server still serves those who trust it.
    assert!(served(server.tls_channel("127.0.0.1", &trusting(&ca, None)).await).await);
    server.shut_down();
    server.stopped(Duration::from_secs(5)).await.unwrap();
}

#[tokio::test]
async fn with_client_certificates_required_only_clients_of_the_ca_are_served() {
    let ca = TestCa::new("platform");
    let cert = ca.issue("server", &["localhost", "127.0.0.1"]);
    let consultation = ca.issue("consultation", &["consultation"]);
    let other = TestCa::new("impostor");
    let forged = other.issue("forged", &["consultation"]);
    let mut server = Running::start(
        guarded(Echo::default()),
        Vec::new(),
        server_tls(&cert, Some(&ca)),
    )
    .await;

    assert!(
        !served(server.tls_channel("127.0.0.1", &trusting(&ca, None)).await).await,
        "a client without a certificate was served"
    );
    assert!(
        !served(
            server
                .tls_channel("127.0.0.1", &trusting(&ca, Some(&forged)))
                .await
        )
        .await,
        "a client with a certificate from another CA was served"
    );
    assert!(
        served(
            server
                .tls_channel("127.0.0.1", &trusting(&ca, Some(&consultation)))
                .await
        )
        .await
    );

    server.shut_down();
    server.stopped(Duration::from_secs(5)).await.unwrap();
}

#[tokio::test]
async fn tls_settings_that_cannot_work_stop_serve_before_it_serves() {
    let ca = TestCa::new("platform");
    let cert = ca.issue("server", &["localhost"]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let broken = [
        ServerTlsSettings {
            cert_file: path(&cert.cert_file),
            ..Default::default()
        },
        ServerTlsSettings {
            key_file: path(&cert.key_file),
            ..Default::default()
        },
        ServerTlsSettings {
            cert_file: path(&cert.cert_file),
            key_file: "/nonexistent/tls.key".into(),
            client_ca_file: String::new(),
        },
    ];
    for tls in broken {
        let settings = ServerSettings {
            tls: tls.clone(),
            ..settings()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let outcome = tokio::time::timeout(
            Duration::from_secs(5),
            tachawor_server::serve(listener, Echo::default(), Vec::new(), &settings, async {}),
        )
        .await
        .expect("serve returned at once");
        assert!(
            matches!(outcome, Err(ServerError::Tls(_))),
            "{tls:?}: {outcome:?}"
        );
    }
    drop(listener);
}

#[test]
fn client_settings_must_match_the_url() {
    let ca = TestCa::new("platform");
    let client = ca.issue("client", &["consultation"]);
    let none = ClientTlsSettings::default();
    // Plaintext stays possible (the all-in-one on loopback).
    assert!(endpoint("http://127.0.0.1:50051", &none).is_ok());
    // https without a CA to trust, TLS files with an http URL: refused, not guessed.
    assert!(endpoint("https://identity:50051", &none).is_err());
    assert!(endpoint("http://identity:50051", &trusting(&ca, None)).is_err());
    // A certificate without its key.
    let half = ClientTlsSettings {
        key_file: String::new(),
        ..trusting(&ca, Some(&client))
    };
    assert!(endpoint("https://identity:50051", &half).is_err());
    let missing = ClientTlsSettings {
        ca_file: "/nonexistent/ca.crt".into(),
        ..Default::default()
    };
    assert!(endpoint("https://identity:50051", &missing).is_err());
    assert!(endpoint("not a url", &none).is_err());
    assert!(endpoint("https://identity:50051", &trusting(&ca, Some(&client))).is_ok());
}

#[tokio::test]
async fn a_plaintext_health_port_answers_probes_and_nothing_else() {
    use tonic_health::pb::{
        HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
    };
    let ca = TestCa::new("platform");
    let cert = ca.issue("server", &["localhost", "127.0.0.1"]);
    // A free port for the health listener, which `serve` binds itself.
    let health_addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut server = Running::start(
        guarded(Echo::default()),
        Vec::new(),
        ServerSettings {
            health_listen_addr: Some(health_addr),
            ..server_tls(&cert, Some(&ca))
        },
    )
    .await;

    // `serve` binds it in its own task: wait for it.
    let endpoint = Channel::from_shared(format!("http://{health_addr}")).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let probe = loop {
        match endpoint.connect().await {
            Ok(channel) => break channel,
            Err(e) if std::time::Instant::now() > deadline => panic!("no health port: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    };
    for service in ["", support::ECHO_SERVICE] {
        let status = HealthClient::new(probe.clone())
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap()
            .into_inner()
            .status();
        assert_eq!(status, ServingStatus::Serving);
    }
    // The service itself is not reachable there.
    let elsewhere = echo(probe, "hello", false).await.unwrap_err();
    assert_eq!(elsewhere.code(), tonic::Code::Unimplemented);

    server.shut_down();
    server.stopped(Duration::from_secs(5)).await.unwrap();
    assert!(tokio::net::TcpStream::connect(health_addr).await.is_err());
}
