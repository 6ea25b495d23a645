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
    fn checksum(&self) -> String {
        let digest = Sha256::digest(self.sql.as_bytes());
        digest.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

/// The kernel's own migrations: the migration record and the outbox.
pub fn kernel_migrations() -> Vec<Migration> {
    vec![Migration {
        module: "kernel",
        version: 1,
        name: "outbox",
        sql: include_str!("../migrations/0001_outbox.sql"),
    }]
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
    check_known(migrations, &applied)?;
    tx.commit().await?;

    let mut count = 0;
    for migration in migrations {
        match applied
            .iter()
            .find(|(m, v, _)| m == migration.module && *v == migration.version)
        {
            Some((_, _, checksum)) if *checksum == migration.checksum() => continue,
            Some(_) => {
                return Err(StorageError::MigrationEdited {
                    module: migration.module,
                    version: migration.version,
                });
            }
            None => {}
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
        .filter(|m| {
            !applied
                .iter()
                .any(|(module, version, _)| module == m.module && *version == m.version)
        })
        .count())
}

async fn applied(
    connection: &mut sqlx::AnyConnection,
) -> Result<Vec<(String, i64, String)>, StorageError> {
    let rows = sqlx::query("SELECT module, version, checksum FROM kernel_migration")
        .fetch_all(connection)
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("module")?,
                row.try_get("version")?,
                row.try_get("checksum")?,
            ))
        })
        .collect()
}

fn check_known(
    migrations: &[Migration],
    applied: &[(String, i64, String)],
) -> Result<(), StorageError> {
    for (module, version, _) in applied {
        if !migrations
            .iter()
            .any(|m| m.module == module && m.version == *version)
        {
            return Err(StorageError::MigrationUnknown {
                module: module.clone(),
                version: *version,
            });
        }
    }
    Ok(())
}
