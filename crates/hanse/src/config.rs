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
    "payment_providers",
    "sandbox_webhook_secret",
    "metrics_listen",
    "metrics_token",
];

/// The payment providers this build knows, by the name configuration uses.
pub const KNOWN_PAYMENT_PROVIDERS: &[&str] = &[pay::sandbox::SANDBOX];

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
    #[serde(deserialize_with = "names_or_list")]
    payment_providers: Vec<String>,
    sandbox_webhook_secret: Option<String>,
    metrics_listen: Option<PortOrAddress>,
    metrics_token: Option<String>,
}

/// `9464` (read as a number from the environment) or `127.0.0.1:9464`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum PortOrAddress {
    Port(u16),
    Address(String),
}

/// A list given as a TOML array, or in an environment variable as
/// `sandbox` or `sandbox,other`.
fn names_or_list<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NamesOrList {
        List(Vec<String>),
        Names(String),
    }
    Ok(match NamesOrList::deserialize(deserializer)? {
        NamesOrList::List(list) => list,
        NamesOrList::Names(names) => names
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect(),
    })
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
            payment_providers: Vec::new(),
            sandbox_webhook_secret: None,
            metrics_listen: None,
            metrics_token: None,
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
    /// The payment providers, first the one new top-ups and withdrawals use;
    /// empty means no money comes in or goes out. `--demo` adds `sandbox`.
    pub payment_providers: Vec<String>,
    /// The secret the sandbox bank signs its webhooks with, the same on every
    /// node of a network; required when `payment_providers` has `sandbox`,
    /// except with `--demo`, which makes one at random.
    pub sandbox_webhook_secret: Option<SecretString>,
    /// A private address that serves `/metrics`, e.g. `127.0.0.1:9464`; a
    /// bare port means 127.0.0.1. Off when absent.
    pub metrics_listen: Option<SocketAddr>,
    /// A bearer token that opens `/metrics` on the main address.
    pub metrics_token: Option<SecretString>,
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
        check_payment_providers(&layered.payment_providers)?;
        if let Some(secret) = &layered.sandbox_webhook_secret {
            anyhow::ensure!(
                secret.len() >= pay::sandbox::SECRET_BYTES_MIN,
                "invalid configuration: sandbox_webhook_secret must be at least {} characters",
                pay::sandbox::SECRET_BYTES_MIN
            );
        }
        if let Some(token) = &layered.metrics_token {
            anyhow::ensure!(
                token.len() >= METRICS_TOKEN_CHARS_MIN
                    && token.chars().all(|c| c.is_ascii_graphic()),
                "invalid configuration: metrics_token must be at least {METRICS_TOKEN_CHARS_MIN} visible ASCII characters"
            );
        }
        let metrics_listen = match &layered.metrics_listen {
            None => None,
            Some(PortOrAddress::Port(port)) => Some(SocketAddr::from(([127, 0, 0, 1], *port))),
            Some(PortOrAddress::Address(text)) => Some(parse_metrics_listen(text)?),
        };
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
            payment_providers: layered.payment_providers,
            sandbox_webhook_secret: layered.sandbox_webhook_secret.map(SecretString::from),
            metrics_listen,
            metrics_token: layered.metrics_token.map(SecretString::from),
        })
    }

    /// The payment providers to start. `demo` (`serve --demo`) turns the
    /// sandbox bank on, with a random secret of this process unless one is
    /// configured; otherwise the sandbox needs its configured secret, since
    /// other nodes must check the webhooks this one signs.
    pub fn payment_settings(&self, demo: bool) -> anyhow::Result<web::PaymentSettings> {
        let sandbox_on = demo
            || self
                .payment_providers
                .iter()
                .any(|name| name == pay::sandbox::SANDBOX);
        if !sandbox_on {
            return Ok(web::PaymentSettings::default());
        }
        match &self.sandbox_webhook_secret {
            Some(secret) => Ok(web::PaymentSettings {
                sandbox_secret: Some(secret.expose_secret().as_bytes().to_vec().into()),
            }),
            None if demo => Ok(web::PaymentSettings::random_sandbox()),
            None => anyhow::bail!(
                "invalid configuration: payment_providers has `sandbox`, so sandbox_webhook_secret \
                 must be set (at least {} characters, the same on every node); only --demo makes a random one",
                pay::sandbox::SECRET_BYTES_MIN
            ),
        }
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

/// The shortest metrics token accepted: it guards a public address.
const METRICS_TOKEN_CHARS_MIN: usize = 16;

/// Every name known, none twice.
fn check_payment_providers(names: &[String]) -> anyhow::Result<()> {
    for (index, name) in names.iter().enumerate() {
        anyhow::ensure!(
            KNOWN_PAYMENT_PROVIDERS.contains(&name.as_str()),
            "invalid configuration: payment_providers: `{name}` is not a known payment provider (known: {})",
            KNOWN_PAYMENT_PROVIDERS.join(", ")
        );
        anyhow::ensure!(
            !names[..index].contains(name),
            "invalid configuration: payment_providers names `{name}` twice"
        );
    }
    Ok(())
}

/// `127.0.0.1:9464`, or a bare port meaning 127.0.0.1.
fn parse_metrics_listen(text: &str) -> anyhow::Result<SocketAddr> {
    if let Ok(port) = text.parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    text.parse().map_err(|_| {
        anyhow::anyhow!(
            "invalid configuration: metrics_listen must be an address such as 127.0.0.1:9464, or a port"
        )
    })
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
                self.data_dir.join(crate::layout::DATABASE).display()
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
                self.data_dir.join(crate::layout::MAILBOX).display()
            )?,
        }
        writeln!(f, "mail_from = {}", quoted(&self.mail_from))?;
        writeln!(f, "node_id = {}", self.node_id)?;
        let providers: Vec<String> = self
            .payment_providers
            .iter()
            .map(|name| quoted(name))
            .collect();
        writeln!(f, "payment_providers = [{}]", providers.join(", "))?;
        match &self.sandbox_webhook_secret {
            Some(_) => writeln!(f, "sandbox_webhook_secret = \"[hidden]\"")?,
            None => writeln!(f, "# sandbox_webhook_secret not set")?,
        }
        match &self.metrics_listen {
            Some(address) => writeln!(f, "metrics_listen = {}", quoted(&address.to_string()))?,
            None => writeln!(f, "# metrics_listen not set: no private metrics address")?,
        }
        match &self.metrics_token {
            Some(_) => writeln!(f, "metrics_token = \"[hidden]\""),
            None => writeln!(
                f,
                "# metrics_token not set: /metrics is not served on `listen`"
            ),
        }
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

    fn config(providers: &[&str], secret: Option<&str>) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: PathBuf::from("data"),
            database_url: None,
            public_url: None,
            log_format: LogFormat::Human,
            log_level: "info".into(),
            smtp_url: None,
            mail_from: "Hanse <noreply@hanse.local>".into(),
            node_id: 0,
            payment_providers: providers.iter().map(|name| (*name).to_owned()).collect(),
            sandbox_webhook_secret: secret.map(SecretString::from),
            metrics_listen: None,
            metrics_token: None,
        }
    }

    #[test]
    fn the_sandbox_is_on_only_where_asked_for() {
        let secret = "a network-wide sandbox secret of 40 chars";
        let sandbox = |settings: web::PaymentSettings| settings.sandbox_secret.is_some();
        assert!(
            !sandbox(config(&[], None).payment_settings(false).unwrap()),
            "plain serve: no provider"
        );
        assert!(
            sandbox(config(&[], None).payment_settings(true).unwrap()),
            "--demo turns it on"
        );
        assert!(sandbox(
            config(&["sandbox"], Some(secret))
                .payment_settings(false)
                .unwrap()
        ));
        assert!(
            config(&["sandbox"], None).payment_settings(false).is_err(),
            "no random secret outside the demo"
        );
        let configured = config(&["sandbox"], Some(secret))
            .payment_settings(true)
            .unwrap();
        assert_eq!(
            configured
                .sandbox_secret
                .map(|s| s.expose_secret().to_vec()),
            Some(secret.as_bytes().to_vec()),
            "a configured secret is used by the demo too"
        );
    }

    #[test]
    fn a_bare_metrics_port_is_on_localhost() {
        assert_eq!(
            parse_metrics_listen("9464").unwrap(),
            SocketAddr::from(([127, 0, 0, 1], 9464))
        );
        assert_eq!(
            parse_metrics_listen("0.0.0.0:9464").unwrap(),
            SocketAddr::from(([0, 0, 0, 0], 9464))
        );
        assert!(parse_metrics_listen("everywhere").is_err());
    }

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
