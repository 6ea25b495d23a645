//! Scheduled jobs: the rules (`rules.rs`) and the crash between a job's claim
//! and its commit (`crash.rs`), each on both engines; shared pieces here.

mod crash;
mod rules;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use kernel::jobs::{Job, JobError, JobHandler, JobOutcome, JobRunner, JobRunnerOptions};
use kernel::migrate::{Migration, kernel_migrations};
use kernel::{Clock, Db, ManualClock, Timestamp, Tx};
use serde::{Deserialize, Serialize};

/// 2026-03-01T00:00:00Z, where every job test's clock starts.
pub const START: Timestamp = Timestamp::from_micros(1_772_323_200_000_000);
/// The kind most tests schedule.
pub const CONFIRM: &str = "test.auto_confirm";

/// Kernel migrations plus a table in which handlers write their effect.
pub fn migrations() -> Vec<Migration> {
    let mut all = kernel_migrations();
    all.push(Migration {
        module: "test",
        version: 1,
        name: "job_effect",
        sql: "CREATE TABLE test_job_effect (job_key TEXT NOT NULL, attempt BIGINT NOT NULL,
                  runner TEXT NOT NULL, order_number BIGINT NOT NULL)",
    });
    all
}

/// The payload of the test jobs.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct OrderTimer {
    pub order_number: i64,
}

/// How [`Records`] fails while it has failures left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Retryable,
    Permanent,
    Panic,
}

/// Writes its effect, then fails (after writing, so the rollback is seen) while
/// it has failures left, else completes.
pub struct Records {
    pub kind: &'static str,
    pub runner: &'static str,
    pub failures_left: AtomicI64,
    pub failure: Failure,
}

impl Records {
    pub fn new(kind: &'static str, runner: &'static str) -> Arc<Records> {
        Records::failing(kind, runner, 0, Failure::Retryable)
    }

    pub fn failing(
        kind: &'static str,
        runner: &'static str,
        failures: i64,
        failure: Failure,
    ) -> Arc<Records> {
        Arc::new(Records {
            kind,
            runner,
            failures_left: AtomicI64::new(failures),
            failure,
        })
    }
}

#[async_trait::async_trait]
impl JobHandler for Records {
    fn kind(&self) -> &'static str {
        self.kind
    }

    async fn run(&self, tx: &mut Tx, job: &Job) -> Result<JobOutcome, JobError> {
        write_effect(tx, job, self.runner).await?;
        if self.failures_left.fetch_sub(1, Ordering::SeqCst) > 0 {
            match self.failure {
                Failure::Retryable => return Err(JobError::Failed("the bank is closed".into())),
                Failure::Permanent => return Err(JobError::Permanent("no such order".into())),
                Failure::Panic => panic!("the handler lost its head"),
            }
        }
        Ok(JobOutcome::Completed)
    }
}

pub async fn write_effect(tx: &mut Tx, job: &Job, runner: &str) -> Result<(), JobError> {
    let timer: OrderTimer = job.payload()?;
    sqlx::query(
        "INSERT INTO test_job_effect (job_key, attempt, runner, order_number) VALUES ($1, $2, $3, $4)",
    )
    .bind(&job.key)
    .bind(job.attempt)
    .bind(runner)
    .bind(timer.order_number)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// (key, attempt, runner) of every effect written, in key and attempt order.
pub async fn effects(db: &Db) -> Vec<(String, i64, String)> {
    use sqlx::Row;
    sqlx::query("SELECT job_key, attempt, runner FROM test_job_effect ORDER BY job_key, attempt")
        .fetch_all(db.reader())
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get("job_key"), row.get("attempt"), row.get("runner")))
        .collect()
}

pub fn manual_clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(START))
}

pub fn runner(
    db: &Db,
    clock: &Arc<ManualClock>,
    handlers: Vec<Arc<dyn JobHandler>>,
    options: JobRunnerOptions,
) -> JobRunner {
    let clock: Arc<dyn Clock> = clock.clone();
    JobRunner::new(db.clone(), clock, handlers, options)
}

/// Schedules `kind`/`key` at `run_at` in a transaction of its own.
pub async fn schedule_one(
    db: &Db,
    kind: &str,
    key: &str,
    run_at: Timestamp,
    order_number: i64,
) -> kernel::jobs::Scheduled {
    let mut tx = db.begin().await.unwrap();
    let scheduled = kernel::jobs::schedule(
        &mut tx,
        kind,
        key,
        run_at,
        &OrderTimer { order_number },
        START,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    scheduled
}

pub async fn job(db: &Db, kind: &str, key: &str) -> Job {
    kernel::jobs::find(db, kind, key)
        .await
        .unwrap()
        .expect("the job exists")
}
