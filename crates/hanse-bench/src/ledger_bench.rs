//! `hanse-bench ledger`: creates accounts, then drives transfers through the
//! ledger's group commit from concurrent clients, as `pay` and `trade` would,
//! and measures how many transfers per second become durable and how long a
//! client waits for its batch. Ends with the whole-ledger check, so a fast
//! ledger that loses money does not pass.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::builder::RangedU64ValueParser;
use kernel::Clock;
use rand::Rng;

use crate::database::BenchDatabase;
use crate::report::{LatencySummary, LedgerBenchSummary, milliseconds};

/// Every benchmark account and transfer is in this ledger (one currency).
const BENCH_LEDGER: u32 = 1;
/// The account and transfer code; the ledger requires it to be non-zero.
const BENCH_CODE: u16 = 1;
/// Transfer amounts are drawn uniformly from 1..=this, in minor units.
const TRANSFER_AMOUNT_MAX_MINOR: i64 = 10_000;
/// Accounts per `create_accounts` call (also bounded by `--group-max`).
const ACCOUNTS_PER_CALL: usize = 8_000;
const ACCOUNTS_MAX: u64 = 10_000_000;
/// All transfers are generated before the clock starts and held in memory,
/// about 100 bytes each: the cap keeps that near a gigabyte.
const TRANSFERS_MAX: u64 = 10_000_000;
/// Well above the ledger's queue depth; more clients only queue in tokio.
const CONCURRENCY_MAX: u64 = 4_096;
const GROUP_MAX_MAX: u64 = 1_000_000;

#[derive(Debug, clap::Args)]
pub struct LedgerBenchArgs {
    /// Accounts to create; each transfer moves money between two distinct ones.
    #[arg(long, default_value_t = 10_000, value_parser = RangedU64ValueParser::<usize>::new().range(2..=ACCOUNTS_MAX))]
    accounts: usize,
    /// Transfers to submit in total.
    #[arg(long, default_value_t = 1_000_000, value_parser = RangedU64ValueParser::<usize>::new().range(1..=TRANSFERS_MAX))]
    transfers: usize,
    /// Concurrent clients, each waiting for its batch before sending the next.
    #[arg(long, default_value_t = 8, value_parser = RangedU64ValueParser::<usize>::new().range(1..=CONCURRENCY_MAX))]
    concurrency: usize,
    /// Transfers per `create_transfers` call; at most --group-max.
    #[arg(long, default_value_t = 8_000, value_parser = RangedU64ValueParser::<usize>::new().range(1..=GROUP_MAX_MAX))]
    batch: usize,
    /// The most transfers the group commit writes in one transaction
    /// (`GroupCommitOptions::batch_transfers_max`).
    #[arg(long, default_value_t = ledger::GroupCommitOptions::default().batch_transfers_max,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=GROUP_MAX_MAX))]
    group_max: usize,
    /// Run against PostgreSQL, in a fresh schema dropped afterwards, e.g.
    /// postgres://postgres@127.0.0.1:5432/hanse_dev [default: SQLite in a
    /// temporary directory].
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

pub async fn run(args: LedgerBenchArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.batch <= args.group_max,
        "--batch {} exceeds --group-max {}: the ledger would refuse every call",
        args.batch,
        args.group_max
    );
    let database = BenchDatabase::create_fresh(args.database_url.as_deref()).await?;
    println!(
        "hanse-bench ledger on {}: {}",
        database.engine_name(),
        database.location
    );
    // The database is removed whether or not the run succeeded.
    let outcome = run_on(&database, &args).await;
    let removed = database.remove().await;
    let summary = outcome?;
    removed?;
    println!("{}", summary.json_line()?);
    Ok(())
}

