//! The group-commit write path: concurrent transactions commit together on
//! SQLite, each answered only once its writes are durable and visible, and a
//! transaction that fails takes only its own writes with it. The same tests
//! run on PostgreSQL, where every transaction is its own.

use std::time::Duration;

use kernel::migrate::{Migration, kernel_migrations};
use kernel::{Db, Engine, storage_test};
use sqlx::Row;

fn migrations() -> Vec<Migration> {
    let mut all = kernel_migrations();
    all.push(Migration {
        module: "test",
        version: 1,
        name: "rows",
        sql: "CREATE TABLE test_row (number BIGINT NOT NULL PRIMARY KEY)",
    });
    all
}

async fn insert(tx: &mut kernel::Tx, number: i64) -> Result<(), kernel::StorageError> {
    sqlx::query("INSERT INTO test_row (number) VALUES ($1)")
        .bind(number)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// The numbers stored, read through the reader pool: what others see.
async fn stored(db: &Db) -> Vec<i64> {
    sqlx::query("SELECT number FROM test_row ORDER BY number")
        .fetch_all(db.reader())
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

// Each task writes its number; odd ones then fail in one of three ways
// (dropped, rolled back, a refused statement); only even numbers remain,
// each visible to a reader as soon as its commit returned.
storage_test!(
    a_failed_transaction_takes_only_its_own_writes,
    migrations(),
    |db: Db| async move {
        let tasks: Vec<_> = (0..120_i64)
            .map(|number| {
                let db = db.clone();
                tokio::spawn(async move {
                    let mut tx = db.begin().await.unwrap();
                    insert(&mut tx, number).await.unwrap();
                    tokio::task::yield_now().await;
                    match (number % 2, number % 3) {
                        (0, _) => {
                            tx.commit().await.unwrap();
                            // Answered means durable and visible.
                            let seen: i64 = sqlx::query_scalar(
                                "SELECT COUNT(*) FROM test_row WHERE number = $1",
                            )
                            .bind(number)
                            .fetch_one(db.reader())
                            .await
                            .unwrap();
                            assert_eq!(seen, 1, "{number} committed but not visible");
                        }
                        (_, 0) => drop(tx),
                        (_, 1) => tx.rollback().await.unwrap(),
                        _ => {
                            // The same key twice: the statement fails, and the
                            // transaction with it.
                            assert!(insert(&mut tx, number).await.is_err());
                        }
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        let expected: Vec<i64> = (0..120).filter(|n| n % 2 == 0).collect();
        assert_eq!(stored(&db).await, expected);
    }
);

// Transactions that wait while one holds the batch all join it: one
// commit for all of them, and none answered before it.
storage_test!(
    waiting_transactions_share_one_commit,
    migrations(),
    |db: Db| async move {
        let Some(before) = db.group_commit_stats() else {
            assert_eq!(db.engine(), Engine::Postgres, "SQLite always groups");
            return;
        };
        let mut first = db.begin().await.unwrap();
        insert(&mut first, 1_000).await.unwrap();
        let followers: Vec<_> = (0..10_i64)
            .map(|number| {
                let db = db.clone();
                tokio::spawn(async move {
                    let mut tx = db.begin().await.unwrap();
                    insert(&mut tx, number).await.unwrap();
                    tx.commit().await.unwrap();
                })
            })
            .collect();
        // Until all ten wait for the batch the first one holds.
        for _ in 0..1_000 {
            if db.group_commit_stats().unwrap().waiting == 10 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        assert_eq!(db.group_commit_stats().unwrap().waiting, 10);
        first.commit().await.unwrap();
        for follower in followers {
            follower.await.unwrap();
        }
        let after = db.group_commit_stats().unwrap();
        assert_eq!(after.members - before.members, 11);
        assert_eq!(
            after.batches - before.batches,
            1,
            "one commit for eleven transactions"
        );
        assert_eq!(stored(&db).await.len(), 11);
    }
);

// A transaction dropped half-way while others wait: they still commit, and
// its writes are gone.
storage_test!(
    a_dropped_holder_hands_the_batch_on,
    migrations(),
    |db: Db| async move {
        let mut first = db.begin().await.unwrap();
        insert(&mut first, 500).await.unwrap();
        let follower = {
            let db = db.clone();
            tokio::spawn(async move {
                let mut tx = db.begin().await.unwrap();
                insert(&mut tx, 7).await.unwrap();
                tx.commit().await.unwrap();
            })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(first);
        tokio::time::timeout(Duration::from_secs(10), follower)
            .await
            .expect("the follower is not left waiting")
            .unwrap();
        assert_eq!(stored(&db).await, vec![7]);
    }
);

// Requests whose clients go away drop their transaction's future at any
// await; the batch goes on, nothing acknowledged is lost, and no count of
// waiting transactions is left behind to slow every later commit.
storage_test!(
    abandoned_futures_leave_the_batch_whole,
    migrations(),
    |db: Db| async move {
        let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let tasks: Vec<_> = (0..90_i64)
            .map(|number| {
                let (db, acknowledged) = (db.clone(), acknowledged.clone());
                tokio::spawn(async move {
                    let mut tx = db.begin().await.unwrap();
                    insert(&mut tx, number).await.unwrap();
                    tx.commit().await.unwrap();
                    acknowledged.lock().unwrap().push(number);
                })
            })
            .collect();
        for (index, task) in tasks.iter().enumerate() {
            if index % 3 == 0 {
                task.abort();
            }
        }
        for task in tasks {
            let _ = task.await;
        }
        let after = tokio::time::timeout(Duration::from_secs(10), async {
            let mut tx = db.begin().await.unwrap();
            insert(&mut tx, 1_000).await.unwrap();
            tx.commit().await.unwrap();
        })
        .await;
        assert!(after.is_ok(), "a later transaction is not kept waiting");
        let stored = stored(&db).await;
        for number in acknowledged.lock().unwrap().iter() {
            assert!(
                stored.contains(number),
                "{number} was acknowledged but is gone"
            );
        }
        if let Some(stats) = db.group_commit_stats() {
            assert_eq!(stats.waiting, 0);
        }
    }
);
