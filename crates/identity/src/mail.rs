//! Outgoing mail: a port with two implementations, an SMTP relay (lettre) and a
//! mailbox folder of `.eml` files for people running Hanse on their own machine.

use std::path::PathBuf;

use lettre::message::{Mailbox, Message, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// A plain-text mail to one person.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
#[error("mail could not be sent: {0}")]
pub struct MailError(String);

/// Sends mail. A real provider (an SMTP relay, a mail API) implements this.
#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, mail: OutgoingMail) -> Result<(), MailError>;
}

fn build(from: &Mailbox, mail: OutgoingMail) -> Result<Message, MailError> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e: lettre::address::AddressError| MailError(e.to_string()))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject)
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body)
        .map_err(|e| MailError(e.to_string()))
}

/// Builds the message and hands it to a lettre transport.
async fn deliver<T>(transport: &T, from: &Mailbox, mail: OutgoingMail) -> Result<(), MailError>
where
    T: AsyncTransport + Sync,
    T::Error: std::fmt::Display,
{
    let message = build(from, mail)?;
    transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| MailError(e.to_string()))
}

/// Writes each mail as an `.eml` file into a folder, to be read by a person.
pub struct MailboxMailer {
    from: Mailbox,
    transport: AsyncFileTransport<Tokio1Executor>,
    pub folder: PathBuf,
}

impl MailboxMailer {
    pub fn new(folder: PathBuf, from: Mailbox) -> std::io::Result<Self> {
        std::fs::create_dir_all(&folder)?;
        Ok(MailboxMailer {
            from,
            transport: AsyncFileTransport::new(&folder),
            folder,
        })
    }
}

#[async_trait::async_trait]
impl Mailer for MailboxMailer {
    async fn send(&self, mail: OutgoingMail) -> Result<(), MailError> {
        deliver(&self.transport, &self.from, mail).await
    }
}

/// Sends through an SMTP relay given as a URL, e.g.
/// `smtps://user:password@smtp.example.com` or `smtp://relay:25?tls=required`.
pub struct SmtpMailer {
    from: Mailbox,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpMailer {
    pub fn new(url: &str, from: Mailbox) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError(e.to_string()))?
            .build();
        Ok(SmtpMailer { from, transport })
    }
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: OutgoingMail) -> Result<(), MailError> {
        deliver(&self.transport, &self.from, mail).await
    }
}
