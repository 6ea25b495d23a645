//! The outbox delivers every event to every subscriber once, in order, and a
//! failed handler leaves nothing behind.

use std::sync::Arc;

use kernel::outbox::{Dispatcher, OutboxEvent, Subscriber, SubscriberError};
use kernel::{Clock, Db, SystemClock, Tx, storage_test};

use crate::support::{append_things, handled_counts, migrations, recorders};

storage_test!(
    each_subscriber_gets_each_event_once,
    migrations(),
    |db: Db| async move {
        append_things(&db, 1..6).await;
        let dispatcher = Dispatcher::new(db.clone(), Arc::new(SystemClock), recorders(0.0));
        assert_eq!(dispatcher.run_once().await.unwrap().delivered, 10);
        assert_eq!(
            dispatcher.run_once().await.unwrap().delivered,
            0,
            "nothing is delivered twice"
        );
        append_things(&db, 6..8).await;
        assert_eq!(dispatcher.run_once().await.unwrap().delivered, 4);
        let counts = handled_counts(&db).await;
        assert_eq!(counts.len(), 14);
        assert!(counts.iter().all(|(_, _, times)| *times == 1));
    }
);

/// Fails on the event numbered 3 until told otherwise.
struct FailsOnThree {
    healthy: std::sync::atomic::AtomicBool,
}

#[async_trait::async_trait]
impl Subscriber for FailsOnThree {
    fn name(&self) -> &'static str {
        "fails_on_three"
    }

    async fn handle(&self, tx: &mut Tx, event: &OutboxEvent) -> Result<(), SubscriberError> {
        let thing = event
            .decode::<crate::support::ThingHappened>()
            .unwrap()
            .unwrap();
        sqlx::query("INSERT INTO test_handled (subscriber, event_id, number) VALUES ('fails_on_three', $1, $2)")
            .bind(event.event_id)
            .bind(thing.number)
            .execute(tx.conn())
            .await?;
        if thing.number == 3 && !self.healthy.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(SubscriberError::Failed("not today".into()));
        }
        Ok(())
    }
}

storage_test!(
    a_failed_handler_is_retried_and_leaves_nothing,
    migrations(),
    |db: Db| async move {
        append_things(&db, 1..5).await;
        let subscriber = Arc::new(FailsOnThree {
            healthy: false.into(),
        });
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let dispatcher = Dispatcher::new(db.clone(), clock, vec![subscriber.clone()]);
        dispatcher.run_once().await.unwrap();
        let numbers: Vec<i64> = handled_counts(&db)
            .await
            .iter()
            .map(|(_, n, _)| *n)
            .collect();
        assert_eq!(
            numbers,
            vec![1, 2],
            "stops before the failing event; its write is rolled back"
        );
        subscriber
            .healthy
            .store(true, std::sync::atomic::Ordering::SeqCst);
        dispatcher.run_once().await.unwrap();
        let numbers: Vec<i64> = handled_counts(&db)
            .await
            .iter()
            .map(|(_, n, _)| *n)
            .collect();
        assert_eq!(numbers, vec![1, 2, 3, 4]);
    }
);

storage_test!(
    two_dispatchers_never_double_deliver,
    migrations(),
    |db: Db| async move {
        append_things(&db, 1..41).await;
        let one = Dispatcher::new(db.clone(), Arc::new(SystemClock), recorders(0.0));
        let two = Dispatcher::new(db.clone(), Arc::new(SystemClock), recorders(0.0));
        let (a, b) = tokio::join!(one.run_once(), two.run_once());
        assert_eq!(a.unwrap().delivered + b.unwrap().delivered, 80);
        let counts = handled_counts(&db).await;
        assert_eq!(counts.len(), 80);
        assert!(counts.iter().all(|(_, _, times)| *times == 1));
    }
);
