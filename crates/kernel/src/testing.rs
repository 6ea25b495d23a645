//! Test support: a fresh database per test, on SQLite (a temporary file) or, when
//! `HANSE_TEST_DATABASE_URL` is set, on PostgreSQL in a schema of its own.

use std::sync::Arc;

use crate::clock::{Clock, SystemClock};
use crate::db::{Db, DbOptions, Engine};
use crate::migrate::{self, Migration};

/// The variable that points storage tests at a PostgreSQL server.
pub const POSTGRES_URL_VAR: &str = "HANSE_TEST_DATABASE_URL";

/// A database for one test. The temporary directory of a SQLite file goes with
/// it; a PostgreSQL schema stays (dropping needs an async call that `Drop`
/// cannot make), so CI runs the tests in a database it creates afresh.
pub struct TestDb {
    pub db: Db,
    pub options: DbOptions,
    _directory: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A fresh, empty database on `engine`, or `None` for PostgreSQL when no
    /// server is configured (CI always configures one).
    pub async fn new(engine: Engine) -> Option<TestDb> {
        let (options, directory) = match engine {
            Engine::Sqlite => {
                let directory = tempfile::tempdir().expect("temporary directory");
                (
                    DbOptions::sqlite_in(directory.path()).expect("data dir"),
                    Some(directory),
                )
            }
            Engine::Postgres => {
                let url = std::env::var(POSTGRES_URL_VAR)
                    .ok()
                    .filter(|url| !url.is_empty())?;
                (postgres_schema(&url).await, None)
            }
        };
        let db = Db::connect(&options)
            .await
            .expect("connect to the test database");
        Some(TestDb {
            db,
            options,
            _directory: directory,
        })
    }

    /// A fresh database with the given migrations applied.
    pub async fn migrated(engine: Engine, migrations: &[Migration]) -> Option<TestDb> {
        let test_db = TestDb::new(engine).await?;
        migrate::run(&test_db.db, migrations, SystemClock.now())
            .await
            .expect("migrations apply");
        Some(test_db)
    }

    pub fn clock() -> Arc<dyn Clock> {
        Arc::new(SystemClock)
    }
}

/// Creates a uniquely named schema and options whose connections use it. Few
/// connections per test, since many tests share one server.
async fn postgres_schema(url: &str) -> DbOptions {
    let schema = format!("test_{}", crate::id::next_raw());
    let admin = Db::connect(&DbOptions {
        max_connections: 1,
        ..DbOptions::new(url)
    })
    .await
    .expect("connect to HANSE_TEST_DATABASE_URL");
    sqlx::raw_sql(&format!("CREATE SCHEMA \"{schema}\""))
        .execute(admin.reader())
        .await
        .expect("create schema");
    admin.close().await;
    DbOptions {
        url: url.to_owned(),
        max_connections: 4,
        postgres_schema: Some(schema),
        ..DbOptions::new(url)
    }
}

/// Runs a storage test once per engine: `storage_test!(name, |db| async move { ... })`
/// defines `name::sqlite` and `name::postgres`. The closure gets the [`Db`] of a
/// migrated [`TestDb`]; the PostgreSQL run passes trivially only when no server is set.
#[macro_export]
macro_rules! storage_test {
    ($name:ident, $migrations:expr, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let test_db =
                    $crate::testing::TestDb::migrated($crate::Engine::Sqlite, &$migrations)
                        .await
                        .expect("sqlite is always available");
                // The TestDb stays here, alive until the body is done: it owns the
                // temporary directory that holds the SQLite file.
                ($body)(test_db.db.clone()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match $crate::testing::TestDb::migrated($crate::Engine::Postgres, &$migrations)
                    .await
                {
                    Some(test_db) => ($body)(test_db.db.clone()).await,
                    None => eprintln!(
                        "{} not set: PostgreSQL run not possible here",
                        $crate::testing::POSTGRES_URL_VAR
                    ),
                }
            }
        }
    };
}
