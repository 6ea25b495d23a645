//! Forward-only migrations. Each module lists its own; a landed migration is never
//! edited (a checksum catches it), and new ones are added with the next version.

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::clock::Timestamp;
use crate::db::Db;
use crate::error::StorageError;

/// One schema change of one module, as portable SQL for both engines.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub module: &'static str,
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

impl Migration {
    /// The SHA-256 of the SQL, recorded when applied, so an edit is caught.
    pub fn checksum(&self) -> String {
        let digest = Sha256::digest(self.sql.as_bytes());
        digest.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

/// The kernel's own migrations: the outbox, then the scheduled jobs. (The
/// migration record itself is created by [`run`].)
pub fn kernel_migrations() -> Vec<Migration> {
    vec![
        Migration {
            module: "kernel",
            version: 1,
            name: "outbox",
            sql: include_str!("../migrations/0001_outbox.sql"),
        },
        Migration {
            module: "kernel",
            version: 2,
            name: "jobs",
            sql: include_str!("../migrations/0002_jobs.sql"),
        },
    ]
}

/// A migration as the database records it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AppliedMigration {
    pub module: String,
    pub version: i64,
    pub name: String,
    pub checksum: String,
}

const CREATE_RECORD_TABLE: &str = "CREATE TABLE IF NOT EXISTS kernel_migration (
    module TEXT NOT NULL,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (module, version)
)";

/// Applies every migration not yet applied, each in its own transaction, in the
/// order given (kernel first, then modules in dependency order). Returns how
/// many were applied.
pub async fn run(db: &Db, migrations: &[Migration], now: Timestamp) -> Result<usize, StorageError> {
    let mut tx = db.begin().await?;
    db.engine().lock_migrations(tx.conn()).await?;
    sqlx::query(CREATE_RECORD_TABLE).execute(tx.conn()).await?;
    let applied = applied(tx.conn()).await?;
    check_applied(migrations, &applied)?;
    tx.commit().await?;

    let mut count = 0;
    for migration in migrations {
        if is_applied(migration, &applied) {
            continue;
        }
        let mut tx = db.begin().await?;
        db.engine().lock_migrations(tx.conn()).await?;
        sqlx::raw_sql(migration.sql).execute(tx.conn()).await?;
        sqlx::query(
            "INSERT INTO kernel_migration (module, version, name, checksum, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(migration.module)
        .bind(migration.version)
        .bind(migration.name)
        .bind(migration.checksum())
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        tracing::info!(
            migration.module = migration.module,
            migration.version = migration.version,
            migration.name = migration.name,
            "applied migration"
        );
        count += 1;
    }
    Ok(count)
}

/// How many of the given migrations the database lacks; 0 means current.
pub async fn pending(db: &Db, migrations: &[Migration]) -> Result<usize, StorageError> {
    let mut connection = db.reader().acquire().await?;
    // An error here means no record table yet: nothing was applied.
    let applied = applied(&mut connection).await.unwrap_or_default();
    Ok(migrations
        .iter()
        .filter(|m| !is_applied(m, &applied))
        .count())
}

/// The migrations the database has applied, in the order applied.
pub async fn applied_migrations(db: &Db) -> Result<Vec<AppliedMigration>, StorageError> {
    let mut connection = db.reader().acquire().await?;
    applied(&mut connection).await
}

async fn applied(
    connection: &mut sqlx::AnyConnection,
) -> Result<Vec<AppliedMigration>, StorageError> {
    let rows = sqlx::query(
        "SELECT module, version, name, checksum FROM kernel_migration ORDER BY created_at, module, version",
    )
    .fetch_all(connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AppliedMigration {
                module: row.try_get("module")?,
                version: row.try_get("version")?,
                name: row.try_get("name")?,
                checksum: row.try_get("checksum")?,
            })
        })
        .collect()
}

fn is_applied(migration: &Migration, applied: &[AppliedMigration]) -> bool {
    applied
        .iter()
        .any(|a| a.module == migration.module && a.version == migration.version)
}

/// Whether this build can run on a database that applied `applied`: each of
/// them must be one of `migrations`, unedited. `run` checks it before it
/// changes anything; `hanse restore` checks a backup's list the same way.
pub fn check_applied(
    migrations: &[Migration],
    applied: &[AppliedMigration],
) -> Result<(), StorageError> {
    for record in applied {
        let known = migrations
            .iter()
            .find(|m| m.module == record.module && m.version == record.version)
            .ok_or_else(|| StorageError::MigrationUnknown {
                module: record.module.clone(),
                version: record.version,
            })?;
        if known.checksum() != record.checksum {
            return Err(StorageError::MigrationEdited {
                module: known.module,
                version: known.version,
            });
        }
    }
    Ok(())
}
