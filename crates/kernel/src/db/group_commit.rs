//! Group commit on SQLite: concurrent transactions run one after another on
//! the single writer connection, each as a savepoint inside one shared
//! transaction, and the shared transaction commits once for the whole batch.
//! A transaction's `commit` returns only after that commit is durable, so an
//! answered request is never lost; one that fails rolls back to its own
//! savepoint and leaves the others in.
//!
//! Why: a durable commit costs an fsync (about 260 µs on these machines), so
//! one writer that commits every request in series tops out near 3,800
//! commits a second, and placing and paying an order takes several. Batching
//! makes the fsync a cost per batch, not per request. Every module gets it
//! through `Db::begin`, unchanged.
//!
//! The batch passes from one transaction to the next waiting one; the last
//! of a burst, or the one that finds the batch full or old, commits it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool};
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

use crate::error::StorageError;

/// Transactions committed together at most. Bounds how long the first one
/// of a batch waits for its answer.
pub const BATCH_MEMBERS_MAX: usize = 256;
/// The oldest a batch may grow before it commits, whoever is waiting.
pub const BATCH_AGE_MAX: Duration = Duration::from_millis(20);

/// One savepoint name serves: a batch runs one transaction at a time.
const SAVEPOINT: &str = "SAVEPOINT hanse_tx";
const RELEASE: &str = "RELEASE SAVEPOINT hanse_tx";
const ROLLBACK_TO: &str = "ROLLBACK TO SAVEPOINT hanse_tx; RELEASE SAVEPOINT hanse_tx";

/// The writer's shared state: the open batch, and how many transactions
/// wait to join it.
#[derive(Debug)]
pub(super) struct GroupWriter {
    pool: AnyPool,
    batch: Arc<Mutex<Batch>>,
    /// Transactions waiting for the batch: while there are some, a member
    /// that finishes hands the batch on instead of committing it.
    waiting: Arc<AtomicUsize>,
    counters: Arc<Counters>,
}

/// What the group commit has done since the process started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupCommitStats {
    /// Shared transactions committed.
    pub batches: u64,
    /// Transactions committed in them.
    pub members: u64,
    /// Transactions waiting to join the batch right now.
    pub waiting: u64,
}

#[derive(Debug, Default)]
struct Counters {
    batches: AtomicU64,
    members: AtomicU64,
}

#[derive(Debug, Default)]
pub(super) struct Batch {
    counters: Arc<Counters>,
    /// The writer connection, held while a batch is open.
    connection: Option<PoolConnection<Any>>,
    /// When the shared transaction began; `None` when none is open.
    opened_at: Option<Instant>,
    members: usize,
    /// The members that released their savepoint, waiting for the commit.
    committed: Vec<oneshot::Sender<Result<(), String>>>,
    /// A member dropped without commit or rollback, outside a runtime that
    /// could roll it back at once: the next user rolls its savepoint back.
    abandoned_savepoint: bool,
}

impl GroupWriter {
    pub(super) fn new(pool: AnyPool) -> GroupWriter {
        let counters = Arc::new(Counters::default());
        GroupWriter {
            pool,
            batch: Arc::new(Mutex::new(Batch {
                counters: counters.clone(),
                ..Batch::default()
            })),
            waiting: Arc::new(AtomicUsize::new(0)),
            counters,
        }
    }

    pub(super) fn stats(&self) -> GroupCommitStats {
        let counters = &self.counters;
        GroupCommitStats {
            batches: counters.batches.load(Ordering::SeqCst),
            members: counters.members.load(Ordering::SeqCst),
            waiting: self.waiting.load(Ordering::SeqCst) as u64,
        }
    }

    /// Joins the batch (opening one if none is), inside a savepoint of its own.
    ///
    /// The joining runs on a task of its own, as do a member's commit and
    /// rollback: a request whose client went away drops its future at any
    /// await, and the batch must never be left half-begun or half-committed
    /// by that, nor the count of waiting transactions off by one.
    pub(super) async fn begin(&self) -> Result<BatchMember, StorageError> {
        let (batch, pool, waiting) = (self.batch.clone(), self.pool.clone(), self.waiting.clone());
        let (answer, joined) = oneshot::channel();
        tokio::spawn(async move {
            waiting.fetch_add(1, Ordering::SeqCst);
            let mut guard = batch.lock_owned().await;
            waiting.fetch_sub(1, Ordering::SeqCst);
            let outcome = match join(&mut guard, &pool).await {
                Ok(()) => Ok(BatchMember {
                    guard: Some(guard),
                    waiting: waiting.clone(),
                }),
                Err(error) => {
                    // Whatever opened stays consistent: earlier members
                    // still get their commit.
                    finish_turn(guard, &waiting).await;
                    Err(error)
                }
            };
            // A caller that is gone drops the member here, which rolls its
            // savepoint back and ends its turn.
            drop(answer.send(outcome));
        });
        joined.await.map_err(|_| {
            StorageError::GroupCommit(
                "the writer task stopped before the transaction began".to_owned(),
            )
        })?
    }
}

async fn join(batch: &mut Batch, pool: &AnyPool) -> Result<(), StorageError> {
    if batch.abandoned_savepoint {
        batch.abandoned_savepoint = false;
        batch.undo_member().await;
    }
    if batch.connection.is_none() {
        batch.connection = Some(pool.acquire().await?);
    }
    if batch.opened_at.is_none() {
        batch.run("BEGIN").await?;
        batch.opened_at = Some(Instant::now());
    }
    batch.run(SAVEPOINT).await?;
    batch.members += 1;
    Ok(())
}

