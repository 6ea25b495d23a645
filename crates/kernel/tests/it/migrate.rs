//! Migrations apply once, are reported as pending until applied, and an edited
//! migration is refused.

use kernel::migrate::{self, Migration, kernel_migrations};
use kernel::testing::TestDb;
use kernel::{Engine, StorageError, Timestamp};

async fn check_engine(engine: Engine) {
    let Some(test_db) = TestDb::new(engine).await else {
        return;
    };
    let db = test_db.db;
    let now = Timestamp::from_micros(0);
    let mut migrations = kernel_migrations();
    assert_eq!(
        migrate::pending(&db, &migrations).await.unwrap(),
        migrations.len()
    );
    assert_eq!(
        migrate::run(&db, &migrations, now).await.unwrap(),
        migrations.len()
    );
    assert_eq!(
        migrate::run(&db, &migrations, now).await.unwrap(),
        0,
        "running twice applies nothing"
    );
    assert_eq!(migrate::pending(&db, &migrations).await.unwrap(), 0);

    migrations[0] = Migration {
        sql: "CREATE TABLE edited (x BIGINT)",
        ..migrations[0]
    };
    let error = migrate::run(&db, &migrations, now).await.unwrap_err();
    assert!(
        matches!(
            error,
            StorageError::MigrationEdited {
                module: "kernel",
                version: 1
            }
        ),
        "{error}"
    );

    let error = migrate::run(&db, &[], now).await.unwrap_err();
    assert!(
        matches!(error, StorageError::MigrationUnknown { .. }),
        "{error}"
    );
}

#[tokio::test]
async fn migrations_apply_once_on_sqlite() {
    check_engine(Engine::Sqlite).await;
}

#[tokio::test]
async fn migrations_apply_once_on_postgres() {
    check_engine(Engine::Postgres).await;
}
