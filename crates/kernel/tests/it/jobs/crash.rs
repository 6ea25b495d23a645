//! Kills a process between a job's claim and its commit: the process's handler
//! has written its effect and waits before the commit when it is SIGKILLed. A
//! fresh runner, once the clock has passed the lease, runs the job again, and
//! the effect exists exactly once; a job out of attempts fails instead.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kernel::jobs::{
    self, Job, JobError, JobHandler, JobOutcome, JobRound, JobRunnerOptions, JobState,
};
use kernel::testing::TestDb;
use kernel::{Clock, Db, DbOptions, Engine, ManualClock, Timestamp, Tx};

use super::{CONFIRM, OrderTimer, Records, START, effects, job, manual_clock, migrations, runner};

const CHILD_URL: &str = "HANSE_JOBS_CHILD_URL";
const CHILD_SCHEMA: &str = "HANSE_JOBS_CHILD_SCHEMA";
const CHILD_MARKER: &str = "HANSE_JOBS_CHILD_MARKER";
const CHILD_NOW: &str = "HANSE_JOBS_CHILD_NOW_MICROS";
/// The lease of both the child's runner and the one after it.
const LEASE_MS: u64 = 30_000;
/// When the child runs: 20 s after the start, the jobs being due at 10 s.
const CHILD_AFTER_START_S: i64 = 20;

fn runner_options() -> JobRunnerOptions {
    JobRunnerOptions {
        lease_ms: LEASE_MS,
        ..JobRunnerOptions::default()
    }
}

/// Writes its effect, tells the parent by creating the marker file, and then
/// waits for ever inside its transaction, for the parent's SIGKILL.
struct WaitsBeforeCommit {
    marker: std::path::PathBuf,
}

#[async_trait::async_trait]
impl JobHandler for WaitsBeforeCommit {
    fn kind(&self) -> &'static str {
        CONFIRM
    }

    async fn run(&self, tx: &mut Tx, job: &Job) -> Result<JobOutcome, JobError> {
        super::write_effect(tx, job, "child").await?;
        std::fs::write(&self.marker, job.key.as_bytes())
            .map_err(|error| JobError::Failed(error.to_string()))?;
        std::future::pending::<()>().await;
        Ok(JobOutcome::Completed)
    }
}

/// The child: runs the due jobs with a handler that never commits. Only runs
/// when the parent test starts this binary with the variables set.
#[tokio::test]
#[ignore = "started by the job crash tests as a child process"]
async fn crash_child() {
    let Ok(url) = std::env::var(CHILD_URL) else {
        return;
    };
    let options = DbOptions {
        url,
        max_connections: 2,
        postgres_schema: std::env::var(CHILD_SCHEMA).ok(),
        group_commit: true,
    };
    let now: i64 = std::env::var(CHILD_NOW).unwrap().parse().unwrap();
    let marker = std::env::var(CHILD_MARKER).unwrap().into();
    let db = Db::connect(&options).await.unwrap();
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(Timestamp::from_micros(now)));
    let handler = Arc::new(WaitsBeforeCommit { marker });
    let runner = jobs::JobRunner::new(db, clock, vec![handler], runner_options());
    runner.run_due_once().await.unwrap();
    unreachable!("the handler never returns");
}

fn spawn_child(options: &DbOptions, marker: &Path, now: Timestamp) -> std::process::Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            "jobs::crash::crash_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_URL, &options.url)
        .env(CHILD_MARKER, marker)
        .env(CHILD_NOW, now.micros().to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Some(schema) = &options.postgres_schema {
        command.env(CHILD_SCHEMA, schema);
    }
    command.spawn().unwrap()
}

async fn check_engine(engine: Engine) {
    let Some(test_db) = TestDb::migrated(engine, &migrations()).await else {
        eprintln!("no PostgreSQL configured: the PostgreSQL run is not possible here");
        return;
    };
    let db = test_db.db.clone();
    // Two due jobs: `order-1` with attempts to spare, and `order-2` with one
    // attempt, which the child claims in the same batch but never reaches.
    let mut tx = db.begin().await.unwrap();
    for (key, attempts_max) in [("order-1", 25), ("order-2", 1)] {
        jobs::schedule_with_attempts_max(
            &mut tx,
            CONFIRM,
            key,
            START.plus_seconds(10),
            &OrderTimer { order_number: 1 },
            attempts_max,
            START,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();

    let directory = tempfile::tempdir().unwrap();
    let marker = directory.path().join("handler-wrote-its-effect");
    let child_now = START.plus_seconds(CHILD_AFTER_START_S);
    let mut child = spawn_child(&test_db.options, &marker, child_now);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !marker.exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child exited before its handler wrote"
        );
        assert!(Instant::now() < deadline, "the child's handler never ran");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap(); // SIGKILL, between the handler's write and its commit.
    child.wait().unwrap();
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), "order-1");

    // The claim committed; the handler's write died with the process.
    assert!(
        effects(&db).await.is_empty(),
        "an uncommitted effect is gone"
    );
    let lease_end = child_now.plus_millis(LEASE_MS as i64);
    for key in ["order-1", "order-2"] {
        let claimed = job(&db, CONFIRM, key).await;
        assert_eq!(claimed.state, JobState::Running, "{key}");
        assert_eq!(claimed.attempt, 1, "{key}");
        assert_eq!(claimed.claimed_until, Some(lease_end), "{key}");
    }

    // A fresh process: nothing while the dead runner's lease lasts.
    let clock = manual_clock();
    let runner = runner(
        &db,
        &clock,
        vec![Records::new(CONFIRM, "parent")],
        runner_options(),
    );
    clock.advance_seconds(CHILD_AFTER_START_S);
    assert_eq!(runner.run_due_once().await.unwrap(), JobRound::default());
    clock.advance_seconds(LEASE_MS as i64 / 1_000);
    assert_eq!(
        runner.run_due_once().await.unwrap(),
        JobRound::default(),
        "the lease ends after, not at, claimed_until"
    );

    // Past the lease. On PostgreSQL the killed session's transaction may hold
    // its row locks for a moment after the kill, and a claim skips locked
    // rows, so ask again as the background loop would.
    clock.advance_seconds(1);
    let mut total = JobRound::default();
    for _ in 0..100 {
        let round = runner.run_due_once().await.unwrap();
        total.completed += round.completed;
        total.leases_exhausted += round.leases_exhausted;
        if total.completed == 1 && total.leases_exhausted == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!((total.completed, total.leases_exhausted), (1, 1));

    assert_eq!(
        effects(&db).await,
        vec![("order-1".into(), 2, "parent".into())],
        "the effect exists exactly once, from the second attempt"
    );
    let completed = job(&db, CONFIRM, "order-1").await;
    assert_eq!(completed.state, JobState::Completed);
    assert_eq!(completed.attempt, 2);
    let failed = job(&db, CONFIRM, "order-2").await;
    assert_eq!(failed.state, JobState::Failed);
    assert!(
        failed
            .last_error
            .as_deref()
            .unwrap()
            .contains("lease ran out"),
        "{failed:?}"
    );

    clock.advance_seconds(24 * 3600);
    assert_eq!(runner.run_due_once().await.unwrap(), JobRound::default());
    assert_eq!(effects(&db).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_killed_before_its_commit_runs_again_once_on_sqlite() {
    check_engine(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_killed_before_its_commit_runs_again_once_on_postgres() {
    check_engine(Engine::Postgres).await;
}
