//! Public reads against the release all-in-one on SQLite, each beside its baseline measured
//! in the same run (see `support/reads.rs` for what is measured and against what): 5 s per
//! figure, one RESULT line each. Calls that fail make the bench fail; a ratio under its target
//! is reported FAIL. `cargo bench -p tachawor-all-in-one --bench reads` (`make bench` does).

mod support;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let figures = runtime.block_on(support::reads::measure(&support::reads::binary(), 5.0));
    let failed: Vec<_> = figures.iter().filter(|f| f.errors > 0).collect();
    for figure in &failed {
        eprintln!("{}: {} calls failed", figure.name, figure.errors);
    }
    assert!(failed.is_empty(), "calls failed under load");
}
