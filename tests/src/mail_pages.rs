//! Email end to end: the all-in-one with its notification service sending over SMTP to a real
//! server (aiosmtpd, `libs/testkit/smtp/sink.py`) instead of writing `.eml` files, and what a
//! browser test needs of the received mail: a link's path, the HTML of an answer.

use std::{path::Path, time::Duration};

use mail_parser::MessageParser;
use tachawor_testkit::SmtpSink;

use crate::{Person, Platform, all_in_one::PORTAL_CONFIG, scenario};

/// [`PORTAL_CONFIG`] with email sent over SMTP to `127.0.0.1:<smtp_port>` without TLS, and
/// due messages looked for every 100 ms.
pub fn smtp_config(smtp_port: u16) -> String {
    format!(
        r#"{PORTAL_CONFIG}
[email]
transport = "smtp"
from = "Tachawor <no-reply@region.test>"

[email.smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
timeout_ms = 5000

[delivery]
poll_interval_ms = 100
"#
    )
}

/// One received message, parsed: its recipient, subject, plain text and HTML.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn parse(raw: &[u8]) -> Received {
    let message = MessageParser::default().parse(raw).expect("a message");
    Received {
        to: message
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_string(),
        subject: message.subject().unwrap_or_default().to_string(),
        text: message.body_text(0).unwrap_or_default().into_owned(),
        html: message.body_html(0).unwrap_or_default().into_owned(),
    }
}

/// Waits (20 s at most) for a message to `to` that `wanted` accepts.
pub async fn wait_for(
    sink: &SmtpSink,
    to: &str,
    what: &str,
    wanted: impl Fn(&Received) -> bool,
) -> Received {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let mail: Vec<Received> = sink.messages().iter().map(|m| parse(m)).collect();
        if let Some(found) = mail.iter().find(|m| m.to == to && wanted(m)) {
            return found.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no {what} reached {to} in 20 s; received: {:?}",
            mail.iter().map(|m| (&m.to, &m.subject)).collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The path and query of the received link containing `path` (`/account/contact/verify?`,
/// `/password/reset?`), checked to lead to the portal at `origin` (which the all-in-one names
/// `localhost`; the browser goes to the address it listens on).
pub async fn link(sink: &SmtpSink, to: &str, path: &str, origin: &str) -> String {
    let message = wait_for(sink, to, path, |m| m.text.contains(path)).await;
    let link = message
        .text
        .split_whitespace()
        .find(|w| w.contains(path))
        .expect("the link");
    link.strip_prefix(origin)
        .unwrap_or_else(|| panic!("{link} does not lead to the portal at {origin}"))
        .to_string()
}

/// Staff verify the account of `email` (so it may propose), and the person proposes in a new
/// consultation: the proposal's id.
pub async fn proposal_of(p: &Platform, staff: &Person, email: &str, password: &str) -> String {
    let account = p.account_of(staff, email).await;
    p.verify_resident(staff, &account, "laayoune", "").await;
    let token = p.login(email, password).await;
    let (consultation, _) = scenario::open_consultation(p, staff).await;
    let title = "حافلة نحو الشاطئ";
    let body = "حافلة منتظمة في الصيف.";
    scenario::submit_proposal(p, &token, &consultation, title, body).await
}

/// The received answer to `to`'s proposal, in `lang`, checked, its HTML written into `dir`;
/// the file's path.
pub async fn answer_html(
    sink: &SmtpSink,
    to: &str,
    lang: &str,
    origin: &str,
    dir: &Path,
) -> String {
    let (subject, said, html_open) = match lang {
        "ar" => (
            "رد على مقترحك",
            "قُبل مقترحك.",
            r#"<html lang="ar" dir="rtl">"#,
        ),
        _ => (
            "Réponse à votre proposition",
            "Votre proposition a été acceptée.",
            r#"<html lang="fr" dir="ltr">"#,
        ),
    };
    let message = wait_for(sink, to, subject, |m| m.subject == subject).await;
    assert!(message.text.contains(said), "{}", message.text);
    assert!(
        message
            .text
            .contains(&format!("{origin}/{lang}/account/notifications")),
        "{}",
        message.text
    );
    assert!(message.html.contains(html_open), "{}", message.html);
    assert!(message.html.contains(said), "{}", message.html);
    std::fs::create_dir_all(dir).expect("the screenshot folder");
    let file = dir.join(format!("mail-{lang}-answer.html"));
    std::fs::write(&file, &message.html).expect("write the email's HTML");
    file.display().to_string()
}
