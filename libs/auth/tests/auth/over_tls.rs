//! The key-set fetch over TLS: a stand-in identity served by `tachawor_server::serve` with a
//! certificate from a CA made in the test, and `remote_verifier` fetching from it. A verifier
//! that cannot authenticate identity (plaintext, another CA) gets no keys; with client
//! certificates required, only a verifier presenting one is served.

use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use secrecy::SecretString;
use tachawor_auth::{
    EligibilityClient, IdentityClientSettings, SigningKey, VerifierSettings, remote_verifier,
};
use tachawor_proto::identity::{GetKeySetRequest, GetKeySetResponse};
use tachawor_server::{ClientTlsSettings, ServerSettings, ServerTlsSettings};
use tachawor_storage::SystemClock;
use tachawor_testkit::{CertFiles, TestCa};
use tonic::codegen::BoxFuture;
use tonic::server::{Grpc, NamedService, UnaryService};
use tonic::{Request, Response, Status};

use crate::helpers::*;

/// Only `GetKeySet`, publishing one key.
#[derive(Clone)]
struct KeySetOnly(Arc<SigningKey>);

impl NamedService for KeySetOnly {
    const NAME: &'static str = "tachawor.identity.v1.IdentityService";
}

impl tonic::codegen::Service<http::Request<tonic::body::Body>> for KeySetOnly {
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Self::Response, Infallible>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<tonic::body::Body>) -> Self::Future {
        let key = self.0.clone();
        Box::pin(async move {
            if request.uri().path() != "/tachawor.identity.v1.IdentityService/GetKeySet" {
                return Ok(Status::unimplemented("").into_http());
            }
            let mut grpc = Grpc::new(tonic_prost::ProstCodec::default());
            Ok(grpc.unary(GetKeySet(key), request).await)
        })
    }
}

struct GetKeySet(Arc<SigningKey>);

impl UnaryService<GetKeySetRequest> for GetKeySet {
    type Response = GetKeySetResponse;
    type Future = BoxFuture<Response<GetKeySetResponse>, Status>;

    fn call(&mut self, _: Request<GetKeySetRequest>) -> Self::Future {
        let key = self.0.clone();
        Box::pin(async move {
            Ok(Response::new(GetKeySetResponse {
                issuer: "tachawor-identity".into(),
                keys: vec![key.public_key()],
            }))
        })
    }
}

fn path(p: &std::path::Path) -> String {
    p.display().to_string()
}

/// Serves the stand-in with `tls` until the returned sender is dropped; answers its port.
async fn serve_identity(
    key: Arc<SigningKey>,
    tls: ServerTlsSettings,
) -> (u16, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let settings = ServerSettings {
        listen_addr: "127.0.0.1:0".parse().unwrap(),
        tls,
        ..ServerSettings::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        tachawor_server::serve(listener, KeySetOnly(key), Vec::new(), &settings, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    (port, stop)
}

fn server_tls(cert: &CertFiles, client_ca: Option<&TestCa>) -> ServerTlsSettings {
    ServerTlsSettings {
        cert_file: path(&cert.cert_file),
        key_file: path(&cert.key_file),
        client_ca_file: client_ca.map(|ca| path(&ca.ca_file)).unwrap_or_default(),
    }
}

fn verifier_settings(url: String, ca: &TestCa, client: Option<&CertFiles>) -> VerifierSettings {
    VerifierSettings {
        identity_url: url,
        tls: ClientTlsSettings {
            ca_file: path(&ca.ca_file),
            cert_file: client.map(|c| path(&c.cert_file)).unwrap_or_default(),
            key_file: client.map(|c| path(&c.key_file)).unwrap_or_default(),
            domain: String::new(),
        },
        startup_timeout_secs: 1,
        ..VerifierSettings::default()
    }
}

/// Whether `remote_verifier` got identity's key (and so verifies its tokens).
async fn verifier_gets_keys(settings: VerifierSettings, key: &SigningKey) -> bool {
    let outcome = tokio::time::timeout(
        Duration::from_secs(10),
        remote_verifier(&settings, Arc::new(SystemClock)),
    )
    .await
    .expect("remote_verifier gives up within its start-up timeout");
    match outcome {
        Ok((verifier, refresh)) => {
            refresh.abort();
            assert_eq!(verifier.kids(), vec![key.kid().to_string()]);
            let token = key.sign(&claims(wall_now())).unwrap();
            assert!(verifier.verify(&token).is_ok());
            true
        }
        Err(_) => false,
    }
}

#[tokio::test]
async fn a_verifier_fetches_identitys_key_set_over_tls() {
    let ca = TestCa::new("platform");
    let cert = ca.issue("identity", &["identity", "127.0.0.1"]);
    let key = Arc::new(SigningKey::generate());
    let (port, _stop) = serve_identity(key.clone(), server_tls(&cert, None)).await;
    let url = format!("https://127.0.0.1:{port}");

    assert!(verifier_gets_keys(verifier_settings(url.clone(), &ca, None), &key).await);
    // By service name, as in a cluster where the URL's host is an alias.
    let by_name = VerifierSettings {
        tls: ClientTlsSettings {
            domain: "identity".into(),
            ..verifier_settings(url.clone(), &ca, None).tls
        },
        ..verifier_settings(url.clone(), &ca, None)
    };
    assert!(verifier_gets_keys(by_name, &key).await);

    // A key set from a server it cannot authenticate is never installed.
    let impostor = TestCa::new("impostor");
    assert!(!verifier_gets_keys(verifier_settings(url, &impostor, None), &key).await);
    let plaintext = VerifierSettings {
        identity_url: format!("http://127.0.0.1:{port}"),
        tls: ClientTlsSettings::default(),
        startup_timeout_secs: 1,
        ..VerifierSettings::default()
    };
    assert!(!verifier_gets_keys(plaintext, &key).await);
}

#[tokio::test]
async fn with_client_certificates_required_only_a_verifier_presenting_one_gets_keys() {
    let ca = TestCa::new("platform");
    let cert = ca.issue("identity", &["identity", "127.0.0.1"]);
    let consultation = ca.issue("consultation", &["consultation"]);
    let key = Arc::new(SigningKey::generate());
    let (port, _stop) = serve_identity(key.clone(), server_tls(&cert, Some(&ca))).await;
    let url = format!("https://127.0.0.1:{port}");

    assert!(!verifier_gets_keys(verifier_settings(url.clone(), &ca, None), &key).await);
    assert!(verifier_gets_keys(verifier_settings(url, &ca, Some(&consultation)), &key).await);
}

#[test]
fn the_eligibility_client_refuses_tls_settings_that_cannot_work() {
    let ca = TestCa::new("platform");
    let settings = |url: &str, ca_file: String| IdentityClientSettings {
        url: url.into(),
        tls: ClientTlsSettings {
            ca_file,
            ..Default::default()
        },
        client_id: "consultation".into(),
        client_secret: SecretString::from("secret"),
        timeout_ms: 1_000,
    };
    let clock = || Arc::new(SystemClock);
    // Building needs a runtime: the channel's connection task is spawned lazily on it.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let _entered = runtime.enter();
    assert!(
        EligibilityClient::new(&settings("https://identity:50051", String::new()), clock())
            .is_err()
    );
    assert!(
        EligibilityClient::new(
            &settings("http://identity:50051", path(&ca.ca_file)),
            clock()
        )
        .is_err()
    );
    assert!(
        EligibilityClient::new(
            &settings("https://identity:50051", path(&ca.ca_file)),
            clock()
        )
        .is_ok()
    );
}
