//! Kills a process that appends and dispatches events, at random moments and in
//! the middle of handling, many times; after each restart every subscriber has
//! handled each committed event exactly once.

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use kernel::outbox::Dispatcher;
use kernel::testing::TestDb;
use kernel::{Db, DbOptions, Engine, SystemClock};

use crate::support::{append_things, handled_counts, migrations, recorders};

const EVENTS_PER_RUN: i64 = 30;
const KILLED_RUNS: usize = 6;
const CHILD_URL: &str = "HANSE_CRASH_CHILD_URL";
const CHILD_SCHEMA: &str = "HANSE_CRASH_CHILD_SCHEMA";
const CHILD_RUN: &str = "HANSE_CRASH_CHILD_RUN";
const CHILD_CRASH_CHANCE: &str = "HANSE_CRASH_CHILD_CRASH_CHANCE";

/// The child: appends this run's events while dispatching, then drains and exits.
/// Only runs when the parent test starts this binary with the variables set.
#[tokio::test]
#[ignore = "started by the crash tests as a child process"]
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
    let run: i64 = std::env::var(CHILD_RUN).unwrap().parse().unwrap();
    let crash_chance: f64 = std::env::var(CHILD_CRASH_CHANCE).unwrap().parse().unwrap();
    let db = Db::connect(&options).await.unwrap();
    let dispatcher = Dispatcher::new(db.clone(), Arc::new(SystemClock), recorders(crash_chance));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(dispatcher.run(stopped));
    append_things(&db, run * EVENTS_PER_RUN..(run + 1) * EVENTS_PER_RUN).await;
    drop(stop);
    running.await.unwrap();
    let finish = Dispatcher::new(db.clone(), Arc::new(SystemClock), recorders(crash_chance));
    while finish.run_once().await.unwrap().delivered > 0 {}
}

fn spawn_child(options: &DbOptions, run: usize, crash_chance: f64) -> std::process::Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            "crash::crash_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_URL, &options.url)
        .env(CHILD_RUN, run.to_string())
        .env(CHILD_CRASH_CHANCE, crash_chance.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Some(schema) = &options.postgres_schema {
        command.env(CHILD_SCHEMA, schema);
    }
    command.spawn().unwrap()
}

async fn check_engine(engine: Engine) {
    let Some(test_db) = TestDb::migrated(engine, &migrations()).await else {
        return;
    };
    for run in 0..KILLED_RUNS {
        let mut child = spawn_child(&test_db.options, run, 0.02);
        let delay_ms = 50 + rand::random::<u64>() % 400;
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        let _ = child.kill(); // SIGKILL; it may already have aborted by itself.
        child.wait().unwrap();
    }
    // A last run that is neither killed nor crashes delivers whatever is left.
    let status = spawn_child(&test_db.options, KILLED_RUNS, 0.0)
        .wait()
        .unwrap();
    assert!(status.success(), "the final run exits cleanly");

    let appended = appended_numbers(&test_db.db).await;
    let handled = handled_counts(&test_db.db).await;
    for subscriber in ["first", "second"] {
        let numbers: Vec<i64> = handled
            .iter()
            .filter(|(s, _, _)| s == subscriber)
            .map(|(_, n, _)| *n)
            .collect();
        assert_eq!(
            numbers, appended,
            "{subscriber} handled exactly the committed events"
        );
    }
    let repeated: Vec<_> = handled.iter().filter(|(_, _, times)| *times != 1).collect();
    assert!(repeated.is_empty(), "handled more than once: {repeated:?}");
    assert!(
        appended.len() as i64 > EVENTS_PER_RUN,
        "the test appended events across several runs"
    );
}

async fn appended_numbers(db: &Db) -> Vec<i64> {
    use sqlx::Row;
    let mut numbers: Vec<i64> = sqlx::query("SELECT payload FROM kernel_outbox")
        .fetch_all(db.reader())
        .await
        .unwrap()
        .iter()
        .map(|row| {
            let payload: String = row.get("payload");
            serde_json::from_str::<crate::support::ThingHappened>(&payload)
                .unwrap()
                .number
        })
        .collect();
    numbers.sort_unstable();
    numbers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_dispatcher_delivers_exactly_once_on_sqlite() {
    check_engine(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_dispatcher_delivers_exactly_once_on_postgres() {
    check_engine(Engine::Postgres).await;
}
