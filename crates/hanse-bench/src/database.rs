//! A fresh database for one benchmark run, removed afterwards: a SQLite file
//! in a temporary directory, or a PostgreSQL schema of its own, so a run never
//! sees another run's rows and never touches the schema of a real deployment.

use anyhow::Context;
use kernel::sqlx;

/// Connections for the benchmark's PostgreSQL pool, as `hanse serve` uses.
const POSTGRES_CONNECTIONS_MAX: u32 = 8;

/// The database of one run. Call [`BenchDatabase::remove`] at the end; a
/// temporary SQLite directory is also removed when this is dropped.
pub struct BenchDatabase {
    pub db: kernel::Db,
    /// Where the database lives, for the human report (never a password).
    pub location: String,
    cleanup: Cleanup,
}

enum Cleanup {
    /// Deleting the directory deletes the database, its WAL and shared memory.
    SqliteDirectory(tempfile::TempDir),
    /// The schema is dropped through a connection that does not use it.
    PostgresSchema { admin: kernel::Db, schema: String },
}

impl BenchDatabase {
    /// Creates the database: SQLite in a new temporary directory when
    /// `database_url` is `None`, else a new schema in that PostgreSQL database.
    /// Durability settings are the kernel's (WAL and `synchronous=FULL` on SQLite).
    pub async fn create_fresh(database_url: Option<&str>) -> anyhow::Result<BenchDatabase> {
        match database_url {
            None => {
                let directory = tempfile::Builder::new()
                    .prefix("hanse-bench-")
                    .tempdir()
                    .context("could not create a temporary directory for SQLite")?;
                let options = kernel::DbOptions::sqlite_in(directory.path())?;
                let db = kernel::Db::connect(&options).await?;
                Ok(BenchDatabase {
                    db,
                    location: directory.path().join("hanse.db").display().to_string(),
                    cleanup: Cleanup::SqliteDirectory(directory),
                })
            }
            Some(url) => {
                let admin = kernel::Db::connect(&kernel::DbOptions {
                    max_connections: 1,
                    ..kernel::DbOptions::new(url)
                })
                .await
                .context("could not connect to PostgreSQL")?;
                anyhow::ensure!(
                    admin.engine() == kernel::Engine::Postgres,
                    "--database-url must be a postgres:// URL; leave it out for SQLite"
                );
                // Random rather than time-based so two runs started together
                // cannot collide; lowercase hex needs no quoting.
                let schema = format!("bench_{:016x}", rand::random::<u64>());
                sqlx::query(&format!("CREATE SCHEMA {schema}"))
                    .execute(admin.reader())
                    .await
                    .with_context(|| format!("could not create schema {schema}"))?;
                let options = kernel::DbOptions {
                    postgres_schema: Some(schema.clone()),
                    max_connections: POSTGRES_CONNECTIONS_MAX,
                    ..kernel::DbOptions::new(url)
                };
                let db = match kernel::Db::connect(&options).await {
                    Ok(db) => db,
                    Err(error) => {
                        let _ = drop_schema(&admin, &schema).await;
                        return Err(error.into());
                    }
                };
                Ok(BenchDatabase {
                    db,
                    location: format!("PostgreSQL schema {schema}"),
                    cleanup: Cleanup::PostgresSchema { admin, schema },
                })
            }
        }
    }

    pub fn engine_name(&self) -> &'static str {
        self.db.engine().name()
    }

    /// Closes the pools and deletes everything the run wrote.
    pub async fn remove(self) -> anyhow::Result<()> {
        self.db.close().await;
        match self.cleanup {
            Cleanup::SqliteDirectory(directory) => {
                directory
                    .close()
                    .context("could not remove the temporary SQLite directory")?;
            }
            Cleanup::PostgresSchema { admin, schema } => {
                let dropped = drop_schema(&admin, &schema).await;
                admin.close().await;
                dropped.with_context(|| format!("could not drop schema {schema}"))?;
            }
        }
        Ok(())
    }
}

async fn drop_schema(admin: &kernel::Db, schema: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(admin.reader())
        .await?;
    Ok(())
}
