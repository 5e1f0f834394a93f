//! The portal in a real browser (Debian's chromium driven by Playwright, checked with axe-core):
//! `tests/browser/pages.mjs` over the all-in-one with content made through the APIs. Needs
//! node, chromium and the npm packages, which `make test` installs
//! (`scripts/browser-deps.sh`); without them the test fails and says so.

use std::path::{Path, PathBuf};

use tachawor_proto::{
    consultation::PostCommentRequest, identity::SearchAccountsRequest, training as t,
};
use tachawor_system_tests::{
    Person, Platform,
    all_in_one::{PORTAL_CONFIG, Running},
    news_pages, portal, take_part_pages, training_pages,
};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// The browser tests' folder and Debian's chromium, or a failure saying how to get them.
fn browser_setup() -> (PathBuf, String) {
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
    (browser_dir, chromium)
}

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-screenshots")
}

/// Runs `script` (in `tests/browser`) against the portal with `arg` as JSON and the screenshot
/// folder; its report, which must say every check passed.
async fn run_script(p: &Platform, script: &str, arg: serde_json::Value) -> String {
    let (browser_dir, chromium) = browser_setup();
    let screenshots = screenshots();
    let base = format!("http://{}", p.portal);
    let script = browser_dir.join(script);
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(script)
            .arg(base)
            .arg(arg.to_string())
            .arg(&screenshots)
            .env("CHROMIUM_PATH", chromium)
            .output()
    })
    .await
    .expect("the browser run finishes")
    .expect("node runs (make test installs it with the browser's dependencies)");
    let report = String::from_utf8_lossy(&output.stdout).to_string();
    println!("{report}{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "browser checks failed:\n{report}");
    assert!(report.contains(" passed, 0 failed"), "{report}");
    report
}

#[tokio::test(flavor = "multi_thread")]
async fn every_page_in_a_real_browser_in_both_languages() {
    let running = Running::start(PORTAL_CONFIG).await;
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
    run_script(p, "pages.mjs", pages).await;
    running.stop().await;
}

/// The staff console's desks in both languages, and verification and the venue's screen with
/// JavaScript disabled (`tests/browser/staff.mjs`).
#[tokio::test(flavor = "multi_thread")]
async fn the_staff_console_in_a_real_browser() {
    let running = Running::start(PORTAL_CONFIG).await;
    let p = &running.platform;
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    p.clock_to_today();
    let session = training_pages::schedule(p, &staff, 10, false).await;
    let attendee = p.citizen().await;
    training_pages::register_via_api(p, &attendee, &session).await;
    let mut targets = serde_json::Map::new();
    for lang in ["ar", "fr"] {
        let target = p.citizen().await;
        let cin = format!("ZT{:08}", uuid::Uuid::new_v4().as_u128() % 100_000_000);
        targets.insert(
            lang.into(),
            serde_json::json!({"email": target.email, "id": target.id, "cin": cin}),
        );
    }
    let seeded = take_part_pages::seed(p).await;
    let author = p.resident(&staff, "laayoune").await;
    let comment = p
        .consultation_as(&author.token)
        .post_comment(PostCommentRequest {
            consultation_id: seeded.open.clone(),
            body: "تعليق ينتظر الإشراف".into(),
            idempotency_key: uuid::Uuid::new_v4().to_string(),
            ..Default::default()
        })
        .await
        .expect("post a comment")
        .into_inner()
        .comment
        .expect("the comment")
        .comment_id;
    let news = news_pages::seed_for_browser(p, &staff).await;
    let setup = serde_json::json!({
        "news": news,
        "admin": {"email": p.admin_email, "password": p.admin_password},
        "targets": targets,
        "session": session,
        "consultation": seeded.open,
        "comment": comment,
    });
    // The petitions desk: a petition collecting signatures.
    let setup = {
        let mut setup = setup;
        let agent = p.resident(&staff, "laayoune").await;
        setup["petition"] = tachawor_system_tests::scenario::collecting_petition(p, &agent)
            .await
            .into();
        setup
    };
    // The answers and follow-up desk: a proposal awaiting an answer, an adopted opinion.
    let setup = {
        let mut setup = setup;
        setup["answers"] =
            tachawor_system_tests::staff_answers::seed_for_browser(p, &staff, &seeded.open).await;
        setup
    };
    // The Forum, programs and certificate names desks, and a contribution in the moderation
    // queue.
    let setup = {
        let mut setup = setup;
        setup["desks"] = tachawor_system_tests::staff_forum::seed_for_browser(p, &staff).await;
        setup
    };
    let desks = setup["desks"].clone();
    // The imports desk: a program for sessions held before the platform.
    let setup = {
        let mut setup = setup;
        setup["program"] = tachawor_system_tests::training_pages::create_program(p, &staff)
            .await
            .into();
        setup
    };
    // An instance member's proposal waiting for staff, and the member to propose another.
    let setup = {
        let mut setup = setup;
        setup["proposals"] =
            tachawor_system_tests::instance_proposals::seed_for_browser(p, &staff).await;
        setup
    };
    let report = run_script(p, "staff.mjs", setup).await;
    assert!(report.contains("staff: "), "{report}");
    for lang in ["ar", "fr"] {
        let verified = p
            .identity_as(&staff.token)
            .search_accounts(SearchAccountsRequest {
                query: targets[lang]["email"].as_str().unwrap().to_string(),
                ..Default::default()
            })
            .await
            .expect("search")
            .into_inner()
            .accounts;
        assert!(verified[0].verified, "{lang}: verified through the browser");
        assert_eq!(verified[0].residence_province_code, "laayoune");
    }
    let hidden = take_part_pages::comments(p, &staff, &seeded.open).await;
    assert!(
        hidden.iter().any(|c| c.comment_id == comment && c.hidden),
        "hidden through the browser: {hidden:?}"
    );
    news_pages::check_written_in_browser(p, &staff, &news).await;
    tachawor_system_tests::staff_forum::check_done_in_browser(p, &staff, &desks).await;
    running.stop().await;
}

