//! The rules of scheduled jobs on both engines: not before their time, once
//! when due, one job per kind and key, cancel and reschedule, retries with
//! backoff, recurring jobs, racing runners, limits and listing.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use kernel::jobs::{
    self, Job, JobError, JobHandler, JobOutcome, JobRound, JobRunnerOptions, JobState, Scheduled,
};
use kernel::{Clock, Db, ManualClock, PageRequest, StorageError, Tx, storage_test};

use super::{
    CONFIRM, Failure, OrderTimer, Records, START, effects, job, manual_clock, migrations, runner,
    schedule_one,
};

storage_test!(
    a_job_fires_once_when_due_and_not_before,
    migrations(),
    |db: Db| async move {
        let clock = manual_clock();
        let created = schedule_one(&db, CONFIRM, "order-1", START.plus_seconds(10), 1).await;
        assert!(matches!(created, Scheduled::Created(_)));
        let runner = runner(
            &db,
            &clock,
            vec![Records::new(CONFIRM, "a")],
            JobRunnerOptions::default(),
        );

        assert_eq!(runner.run_due_once().await.unwrap(), JobRound::default());
        clock.advance_seconds(9);
        assert_eq!(
            runner.run_due_once().await.unwrap().claimed,
            0,
            "one second early"
        );
        clock.advance_seconds(1);
        let round = runner.run_due_once().await.unwrap();
        assert_eq!((round.claimed, round.completed), (1, 1));
        assert_eq!(effects(&db).await, vec![("order-1".into(), 1, "a".into())]);
        let done = job(&db, CONFIRM, "order-1").await;
        assert_eq!(done.state, JobState::Completed);
        assert_eq!(done.attempt, 1);
        assert_eq!(done.claimed_until, None);

        clock.advance_seconds(365 * 24 * 3600);
        assert_eq!(runner.run_due_once().await.unwrap(), JobRound::default());
        assert_eq!(
            effects(&db).await.len(),
            1,
            "a completed job never fires again"
        );
    }
);

storage_test!(
    scheduling_the_same_kind_and_key_twice_keeps_one_job,
    migrations(),
    |db: Db| async move {
        let clock = manual_clock();
        let first = schedule_one(&db, CONFIRM, "order-1", START.plus_seconds(10), 1).await;
        let second = schedule_one(&db, CONFIRM, "order-1", START.plus_seconds(99), 2).await;
        assert!(matches!(first, Scheduled::Created(_)));
        assert_eq!(second, Scheduled::AlreadyExists);
        let kept = job(&db, CONFIRM, "order-1").await;
        assert_eq!(kept.scheduled_at, START.plus_seconds(10), "the first stays");
        assert_eq!(kept.payload::<OrderTimer>().unwrap().order_number, 1);
        // The same key under another kind is another job.
        let other = schedule_one(
            &db,
            "test.cancel_unpaid",
            "order-1",
            START.plus_seconds(10),
            1,
        )
        .await;
        assert!(matches!(other, Scheduled::Created(_)));

        let runner = runner(
            &db,
            &clock,
            vec![Records::new(CONFIRM, "a")],
            JobRunnerOptions::default(),
        );
        clock.advance_seconds(100);
        let round = runner.run_due_once().await.unwrap();
        assert_eq!(
            (round.claimed, round.completed),
            (1, 1),
            "only the kinds the runner handles are claimed"
        );
        assert_eq!(effects(&db).await.len(), 1);
        assert_eq!(
            schedule_one(&db, CONFIRM, "order-1", START.plus_seconds(200), 3).await,
            Scheduled::AlreadyExists,
            "a completed job still holds its key"
        );
        assert_eq!(
            job(&db, "test.cancel_unpaid", "order-1").await.state,
            JobState::Scheduled
        );
    }
);

storage_test!(
    a_timer_commits_or_rolls_back_with_the_callers_transaction,
    migrations(),
    |db: Db| async move {
        let mut tx = db.begin().await.unwrap();
        jobs::schedule(
            &mut tx,
            CONFIRM,
            "order-1",
            START,
            &OrderTimer { order_number: 1 },
            START,
        )
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(jobs::find(&db, CONFIRM, "order-1").await.unwrap(), None);
    }
);

