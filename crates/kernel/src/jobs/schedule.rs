//! Setting, moving and cancelling a job, each inside the caller's transaction,
//! so that an order's change of state and its timer commit together.

use serde::Serialize;

use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::StorageError;

use super::{
    ATTEMPTS_MAX_DEFAULT, ATTEMPTS_MAX_LIMIT, JobId, KEY_LEN_MAX, KIND_LEN_MAX, PAYLOAD_BYTES_MAX,
};

/// What [`schedule`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheduled {
    /// A new job, due at the given `run_at`.
    Created(JobId),
    /// A job of this kind and key exists already, in whatever state, and was
    /// left as it is. [`reschedule`] moves or re-arms it.
    AlreadyExists,
}

/// Schedules the job `kind`/`key` to run at `run_at` with `payload`, with
/// [`ATTEMPTS_MAX_DEFAULT`] attempts, inside `tx`. A kind and key name one job
/// for good: scheduling it again while it exists keeps the first one, which
/// makes "set the auto-confirm timer of order X" safe to repeat.
pub async fn schedule(
    tx: &mut Tx,
    kind: &str,
    key: &str,
    run_at: Timestamp,
    payload: &impl Serialize,
    now: Timestamp,
) -> Result<Scheduled, StorageError> {
    schedule_with_attempts_max(tx, kind, key, run_at, payload, ATTEMPTS_MAX_DEFAULT, now).await
}

/// [`schedule`] with a number of attempts of its own (1..=[`ATTEMPTS_MAX_LIMIT`]).
pub async fn schedule_with_attempts_max(
    tx: &mut Tx,
    kind: &str,
    key: &str,
    run_at: Timestamp,
    payload: &impl Serialize,
    attempts_max: i64,
    now: Timestamp,
) -> Result<Scheduled, StorageError> {
    check_kind_and_key(kind, key)?;
    if !(1..=ATTEMPTS_MAX_LIMIT).contains(&attempts_max) {
        return Err(StorageError::OverLimit {
            what: "attempts_max",
            detail: format!("{attempts_max} is not in 1..={ATTEMPTS_MAX_LIMIT}"),
        });
    }
    let payload = serde_json::to_string(payload)
        .map_err(|error| StorageError::corrupt("job payload", error))?;
    if payload.len() > PAYLOAD_BYTES_MAX {
        return Err(StorageError::OverLimit {
            what: "the job payload",
            detail: format!("{} bytes, more than {PAYLOAD_BYTES_MAX}", payload.len()),
        });
    }
    let id = JobId::new();
    let inserted = sqlx::query(
        "INSERT INTO kernel_job (id, kind, key, payload, state, attempt, attempts_max,
             scheduled_at, claimed_until, last_error, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'scheduled', 0, $5, $6, NULL, NULL, $7, $7)
         ON CONFLICT (kind, key) DO NOTHING",
    )
    .bind(id.raw())
    .bind(kind)
    .bind(key)
    .bind(payload)
    .bind(attempts_max)
    .bind(run_at.micros())
    .bind(now.micros())
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(if inserted == 1 {
        Scheduled::Created(id)
    } else {
        Scheduled::AlreadyExists
    })
}

/// Moves the job `kind`/`key` to `run_at`, inside `tx`, if it is waiting to
/// run (`scheduled`, also for a retry) or was cancelled, which arms it again
/// with its attempts counted afresh. A running, completed or failed job is left
/// alone. Returns whether a job was moved.
pub async fn reschedule(
    tx: &mut Tx,
    kind: &str,
    key: &str,
    run_at: Timestamp,
    now: Timestamp,
) -> Result<bool, StorageError> {
    check_kind_and_key(kind, key)?;
    let moved = sqlx::query(
        "UPDATE kernel_job SET scheduled_at = $1, updated_at = $2,
             attempt = CASE WHEN state = 'cancelled' THEN 0 ELSE attempt END,
             last_error = CASE WHEN state = 'cancelled' THEN NULL ELSE last_error END,
             state = 'scheduled'
         WHERE kind = $3 AND key = $4 AND state IN ('scheduled', 'cancelled')",
    )
    .bind(run_at.micros())
    .bind(now.micros())
    .bind(kind)
    .bind(key)
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(moved == 1)
}

/// Cancels the job `kind`/`key` inside `tx` unless it has completed or failed.
/// A running job is cancelled too: its handler's transaction then finds the job
/// no longer its own and rolls back, so a cancel that commits first always
/// wins. Returns whether a job was cancelled.
///
/// On PostgreSQL the running handler holds the job's row lock until it commits,
/// and this call waits for it. Cancel before writing rows that the handler
/// also writes (the order), so both transactions lock in the same order and
/// cannot deadlock.
pub async fn cancel(
    tx: &mut Tx,
    kind: &str,
    key: &str,
    now: Timestamp,
) -> Result<bool, StorageError> {
    check_kind_and_key(kind, key)?;
    let cancelled = sqlx::query(
        "UPDATE kernel_job SET state = 'cancelled', claimed_until = NULL, updated_at = $1
         WHERE kind = $2 AND key = $3 AND state IN ('scheduled', 'running')",
    )
    .bind(now.micros())
    .bind(kind)
    .bind(key)
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(cancelled == 1)
}

pub(super) fn check_kind_and_key(kind: &str, key: &str) -> Result<(), StorageError> {
    if kind.is_empty() || kind.len() > KIND_LEN_MAX {
        return Err(StorageError::OverLimit {
            what: "the job kind",
            detail: format!("{} bytes, not in 1..={KIND_LEN_MAX}", kind.len()),
        });
    }
    if key.len() > KEY_LEN_MAX {
        return Err(StorageError::OverLimit {
            what: "the job key",
            detail: format!("{} bytes, more than {KEY_LEN_MAX}", key.len()),
        });
    }
    Ok(())
}
