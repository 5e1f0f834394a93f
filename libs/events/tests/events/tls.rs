//! The identity and TLS settings against a server that requires both, as production's does:
//! TLS with a CA of the test's own (openssl makes it), the server verifying the client's
//! certificate, and a user known to the server only by its public nkey.

use std::{
    net::TcpListener,
    path::Path,
    process::{Child, Command, Stdio},
    time::Duration,
};

use tachawor_events::{Bus, BusKind, EventsSettings, NatsAuth, NatsTls};

use crate::support::*;

fn openssl(dir: &Path, args: &[&str]) {
    let status = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("openssl is needed to make the test's certificates");
    assert!(status.success(), "openssl {args:?} failed");
}

/// A CA, and a certificate for 127.0.0.1 it signed, usable by server and client.
fn certificates(dir: &Path) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509", "-days", "1", "-subj", "/CN=test CA"];
    ca.extend(ec);
    ca.extend(["-keyout", "ca.key", "-out", "ca.crt"]);
    openssl(dir, &ca);
    let mut csr = vec!["req", "-subj", "/CN=nats"];
    csr.extend(ec);
    csr.extend(["-keyout", "tls.key", "-out", "tls.csr"]);
    openssl(dir, &csr);
    std::fs::write(
        dir.join("ext"),
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "tls.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "1",
            "-extfile",
            "ext",
            "-out",
            "tls.crt",
        ],
    );
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn server(dir: &Path, public_nkey: &str) -> (Server, String) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let d = dir.display();
    std::fs::write(
        dir.join("nats.conf"),
        format!(
            "tls {{\n  cert_file: \"{d}/tls.crt\"\n  key_file: \"{d}/tls.key\"\n  \
             ca_file: \"{d}/ca.crt\"\n  verify: true\n}}\n\
             accounts {{\n  TACHAWOR {{\n    jetstream: enabled\n    \
             users: [ {{ nkey: {public_nkey} }} ]\n  }}\n}}\n"
        ),
    )
    .unwrap();
    let child = Command::new("/usr/sbin/nats-server")
        .args([
            "-c",
            "nats.conf",
            "-a",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-js",
            "-sd",
        ])
        .arg(dir.join("store"))
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nats-server at /usr/sbin/nats-server starts");
    let addr = format!("127.0.0.1:{port}");
    wait_until(Duration::from_secs(10), "nats-server listens", || async {
        tokio::net::TcpStream::connect(&addr).await.is_ok()
    })
    .await;
    (Server(child), format!("nats://127.0.0.1:{port}"))
}

#[tokio::test]
async fn a_client_with_the_ca_its_certificate_and_its_nkey_seed_gets_in_and_no_other() {
    let dir = tempfile::tempdir().unwrap();
    certificates(dir.path());
    let user = nkeys::KeyPair::new_user();
    std::fs::write(dir.path().join("nkey.seed"), user.seed().unwrap() + "\n").unwrap();
    let (_server, url) = server(dir.path(), &user.public_key()).await;

    let tls = NatsTls {
        required: true,
        ca_file: Some(dir.path().join("ca.crt")),
        cert_file: Some(dir.path().join("tls.crt")),
        key_file: Some(dir.path().join("tls.key")),
    };
    let settings = EventsSettings {
        nats_url: url,
        request_timeout_ms: 2_000,
        auth: NatsAuth {
            nkey_seed_file: Some(dir.path().join("nkey.seed")),
            ..NatsAuth::default()
        },
        tls: tls.clone(),
        ..settings(BusKind::Nats)
    };
    let bus = Bus::connect(&settings).await.unwrap();
    wait_until(
        Duration::from_secs(10),
        "the client is admitted",
        || async { bus.is_connected() },
    )
    .await;
    bus.ensure_stream(PRODUCER)
        .await
        .expect("JetStream answers");
    let envelope = tachawor_events::Envelope {
        event_id: uuid::Uuid::now_v7().to_string(),
        r#type: EVENT_TYPE.into(),
        producer: PRODUCER.into(),
        ..Default::default()
    };
    assert!(!bus.publish(&envelope).await.unwrap().duplicate);
    assert_eq!(stream_ids(&bus).await, vec![envelope.event_id.clone()]);

    // Another seed, no client certificate, or the system's roots instead of the CA: refused.
    let refused = [
        EventsSettings {
            auth: NatsAuth {
                nkey_seed: Some(nkeys::KeyPair::new_user().seed().unwrap().into()),
                ..NatsAuth::default()
            },
            ..settings.clone()
        },
        EventsSettings {
            tls: NatsTls {
                cert_file: None,
                key_file: None,
                ..tls.clone()
            },
            ..settings.clone()
        },
        EventsSettings {
            tls: NatsTls {
                ca_file: None,
                ..tls.clone()
            },
            ..settings.clone()
        },
    ];
    for (i, other) in refused.iter().enumerate() {
        let bus = Bus::connect(other).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        assert!(!bus.is_connected(), "case {i} was let in");
    }
}
