//! The job runner: claims due jobs under a lease, runs each job's handler in
//! one transaction with the job's completion, and retries failures with backoff.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use tokio::sync::watch;

use super::{JOB_COLUMNS, Job, JobError, JobHandler, JobOutcome, LAST_ERROR_LEN_MAX, job_from_row};
use crate::clock::Clock;
use crate::db::Db;
use crate::error::StorageError;

/// The most jobs one runner claims at once.
pub const BATCH_SIZE_MAX: usize = 256;
/// The most kinds one runner handles; the claim statement names each.
pub const HANDLERS_MAX: usize = 64;
/// The longest wait before trying again while the database fails.
const DATABASE_BACKOFF_MAX: Duration = Duration::from_secs(30);
/// Recorded on a job whose lease ran out on its last attempt.
const LEASE_EXHAUSTED_ERROR: &str = "the lease ran out on the last attempt: the process running \
     the job died, or its handler ran longer than the lease, every time";

/// How a [`JobRunner`] works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRunnerOptions {
    /// How often the background loop looks for due jobs.
    pub poll_interval_ms: u64,
    /// How long a claimed job is this runner's. A job still running after that
    /// is taken to be lost to a crash and is claimed again, so the lease must
    /// be longer than a whole batch of handlers takes.
    pub lease_ms: u64,
    /// Jobs claimed at once, 1..=[`BATCH_SIZE_MAX`].
    pub batch_size: usize,
    /// The wait after a job's first failure; it doubles with each further one.
    pub retry_backoff_base_ms: u64,
    /// The longest wait between two attempts.
    pub retry_backoff_max_ms: u64,
}

impl Default for JobRunnerOptions {
    /// Timers of hours and days (auto-confirm after 10 days, cancel after
    /// 72 h) need no faster poll than a second, and can afford to wait a
    /// minute's lease after a crash.
    fn default() -> Self {
        JobRunnerOptions {
            poll_interval_ms: 1_000,
            lease_ms: 60_000,
            batch_size: 32,
            retry_backoff_base_ms: 1_000,
            retry_backoff_max_ms: 3_600_000,
        }
    }
}

/// What one [`JobRunner::run_due_once`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct JobRound {
    /// Jobs claimed this round; each is counted once more below.
    pub claimed: usize,
    /// Handlers that committed with [`JobOutcome::Completed`].
    pub completed: usize,
    /// Handlers that committed with [`JobOutcome::RunAgainAt`].
    pub run_again: usize,
    /// Handler failures that will be retried after a backoff.
    pub retried: usize,
    /// Handler failures that failed the job for good.
    pub failed: usize,
    /// Claimed jobs that were no longer this runner's when it came to run
    /// them: cancelled meanwhile, or claimed again by another runner after the
    /// lease ran out. Nothing of their handler was kept.
    pub lost: usize,
    /// Jobs failed (not claimed) because the lease of their last attempt ran out.
    pub leases_exhausted: usize,
}

/// Runs due jobs with the handlers it was given: [`JobRunner::run_due_once`]
/// for tests and callers that drive time, [`JobRunner::run`] in the background.
pub struct JobRunner {
    db: Db,
    clock: Arc<dyn Clock>,
    handlers: HashMap<&'static str, Arc<dyn JobHandler>>,
    /// The handlers' kinds, sorted, in the order the claim binds them.
    kinds: Vec<&'static str>,
    options: JobRunnerOptions,
    claim_sql: String,
    fail_exhausted_sql: String,
}

