//! What a module implements to run its jobs: a [`JobHandler`] per kind, which
//! answers a [`JobOutcome`] or a [`JobError`].

use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::StorageError;

use super::Job;

/// What a handler did with its job. Either way its writes commit together with
/// the job's new state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    /// Done for good: the job becomes `completed` and never runs again.
    Completed,
    /// Done for now; run again at the given instant, as a recurring job does
    /// (an ads day end, a membership renewal). The attempt count starts over,
    /// since this run succeeded.
    RunAgainAt(Timestamp),
}

/// Why a handler could not do its job. Nothing it wrote in the transaction is
/// kept; the error text is recorded on the job.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The database failed (also a PostgreSQL deadlock or serialisation
    /// failure); retried with backoff.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// Retried with backoff until the job's `attempts_max`.
    #[error("{0}")]
    Failed(String),
    /// Retrying cannot help (an unreadable payload, a rule the job's data
    /// breaks): the job fails at once.
    #[error("{0}")]
    Permanent(String),
}

impl From<sqlx::Error> for JobError {
    fn from(error: sqlx::Error) -> Self {
        JobError::Storage(error.into())
    }
}

/// Runs the jobs of one kind. Registered with a [`JobRunner`](super::JobRunner).
#[async_trait::async_trait]
pub trait JobHandler: Send + Sync {
    /// The kind this handler runs, as given to [`schedule`](super::schedule);
    /// by convention the module's name, a dot and what the job does
    /// (`trade.auto_confirm`).
    fn kind(&self) -> &'static str;

    /// Does the job inside `tx`, which the runner commits with the job's new
    /// state. Write only through `tx`: on SQLite a second transaction would
    /// wait for the one writer connection that `tx` holds, forever.
    ///
    /// A handler may run more than once only in the sense that a run whose
    /// transaction never committed (a crash, an error) is followed by another;
    /// of all runs, exactly one commits. Handlers should still check that the
    /// work is still wanted (the order may have been confirmed by hand), and
    /// answer `Completed` without writing when it is not.
    async fn run(&self, tx: &mut Tx, job: &Job) -> Result<JobOutcome, JobError>;
}
