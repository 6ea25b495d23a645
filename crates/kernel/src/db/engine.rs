//! Everything that differs between SQLite and PostgreSQL lives here, named.
//! All other SQL in Hanse is one text for both engines.

use sqlx::AnyConnection;

use crate::error::StorageError;

/// Which database engine a `Db` talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// An arbitrary constant key for the PostgreSQL advisory lock that orders outbox
/// appends ("hanse-ob" in ASCII).
const OUTBOX_LOCK_KEY: i64 = 0x68_61_6e_73_65_2d_6f_62;
/// The advisory lock that keeps two nodes from migrating at once.
const MIGRATION_LOCK_KEY: i64 = 0x68_61_6e_73_65_2d_6d_67;

/// Run on every connection of [`Db::open_sqlite_read_only`](crate::Db::open_sqlite_read_only):
/// the busy timeout, and `query_only` so that not even a stray statement writes.
pub(crate) const SQLITE_READ_ONLY_SESSION_SQL: &str =
    "PRAGMA busy_timeout = 10000; PRAGMA query_only = ON;";

impl Engine {
    pub fn from_url(url: &str) -> Result<Engine, StorageError> {
        if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Engine::Postgres)
        } else {
            let shown: String = url
                .split('@')
                .next_back()
                .unwrap_or("")
                .chars()
                .take(60)
                .collect();
            Err(StorageError::UnsupportedUrl(shown))
        }
    }

    /// The engine behind an open connection.
    pub fn of(connection: &AnyConnection) -> Engine {
        if connection.backend_name().eq_ignore_ascii_case("postgresql") {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }

    /// Run on every new connection.
    ///
    /// SQLite: WAL so readers never block the writer; `synchronous=FULL` so an
    /// acknowledged commit survives a power cut; foreign keys on; a busy
    /// timeout for the rare moment a checkpoint holds the file; and a 64 MiB
    /// page cache so a large ledger's indexes stay in memory.
    pub(crate) fn session_setup_sql(self, postgres_schema: Option<&str>) -> String {
        match self {
            Engine::Sqlite => "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -65536;"
                .to_owned(),
            Engine::Postgres => match postgres_schema {
                Some(schema) => format!("SET search_path TO \"{}\"", schema.replace('"', "")),
                None => "SELECT 1".to_owned(),
            },
        }
    }

    /// Orders outbox appends by commit. On PostgreSQL, concurrent transactions
    /// could otherwise commit positions out of order, and a dispatcher that has
    /// read past a gap would never see the late event. The lock is taken just
    /// before the append and released at commit. SQLite's single writer already
    /// serialises commits, so there it is nothing.
    pub(crate) async fn lock_outbox(
        self,
        connection: &mut AnyConnection,
    ) -> Result<(), StorageError> {
        if self == Engine::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(OUTBOX_LOCK_KEY)
                .execute(connection)
                .await?;
        }
        Ok(())
    }

    /// The `n`th bind parameter (from 1) in generated bulk statements. One SQL
    /// text (`$n`) serves both engines everywhere else, but SQLite looks up a
    /// numbered parameter by name on every bind, so a statement with thousands
    /// of `$n` costs time quadratic in their number; unnumbered `?` cost nothing.
    /// Measured on a 14,000-parameter insert: 4 s against a few milliseconds.
    pub fn placeholder(self, n: usize) -> String {
        match self {
            Engine::Sqlite => "?".to_owned(),
            Engine::Postgres => format!("${n}"),
        }
    }

    /// Appended to a SELECT whose rows the transaction will update. PostgreSQL
    /// locks them (`FOR UPDATE`) so that another node's transaction waits rather
    /// than computing from the same old values; SQLite's single writer needs none.
    pub fn lock_rows_clause(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE",
        }
    }

    /// Appended to a SELECT that claims rows for work, such as due jobs.
    /// PostgreSQL locks them and skips rows another transaction has locked
    /// (` FOR UPDATE SKIP LOCKED`), so that runners on several nodes claim
    /// different rows instead of queueing behind each other; SQLite's single
    /// writer already hands the rows to one claimer at a time.
    pub fn lock_rows_skip_locked_clause(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// Lists the tables of the database (of the connection's schema on
    /// PostgreSQL), for row counts; SQLite's own tables are left out.
    pub(crate) fn list_tables_sql(self) -> &'static str {
        match self {
            Engine::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            Engine::Postgres => {
                "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
            }
        }
    }

    /// Writes a consistent copy of the whole database into the file `$1`, or
    /// `None` where the engine has no such statement (PostgreSQL: `pg_dump`
    /// is the tool). On SQLite, `VACUUM INTO` reads inside one read
    /// transaction, so the copy is one snapshot while WAL writers go on
    /// committing; the sqlite3 online backup API in small steps, by
    /// contrast, restarts after every commit of another connection and was
    /// measured never to finish under a steady writer (ARCHITECTURE.md).
    pub(crate) fn snapshot_sql(self) -> Option<&'static str> {
        match self {
            Engine::Sqlite => Some("VACUUM INTO $1"),
            Engine::Postgres => None,
        }
    }

    /// Keeps two processes from migrating the same PostgreSQL database at once.
    pub(crate) async fn lock_migrations(
        self,
        connection: &mut AnyConnection,
    ) -> Result<(), StorageError> {
        if self == Engine::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(MIGRATION_LOCK_KEY)
                .execute(connection)
                .await?;
        }
        Ok(())
    }
}