async fn run_on(
    database: &BenchDatabase,
    args: &LedgerBenchArgs,
) -> anyhow::Result<LedgerBenchSummary> {
    let db = &database.db;
    let migrations = [kernel::migrate::kernel_migrations(), ledger::migrations()].concat();
    kernel::migrate::run(db, &migrations, kernel::SystemClock.now())
        .await
        .context("migrations failed")?;
    let group_commit_options = ledger::GroupCommitOptions {
        batch_transfers_max: args.group_max,
        ..ledger::GroupCommitOptions::default()
    };
    let ledger = ledger::Ledger::start(
        db.clone(),
        Arc::new(kernel::SystemClock),
        group_commit_options,
    );

    let accounts_started = Instant::now();
    let account_ids = create_accounts(&ledger, args.accounts, args.group_max).await?;
    println!(
        "accounts: {} created in {:.2} s",
        account_ids.len(),
        accounts_started.elapsed().as_secs_f64()
    );

    let generation_started = Instant::now();
    let batches = generate_batches(&account_ids, args.transfers, args.batch);
    println!(
        "transfers: {} in {} batches generated in {:.2} s (before the clock starts)",
        args.transfers,
        batches.len(),
        generation_started.elapsed().as_secs_f64()
    );

    let load = drive_load(&ledger, batches, args.concurrency).await?;
    let transfers_per_s = args.transfers as f64 / load.elapsed.as_secs_f64();
    let batch_count = load.latencies.len();
    let latency = LatencySummary::from_samples(load.latencies);
    let refused: u64 = load.refused_by_result.values().sum();
    println!(
        "load: {} transfers in {:.2} s from {} clients with batches of {}: {:.0} transfers/s",
        args.transfers,
        load.elapsed.as_secs_f64(),
        args.concurrency,
        args.batch,
        transfers_per_s
    );
    println!(
        "batch latency ({batch_count} batches): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latency.p50_ms, latency.p99_ms, latency.max_ms
    );
    println!(
        "results: {} ok, {refused} refused {:?}",
        load.ok, load.refused_by_result
    );

    let check_started = Instant::now();
    let check = ledger
        .check()
        .await
        .context("the whole-ledger check failed to run")?;
    let check_elapsed = check_started.elapsed();
    for totals in &check.totals {
        println!(
            "check: ledger {}: {} accounts, posted debits {} = credits {}, pending debits {} = credits {}",
            totals.ledger,
            totals.accounts,
            totals.debits_posted,
            totals.credits_posted,
            totals.debits_pending,
            totals.credits_pending
        );
    }
    for violation in &check.violations {
        println!("check: VIOLATION {violation}");
    }
    println!(
        "check: {} in {:.2} s",
        if check.balanced() {
            "balanced"
        } else {
            "NOT BALANCED"
        },
        check_elapsed.as_secs_f64()
    );

    Ok(LedgerBenchSummary {
        engine: database.engine_name(),
        accounts: args.accounts,
        transfers: args.transfers,
        concurrency: args.concurrency,
        batch: args.batch,
        group_max: args.group_max,
        transfers_per_s,
        load_s: load.elapsed.as_secs_f64(),
        batch_p50_ms: latency.p50_ms,
        batch_p99_ms: latency.p99_ms,
        batch_max_ms: latency.max_ms,
        ok: load.ok,
        refused,
        check_ms: milliseconds(check_elapsed),
        balanced: check.balanced(),
    })
}

/// Creates `count` accounts without flags: no limit refuses a transfer, so
/// every transfer does the full work of an accepted one and `refused` must
/// stay zero.
async fn create_accounts(
    ledger: &ledger::Ledger,
    count: usize,
    group_max: usize,
) -> anyhow::Result<Vec<ledger::AccountId>> {
    let accounts: Vec<ledger::Account> = (0..count)
        .map(|_| {
            ledger::Account::new(
                ledger::AccountId::new(),
                BENCH_LEDGER,
                BENCH_CODE,
                None,
                ledger::AccountFlags::default(),
            )
        })
        .collect();
    for chunk in accounts.chunks(ACCOUNTS_PER_CALL.min(group_max)) {
        let results = ledger
            .create_accounts(chunk)
            .await
            .context("create_accounts failed")?;
        anyhow::ensure!(
            results.len() == chunk.len(),
            "create_accounts answered {} of {}",
            results.len(),
            chunk.len()
        );
        if let Some(refused) = results
            .iter()
            .find(|result| **result != ledger::CreateAccountResult::Ok)
        {
            anyhow::bail!("create_accounts refused an account: {refused:?}");
        }
    }
    Ok(accounts.iter().map(|account| account.id).collect())
}

