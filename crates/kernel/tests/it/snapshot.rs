//! A snapshot of SQLite taken while a writer commits is one consistent state
//! with the same row counts and migrations; PostgreSQL refuses to snapshot
//! and writes nothing.

use kernel::{Db, Engine, StorageError, storage_test};

use crate::support::{append_things, migrations};

storage_test!(
    a_snapshot_is_one_state_while_a_writer_commits,
    migrations(),
    |db: Db| async move {
        append_things(&db, 0..20).await;
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("copy.db");
        if db.engine() == Engine::Postgres {
            let error = db.snapshot_into(&target).await.unwrap_err();
            assert!(
                matches!(error, StorageError::SnapshotUnsupported("postgres")),
                "{error}"
            );
            assert!(!target.exists(), "nothing is written");
            assert_eq!(db.row_counts().await.unwrap()["kernel_outbox"], 20);
            return;
        }
        let writer = {
            let db = db.clone();
            tokio::spawn(async move { append_things(&db, 20..400).await })
        };
        db.snapshot_into(&target).await.unwrap();
        writer.await.unwrap();

        let bytes = std::fs::read(&target).unwrap();
        let copy = Db::open_sqlite_read_only(&target).await.unwrap();
        let counts = copy.row_counts().await.unwrap();
        let outbox = counts["kernel_outbox"];
        let positions: Vec<i64> =
            kernel::sqlx::query_scalar("SELECT position FROM kernel_outbox ORDER BY position")
                .fetch_all(copy.reader())
                .await
                .unwrap();
        assert_eq!(
            positions,
            (1..=outbox).collect::<Vec<_>>(),
            "the copy holds a prefix of the commits, without gaps"
        );
        assert!((20..=400).contains(&outbox), "{outbox}");
        assert_eq!(
            kernel::migrate::applied_migrations(&copy).await.unwrap(),
            kernel::migrate::applied_migrations(&db).await.unwrap()
        );
        assert!(counts.contains_key("test_handled") && counts.contains_key("kernel_migration"));
        let mut tx = copy.begin().await.unwrap();
        let refused = kernel::sqlx::query("DELETE FROM kernel_outbox")
            .execute(tx.conn())
            .await;
        assert!(refused.is_err(), "the read-only handle writes nothing");
        drop(tx);
        copy.close().await;
        assert_eq!(
            std::fs::read(&target).unwrap(),
            bytes,
            "reading changed no byte"
        );

        let error = db.snapshot_into(&target).await.unwrap_err();
        assert!(
            matches!(error, StorageError::Snapshot { .. }),
            "an existing file is not overwritten: {error}"
        );
    }
);
