//! A child process submits transfers under load and is killed with SIGKILL at a
//! random moment, many times. After each kill, every acknowledged transfer is
//! present, no batch is half applied, and the ledger balances.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use kernel::testing::TestDb;
use kernel::{Db, DbOptions, Engine};
use ledger::{Account, AccountId, CreateTransferResult, Ledger, TransferId};

use crate::support::*;

const CHILD_URL: &str = "HANSE_LEDGER_CRASH_URL";
const CHILD_SCHEMA: &str = "HANSE_LEDGER_CRASH_SCHEMA";
const CHILD_ACCOUNTS: &str = "HANSE_LEDGER_CRASH_ACCOUNTS";
const KILLS: usize = 5;

/// The child: submits batches from several tasks until killed, printing each
/// batch's ids before submitting (`submit`) and after the commit (`ack`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "started by the crash tests as a child process"]
async fn ledger_crash_child() {
    let Ok(url) = std::env::var(CHILD_URL) else {
        return;
    };
    let options = DbOptions {
        url,
        max_connections: 4,
        postgres_schema: std::env::var(CHILD_SCHEMA).ok(),
        group_commit: true,
    };
    let ids: Vec<AccountId> = std::env::var(CHILD_ACCOUNTS)
        .unwrap()
        .split(',')
        .map(|id| id.parse().unwrap())
        .collect();
    let db = Db::connect(&options).await.unwrap();
    let (ledger, _) = start(&db);
    let accounts: Vec<Account> = ledger.lookup_accounts(&ids).await.unwrap();
    let tasks: Vec<_> = (0..4)
        .map(|task| {
            let (ledger, accounts) = (ledger.clone(), accounts.clone());
            tokio::spawn(async move { submit_forever(ledger, accounts, task).await })
        })
        .collect();
    futures::future::join_all(tasks).await;
}

async fn submit_forever(ledger: Ledger, accounts: Vec<Account>, task: usize) {
    for round in 0.. {
        let batch: Vec<_> = (0..40)
            .map(|i| {
                let from = &accounts[(task + round + i) % accounts.len()];
                let to = &accounts[(task + round + i + 1) % accounts.len()];
                transfer(from, to, 1 + (i as i64 % 97))
            })
            .collect();
        let ids = batch
            .iter()
            .map(|t| t.id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        println!("submit {ids}");
        let results = ledger.create_transfers(batch).await.unwrap();
        assert!(results.iter().all(|r| *r == CreateTransferResult::Ok));
        println!("ack {ids}");
    }
}

async fn check_engine(engine: Engine) {
    let Some(test_db) = TestDb::migrated(engine, &migrations()).await else {
        return;
    };
    let (ledger, _) = start(&test_db.db);
    // Accounts without limits, so every transfer succeeds and a batch present
    // in part could only be a half-applied commit.
    let accounts: Vec<Account> = (0..6).map(|_| source(CNY)).collect();
    create(&ledger, &accounts).await;
    let account_ids = accounts
        .iter()
        .map(|a| a.id.to_string())
        .collect::<Vec<_>>()
        .join(",");

    let mut acknowledged: Vec<TransferId> = Vec::new();
    let mut submitted: Vec<Vec<TransferId>> = Vec::new();
    for _ in 0..KILLS {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .args([
                "--exact",
                "crash::ledger_crash_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_URL, &test_db.options.url)
            .env(CHILD_ACCOUNTS, &account_ids)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(schema) = &test_db.options.postgres_schema {
            command.env(CHILD_SCHEMA, schema);
        }
        let mut child = command.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        tokio::time::sleep(Duration::from_millis(400 + rand::random::<u64>() % 800)).await;
        child.kill().unwrap();
        child.wait().unwrap();
        for line in reader.join().unwrap() {
            let parse = |ids: &str| {
                ids.split(',')
                    .map(|id| id.parse::<TransferId>().unwrap())
                    .collect::<Vec<_>>()
            };
            // The test harness may print its own words before the first line.
            if let Some((_, ids)) = line.split_once("ack ") {
                acknowledged.extend(parse(ids));
            } else if let Some((_, ids)) = line.split_once("submit ") {
                submitted.push(parse(ids));
            }
        }
    }
    assert!(
        acknowledged.len() > 100,
        "the children made progress: {}",
        acknowledged.len()
    );

    let present: HashSet<TransferId> = ledger
        .lookup_transfers(&submitted.iter().flatten().copied().collect::<Vec<_>>())
        .await
        .unwrap()
        .into_iter()
        .map(|(t, _)| t.id)
        .collect();
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|id| !present.contains(id))
        .collect();
    assert!(
        lost.is_empty(),
        "acknowledged transfers lost: {}",
        lost.len()
    );
    for batch in &submitted {
        let found = batch.iter().filter(|id| present.contains(id)).count();
        assert!(
            found == 0 || found == batch.len(),
            "a batch was half applied: {found} of {}",
            batch.len()
        );
    }
    let check = ledger.check().await.unwrap();
    assert!(check.balanced(), "{:?}", check.violations);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_under_load_loses_nothing_acknowledged_on_sqlite() {
    check_engine(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_under_load_loses_nothing_acknowledged_on_postgres() {
    check_engine(Engine::Postgres).await;
}