storage_test!(
    a_cancelled_job_never_fires_and_reschedule_arms_it_again,
    migrations(),
    |db: Db| async move {
        let clock = manual_clock();
        schedule_one(&db, CONFIRM, "order-1", START.plus_seconds(10), 1).await;
        let mut tx = db.begin().await.unwrap();
        assert!(
            jobs::cancel(&mut tx, CONFIRM, "order-1", START)
                .await
                .unwrap()
        );
        assert!(
            !jobs::cancel(&mut tx, CONFIRM, "order-1", START)
                .await
                .unwrap(),
            "cancelled once"
        );
        assert!(
            !jobs::cancel(&mut tx, CONFIRM, "order-2", START)
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();

        let runner = runner(
            &db,
            &clock,
            vec![Records::new(CONFIRM, "a")],
            JobRunnerOptions::default(),
        );
        clock.advance_seconds(60);
        assert_eq!(runner.run_due_once().await.unwrap().claimed, 0);
        assert_eq!(
            job(&db, CONFIRM, "order-1").await.state,
            JobState::Cancelled
        );

        let mut tx = db.begin().await.unwrap();
        let later = clock.now().plus_seconds(3600);
        assert!(
            jobs::reschedule(&mut tx, CONFIRM, "order-1", later, clock.now())
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();
        assert_eq!(
            job(&db, CONFIRM, "order-1").await.state,
            JobState::Scheduled
        );
        clock.advance_seconds(3599);
        assert_eq!(runner.run_due_once().await.unwrap().claimed, 0, "not yet");
        clock.advance_seconds(1);
        assert_eq!(runner.run_due_once().await.unwrap().completed, 1);

        let mut tx = db.begin().await.unwrap();
        assert!(
            !jobs::reschedule(&mut tx, CONFIRM, "order-1", later, clock.now())
                .await
                .unwrap(),
            "a completed job is not moved"
        );
        assert!(
            !jobs::cancel(&mut tx, CONFIRM, "order-1", clock.now())
                .await
                .unwrap(),
            "nor cancelled"
        );
        tx.commit().await.unwrap();
        assert_eq!(effects(&db).await.len(), 1);
    }
);

storage_test!(
    reschedule_moves_a_waiting_job,
    migrations(),
    |db: Db| async move {
        let clock = manual_clock();
        schedule_one(&db, CONFIRM, "order-1", START.plus_seconds(10), 1).await;
        let mut tx = db.begin().await.unwrap();
        assert!(
            jobs::reschedule(&mut tx, CONFIRM, "order-1", START.plus_seconds(100), START)
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();
        let runner = runner(
            &db,
            &clock,
            vec![Records::new(CONFIRM, "a")],
            JobRunnerOptions::default(),
        );
        clock.advance_seconds(99);
        assert_eq!(runner.run_due_once().await.unwrap().claimed, 0);
        clock.advance_seconds(1);
        assert_eq!(runner.run_due_once().await.unwrap().completed, 1);
    }
);

fn retry_options() -> JobRunnerOptions {
    JobRunnerOptions {
        retry_backoff_base_ms: 1_000,
        retry_backoff_max_ms: 60_000,
        ..JobRunnerOptions::default()
    }
}

storage_test!(
    a_failing_job_is_retried_with_backoff_until_it_fails_for_good,
    migrations(),
    |db: Db| async move {
        let clock = manual_clock();
        let mut tx = db.begin().await.unwrap();
        jobs::schedule_with_attempts_max(
            &mut tx,
            CONFIRM,
            "order-1",
            START,
            &OrderTimer { order_number: 1 },
            3,
            START,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let runner = runner(
            &db,
            &clock,
            vec![Records::failing(CONFIRM, "a", 99, Failure::Retryable)],
            retry_options(),
        );

        let round = runner.run_due_once().await.unwrap();
        assert_eq!((round.claimed, round.retried), (1, 1));
        let waiting = job(&db, CONFIRM, "order-1").await;
        assert_eq!(waiting.state, JobState::Scheduled);
        assert_eq!(waiting.attempt, 1);
        assert_eq!(
            waiting.scheduled_at,
            START.plus_seconds(1),
            "1 s after the first failure"
        );
        assert_eq!(waiting.last_error.as_deref(), Some("the bank is closed"));
        assert!(
            effects(&db).await.is_empty(),
            "a failed run's writes are rolled back"
        );

        assert_eq!(
            runner.run_due_once().await.unwrap().claimed,
            0,
            "backing off"
        );
        clock.advance_seconds(1);
        assert_eq!(runner.run_due_once().await.unwrap().retried, 1);
        let waiting = job(&db, CONFIRM, "order-1").await;
        assert_eq!(waiting.attempt, 2);
        assert_eq!(
            waiting.scheduled_at,
            START.plus_seconds(3),
            "2 s after the second"
        );

        clock.advance_seconds(1);
        assert_eq!(runner.run_due_once().await.unwrap().claimed, 0);
        clock.advance_seconds(1);
        let round = runner.run_due_once().await.unwrap();
        assert_eq!(
            (round.claimed, round.failed),
            (1, 1),
            "the third of three attempts"
        );
        let failed = job(&db, CONFIRM, "order-1").await;
        assert_eq!(failed.state, JobState::Failed);
        assert_eq!(failed.attempt, 3);
        assert_eq!(failed.last_error.as_deref(), Some("the bank is closed"));

        clock.advance_seconds(3600);
        assert_eq!(
            runner.run_due_once().await.unwrap().claimed,
            0,
            "failed for good"
        );
        assert!(effects(&db).await.is_empty());
    }
);

storage_test!(
    a_job_that_fails_then_succeeds_takes_effect_once,
    migrations(),
    |db: Db| async move {
        let clock = manual_clock();
        schedule_one(&db, CONFIRM, "order-1", START, 1).await;
        let runner = runner(
            &db,
            &clock,
            vec![Records::failing(CONFIRM, "a", 2, Failure::Retryable)],
            retry_options(),
        );
        for _ in 0..3 {
            runner.run_due_once().await.unwrap();
            clock.advance_seconds(60);
        }
        assert_eq!(effects(&db).await, vec![("order-1".into(), 3, "a".into())]);
        let done = job(&db, CONFIRM, "order-1").await;
        assert_eq!(done.state, JobState::Completed);
        assert_eq!(done.last_error, None);
    }
);

storage_test!(
    a_permanent_error_fails_at_once_and_a_panic_is_retried,
    migrations(),
    |db: Db| async move {
        let clock = manual_clock();
        schedule_one(&db, CONFIRM, "order-1", START, 1).await;
        schedule_one(&db, "test.panics", "order-1", START, 1).await;
        let runner = runner(
            &db,
            &clock,
            vec![
                Records::failing(CONFIRM, "a", 1, Failure::Permanent),
                Records::failing("test.panics", "a", 1, Failure::Panic),
            ],
            retry_options(),
        );
        let round = runner.run_due_once().await.unwrap();
        assert_eq!((round.claimed, round.failed, round.retried), (2, 1, 1));
        let failed = job(&db, CONFIRM, "order-1").await;
        assert_eq!(failed.state, JobState::Failed);
        assert_eq!(failed.attempt, 1);
        assert_eq!(failed.last_error.as_deref(), Some("no such order"));
        let panicked = job(&db, "test.panics", "order-1").await;
        assert_eq!(panicked.state, JobState::Scheduled);
        assert_eq!(
            panicked.last_error.as_deref(),
            Some("the handler panicked: the handler lost its head")
        );
        clock.advance_seconds(1);
        assert_eq!(runner.run_due_once().await.unwrap().completed, 1);
        assert_eq!(effects(&db).await.len(), 1, "only the run that committed");
    }
);

/// Counts its runs and asks to run again a day later, like a day end.
struct DayEnd {
    clock: Arc<ManualClock>,
}

#[async_trait::async_trait]
impl JobHandler for DayEnd {
    fn kind(&self) -> &'static str {
        "test.day_end"
    }

    async fn run(&self, tx: &mut Tx, job: &Job) -> Result<JobOutcome, JobError> {
        super::write_effect(tx, job, "day_end").await?;
        Ok(JobOutcome::RunAgainAt(
            self.clock.now().plus_seconds(24 * 3600),
        ))
    }
}

storage_test!(
    run_again_at_makes_a_recurring_job,
    migrations(),
    |db: Db| async move {
        let clock = manual_clock();
        schedule_one(&db, "test.day_end", "all", START, 0).await;
        let runner = runner(
            &db,
            &clock,
            vec![Arc::new(DayEnd {
                clock: clock.clone(),
            })],
            JobRunnerOptions::default(),
        );
        for day in 0..3 {
            assert_eq!(
                runner.run_due_once().await.unwrap().run_again,
                1,
                "day {day}"
            );
            assert_eq!(runner.run_due_once().await.unwrap().claimed, 0);
            let next = job(&db, "test.day_end", "all").await;
            assert_eq!(next.state, JobState::Scheduled);
            assert_eq!(next.attempt, 0, "a successful run starts the count over");
            assert_eq!(next.scheduled_at, clock.now().plus_seconds(24 * 3600));
            clock.advance_seconds(24 * 3600);
        }
        assert_eq!(effects(&db).await.len(), 3);
    }
);

/// Records which runner ran each job, and yields mid-transaction so that the
/// two runners' claims and runs interleave.
struct Slow {
    runner: &'static str,
    runs: AtomicUsize,
}

#[async_trait::async_trait]
impl JobHandler for Slow {
    fn kind(&self) -> &'static str {
        CONFIRM
    }

    async fn run(&self, tx: &mut Tx, job: &Job) -> Result<JobOutcome, JobError> {
        super::write_effect(tx, job, self.runner).await?;
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        self.runs.fetch_add(1, Ordering::SeqCst);
        Ok(JobOutcome::Completed)
    }
}

const RACED_JOBS: i64 = 60;

storage_test!(
    two_runners_racing_run_each_job_once,
    migrations(),
    |db: Db| async move {
        let clock = manual_clock();
        let mut tx = db.begin().await.unwrap();
        for n in 0..RACED_JOBS {
            jobs::schedule(
                &mut tx,
                CONFIRM,
                &format!("order-{n:03}"),
                START,
                &OrderTimer { order_number: n },
                START,
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        let options = JobRunnerOptions {
            batch_size: 4,
            ..JobRunnerOptions::default()
        };
        let handlers = [
            Arc::new(Slow {
                runner: "a",
                runs: AtomicUsize::new(0),
            }),
            Arc::new(Slow {
                runner: "b",
                runs: AtomicUsize::new(0),
            }),
        ];
        let runners = handlers
            .iter()
            .map(|handler| {
                let handler: Arc<dyn JobHandler> = handler.clone();
                runner(&db, &clock, vec![handler], options.clone())
            })
            .collect::<Vec<_>>();
        let drain = |runner: kernel::jobs::JobRunner| async move {
            let mut completed = 0;
            loop {
                let round = runner.run_due_once().await.unwrap();
                assert_eq!(round.lost, 0, "a lease of a minute does not run out here");
                completed += round.completed;
                if round.claimed == 0 {
                    return completed;
                }
            }
        };
        let mut runners = runners.into_iter();
        let (a, b) = tokio::join!(
            tokio::spawn(drain(runners.next().unwrap())),
            tokio::spawn(drain(runners.next().unwrap())),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a + b, RACED_JOBS as usize);
        assert_eq!(
            handlers[0].runs.load(Ordering::SeqCst) + handlers[1].runs.load(Ordering::SeqCst),
            RACED_JOBS as usize,
            "no handler ran twice"
        );
        let effects = effects(&db).await;
        assert_eq!(effects.len(), RACED_JOBS as usize);
        let mut keys: Vec<&String> = effects.iter().map(|(key, _, _)| key).collect();
        keys.dedup();
        assert_eq!(keys.len(), RACED_JOBS as usize, "each job once");
        assert!(effects.iter().all(|(_, attempt, _)| *attempt == 1));
        eprintln!("runner a ran {a} jobs, runner b {b}");
    }
);

storage_test!(
    jobs_are_listed_by_page_and_state,
    migrations(),
    |db: Db| async move {
        for n in 0..5 {
            schedule_one(&db, CONFIRM, &format!("order-{n}"), START, n).await;
        }
        let mut tx = db.begin().await.unwrap();
        jobs::cancel(&mut tx, CONFIRM, "order-1", START)
            .await
            .unwrap();
        jobs::cancel(&mut tx, CONFIRM, "order-3", START)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let cancelled = jobs::list(&db, Some(JobState::Cancelled), PageRequest::first())
            .await
            .unwrap();
        let keys: Vec<&str> = cancelled.items.iter().map(|job| job.key.as_str()).collect();
        assert_eq!(keys, vec!["order-1", "order-3"]);
        assert_eq!(cancelled.next_after, None);

        let mut keys = Vec::new();
        let mut after = None;
        for _ in 0..5 {
            let page = jobs::list(&db, None, PageRequest::new(after, Some(2)))
                .await
                .unwrap();
            assert!(page.items.len() <= 2);
            keys.extend(page.items.into_iter().map(|job| job.key));
            after = page.next_after;
            if after.is_none() {
                break;
            }
        }
        assert_eq!(
            keys,
            (0..5).map(|n| format!("order-{n}")).collect::<Vec<_>>()
        );
    }
);

storage_test!(
    oversized_jobs_are_refused,
    migrations(),
    |db: Db| async move {
        let mut tx = db.begin().await.unwrap();
        let payload = OrderTimer { order_number: 1 };
        let long_kind = "k".repeat(jobs::KIND_LEN_MAX + 1);
        let long_key = "k".repeat(jobs::KEY_LEN_MAX + 1);
        let big = "x".repeat(jobs::PAYLOAD_BYTES_MAX);
        let refusals = [
            jobs::schedule(&mut tx, &long_kind, "a", START, &payload, START).await,
            jobs::schedule(&mut tx, "", "a", START, &payload, START).await,
            jobs::schedule(&mut tx, CONFIRM, &long_key, START, &payload, START).await,
            jobs::schedule(&mut tx, CONFIRM, "a", START, &big, START).await,
            jobs::schedule_with_attempts_max(&mut tx, CONFIRM, "a", START, &payload, 0, START)
                .await,
        ];
        for refusal in refusals {
            assert!(
                matches!(refusal, Err(StorageError::OverLimit { .. })),
                "{refusal:?}"
            );
        }
        tx.commit().await.unwrap();
        let all = jobs::list(&db, None, PageRequest::first()).await.unwrap();
        assert!(all.items.is_empty(), "nothing was written");
    }
);

/// Holds its transaction open on `order-1` until released, writing as it goes.
struct Gate {
    entered: Arc<tokio::sync::Notify>,
    release: Arc<tokio::sync::Notify>,
}

#[async_trait::async_trait]
impl JobHandler for Gate {
    fn kind(&self) -> &'static str {
        CONFIRM
    }

    async fn run(&self, tx: &mut Tx, job: &Job) -> Result<JobOutcome, JobError> {
        super::write_effect(tx, job, "a").await?;
        if job.key == "order-1" {
            self.entered.notify_one();
            self.release.notified().await;
        }
        Ok(JobOutcome::Completed)
    }
}

storage_test!(
    a_runner_that_overruns_its_lease_keeps_the_job_it_holds_and_loses_the_rest,
    migrations(),
    |db: Db| async move {
        if db.engine() != kernel::Engine::Postgres {
            // On SQLite the held transaction holds the one writer, so no other
            // runner gets to claim anything until it commits.
            return;
        }
        let clock = manual_clock();
        schedule_one(&db, CONFIRM, "order-1", START, 1).await;
        schedule_one(&db, CONFIRM, "order-2", START, 2).await;
        let entered = Arc::new(tokio::sync::Notify::new());
        let release = Arc::new(tokio::sync::Notify::new());
        let gate = Arc::new(Gate {
            entered: entered.clone(),
            release: release.clone(),
        });
        let slow = runner(&db, &clock, vec![gate], JobRunnerOptions::default());
        let slow = tokio::spawn(async move { slow.run_due_once().await.unwrap() });
        entered.notified().await;

        // Runner a holds order-1 in its handler and has order-2 claimed but not
        // started when both leases run out.
        clock.advance_seconds(61);
        let other = runner(
            &db,
            &clock,
            vec![Records::new(CONFIRM, "b")],
            JobRunnerOptions::default(),
        );
        let round = other.run_due_once().await.unwrap();
        assert_eq!(
            (round.claimed, round.completed),
            (1, 1),
            "order-1 is locked and skipped, order-2 is taken over"
        );
        release.notify_one();
        let round = slow.await.unwrap();
        assert_eq!((round.claimed, round.completed, round.lost), (2, 1, 1));
        assert_eq!(
            effects(&db).await,
            vec![
                ("order-1".into(), 1, "a".into()),
                ("order-2".into(), 2, "b".into())
            ],
            "each job took effect once"
        );
    }
);
