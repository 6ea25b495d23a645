//! The database handle for both engines: one SQL text per operation through
//! sqlx's `Any` driver, a reader pool, and the writer that every transaction uses.

mod engine;
mod group_commit;
mod multi_row;
mod snapshot;
mod tables;
mod tx;

use std::sync::Arc;
use std::time::Duration;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use tokio::sync::Notify;

pub use engine::Engine;
pub use group_commit::{BATCH_AGE_MAX, BATCH_MEMBERS_MAX, GroupCommitStats};
pub use multi_row::{placeholder_list, push_argument, values_sql};
pub use tx::Tx;

use crate::error::StorageError;

/// The SQLite file's name in the data directory.
pub const SQLITE_FILE_NAME: &str = "hanse.db";

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct DbOptions {
    /// `sqlite://PATH` or `postgres://...`.
    pub url: String,
    /// Connections for reads (and, on PostgreSQL, writes).
    pub max_connections: u32,
    /// On PostgreSQL, the schema every connection uses; tests get one each.
    pub postgres_schema: Option<String>,
    /// On SQLite, commit concurrent transactions together (on by default;
    /// off only to measure what it gains).
    pub group_commit: bool,
}

impl DbOptions {
    pub fn new(url: impl Into<String>) -> Self {
        DbOptions {
            url: url.into(),
            max_connections: 8,
            postgres_schema: None,
            group_commit: true,
        }
    }

    /// The embedded default: one SQLite file under the data directory.
    pub fn sqlite_in(data_dir: &std::path::Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StorageError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
        let path = data_dir.join(SQLITE_FILE_NAME);
        Ok(DbOptions::new(format!("sqlite://{}", path.display())))
    }
}

/// The shared database handle. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    inner: Arc<DbInner>,
}

#[derive(Debug)]
struct DbInner {
    engine: Engine,
    reader: AnyPool,
    writer: AnyPool,
    /// SQLite's group commit over `writer`; `None` on PostgreSQL, whose
    /// transactions run side by side with row locks.
    group: Option<group_commit::GroupWriter>,
    /// Woken after a transaction that appended outbox events commits, so the
    /// dispatcher need not wait for its next poll.
    outbox_committed: Notify,
}

impl Db {
    /// Connects, creating the SQLite file if it does not exist yet.
    pub async fn connect(options: &DbOptions) -> Result<Db, StorageError> {
        sqlx::any::install_default_drivers();
        let engine = Engine::from_url(&options.url)?;
        let (reader, writer) = match engine {
            Engine::Sqlite => {
                // SQLite admits one writer at a time. Giving all writes a single
                // connection queues them in the process instead of failing them
                // with SQLITE_BUSY when a read transaction upgrades to a write.
                let writer =
                    pool_for(engine, options, 1, &with_sqlite_mode(&options.url, "rwc")).await?;
                let reader = pool_for(
                    engine,
                    options,
                    options.max_connections,
                    &with_sqlite_mode(&options.url, "ro"),
                )
                .await?;
                (reader, writer)
            }
            Engine::Postgres => {
                let shared =
                    pool_for(engine, options, options.max_connections, &options.url).await?;
                (shared.clone(), shared)
            }
        };
        let group = match engine {
            Engine::Sqlite if options.group_commit => {
                Some(group_commit::GroupWriter::new(writer.clone()))
            }
            _ => None,
        };
        Ok(Db {
            inner: Arc::new(DbInner {
                engine,
                reader,
                writer,
                group,
                outbox_committed: Notify::new(),
            }),
        })
    }

    /// Opens an SQLite file only to read it, such as a backup's copy, without
    /// changing a byte of it: no writer connection and no journal-mode switch
    /// (which the usual connection setup makes, and which a read-only
    /// connection to a file not yet in WAL mode is refused). Writes fail.
    pub async fn open_sqlite_read_only(path: &std::path::Path) -> Result<Db, StorageError> {
        sqlx::any::install_default_drivers();
        let url = with_sqlite_mode(&format!("sqlite://{}", path.display()), "ro");
        let reader = pool(&url, 2, engine::SQLITE_READ_ONLY_SESSION_SQL).await?;
        Ok(Db {
            inner: Arc::new(DbInner {
                engine: Engine::Sqlite,
                writer: reader.clone(),
                reader,
                group: None,
                outbox_committed: Notify::new(),
            }),
        })
    }

    pub fn engine(&self) -> Engine {
        self.inner.engine
    }

    /// The pool for reads outside a transaction. On SQLite it is read-only.
    pub fn reader(&self) -> &AnyPool {
        &self.inner.reader
    }

    /// Starts a write transaction. On SQLite it joins the writer's current
    /// batch (group commit); its `commit` returns once the batch is durable.
    pub async fn begin(&self) -> Result<Tx, StorageError> {
        if let Some(group) = &self.inner.group {
            return Ok(Tx::batched(group.begin().await?, self.clone()));
        }
        let transaction = self.inner.writer.begin().await?;
        Ok(Tx::own(transaction, self.clone()))
    }

    /// What SQLite's group commit has done, or `None` where there is none
    /// (PostgreSQL, or switched off).
    pub fn group_commit_stats(&self) -> Option<GroupCommitStats> {
        self.inner
            .group
            .as_ref()
            .map(group_commit::GroupWriter::stats)
    }

    /// True when a trivial query answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(self.reader()).await.is_ok()
    }

    /// Wakes readers of the outbox after a local commit that appended events.
    pub fn outbox_committed(&self) -> &Notify {
        &self.inner.outbox_committed
    }

    /// Closes both pools, waiting for connections to be returned.
    pub async fn close(&self) {
        self.inner.reader.close().await;
        self.inner.writer.close().await;
    }
}

fn with_sqlite_mode(url: &str, mode: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}mode={mode}")
}

async fn pool_for(
    engine: Engine,
    options: &DbOptions,
    max_connections: u32,
    url: &str,
) -> Result<AnyPool, StorageError> {
    // Leaked so the after-connect future can borrow it for any connection
    // lifetime; a pool is made a handful of times per process.
    let session_sql: &'static str = engine
        .session_setup_sql(options.postgres_schema.as_deref())
        .leak();
    pool(url, max_connections, session_sql).await
}

async fn pool(
    url: &str,
    max_connections: u32,
    session_sql: &'static str,
) -> Result<AnyPool, StorageError> {
    let pool = AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |connection, _meta| {
            Box::pin(async move {
                sqlx::Executor::execute(&mut *connection, session_sql).await?;
                Ok(())
            })
        })
        .connect(url)
        .await?;
    Ok(pool)
}