/// All transfers, in batches of `batch_size` (the last may be smaller), each
/// between two distinct accounts drawn uniformly.
fn generate_batches(
    account_ids: &[ledger::AccountId],
    transfers: usize,
    batch_size: usize,
) -> VecDeque<Vec<ledger::Transfer>> {
    let mut rng = rand::thread_rng();
    let mut batches = VecDeque::with_capacity(transfers.div_ceil(batch_size));
    let mut remaining = transfers;
    while remaining > 0 {
        let size = remaining.min(batch_size);
        let batch = (0..size)
            .map(|_| {
                let debit = rng.gen_range(0..account_ids.len());
                // Uniform over the other accounts: draw from one fewer and step
                // over the debit account.
                let mut credit = rng.gen_range(0..account_ids.len() - 1);
                if credit >= debit {
                    credit += 1;
                }
                ledger::Transfer::new(
                    ledger::TransferId::new(),
                    account_ids[debit],
                    account_ids[credit],
                    rng.gen_range(1..=TRANSFER_AMOUNT_MAX_MINOR),
                    BENCH_LEDGER,
                    BENCH_CODE,
                )
            })
            .collect();
        batches.push_back(batch);
        remaining -= size;
    }
    batches
}

/// What the load phase measured.
struct LoadOutcome {
    /// From the first submission until every client had its last answer.
    elapsed: Duration,
    /// One per batch: from `create_transfers` being called until it answered.
    latencies: Vec<Duration>,
    ok: u64,
    /// Refusals counted by result, e.g. `ExceedsCredits`.
    refused_by_result: BTreeMap<String, u64>,
}

/// One client's share of the load outcome.
#[derive(Default)]
struct ClientOutcome {
    latencies: Vec<Duration>,
    ok: u64,
    refused_by_result: BTreeMap<String, u64>,
}

/// Runs `concurrency` clients that take batches from one shared queue until it
/// is empty, so a slow client does not leave the others idle at the end.
async fn drive_load(
    ledger: &ledger::Ledger,
    batches: VecDeque<Vec<ledger::Transfer>>,
    concurrency: usize,
) -> anyhow::Result<LoadOutcome> {
    let batch_count = batches.len();
    let queue = Arc::new(Mutex::new(batches));
    let started = Instant::now();
    let clients: Vec<_> = (0..concurrency)
        .map(|_| tokio::spawn(client(ledger.clone(), queue.clone())))
        .collect();
    let mut outcome = LoadOutcome {
        elapsed: Duration::ZERO,
        latencies: Vec::with_capacity(batch_count),
        ok: 0,
        refused_by_result: BTreeMap::new(),
    };
    for client in clients {
        let client_outcome = client.await.context("a client task panicked")??;
        outcome.latencies.extend(client_outcome.latencies);
        outcome.ok += client_outcome.ok;
        for (result, count) in client_outcome.refused_by_result {
            *outcome.refused_by_result.entry(result).or_default() += count;
        }
    }
    outcome.elapsed = started.elapsed();
    Ok(outcome)
}

async fn client(
    ledger: ledger::Ledger,
    queue: Arc<Mutex<VecDeque<Vec<ledger::Transfer>>>>,
) -> anyhow::Result<ClientOutcome> {
    let mut outcome = ClientOutcome::default();
    loop {
        // The lock is held only to pop, never across an await.
        let next = queue
            .lock()
            .map_err(|_| anyhow::anyhow!("the batch queue is poisoned"))?
            .pop_front();
        let Some(batch) = next else { break };
        let submitted = batch.len();
        let started = Instant::now();
        let results = ledger
            .create_transfers(batch)
            .await
            .context("create_transfers failed")?;
        outcome.latencies.push(started.elapsed());
        anyhow::ensure!(
            results.len() == submitted,
            "create_transfers answered {} of {submitted}",
            results.len()
        );
        for result in results {
            if result == ledger::CreateTransferResult::Ok {
                outcome.ok += 1;
            } else {
                *outcome
                    .refused_by_result
                    .entry(format!("{result:?}"))
                    .or_default() += 1;
            }
        }
    }
    Ok(outcome)
}
