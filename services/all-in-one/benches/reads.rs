//! Public reads on both backends, each beside its baseline measured in the same run (see
//! `support/reads.rs` for what is measured and against what): the release all-in-one on
//! SQLite, then the release services as separate processes on PostgreSQL + NATS (the tests'
//! servers: `make bench` starts them). 5 s per figure, one RESULT line each. Calls that fail
//! make the bench fail; a ratio under its target is reported FAIL.
//! `cargo bench -p tachawor-all-in-one --bench reads` (`make bench` does);
//! `READS_ON=sqlite` or `READS_ON=postgres` measures one backend only; `READS_ONLY=<text>`
//! only the figures whose name holds it (`READS_ONLY="ListConsultations (page of 20) req/s,
//! cache off"`).

mod support;

use support::reads::Deployment;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let binary = support::reads::binary();
    let only = std::env::var("READS_ON").unwrap_or_default();
    let figures: Vec<_> = [Deployment::AllInOne, Deployment::Separate]
        .into_iter()
        .filter(|d| match only.as_str() {
            "sqlite" => *d == Deployment::AllInOne,
            "postgres" => *d == Deployment::Separate,
            _ => true,
        })
        .flat_map(|deployment| runtime.block_on(support::reads::measure(deployment, &binary, 5.0)))
        .collect();
    let failed: Vec<_> = figures.iter().filter(|f| f.errors > 0).collect();
    for figure in &failed {
        eprintln!("{}: {} calls failed", figure.name, figure.errors);
    }
    assert!(failed.is_empty(), "calls failed under load");
}
