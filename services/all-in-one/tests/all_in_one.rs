//! The all-in-one starts on an empty data directory with no configuration, serves every
//! service, and starts again on the same data.

use std::time::Duration;

use tachawor_all_in_one::{ADMIN_PASSWORD_FILE, Options, Platform, Selection};
use tachawor_proto::consultation::{
    CreatePetitionRequest, PetitionKind, consultation_service_client::ConsultationServiceClient,
};
use tachawor_proto::identity::{
    GetKeySetRequest, ListInstancesRequest, ListProvincesRequest, LoginRequest,
    identity_service_client::IdentityServiceClient,
};
use tachawor_proto::notification::{
    ListMyNotificationsRequest, notification_service_client::NotificationServiceClient,
};
use tachawor_proto::reporting::{
    GetCommitmentRequest, reporting_service_client::ReportingServiceClient,
};
use tachawor_proto::training::{
    ListSessionsRequest, training_service_client::TrainingServiceClient,
};
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

/// The identity URL, consultation's, reporting's and notification's addresses, the stop
/// signal and the platform's task.
type Started = (
    String,
    std::net::SocketAddr,
    std::net::SocketAddr,
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<anyhow::Result<()>>,
);

/// Every port picked free, the region's reference files from the repository.
fn options(services: Selection) -> Options {
    Options {
        identity_port: 0,
        consultation_port: 0,
        training_port: 0,
        reporting_port: 0,
        notification_port: 0,
        portal_port: 0,
        listen_host: std::net::Ipv4Addr::LOCALHOST.into(),
        commitments_file: Some(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../config/commitments/malaa0004.toml"),
        ),
        region_file: Some(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../config/regions/laayoune-sakia-el-hamra.toml"),
        ),
        services,
    }
}

