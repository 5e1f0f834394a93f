//! Email: over SMTP with lettre (STARTTLS, TLS or plain; authenticated when a user is set), or
//! into `.eml` files in a directory (the all-in-one's default: nothing leaves the machine).

use std::{path::PathBuf, time::Duration};

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
    transport::smtp::authentication::Credentials,
};
use secrecy::ExposeSecret;

use super::{render::Rendered, transport::SendError};
use crate::settings::{EmailSettings, EmailTransport, SmtpSecurity};

pub(crate) struct Mailer {
    from: Mailbox,
    way: Way,
}

enum Way {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl Mailer {
    pub(crate) fn new(settings: &EmailSettings) -> anyhow::Result<Self> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("email.from is not an address: {e}"))?;
        let way = match settings.transport {
            EmailTransport::Files => {
                std::fs::create_dir_all(&settings.directory).map_err(|e| {
                    anyhow::anyhow!("email.directory {}: {e}", settings.directory.display())
                })?;
                Way::Files(settings.directory.clone())
            }
            EmailTransport::Smtp => {
                let smtp = &settings.smtp;
                let builder = match smtp.security {
                    SmtpSecurity::Starttls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?
                    }
                    SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?,
                    SmtpSecurity::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                    }
                };
                let mut builder = builder
                    .port(smtp.port)
                    .timeout(Some(Duration::from_millis(smtp.timeout_ms)));
                if !smtp.username.is_empty() {
                    builder = builder.credentials(Credentials::new(
                        smtp.username.clone(),
                        smtp.password.expose_secret().to_string(),
                    ));
                }
                Way::Smtp(builder.build())
            }
        };
        Ok(Self { from, way })
    }

    /// Sends `message` to `address`; `message_id` names it (the `.eml` file, the Message-ID).
    pub(crate) async fn send(
        &self,
        address: &str,
        name: &str,
        message: &Rendered,
        message_id: &str,
    ) -> Result<(), SendError> {
        let to = address
            .parse()
            .map(|email| Mailbox::new((!name.is_empty()).then(|| name.to_string()), email))
            .map_err(|_| SendError::Permanent("the address is not a valid email address".into()))?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&message.subject)
            .message_id(Some(format!("<{message_id}@tachawor>")))
            .multipart(MultiPart::alternative_plain_html(
                message.text.clone(),
                message.html.clone(),
            ))
            .map_err(|e| SendError::Permanent(format!("the message cannot be written: {e}")))?;
        match &self.way {
            Way::Smtp(transport) => transport.send(email).await.map(|_| ()).map_err(classify),
            Way::Files(dir) => write_file(dir, message_id, email.formatted()).await,
        }
    }
}

/// A lettre error as a retry decision. Only the status code and the kind of failure are kept:
/// a server's text may repeat the address.
fn classify(e: lettre::transport::smtp::Error) -> SendError {
    if let Some(code) = e.status() {
        let reason = format!("SMTP {code}");
        if e.is_permanent() {
            SendError::Permanent(reason)
        } else {
            SendError::Transient(reason)
        }
    } else if e.is_timeout() {
        SendError::Transient("SMTP timeout".into())
    } else if e.is_client() {
        SendError::Permanent("SMTP client error".into())
    } else if e.is_tls() {
        SendError::Transient("SMTP TLS failure".into())
    } else {
        SendError::Transient("SMTP connection failed".into())
    }
}

/// Writes `<dir>/<message_id>.eml` whole or not at all (a temporary file renamed).
async fn write_file(
    dir: &std::path::Path,
    message_id: &str,
    bytes: Vec<u8>,
) -> Result<(), SendError> {
    let path = dir.join(format!("{message_id}.eml"));
    let partial = dir.join(format!(".{message_id}.eml.partial"));
    let written = tokio::task::spawn_blocking(move || {
        // Personal data: readable by the service's user only.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        std::io::Write::write_all(&mut options.open(&partial)?, &bytes)?;
        std::fs::rename(&partial, &path)
    });
    written
        .await
        .map_err(|_| SendError::Transient("mail writer stopped".into()))?
        .map_err(|e| SendError::Transient(format!("mail directory: {}", e.kind())))
}
