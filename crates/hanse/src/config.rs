//! Configuration, layered: command-line flags, then `HANSE_*` environment
//! variables, then an optional `hanse.toml`, then defaults. A bad value stops
//! start-up with a message naming the key and where it came from.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// The keys a file or the environment may set, e.g. `HANSE_LISTEN`.
const KEYS: &[&str] = &[
    "listen",
    "data_dir",
    "database_url",
    "public_url",
    "log_format",
    "log_level",
    "smtp_url",
    "mail_from",
    "node_id",
];

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// For people at a terminal.
    Human,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The settings as read from all layers, before secrets are wrapped.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Layered {
    listen: SocketAddr,
    data_dir: PathBuf,
    database_url: Option<String>,
    public_url: Option<String>,
    log_format: LogFormat,
    log_level: String,
    smtp_url: Option<String>,
    mail_from: String,
    node_id: u16,
}

impl Default for Layered {
    fn default() -> Self {
        Layered {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./hanse-data"),
            database_url: None,
            public_url: None,
            log_format: LogFormat::Human,
            log_level: "info".to_owned(),
            smtp_url: None,
            mail_from: "Hanse <noreply@hanse.local>".to_owned(),
            node_id: 0,
        }
    }
}

/// Values given as command-line flags; only those present override.
#[derive(Debug, Default, Serialize)]
pub struct FlagOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

/// The effective configuration.
pub struct Config {
    pub listen: SocketAddr,
    /// Holds the SQLite file (unless `database_url` points elsewhere) and the mailbox.
    pub data_dir: PathBuf,
    /// `postgres://...` to use PostgreSQL; absent means SQLite in `data_dir`.
    pub database_url: Option<SecretString>,
    /// The address people reach Hanse at; defaults to `http://{listen}`.
    pub public_url: Option<String>,
    pub log_format: LogFormat,
    /// A tracing filter, e.g. `info` or `web=debug,info`.
    pub log_level: String,
    /// An SMTP relay, e.g. `smtps://user:password@smtp.example.com`; absent
    /// means mail goes into `data_dir/mailbox`.
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    /// This process's node number (0-1023) in the ids it makes.
    pub node_id: u16,
}

impl Config {
    /// Reads all layers. `file` is `--config`, else `./hanse.toml` if present.
    pub fn load(file: Option<&Path>, flags: FlagOverrides) -> anyhow::Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(Layered::default()));
        match file {
            Some(path) => {
                anyhow::ensure!(
                    path.exists(),
                    "the configuration file {} does not exist",
                    path.display()
                );
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("hanse.toml")),
        }
        let layered: Layered = figment
            .merge(Env::prefixed("HANSE_").only(KEYS))
            .merge(Serialized::defaults(flags))
            .extract()
            .map_err(explain)?;
        anyhow::ensure!(
            layered.node_id <= kernel::id::NODE_MAX,
            "invalid configuration: node_id must be at most {}",
            kernel::id::NODE_MAX
        );
        if let Some(url) = &layered.database_url {
            kernel::Engine::from_url(url).context("invalid configuration: database_url")?;
        }
        layered
            .mail_from
            .parse::<lettre::message::Mailbox>()
            .context("invalid configuration: mail_from is not a mail address such as Hanse <noreply@example.com>")?;
        Ok(Config {
            listen: layered.listen,
            data_dir: layered.data_dir,
            database_url: layered.database_url.map(SecretString::from),
            public_url: layered.public_url,
            log_format: layered.log_format,
            log_level: layered.log_level,
            smtp_url: layered.smtp_url.map(SecretString::from),
            mail_from: layered.mail_from,
            node_id: layered.node_id,
        })
    }

    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
    }

    pub fn database_options(&self) -> anyhow::Result<kernel::DbOptions> {
        match &self.database_url {
            Some(url) => Ok(kernel::DbOptions::new(url.expose_secret())),
            None => Ok(kernel::DbOptions::sqlite_in(&self.data_dir)?),
        }
    }
}

/// Turns figment's errors into lines that name the key and where its value came
/// from: `HANSE_LISTEN`, the file's path, or the flag.
fn explain(errors: figment::Error) -> anyhow::Error {
    let lines: Vec<String> = errors
        .into_iter()
        .map(|error| {
            let key = error.path.join(".").to_lowercase();
            let source = match &error.metadata {
                Some(metadata) if metadata.name.contains("environment") => {
                    format!("the environment variable HANSE_{}", key.to_uppercase())
                }
                Some(metadata) => match &metadata.source {
                    Some(source) => format!("{} ({source})", metadata.name),
                    None => metadata.name.to_string(),
                },
                None => "the configuration".to_owned(),
            };
            if key.is_empty() {
                format!("{} in {source}", error.kind)
            } else {
                format!("`{key}`: {} in {source}", error.kind)
            }
        })
        .collect();
    anyhow::anyhow!("invalid configuration: {}", lines.join("; "))
}

/// `postgres://user:password@host/db` shown as `postgres://user:***@host/db`.
fn without_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl fmt::Display for Config {
    /// The effective configuration as TOML, with secrets hidden.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quoted = |text: &str| format!("{text:?}");
        writeln!(f, "listen = {}", quoted(&self.listen.to_string()))?;
        writeln!(
            f,
            "data_dir = {}",
            quoted(&self.data_dir.display().to_string())
        )?;
        match &self.database_url {
            Some(url) => writeln!(
                f,
                "database_url = {}",
                quoted(&without_password(url.expose_secret()))
            )?,
            None => writeln!(
                f,
                "# database_url not set: SQLite at {}",
                self.data_dir.join("hanse.db").display()
            )?,
        }
        writeln!(f, "public_url = {}", quoted(&self.public_url()))?;
        writeln!(
            f,
            "log_format = {}",
            quoted(if self.log_format == LogFormat::Json {
                "json"
            } else {
                "human"
            })
        )?;
        writeln!(f, "log_level = {}", quoted(&self.log_level))?;
        match &self.smtp_url {
            Some(_) => writeln!(f, "smtp_url = \"[hidden]\"")?,
            None => writeln!(
                f,
                "# smtp_url not set: mail is written to {}",
                self.data_dir.join("mailbox").display()
            )?,
        }
        writeln!(f, "mail_from = {}", quoted(&self.mail_from))?;
        writeln!(f, "node_id = {}", self.node_id)
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            without_password("postgres://hanse:s3cret@db:5432/hanse"),
            "postgres://hanse:***@db:5432/hanse"
        );
        assert_eq!(
            without_password("postgres://db/hanse"),
            "postgres://db/hanse"
        );
    }
}