impl Batch {
    fn conn(&mut self) -> &mut AnyConnection {
        self.connection
            .as_deref_mut()
            .expect("a batch holds the writer connection while open")
    }

    /// Runs one statement of the batch's own (BEGIN, SAVEPOINT, COMMIT, ...).
    /// Boxed with its lifetime written out: the futures that use it are
    /// spawned, and the compiler cannot prove sqlx's executor futures `Send`
    /// for every lifetime without the help.
    fn run<'a>(&'a mut self, sql: &'static str) -> BoxFuture<'a, Result<(), sqlx::Error>> {
        let execution = sqlx::Executor::execute(self.conn(), sql);
        Box::pin(async move { execution.await.map(|_| ()) })
    }

    fn is_due(&self, waiting: &AtomicUsize) -> bool {
        waiting.load(Ordering::SeqCst) == 0
            || self.members >= BATCH_MEMBERS_MAX
            || self
                .opened_at
                .is_some_and(|opened| opened.elapsed() >= BATCH_AGE_MAX)
    }

    /// Commits the shared transaction and answers every member that waits.
    async fn commit(&mut self) {
        if self.opened_at.is_none() {
            return;
        }
        let outcome = match self.run("COMMIT").await {
            Ok(_) => Ok(()),
            Err(error) => {
                // The whole batch is lost; make sure nothing of it lingers.
                let _ = self.run("ROLLBACK").await;
                Err(error.to_string())
            }
        };
        self.close(outcome);
    }

    /// Undoes the current member's savepoint. If even that fails, the batch
    /// cannot be trusted: all of it is rolled back and every member that
    /// waits is told, so nothing half-undone is ever committed.
    async fn undo_member(&mut self) {
        if let Err(error) = self.run(ROLLBACK_TO).await {
            let _ = self.run("ROLLBACK").await;
            self.close(Err(format!("a rollback to a savepoint failed: {error}")));
        }
    }

    fn close(&mut self, outcome: Result<(), String>) {
        if outcome.is_ok() {
            self.counters.batches.fetch_add(1, Ordering::SeqCst);
            let members = self.committed.len() as u64;
            self.counters.members.fetch_add(members, Ordering::SeqCst);
        }
        for member in self.committed.drain(..) {
            let _ = member.send(outcome.clone());
        }
        self.opened_at = None;
        self.members = 0;
        self.abandoned_savepoint = false;
        // Back to the pool between batches, so closing the pool is not kept
        // waiting by an idle writer.
        self.connection = None;
    }
}

/// Ends a member's turn: hands the batch to the next waiting transaction,
/// or commits it when it is due.
async fn finish_turn(mut guard: OwnedMutexGuard<Batch>, waiting: &AtomicUsize) {
    if guard.opened_at.is_none() {
        guard.connection = None;
    } else if guard.is_due(waiting) {
        guard.commit().await;
    }
}

/// A transaction in the current batch: the batch is this member's until it
/// commits or rolls back.
#[derive(Debug)]
pub(super) struct BatchMember {
    guard: Option<OwnedMutexGuard<Batch>>,
    waiting: Arc<AtomicUsize>,
}

impl BatchMember {
    pub(super) fn conn(&mut self) -> &mut AnyConnection {
        self.guard
            .as_mut()
            .expect("a member holds the batch until it finishes")
            .conn()
    }

    /// Keeps this member's writes in the batch and waits until the batch is
    /// committed: an `Ok` is durable.
    pub(super) async fn commit(mut self) -> Result<(), StorageError> {
        let mut guard = self.guard.take().expect("a member commits once");
        let waiting = self.waiting.clone();
        let (answer, committed) = oneshot::channel();
        tokio::spawn(async move {
            if let Err(error) = guard.run(RELEASE).await {
                guard.undo_member().await;
                finish_turn(guard, &waiting).await;
                let _ = answer.send(Err(error.to_string()));
                return;
            }
            guard.committed.push(answer);
            finish_turn(guard, &waiting).await;
        });
        match committed.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(message)) => Err(StorageError::GroupCommit(message)),
            Err(_) => Err(StorageError::GroupCommit(
                "the batch was dropped before it committed".to_owned(),
            )),
        }
    }

    /// Undoes this member's writes; the rest of the batch stays.
    pub(super) async fn rollback(mut self) -> Result<(), StorageError> {
        let mut guard = self.guard.take().expect("a member rolls back once");
        let waiting = self.waiting.clone();
        let done = tokio::spawn(async move {
            guard.undo_member().await;
            finish_turn(guard, &waiting).await;
        });
        done.await
            .map_err(|error| StorageError::GroupCommit(error.to_string()))
    }
}

impl Drop for BatchMember {
    /// A transaction dropped half-way (an error returned with `?`) rolls back
    /// its savepoint. The rollback needs the database, so it runs on the
    /// runtime; without one, the next member does it before its own work.
    fn drop(&mut self) {
        let Some(mut guard) = self.guard.take() else {
            return;
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                let waiting = self.waiting.clone();
                runtime.spawn(async move {
                    guard.undo_member().await;
                    finish_turn(guard, &waiting).await;
                });
            }
            Err(_) => guard.abandoned_savepoint = true,
        }
    }
}
