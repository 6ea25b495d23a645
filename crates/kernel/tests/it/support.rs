//! Shared pieces of the kernel tests: a test event, a recording subscriber and
//! the migrations they need.

use std::sync::Arc;

use kernel::Tx;
use kernel::migrate::{Migration, kernel_migrations};
use kernel::outbox::{Event, OutboxEvent, Subscriber, SubscriberError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct ThingHappened {
    pub number: i64,
}

impl Event for ThingHappened {
    const NAME: &'static str = "ThingHappened";
    const VERSION: i64 = 1;
}

/// Kernel migrations plus a table in which subscribers record what they handled.
pub fn migrations() -> Vec<Migration> {
    let mut all = kernel_migrations();
    all.push(Migration {
        module: "test",
        version: 1,
        name: "handled",
        sql: "CREATE TABLE test_handled (subscriber TEXT NOT NULL, event_id BIGINT NOT NULL, number BIGINT NOT NULL)",
    });
    all
}

/// Records each event it handles; may be told to crash the process mid-handling.
pub struct Recorder {
    pub name: &'static str,
    /// Abort the process after writing but before commit, with this chance.
    pub crash_chance: f64,
}

#[async_trait::async_trait]
impl Subscriber for Recorder {
    fn name(&self) -> &'static str {
        self.name
    }

    async fn handle(&self, tx: &mut Tx, event: &OutboxEvent) -> Result<(), SubscriberError> {
        let Some(thing) = event.decode::<ThingHappened>() else {
            return Ok(());
        };
        let thing = thing.map_err(|e| SubscriberError::Failed(e.to_string()))?;
        sqlx::query("INSERT INTO test_handled (subscriber, event_id, number) VALUES ($1, $2, $3)")
            .bind(self.name)
            .bind(event.event_id)
            .bind(thing.number)
            .execute(tx.conn())
            .await?;
        if self.crash_chance > 0.0 && rand::random::<f64>() < self.crash_chance {
            std::process::abort();
        }
        Ok(())
    }
}

pub fn recorders(crash_chance: f64) -> Vec<Arc<dyn Subscriber>> {
    vec![
        Arc::new(Recorder {
            name: "first",
            crash_chance,
        }),
        Arc::new(Recorder {
            name: "second",
            crash_chance,
        }),
    ]
}

pub async fn append_things(db: &kernel::Db, numbers: std::ops::Range<i64>) {
    for number in numbers {
        let mut tx = db.begin().await.unwrap();
        kernel::outbox::append(
            &mut tx,
            &ThingHappened { number },
            None,
            kernel::Timestamp::from_micros(0),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
}

/// (subscriber, number) pairs handled, with how often each was handled.
pub async fn handled_counts(db: &kernel::Db) -> Vec<(String, i64, i64)> {
    use sqlx::Row;
    sqlx::query(
        "SELECT subscriber, number, COUNT(*) AS times FROM test_handled
         GROUP BY subscriber, number ORDER BY subscriber, number",
    )
    .fetch_all(db.reader())
    .await
    .unwrap()
    .iter()
    .map(|row| (row.get("subscriber"), row.get("number"), row.get("times")))
    .collect()
}
