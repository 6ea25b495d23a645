//! Hands outbox events, in order, to every subscriber. A subscriber's writes and
//! its checkpoint commit in one transaction, so each event takes effect exactly
//! once per subscriber, across crashes and across nodes.

use std::sync::Arc;
use std::time::Duration;

use sqlx::Row;
use tokio::sync::watch;

use super::{OutboxEvent, read_after};
use crate::clock::Clock;
use crate::db::{Db, Tx};
use crate::error::StorageError;

/// Why a subscriber could not handle an event. The event is retried later;
/// nothing the subscriber wrote for it is kept.
#[derive(Debug, thiserror::Error)]
pub enum SubscriberError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("{0}")]
    Failed(String),
}

impl From<sqlx::Error> for SubscriberError {
    fn from(error: sqlx::Error) -> Self {
        SubscriberError::Storage(error.into())
    }
}

/// Something that reacts to events: another module's projection, a search
/// index, a mail sender.
#[async_trait::async_trait]
pub trait Subscriber: Send + Sync {
    /// A stable name; the checkpoint is kept under it, so renaming replays history.
    fn name(&self) -> &'static str;

    /// Handles one event inside `tx`. Events the subscriber does not care about
    /// are simply ignored (return `Ok`).
    async fn handle(&self, tx: &mut Tx, event: &OutboxEvent) -> Result<(), SubscriberError>;
}

/// What one round of delivery did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub delivered: usize,
    /// Subscribers that stopped at a failing event this round.
    pub failed_subscribers: usize,
}

/// Events read per subscriber per round.
const BATCH_SIZE_MAX: i64 = 256;
/// How often the outbox is read when nothing wakes the dispatcher; another node's
/// commits are seen at most this late.
const POLL_INTERVAL: Duration = Duration::from_millis(250);
/// The longest wait before retrying a subscriber whose handler failed.
const RETRY_BACKOFF_MAX: Duration = Duration::from_secs(30);

/// Delivers the outbox to its subscribers.
pub struct Dispatcher {
    db: Db,
    clock: Arc<dyn Clock>,
    subscribers: Vec<Arc<dyn Subscriber>>,
    checkpoints_created: tokio::sync::OnceCell<()>,
}

impl Dispatcher {
    pub fn new(db: Db, clock: Arc<dyn Clock>, subscribers: Vec<Arc<dyn Subscriber>>) -> Self {
        Dispatcher {
            db,
            clock,
            subscribers,
            checkpoints_created: tokio::sync::OnceCell::new(),
        }
    }

    /// Delivers everything committed so far to every subscriber, stopping a
    /// subscriber at its first failure (logged; retried next round).
    pub async fn run_once(&self) -> Result<Round, StorageError> {
        self.checkpoints_created
            .get_or_try_init(|| self.create_checkpoints())
            .await?;
        let mut round = Round::default();
        for subscriber in &self.subscribers {
            let (delivered, failure) = self.drain(subscriber.as_ref()).await;
            round.delivered += delivered;
            if let Some(error) = failure {
                tracing::error!(subscriber = subscriber.name(), %error, "subscriber failed; will retry");
                round.failed_subscribers += 1;
            }
        }
        Ok(round)
    }

    /// Runs until `shutdown` turns true or its sender is dropped: delivers, then sleeps until a local
    /// commit wakes it or the poll interval passes.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut backoff = POLL_INTERVAL;
        loop {
            let healthy = match self.run_once().await {
                Ok(round) => round.failed_subscribers == 0,
                Err(error) => {
                    tracing::error!(%error, "cannot read the outbox; will retry");
                    false
                }
            };
            backoff = if healthy {
                POLL_INTERVAL
            } else {
                (backoff * 2).min(RETRY_BACKOFF_MAX)
            };
            let wait = backoff;
            tokio::select! {
                _ = self.db.outbox_committed().notified() => {}
                _ = tokio::time::sleep(wait) => {}
                changed = shutdown.changed() => {
                    // A dropped sender means the owner is gone: stop too.
                    if changed.is_err() {
                        return;
                    }
                }
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }

    /// Delivers a subscriber's backlog; returns how many it handled and the
    /// error it stopped at, if any.
    async fn drain(&self, subscriber: &dyn Subscriber) -> (usize, Option<SubscriberError>) {
        let mut delivered = 0;
        match self.drain_counting(subscriber, &mut delivered).await {
            Ok(()) => (delivered, None),
            Err(error) => (delivered, Some(error)),
        }
    }

    async fn drain_counting(
        &self,
        subscriber: &dyn Subscriber,
        delivered: &mut usize,
    ) -> Result<(), SubscriberError> {
        loop {
            let checkpoint = self.checkpoint(subscriber.name()).await?;
            let events = {
                let mut connection = self
                    .db
                    .reader()
                    .acquire()
                    .await
                    .map_err(StorageError::from)?;
                read_after(&mut connection, checkpoint, BATCH_SIZE_MAX).await?
            };
            if events.is_empty() {
                return Ok(());
            }
            let mut previous = checkpoint;
            for event in &events {
                if !self.deliver(subscriber, event, previous).await? {
                    // Another node moved this checkpoint first; start over from it.
                    break;
                }
                previous = event.position;
                *delivered += 1;
            }
        }
    }

    /// Handles one event in one transaction with the checkpoint move. The move is
    /// conditional on the checkpoint still being `previous`, and comes first, so
    /// that on PostgreSQL a second node blocks on the row and then finds it moved.
    async fn deliver(
        &self,
        subscriber: &dyn Subscriber,
        event: &OutboxEvent,
        previous: i64,
    ) -> Result<bool, SubscriberError> {
        let mut tx = self.db.begin().await?;
        let moved = sqlx::query(
            "UPDATE kernel_outbox_checkpoint SET position = $1, updated_at = $2
             WHERE subscriber = $3 AND position = $4",
        )
        .bind(event.position)
        .bind(self.clock.now().micros())
        .bind(subscriber.name())
        .bind(previous)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if moved == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        subscriber.handle(&mut tx, event).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A new subscriber starts from the beginning of the outbox.
    async fn create_checkpoints(&self) -> Result<(), StorageError> {
        let mut tx = self.db.begin().await?;
        let now = self.clock.now().micros();
        for subscriber in &self.subscribers {
            sqlx::query(
                "INSERT INTO kernel_outbox_checkpoint (subscriber, position, created_at, updated_at)
                 VALUES ($1, 0, $2, $2) ON CONFLICT (subscriber) DO NOTHING",
            )
            .bind(subscriber.name())
            .bind(now)
            .execute(tx.conn())
            .await?;
        }
        tx.commit().await
    }

    async fn checkpoint(&self, subscriber: &str) -> Result<i64, StorageError> {
        let row =
            sqlx::query("SELECT position FROM kernel_outbox_checkpoint WHERE subscriber = $1")
                .bind(subscriber)
                .fetch_one(self.db.reader())
                .await?;
        Ok(row.try_get("position")?)
    }
}
