//! The portal in a real browser (Debian's chromium driven by Playwright, checked with axe-core):
//! `tests/browser/pages.mjs` over the all-in-one with content made through the APIs. Needs
//! node, chromium and the npm packages, which `make test` installs
//! (`scripts/browser-deps.sh`); without them the test fails and says so.

use std::path::Path;

use tachawor_system_tests::{all_in_one::Running, portal};

const CONFIG: &str = r#"
[telemetry]
log_filter = "warn"

[passwords]
memory_kib = 64
iterations = 1
"#;

#[tokio::test(flavor = "multi_thread")]
async fn every_page_in_a_real_browser_in_both_languages() {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("browser");
    assert!(
        browser_dir.join("node_modules/playwright-core").exists(),
        "the browser tests need their npm packages: run scripts/browser-deps.sh (make test does)"
    );
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "the browser tests need Debian's chromium at {chromium}: run scripts/browser-deps.sh"
    );

    let running = Running::start(CONFIG).await;
    let p = &running.platform;
    let s = portal::seed(p).await;
    let pages = serde_json::json!([
        {"name": "home", "path": ""},
        {"name": "consultations", "path": "consultations"},
        {"name": "consultation", "path": format!("consultations/{}", s.consultation)},
        {"name": "petitions", "path": "petitions"},
        {"name": "petition", "path": format!("petitions/{}", s.petition)},
        {"name": "training", "path": "training"},
        {"name": "session", "path": format!("training/sessions/{}", s.session)},
        {"name": "opinions", "path": "opinions"},
        {"name": "forum", "path": "forum"},
        {"name": "forum-edition", "path": format!("forum/{}", s.forum)},
        {"name": "forum-workshop", "path": format!("forum/{}/workshops/{}", s.forum, s.workshop)},
        {"name": "sign-in", "path": "sign-in"},
        {"name": "register", "path": "register"},
        {"name": "transparency", "path": "transparency"},
        {"name": "verify", "path": "verify"},
        {"name": "not-found", "path": "petitions/none", "status": 404},
    ]);
    let screenshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-screenshots");
    let base = format!("http://{}", p.portal);
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(browser_dir.join("pages.mjs"))
            .arg(base)
            .arg(pages.to_string())
            .arg(&screenshots)
            .env("CHROMIUM_PATH", chromium)
            .output()
    })
    .await
    .expect("the browser run finishes")
    .expect("node runs (make test installs it with the browser's dependencies)");
    let report = String::from_utf8_lossy(&output.stdout);
    println!("{report}{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "browser checks failed:\n{report}");
    assert!(report.contains(" passed, 0 failed"), "{report}");
    running.stop().await;
}