impl JobRunner {
    /// A runner for `handlers`, one per kind. Panics if two handlers share a
    /// kind or there are more than [`HANDLERS_MAX`]: both are mistakes in the
    /// code that assembles the application, not in data. The batch size and
    /// lease are brought into their bounds.
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        handlers: Vec<Arc<dyn JobHandler>>,
        mut options: JobRunnerOptions,
    ) -> Self {
        assert!(
            handlers.len() <= HANDLERS_MAX,
            "at most {HANDLERS_MAX} job handlers per runner"
        );
        let mut by_kind = HashMap::new();
        for handler in handlers {
            let kind = handler.kind();
            assert!(
                by_kind.insert(kind, handler).is_none(),
                "two job handlers for the kind {kind}"
            );
        }
        let mut kinds: Vec<&'static str> = by_kind.keys().copied().collect();
        kinds.sort_unstable();
        options.batch_size = options.batch_size.clamp(1, BATCH_SIZE_MAX);
        options.lease_ms = options.lease_ms.max(1);
        let engine = db.engine();
        let kind_parameters: Vec<String> =
            (0..kinds.len()).map(|n| format!("${}", n + 4)).collect();
        // A due job is one waiting whose time has come, or one whose runner's
        // lease ran out with attempts left (its process died mid-run). The
        // subquery picks and, on PostgreSQL, locks them, skipping rows another
        // runner holds; the update takes them. The attempt counts at the
        // claim, so a job whose process dies every time still runs out of
        // attempts.
        let claim_sql = format!(
            "WITH due AS (
                 SELECT id FROM kernel_job
                 WHERE ((state = 'scheduled' AND scheduled_at <= $1)
                     OR (state = 'running' AND claimed_until < $1 AND attempt < attempts_max))
                   AND kind IN ({kinds})
                 ORDER BY scheduled_at, id
                 LIMIT $3{skip_locked}
             )
             UPDATE kernel_job SET state = 'running', attempt = attempt + 1,
                 claimed_until = $2, updated_at = $1
             WHERE id IN (SELECT id FROM due)
             RETURNING {JOB_COLUMNS}",
            kinds = kind_parameters.join(", "),
            skip_locked = engine.lock_rows_skip_locked_clause(),
        );
        let fail_exhausted_sql = format!(
            "WITH exhausted AS (
                 SELECT id FROM kernel_job
                 WHERE state = 'running' AND claimed_until < $1 AND attempt >= attempts_max
                 ORDER BY scheduled_at, id
                 LIMIT $2{skip_locked}
             )
             UPDATE kernel_job SET state = 'failed', claimed_until = NULL, last_error = $3,
                 updated_at = $1
             WHERE id IN (SELECT id FROM exhausted)",
            skip_locked = engine.lock_rows_skip_locked_clause(),
        );
        JobRunner {
            db,
            clock,
            handlers: by_kind,
            kinds,
            options,
            claim_sql,
            fail_exhausted_sql,
        }
    }

    /// The options in force, after bounding.
    pub fn options(&self) -> &JobRunnerOptions {
        &self.options
    }

    /// Claims the jobs due at the clock's now (at most a batch) and runs each.
    /// Handler failures are recorded on their jobs and counted, not returned;
    /// an error means the database failed, and jobs claimed before it are
    /// claimed again when their lease runs out.
    pub async fn run_due_once(&self) -> Result<JobRound, StorageError> {
        let mut round = JobRound::default();
        if self.kinds.is_empty() {
            return Ok(round);
        }
        let jobs = self.claim(&mut round).await?;
        for job in &jobs {
            // Jobs are claimed by the handlers' kinds, so each has its handler.
            let Some(handler) = self.handlers.get(job.kind.as_str()) else {
                continue;
            };
            match self.run_job(handler.as_ref(), job).await? {
                Ran::Completed => round.completed += 1,
                Ran::RunAgain => round.run_again += 1,
                Ran::Retried => round.retried += 1,
                Ran::Failed => round.failed += 1,
                Ran::Lost => round.lost += 1,
            }
        }
        Ok(round)
    }

    /// Runs until `shutdown` turns true or its sender is dropped: runs due
    /// jobs, then sleeps for the poll interval, or not at all after a full
    /// batch, since more may be due. A batch in progress is finished first.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let poll = Duration::from_millis(self.options.poll_interval_ms);
        let mut database_backoff = poll;
        loop {
            let wait = match self.run_due_once().await {
                Ok(round) => {
                    database_backoff = poll;
                    if round.claimed >= self.options.batch_size {
                        Duration::ZERO
                    } else {
                        poll
                    }
                }
                Err(error) => {
                    tracing::error!(%error, "cannot run due jobs; will retry");
                    database_backoff = (database_backoff * 2).min(DATABASE_BACKOFF_MAX);
                    database_backoff
                }
            };
            if !wait.is_zero() {
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    changed = shutdown.changed() => {
                        // A dropped sender means the owner is gone: stop too.
                        if changed.is_err() {
                            return;
                        }
                    }
                }
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }

    /// Fails jobs whose last attempt's lease ran out, then claims due jobs, in
    /// one committed transaction, so a crash right after leaves them leased.
    async fn claim(&self, round: &mut JobRound) -> Result<Vec<Job>, StorageError> {
        let now = self.clock.now();
        let lease_ms = i64::try_from(self.options.lease_ms).unwrap_or(i64::MAX);
        let batch_size = self.options.batch_size as i64;
        let mut tx = self.db.begin().await?;
        let exhausted = sqlx::query(&self.fail_exhausted_sql)
            .bind(now.micros())
            .bind(batch_size)
            .bind(LEASE_EXHAUSTED_ERROR)
            .execute(tx.conn())
            .await?
            .rows_affected();
        let mut claim = sqlx::query(&self.claim_sql)
            .bind(now.micros())
            .bind(now.plus_millis(lease_ms).micros())
            .bind(batch_size);
        for kind in &self.kinds {
            claim = claim.bind(*kind);
        }
        let rows = claim.fetch_all(tx.conn()).await?;
        tx.commit().await?;
        if exhausted > 0 {
            tracing::error!(
                jobs = exhausted,
                "jobs failed: their lease ran out on the last attempt"
            );
        }
        round.leases_exhausted = usize::try_from(exhausted).unwrap_or(usize::MAX);
        let mut jobs = rows
            .iter()
            .map(job_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        // RETURNING promises no order; run the longest-due first.
        jobs.sort_by_key(|job| (job.scheduled_at, job.id));
        round.claimed = jobs.len();
        Ok(jobs)
    }

    /// Runs one claimed job: the handler's writes and the job's new state in
    /// one transaction. Only a database failure outside the handler is an error.
    async fn run_job(&self, handler: &dyn JobHandler, job: &Job) -> Result<Ran, StorageError> {
        let mut tx = self.db.begin().await?;
        // Fence first: the job must still be running under this claim's
        // attempt. This write also locks the row on PostgreSQL until commit,
        // so no other runner claims it meanwhile and a cancel waits; a claim
        // or cancel that committed before finds this runner out here. Like
        // every transaction of the runner it starts with a write, so that on
        // SQLite it takes the write lock at once (waiting out the busy timeout
        // if another process holds it) instead of upgrading a read snapshot,
        // which fails at once when another process wrote meanwhile.
        let fenced = sqlx::query(
            "UPDATE kernel_job SET updated_at = $1 WHERE id = $2 AND state = 'running' AND attempt = $3",
        )
        .bind(self.clock.now().micros())
        .bind(job.id.raw())
        .bind(job.attempt)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if fenced == 0 {
            tx.rollback().await?;
            tracing::warn!(job.id = %job.id, job.kind = %job.kind, job.attempt = job.attempt,
                "job no longer ours: cancelled, or claimed again after its lease ran out");
            return Ok(Ran::Lost);
        }
        // A panicking handler is one failed attempt, not the end of the runner.
        let result = match AssertUnwindSafe(handler.run(&mut tx, job))
            .catch_unwind()
            .await
        {
            Ok(result) => result,
            Err(panic) => Err(JobError::Failed(format!(
                "the handler panicked: {}",
                panic_text(panic.as_ref())
            ))),
        };
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(error) => {
                // A failed rollback means a broken connection, which sqlx then
                // discards; either way nothing of the handler was committed.
                let _ = tx.rollback().await;
                return self.record_failure(job, &error).await;
            }
        };
        let (state, scheduled_at, attempt, ran) = match outcome {
            JobOutcome::Completed => ("completed", job.scheduled_at, job.attempt, Ran::Completed),
            JobOutcome::RunAgainAt(at) => ("scheduled", at, 0, Ran::RunAgain),
        };
        sqlx::query(
            "UPDATE kernel_job SET state = $1, scheduled_at = $2, attempt = $3, claimed_until = NULL,
                 last_error = NULL, updated_at = $4
             WHERE id = $5 AND state = 'running' AND attempt = $6",
        )
        .bind(state)
        .bind(scheduled_at.micros())
        .bind(attempt)
        .bind(self.clock.now().micros())
        .bind(job.id.raw())
        .bind(job.attempt)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(ran)
    }

    /// After a failed run: back to `scheduled` after a backoff, or `failed` for
    /// good, with the error text; only if the job is still this claim's.
    async fn record_failure(&self, job: &Job, error: &JobError) -> Result<Ran, StorageError> {
        let now = self.clock.now();
        let permanent = matches!(error, JobError::Permanent(_));
        let exhausted = job.attempt >= job.attempts_max;
        let (state, scheduled_at, ran) = if permanent || exhausted {
            ("failed", job.scheduled_at, Ran::Failed)
        } else {
            let backoff_ms = retry_backoff_ms(
                job.attempt,
                self.options.retry_backoff_base_ms,
                self.options.retry_backoff_max_ms,
            );
            let backoff_ms = i64::try_from(backoff_ms).unwrap_or(i64::MAX);
            ("scheduled", now.plus_millis(backoff_ms), Ran::Retried)
        };
        let mut tx = self.db.begin().await?;
        let recorded = sqlx::query(
            "UPDATE kernel_job SET state = $1, scheduled_at = $2, claimed_until = NULL,
                 last_error = $3, updated_at = $4
             WHERE id = $5 AND state = 'running' AND attempt = $6",
        )
        .bind(state)
        .bind(scheduled_at.micros())
        .bind(truncated(&error.to_string(), LAST_ERROR_LEN_MAX))
        .bind(now.micros())
        .bind(job.id.raw())
        .bind(job.attempt)
        .execute(tx.conn())
        .await?
        .rows_affected();
        tx.commit().await?;
        if recorded == 0 {
            return Ok(Ran::Lost);
        }
        match ran {
            Ran::Failed => tracing::error!(job.id = %job.id, job.kind = %job.kind,
                job.attempt = job.attempt, %error, "job failed for good"),
            _ => tracing::warn!(job.id = %job.id, job.kind = %job.kind,
                job.attempt = job.attempt, %error, "job failed; will retry"),
        }
        Ok(ran)
    }
}