/// The inbox in both languages, and marking read and saving preferences with JavaScript
/// disabled (`tests/browser/inbox.mjs`); what the browser did, read back through the API.
#[tokio::test(flavor = "multi_thread")]
async fn the_inbox_in_a_real_browser() {
    let running = Running::start(PORTAL_CONFIG).await;
    let p = &running.platform;
    let told = tachawor_system_tests::inbox_pages::tell(p).await;
    let setup = serde_json::json!({
        "email": told.person.email,
        "password": tachawor_identity::testing::PASSWORD,
    });
    let report = run_script(p, "inbox.mjs", setup).await;
    assert!(report.contains("inbox: "), "{report}");
    let after = tachawor_system_tests::inbox_pages::messages(p, &told.person).await;
    assert_eq!(after.unread, 0, "marked read through the browser");
    let preferences = p
        .notification_as(&told.person.token)
        .get_my_preferences(tachawor_proto::notification::GetMyPreferencesRequest {})
        .await
        .expect("preferences")
        .into_inner()
        .preferences;
    let email_certificates = preferences.iter().find(|pref| {
        pref.channel == tachawor_proto::notification::Channel::Email as i32
            && pref.kind == tachawor_proto::notification::NotificationKind::CertificateIssued as i32
    });
    assert!(
        !email_certificates.expect("listed").enabled,
        "saved through the browser"
    );
    running.stop().await;
}

/// The contact and password pages in both languages, and a few of their forms with
/// JavaScript disabled (`tests/browser/account.mjs`); the consent read back through the API.
#[tokio::test(flavor = "multi_thread")]
async fn contact_and_password_pages_in_a_real_browser() {
    let running = Running::start(PORTAL_CONFIG).await;
    let p = &running.platform;
    let (_, email) = tachawor_system_tests::signed_in::register(p, "fr", "Amina Navigateur").await;
    let password = tachawor_identity::testing::PASSWORD;
    let setup = serde_json::json!({ "email": email, "password": password });
    let report = run_script(p, "account.mjs", setup).await;
    assert!(report.contains("account: "), "{report}");
    let token = tachawor_system_tests::contact_pages::access_token(p, &email, password).await;
    let consents = p
        .identity_as(&token)
        .export_my_data(tachawor_proto::identity::ExportMyDataRequest {})
        .await
        .expect("export")
        .into_inner()
        .consents;
    assert!(
        consents
            .iter()
            .any(|c| c.purpose == "messages.email" && c.granted),
        "saved through the browser"
    );
    running.stop().await;
}

/// Starts `script` (in `tests/browser`) with `args` then the screenshot folder, its stdin and
/// stdout piped: the scripts that ask the driving test for steps they cannot take themselves.
fn conversing(script: &str, args: &[&str]) -> tokio::process::Child {
    let (browser_dir, chromium) = browser_setup();
    tokio::process::Command::new("node")
        .arg(browser_dir.join(script))
        .args(args)
        .arg(screenshots())
        .env("CHROMIUM_PATH", chromium)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs (make test installs it with the browser's dependencies)")
}

/// The name staff read on each journey's identity card, printed on the certificate.
fn legal_name(lang: &str) -> &'static str {
    if lang == "ar" {
        "مريم بنعلي"
    } else {
        "Meryem Benali"
    }
}

/// What staff do when the journey asks: verify an identity card, give out the day's
/// check-in code, mark the session held.
async fn staff_step(p: &Platform, staff: &Person, lang: &str, request: &str) -> String {
    let (what, arg) = request.split_once(' ').unwrap_or((request, ""));
    match what {
        "verify" => {
            let account = p.account_of(staff, arg).await;
            p.verify_resident(staff, &account, "laayoune", legal_name(lang))
                .await;
            "OK".into()
        }
        "code" => {
            let code = p
                .training_as(&staff.token)
                .issue_check_in_code(t::IssueCheckInCodeRequest {
                    session_id: arg.to_string(),
                })
                .await
                .expect("the day's code")
                .into_inner()
                .code;
            format!("CODE {code}")
        }
        "held" => {
            p.training_as(&staff.token)
                .mark_session_held(t::MarkSessionHeldRequest {
                    session_id: arg.to_string(),
                })
                .await
                .expect("mark the session held");
            "OK".into()
        }
        other => panic!("the journey asked staff for {other:?}"),
    }
}

