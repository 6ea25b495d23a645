//! Opening the database and building the domain services from the configuration,
//! shared by every command.

use std::sync::Arc;

use anyhow::Context as _;
use identity::HashCost;
use identity::mail::{MailboxMailer, Mailer, SmtpMailer};
use kernel::{Clock, Db, SystemClock};
use market::search_feed::SearchIndexes;
use secrecy::ExposeSecret;

use crate::config::Config;
use crate::layout;

/// Connects and brings the schema up to date.
pub async fn open_database(config: &Config) -> anyhow::Result<Db> {
    kernel::id::set_node(config.node_id);
    let options = config.database_options()?;
    let db = Db::connect(&options)
        .await
        .context("cannot open the database")?;
    let applied = kernel::migrate::run(&db, &web::migrations(), SystemClock.now())
        .await
        .context("cannot migrate the database")?;
    if applied > 0 {
        tracing::info!(applied, engine = db.engine().name(), "database migrated");
    }
    Ok(db)
}

/// This node's search index on disk, for `serve` and `reindex`. A second
/// process cannot open it while one holds it.
pub fn open_search_index(config: &Config) -> anyhow::Result<Arc<SearchIndexes>> {
    let dir = config.data_dir.join(layout::SEARCH);
    let indexes = SearchIndexes::open(&dir)
        .with_context(|| format!("cannot open the search index in {}", dir.display()))?;
    Ok(Arc::new(indexes))
}

/// The database and the services for a command that writes but does not
/// search (`demo`, `operator create`, `products`): the search index is a
/// scratch one in memory, since the server's own index catches up from the
/// outbox.
pub async fn open_for_command(config: &Config) -> anyhow::Result<(Db, web::Services)> {
    // No payment provider: these commands move no money in or out.
    open_for_command_with(config, web::PaymentSettings::default()).await
}

/// As [`open_for_command`], with these payment providers.
pub async fn open_for_command_with(
    config: &Config,
    payments: web::PaymentSettings,
) -> anyhow::Result<(Db, web::Services)> {
    let db = open_database(config).await?;
    let search = Arc::new(SearchIndexes::in_memory()?);
    let services = build(config, db.clone(), &config.public_url(), search, payments)?;
    Ok((db, services))
}

/// The services; `public_url` is where links in mail point.
pub fn build(
    config: &Config,
    db: Db,
    public_url: &str,
    search: Arc<SearchIndexes>,
    payments: web::PaymentSettings,
) -> anyhow::Result<web::Services> {
    let from = config.mail_from.parse().context("mail_from")?;
    let mailer: Arc<dyn Mailer> = match &config.smtp_url {
        Some(url) => Arc::new(SmtpMailer::new(url.expose_secret(), from).context("smtp_url")?),
        None => Arc::new(
            MailboxMailer::new(config.data_dir.join(layout::MAILBOX), from)
                .context("cannot create the mailbox folder")?,
        ),
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    web::Services::new(
        db,
        clock,
        mailer,
        HashCost::PRODUCTION,
        public_url.to_owned(),
        web::NodeFiles {
            images_dir: config.data_dir.join(layout::IMAGES),
            search,
        },
        payments,
    )
    .context("cannot start the payment providers")
}