impl std::fmt::Debug for JobRunner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobRunner")
            .field("kinds", &self.kinds)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// What became of one claimed job.
enum Ran {
    Completed,
    RunAgain,
    Retried,
    Failed,
    Lost,
}

/// The wait after failed attempt number `attempt` (from 1): `base_ms`, doubled
/// for each attempt after the first, at most `max_ms`. No jitter, so tests can
/// say when a retry is due; jobs fail at scattered times anyway.
pub fn retry_backoff_ms(attempt: i64, base_ms: u64, max_ms: u64) -> u64 {
    let doublings = u32::try_from(attempt.saturating_sub(1).clamp(0, 62)).unwrap_or(62);
    base_ms.saturating_mul(1_u64 << doublings).min(max_ms)
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "(no message)".to_owned()
    }
}

/// `text` cut to at most `chars_max` characters, on a character boundary.
fn truncated(text: &str, chars_max: usize) -> String {
    match text.char_indices().nth(chars_max) {
        Some((end, _)) => text[..end].to_owned(),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_maximum() {
        assert_eq!(retry_backoff_ms(1, 1_000, 60_000), 1_000);
        assert_eq!(retry_backoff_ms(2, 1_000, 60_000), 2_000);
        assert_eq!(retry_backoff_ms(4, 1_000, 60_000), 8_000);
        assert_eq!(retry_backoff_ms(7, 1_000, 60_000), 60_000);
        assert_eq!(retry_backoff_ms(1_000, 1_000, 60_000), 60_000);
        assert_eq!(retry_backoff_ms(0, 1_000, 60_000), 1_000);
    }

    #[test]
    fn error_texts_are_cut_on_a_character_boundary() {
        assert_eq!(truncated("保温杯", 2), "保温");
        assert_eq!(truncated("flask", 10), "flask");
    }
}
