//! What benchmark binaries (`harness = false`) share.

use std::future::Future;

/// Runs a benchmark's body on a multi-threaded runtime, only when `cargo bench` asked for it:
/// `cargo test --all-targets` runs bench binaries without `--bench`, and there is nothing to
/// measure then.
pub fn main<F, E>(body: impl FnOnce() -> F) -> Result<(), E>
where
    F: Future<Output = Result<(), E>>,
    E: From<std::io::Error>,
{
    if !std::env::args().any(|a| a == "--bench") {
        return Ok(());
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(body())
}

/// A number from the environment, or `default` when unset or not a number.
pub fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