/// Runs `journey.mjs` in `lang`, answering its staff steps; the certificate it downloaded and
/// its code.
async fn journey(
    p: &Platform,
    staff: &Person,
    lang: &str,
    ids: serde_json::Value,
) -> (PathBuf, String) {
    let base = format!("http://{}", p.portal);
    let args = [base.as_str(), lang, &ids.to_string()];
    let mut child = conversing("journey.mjs", &args);
    let mut stdin = child.stdin.take().expect("stdin");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut report = String::new();
    let mut certificate = None;
    while let Some(line) = lines.next_line().await.expect("read the journey") {
        report.push_str(&line);
        report.push('\n');
        if let Some(request) = line.strip_prefix("STAFF ") {
            let answer = staff_step(p, staff, lang, request).await;
            stdin
                .write_all(format!("{answer}\n").as_bytes())
                .await
                .expect("answer the journey");
        } else if let Some(cert) = line.strip_prefix("CERT ") {
            let (path, code) = cert.rsplit_once(' ').expect("a path and a code");
            certificate = Some((PathBuf::from(path), code.to_string()));
        }
    }
    let status = child.wait().await.expect("the journey ends");
    println!("{report}");
    assert!(status.success(), "the {lang} journey failed:\n{report}");
    assert!(report.contains(" passed, 0 failed"), "{report}");
    certificate.expect("the journey downloaded a certificate")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_citizen_takes_part_from_registering_to_a_verified_certificate() {
    let running = Running::start(PORTAL_CONFIG).await;
    let p = &running.platform;
    let s = portal::seed(p).await;
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    for lang in ["ar", "fr"] {
        let session = training_pages::schedule(p, &staff, 10, false).await;
        let ids = serde_json::json!({
            "consultation": s.consultation,
            "petition": s.petition,
            "session": session,
        });
        let (pdf, code) = journey(p, &staff, lang, ids).await;
        let text = training_pages::poppler("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        assert!(
            text.contains(legal_name(lang)),
            "{lang} certificate: {text}"
        );
        assert!(text.contains(&code), "{lang} certificate: {text}");
    }
    running.stop().await;
}

/// Email end to end (`tests/browser/mail.mjs`), in Arabic then French, over the all-in-one
/// sending to a real SMTP server: registering, the verification link of the received email,
/// consent, a proposal answered by staff on the answers desk found in the inbox and received
/// by email, the email's HTML rendered; then a forgotten password reset by the received link.
#[tokio::test(flavor = "multi_thread")]
async fn email_from_registering_to_an_answer_and_a_reset_in_a_real_browser() {
    use tachawor_system_tests::mail_pages;
    let mail_dir = tempfile::tempdir().expect("a mail folder");
    let smtp_port = tachawor_testkit::free_port();
    let sink = tachawor_testkit::SmtpSink::start(smtp_port, mail_dir.path());
    let portal_port = tachawor_testkit::free_port();
    let config = mail_pages::smtp_config(smtp_port);
    let running = Running::start_on(&config, Default::default(), portal_port).await;
    let p = &running.platform;
    let origin = format!("http://localhost:{portal_port}");
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let base = format!("http://{}", p.portal);
    let setup = serde_json::json!({
        "staff": {"email": staff.email, "password": tachawor_identity::testing::PASSWORD},
    });
    let mut child = conversing("mail.mjs", &[&base, &setup.to_string()]);
    let mut stdin = child.stdin.take().expect("stdin");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut report = String::new();
    let mut answered = Vec::new();
    while let Some(line) = lines.next_line().await.expect("read the script") {
        report.push_str(&line);
        report.push('\n');
        let reply = match line.split_once(' ') {
            Some(("LINK", rest)) => {
                let (what, email) = rest.split_once(' ').expect("LINK <what> <email>");
                let path = match what {
                    "verify" => "/account/contact/verify?token=",
                    "reset" => "/password/reset?token=",
                    other => panic!("the script asked for a {other} link"),
                };
                format!(
                    "PATH {}",
                    mail_pages::link(&sink, email, path, &origin).await
                )
            }
            Some(("PROPOSE", email)) => {
                let password = "a long enough passphrase";
                let proposal = mail_pages::proposal_of(p, &staff, email, password).await;
                format!("PROPOSAL {proposal}")
            }
            Some(("ANSWERED", rest)) => {
                let (lang, email) = rest.split_once(' ').expect("ANSWERED <lang> <email>");
                answered.push(lang.to_string());
                let html =
                    mail_pages::answer_html(&sink, email, lang, &origin, &screenshots()).await;
                format!("HTML {html}")
            }
            _ => continue,
        };
        stdin
            .write_all(format!("{reply}\n").as_bytes())
            .await
            .expect("answer the script");
    }
    let status = child.wait().await.expect("the script ends");
    println!("{report}");
    assert!(status.success(), "the email checks failed:\n{report}");
    assert!(report.contains(" passed, 0 failed"), "{report}");
    assert_eq!(
        answered,
        ["ar", "fr"],
        "both languages were answered by email"
    );
    running.stop().await;
}
