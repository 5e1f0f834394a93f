//! The short form of the read benchmark (`benches/reads.rs`), run by `make test` as a guard
//! against regressions, not as a proof: the same figures against the same same-run baselines,
//! about 1 s each, failing when a ratio falls under half its target or a call fails.
//!
//! It runs the all-in-one `cargo test` builds (debug; SQLite and sqlx are optimised even
//! there, see the workspace's `[profile.dev.package]`), so its ratios are not the release
//! figures: see tests/README.md for what they are.

#[path = "../benches/support/mod.rs"]
mod support;

#[tokio::test(flavor = "multi_thread")]
async fn public_reads_stay_near_their_baselines() {
    let figures = support::reads::measure(
        support::reads::Deployment::AllInOne,
        &support::reads::binary(),
        1.0,
    )
    .await;
    let mut failures = Vec::new();
    for figure in &figures {
        if figure.errors > 0 {
            failures.push(format!("{}: {} calls failed", figure.name, figure.errors));
        }
        if figure.ratio < figure.target / 2.0 {
            failures.push(format!(
                "{}: {:.3} of its baseline, under half its target {:.2}",
                figure.name, figure.ratio, figure.target
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