async fn start(data_dir: &std::path::Path) -> Started {
    let platform = Platform::build(data_dir, None, options(Selection::all()))
        .await
        .expect("the all-in-one builds with no configuration");
    let addr = platform.addresses()[0].1;
    let consultation = platform.addresses()[1].1;
    let reporting = platform.addresses()[3].1;
    let notification = platform.addresses()[4].1;
    assert_eq!(
        platform
            .addresses()
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>(),
        [
            "identity",
            "consultation",
            "training",
            "reporting",
            "notification",
            "portal"
        ]
    );
    let portal = platform.addresses()[5].1;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(platform.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    assert!(
        http_get(portal, "/ar/").await.starts_with("HTTP/1.1 200"),
        "the portal serves its home page from the services beside it"
    );
    (
        format!("http://{addr}"),
        consultation,
        reporting,
        notification,
        stop,
        task,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starts_empty_serves_and_restarts_on_its_data() {
    let data = std::env::temp_dir().join(format!("tachawor-aio-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);

    let (url, consultation_addr, reporting_addr, notification_addr, stop, task) =
        start(&data).await;
    let channel = tonic::transport::Channel::from_shared(url.clone())
        .unwrap()
        .connect_lazy();

    wait_serving(channel.clone(), "tachawor.identity.v1.IdentityService").await;

    let mut identity = IdentityServiceClient::new(channel.clone());
    let provinces = identity
        .list_provinces(ListProvincesRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(provinces.region_code, "laayoune-sakia-el-hamra");
    assert_eq!(provinces.provinces.len(), 4);
    let password = std::fs::read_to_string(data.join(ADMIN_PASSWORD_FILE)).unwrap();
    let admin = identity
        .login(LoginRequest {
            identifier: "admin@tachawor.local".into(),
            password: password.trim().into(),
        })
        .await
        .expect("the generated administrator logs in")
        .into_inner()
        .tokens
        .unwrap();

    // Consultation reaches identity with its generated service credentials: creating a
    // petition asks identity about its agent, and the rules follow the region's population.
    let mut consultation = ConsultationServiceClient::with_interceptor(
        tachawor_testkit::channel(consultation_addr),
        tachawor_testkit::Bearer::new(&admin.access_token),
    );
    let petition = consultation
        .create_petition(CreatePetitionRequest {
            kind: PetitionKind::Citizen as i32,
            title: "Un parc à Tarfaya".into(),
            object: "Inscrire à l'ordre du jour l'aménagement d'un parc.".into(),
            subject_field: "environment".into(),
            association_id: String::new(),
        })
        .await
        .expect("consultation asks identity about the agent")
        .into_inner()
        .petition
        .unwrap();
    let rules = petition.rules.unwrap();
    assert_eq!(
        (rules.region_population, rules.minimum_signatures),
        (451_028, 300)
    );

    // Reporting serves the commitment tracker from its reference data.
    let commitment = ReportingServiceClient::new(tachawor_testkit::channel(reporting_addr))
        .get_commitment(GetCommitmentRequest {
            commitment_id: "MALAA0004".into(),
        })
        .await
        .expect("the commitment tracker answers")
        .into_inner()
        .commitment
        .unwrap();
    assert_eq!(commitment.milestones.len(), 5);

    // The notification service verifies identity's tokens: the administrator's inbox is empty.
    let inbox = NotificationServiceClient::with_interceptor(
        tachawor_testkit::channel(notification_addr),
        tachawor_testkit::Bearer::new(&admin.access_token),
    )
    .list_my_notifications(ListMyNotificationsRequest::default())
    .await
    .expect("the inbox answers")
    .into_inner();
    assert_eq!((inbox.notifications.len(), inbox.unread), (0, 0));
    // Email would be written as .eml files here, SMS as lines of sms.log beside it.
    assert!(
        data.join("mail").is_dir(),
        "the mail directory is made at start"
    );

    let kid = identity
        .get_key_set(GetKeySetRequest {})
        .await
        .unwrap()
        .into_inner()
        .keys[0]
        .kid
        .clone();

    stopped_cleanly(stop, task).await;

    // Same data directory: same secrets, same keys, same administrator, no duplicate instances.
    let (url, _, _, _, stop, task) = start(&data).await;
    let channel = tonic::transport::Channel::from_shared(url)
        .unwrap()
        .connect_lazy();
    let mut identity = IdentityServiceClient::new(channel);
    identity
        .login(LoginRequest {
            identifier: "admin@tachawor.local".into(),
            password: password.trim().into(),
        })
        .await
        .expect("the administrator survives a restart");
    let keys = identity
        .get_key_set(GetKeySetRequest {})
        .await
        .unwrap()
        .into_inner()
        .keys;
    assert!(
        keys.iter().any(|k| k.kid == kid),
        "the signing key survives a restart"
    );
    let instances = identity
        .list_instances(ListInstancesRequest::default())
        .await
        .unwrap()
        .into_inner()
        .instances;
    assert_eq!(
        instances.len(),
        3,
        "the reference instances are created once"
    );
    stopped_cleanly(stop, task).await;
    std::fs::remove_dir_all(&data).unwrap();
}

/// `--services identity,training`: training alone with the identity it needs; nothing of
/// the other services listens or keeps a database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hosts_only_the_services_asked_for() {
    let data = tempfile::tempdir().unwrap();
    let selection: Selection = "identity,training".parse().unwrap();
    let platform = Platform::build(data.path(), None, options(selection))
        .await
        .expect("identity and training build alone");
    let hosted = platform.addresses();
    assert_eq!(
        hosted.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
        ["identity", "training"]
    );
    let training_addr = hosted[1].1;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(platform.run_until_stopped(async move {
        let _ = stopped.await;
    }));

    wait_serving(
        tachawor_testkit::channel(training_addr),
        "tachawor.training.v1.TrainingService",
    )
    .await;
    let sessions = TrainingServiceClient::new(tachawor_testkit::channel(training_addr))
        .list_sessions(ListSessionsRequest::default())
        .await
        .expect("training answers beside identity alone")
        .into_inner();
    assert!(sessions.sessions.is_empty());

    let exists = |name: &str| data.path().join(name).exists();
    assert!(exists("identity.db") && exists("training.db") && exists("bus.db"));
    assert!(
        !exists("consultation.db") && !exists("reporting.db"),
        "no database for a service not hosted"
    );
    stopped_cleanly(stop, task).await;
}

/// A subset missing what one of its services needs is refused before anything starts, and
/// the message says what is missing.
#[test]
fn refuses_a_subset_without_what_it_needs() {
    let data = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tachawor"))
        .args(["--services", "training,portal", "--data-dir"])
        .arg(data.path())
        .output()
        .expect("the binary runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("training needs identity"),
        "the reason is given: {stderr}"
    );
    assert!(stderr.contains("portal needs consultation"), "{stderr}");
    assert!(
        std::fs::read_dir(data.path()).unwrap().next().is_none(),
        "nothing was written"
    );
}

/// Started under a umask that leaves everything open, the binary still makes its data directory
/// 0700 and every file in it 0600: databases (and their WAL files), secrets, the admin password.
#[cfg(unix)]
#[test]
fn the_data_directory_is_private_whatever_the_umask() {
    use std::{
        io::{BufRead, BufReader},
        os::unix::fs::PermissionsExt,
        process::{Command, Stdio},
    };

    let data = std::env::temp_dir().join(format!("tachawor-aio-modes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let config = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("umask 000 && exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_tachawor"))
        .args(["--identity-port", "0", "--consultation-port", "0"])
        .args([
            "--training-port",
            "0",
            "--reporting-port",
            "0",
            "--data-dir",
        ])
        .arg(&data)
        .arg("--region-file")
        .arg(config.join("regions/laayoune-sakia-el-hamra.toml"))
        .arg("--commitments-file")
        .arg(config.join("commitments/malaa0004.toml"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the all-in-one starts");
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut ready = false;
    for line in lines.map_while(Result::ok) {
        if line.contains("all-in-one ready") {
            ready = true;
            break;
        }
    }
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert!(ready, "the all-in-one did not get ready");
        assert_eq!(mode(&data), 0o700, "the data directory");
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&data).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            // The one directory, the mail that would be sent, is as private as the data's.
            let private = if path.is_dir() { 0o700 } else { 0o600 };
            assert_eq!(mode(&path), private, "{name}");
            names.push(name);
        }
        for name in [
            "identity.db",
            "reporting.db",
            "bus.db",
            "secrets.toml",
            "documents",
            ADMIN_PASSWORD_FILE,
        ] {
            assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
        }
        assert!(
            names.iter().any(|n| n.ends_with("-wal")),
            "WAL files checked too: {names:?}"
        );
    }));
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data);
    if let Err(panic) = checked {
        std::panic::resume_unwind(panic);
    }
}

/// Stops the platform and waits (at most 15 s) for every service to end without an error.
async fn stopped_cleanly(
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
) {
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), task)
        .await
        .expect("stopped within 15 s")
        .unwrap()
        .expect("every service stopped cleanly");
}

/// Waits (at most 10 s) for `service` to answer SERVING on `channel`.
async fn wait_serving(channel: tonic::transport::Channel, service: &str) {
    let mut health = HealthClient::new(channel);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let status = health
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .map(|r| r.into_inner().status);
        if matches!(status, Ok(s) if s == ServingStatus::Serving as i32) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{service} never SERVING: {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The status line and the rest of a plain HTTP/1.1 GET.
async fn http_get(addr: std::net::SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}
