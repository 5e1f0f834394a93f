//! `shutdown_signal` resolves on SIGTERM. Its own test binary: it signals this process.

use std::{process::Command, time::Duration};

use tachawor_server::shutdown_signal;

#[tokio::test]
async fn sigterm_resolves_the_shutdown_signal() {
    let mut signal = Box::pin(shutdown_signal());
    // The first poll installs the handlers; only then is SIGTERM safe to send.
    assert!(futures::poll!(&mut signal).is_pending());
    let sent = Command::new("kill")
        .args(["-TERM", &std::process::id().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success());
    tokio::time::timeout(Duration::from_secs(5), signal)
        .await
        .expect("SIGTERM observed");
}
