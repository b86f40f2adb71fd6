//! Sending e-mail. SMTP when `SMTP_URL` is set; otherwise (development, and the README's
//! run command) every message is written as an `.eml` file under the data directory and its
//! path is logged, so nothing else needs installing.
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::sync::Arc;

/// An e-mail ready to go: addressed, rendered, with a stable Message-ID.
#[derive(Clone, Debug)]
pub struct Envelope {
    /// The outbox row: names the `.eml` file and the Message-ID, so a retry replaces.
    pub outbox_id: i64,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address {0:?}")]
    Address(String),
    #[error("cannot build the message: {0}")]
    Build(String),
    #[error("cannot deliver the message: {0}")]
    Transport(String),
}

impl MailError {
    /// Whether trying again later may succeed (a transport outage) or not (a bad address).
    pub fn is_permanent(&self) -> bool {
        matches!(self, MailError::Address(_) | MailError::Build(_))
    }
}

/// Where e-mails go. The outbox worker is generic over it so tests can fail on purpose.
pub trait Mailer: Send + Sync + 'static {
    fn send(
        &self,
        envelope: &Envelope,
    ) -> impl std::future::Future<Output = Result<(), MailError>> + Send;
}

/// Builds the MIME message (plain text and HTML alternatives).
/// An address as the logs show it: enough to tell messages apart, not to know whose it is
/// (`m•••@example.be`).
pub fn masked(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_string(),
    }
}

pub fn build_message(
    from: &Mailbox,
    domain: &str,
    envelope: &Envelope,
) -> Result<Message, MailError> {
    let to: Mailbox = envelope
        .to
        .parse()
        .map_err(|_| MailError::Address(envelope.to.clone()))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(envelope.subject.clone())
        .message_id(Some(format!("<outbox-{}@{domain}>", envelope.outbox_id)))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(envelope.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(envelope.html.clone()),
                ),
        )
        .map_err(|e| MailError::Build(e.to_string()))
}

/// The mailer chosen by the configuration.
#[derive(Clone)]
pub enum ConfiguredMailer {
    Files(FileMailer),
    Smtp(SmtpMailer),
}

impl Mailer for ConfiguredMailer {
    async fn send(&self, envelope: &Envelope) -> Result<(), MailError> {
        match self {
            ConfiguredMailer::Files(mailer) => mailer.send(envelope).await,
            ConfiguredMailer::Smtp(mailer) => mailer.send(envelope).await,
        }
    }
}

/// Writes each message to `<dir>/<outbox id>.eml`.
#[derive(Clone)]
pub struct FileMailer {
    pub dir: PathBuf,
    pub from: Mailbox,
    pub domain: String,
}

impl Mailer for FileMailer {
    async fn send(&self, envelope: &Envelope) -> Result<(), MailError> {
        let message = build_message(&self.from, &self.domain, envelope)?;
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| MailError::Transport(format!("{}: {e}", self.dir.display())))?;
        let path = self.dir.join(format!("{:08}.eml", envelope.outbox_id));
        // Written beside, then renamed: whoever reads the folder (a person, the browser
        // tests) sees a whole message or none, never half of one.
        let partial = path.with_extension("eml.partial");
        tokio::fs::write(&partial, message.formatted())
            .await
            .map_err(|e| MailError::Transport(format!("{}: {e}", partial.display())))?;
        tokio::fs::rename(&partial, &path)
            .await
            .map_err(|e| MailError::Transport(format!("{}: {e}", path.display())))?;
        tracing::info!(to = %masked(&envelope.to), subject = %envelope.subject, file = %path.display(), "e-mail written");
        Ok(())
    }
}

/// Delivers through an SMTP relay.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: Arc<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    domain: String,
}

impl SmtpMailer {
    /// `smtp://user:pass@host:587` (STARTTLS when offered), `smtps://…:465` (TLS).
    pub fn from_url(url: &str, from: Mailbox, domain: String) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Transport(e.to_string()))?
            .build();
        Ok(SmtpMailer {
            transport: Arc::new(transport),
            from,
            domain,
        })
    }
}

impl Mailer for SmtpMailer {
    async fn send(&self, envelope: &Envelope) -> Result<(), MailError> {
        let message = build_message(&self.from, &self.domain, envelope)?;
        self.transport
            .send(message)
            .await
            .map_err(|e| MailError::Transport(e.to_string()))?;
        tracing::info!(to = %masked(&envelope.to), subject = %envelope.subject, "e-mail sent");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn logs_see_masked_addresses() {
        assert_eq!(masked("marie.dupont@example.be"), "m•••@example.be");
        assert_eq!(masked("é@x.be"), "é•••@x.be");
        assert_eq!(masked("not an address"), "•••");
        assert!(!masked("marie.dupont@example.be").contains("dupont"));
    }
}
