//! Identity served over mutual TLS from its settings, as the manifests run it: another service
//! presenting a certificate from the platform CA fetches the key set and has a person sign in;
//! a plaintext client, or one without a certificate, gets nothing.

use std::{collections::HashMap, sync::Arc, time::Duration};

use tachawor_auth::{VerifierSettings, remote_verifier};
use tachawor_identity::testing::PASSWORD;
use tachawor_proto::identity::{
    GetKeySetRequest, LoginRequest, RegisterRequest, identity_service_client::IdentityServiceClient,
};
use tachawor_server::ClientTlsSettings;
use tachawor_testkit::{Backend, CertFiles, Harness, TestCa, matrix};

use crate::helpers::TestApp;

fn path(p: &std::path::Path) -> String {
    p.display().to_string()
}

/// Identity with a certificate from a CA made for the test, requiring client certificates.
struct TlsApp {
    app: TestApp,
    ca: TestCa,
    /// A caller's certificate from the same CA.
    consultation: CertFiles,
}

impl Harness for TlsApp {
    async fn start(backend: Backend) -> Self {
        let ca = TestCa::new("platform");
        let server = ca.issue("identity", &["identity", "127.0.0.1"]);
        let consultation = ca.issue("consultation", &["consultation"]);
        let app = TestApp::start_with(
            backend,
            HashMap::from([
                ("server.tls.cert_file", path(&server.cert_file)),
                ("server.tls.key_file", path(&server.key_file)),
                ("server.tls.client_ca_file", path(&ca.ca_file)),
            ]),
        )
        .await;
        Self {
            app,
            ca,
            consultation,
        }
    }
}

impl TlsApp {
    fn url(&self) -> String {
        self.app.endpoint().replace("http://", "https://")
    }

    fn client_tls(&self, with_certificate: bool) -> ClientTlsSettings {
        ClientTlsSettings {
            ca_file: path(&self.ca.ca_file),
            cert_file: if with_certificate {
                path(&self.consultation.cert_file)
            } else {
                String::new()
            },
            key_file: if with_certificate {
                path(&self.consultation.key_file)
            } else {
                String::new()
            },
            domain: "identity".into(),
        }
    }

    fn verifier_settings(&self, with_certificate: bool) -> VerifierSettings {
        VerifierSettings {
            issuer: self.app.settings.tokens.issuer.clone(),
            audience: self.app.settings.tokens.audience.clone(),
            identity_url: self.url(),
            tls: self.client_tls(with_certificate),
            startup_timeout_secs: 5,
            ..VerifierSettings::default()
        }
    }
}

matrix! {
    async fn identity_serves_the_key_set_and_sign_in_over_mutual_tls(app: TlsApp) {
        let clock = Arc::new(app.app.clock.clone());
        let (verifier, refresh) = remote_verifier(&app.verifier_settings(true), clock.clone())
            .await
            .expect("key set fetched over mutual TLS");
        assert!(!verifier.kids().is_empty());

        // A person signs in through the same kind of channel; the token verifies.
        let channel = tachawor_server::endpoint(&app.url(), &app.client_tls(true))
            .unwrap()
            .connect()
            .await
            .expect("a TLS connection to identity");
        let mut identity = IdentityServiceClient::new(channel);
        identity
            .register(RegisterRequest {
                email: "tls@example.ma".into(),
                password: PASSWORD.into(),
                display_name: "Over TLS".into(),
                ..Default::default()
            })
            .await
            .expect("register over TLS");
        let tokens = identity
            .login(LoginRequest {
                identifier: "tls@example.ma".into(),
                password: PASSWORD.into(),
            })
            .await
            .expect("login over TLS")
            .into_inner()
            .tokens
            .expect("tokens");
        assert!(verifier.verify(&tokens.access_token).is_ok());
        refresh.abort();

        // Without a client certificate, or in plaintext: no key set.
        let no_certificate = VerifierSettings {
            startup_timeout_secs: 1,
            ..app.verifier_settings(false)
        };
        assert!(remote_verifier(&no_certificate, clock).await.is_err());
        let plaintext = tokio::time::timeout(
            Duration::from_secs(5),
            app.app.anonymous().get_key_set(GetKeySetRequest {}),
        )
        .await
        .expect("a plaintext call fails fast");
        assert!(plaintext.is_err(), "a plaintext client got the key set");
    }
}
