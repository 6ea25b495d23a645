//! Durable scheduled jobs: a module sets a timer inside its own transaction
//! ([`schedule`]), and the [`JobRunner`] fires it once when it is due, also
//! across a crash, on both engines.
//!
//! The model is riverqueue/river's: a job row with a state, an attempt count and
//! `scheduled_at`; runners claim due rows (on PostgreSQL with `FOR UPDATE SKIP
//! LOCKED`) under a lease, and a handler's writes commit in the same transaction
//! that marks its job completed. If the process dies before that commit, nothing
//! of the handler is kept and the job is claimed again when its lease has run out.

mod handler;
mod list;
mod runner;
mod schedule;

use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::any::AnyRow;

pub use handler::{JobError, JobHandler, JobOutcome};
pub use list::{find, list};
pub use runner::{
    BATCH_SIZE_MAX, HANDLERS_MAX, JobRound, JobRunner, JobRunnerOptions, retry_backoff_ms,
};
pub use schedule::{Scheduled, cancel, reschedule, schedule, schedule_with_attempts_max};

use crate::clock::Timestamp;
use crate::error::StorageError;

crate::define_id!(
    /// A scheduled job.
    JobId,
    "job"
);

/// The longest job kind, e.g. `trade.auto_confirm`.
pub const KIND_LEN_MAX: usize = 64;
/// The longest job key, e.g. an order id.
pub const KEY_LEN_MAX: usize = 256;
/// The largest JSON payload: a job carries ids and small facts, not documents.
pub const PAYLOAD_BYTES_MAX: usize = 64 * 1024;
/// Runs a job gets by default before it is failed for good.
pub const ATTEMPTS_MAX_DEFAULT: i64 = 25;
/// The most runs any job may ask for.
pub const ATTEMPTS_MAX_LIMIT: i64 = 1_000;
/// The longest error text kept in `last_error`; longer texts are cut.
pub const LAST_ERROR_LEN_MAX: usize = 2_000;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for `scheduled_at`, for the first run or a retry.
    Scheduled,
    /// Claimed by a runner until `claimed_until`.
    Running,
    /// Its handler committed; it never runs again.
    Completed,
    /// Cancelled before it completed; [`reschedule`] arms it again.
    Cancelled,
    /// Out of attempts, or its handler said a retry cannot help.
    Failed,
}

impl JobState {
    pub const ALL: [JobState; 5] = [
        JobState::Scheduled,
        JobState::Running,
        JobState::Completed,
        JobState::Cancelled,
        JobState::Failed,
    ];

    /// The name stored in `kernel_job.state`.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Scheduled => "scheduled",
            JobState::Running => "running",
            JobState::Completed => "completed",
            JobState::Cancelled => "cancelled",
            JobState::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<JobState> {
        JobState::ALL
            .into_iter()
            .find(|state| state.as_str() == text)
    }
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: JobId,
    pub kind: String,
    pub key: String,
    /// JSON, as given to [`schedule`]; read it with [`Job::payload`].
    pub payload: String,
    pub state: JobState,
    /// Runs started so far; the run a handler is in is number `attempt`.
    pub attempt: i64,
    pub attempts_max: i64,
    pub scheduled_at: Timestamp,
    pub claimed_until: Option<Timestamp>,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Job {
    /// The payload as `T`. A payload that does not read as `T` will not read
    /// next time either, so the error is [`JobError::Permanent`].
    pub fn payload<T: DeserializeOwned>(&self) -> Result<T, JobError> {
        serde_json::from_str(&self.payload).map_err(|error| {
            JobError::Permanent(format!(
                "the payload of {} is unreadable: {error}",
                self.kind
            ))
        })
    }
}

/// The columns [`job_from_row`] reads, in one place for every statement.
pub(crate) const JOB_COLUMNS: &str = "id, kind, key, payload, state, attempt, attempts_max, \
     scheduled_at, claimed_until, last_error, created_at, updated_at";

pub(crate) fn job_from_row(row: &AnyRow) -> Result<Job, StorageError> {
    let state: String = row.try_get("state")?;
    Ok(Job {
        id: JobId::from_raw(row.try_get("id")?),
        kind: row.try_get("kind")?,
        key: row.try_get("key")?,
        payload: row.try_get("payload")?,
        state: JobState::parse(&state)
            .ok_or_else(|| StorageError::corrupt("kernel_job.state", &state))?,
        attempt: row.try_get("attempt")?,
        attempts_max: row.try_get("attempts_max")?,
        scheduled_at: Timestamp::from_micros(row.try_get("scheduled_at")?),
        claimed_until: row
            .try_get::<Option<i64>, _>("claimed_until")?
            .map(Timestamp::from_micros),
        last_error: row.try_get("last_error")?,
        created_at: Timestamp::from_micros(row.try_get("created_at")?),
        updated_at: Timestamp::from_micros(row.try_get("updated_at")?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_through_their_names() {
        for state in JobState::ALL {
            assert_eq!(JobState::parse(state.as_str()), Some(state));
        }
        assert_eq!(JobState::parse("available"), None);
    }
}
