//! `hanse-bench books`: opens the books of many companies, then posts a
//! journal of varied entries (two to five lines, many accounts, two years of
//! dates, every journal) through `Books::import_entries` from concurrent
//! clients, one company's batch at a time; then times the trial balance and
//! profit and loss of the company with the most entries over varied ranges.
//! On SQLite the same rows go into a plain SQLite file through rusqlite's
//! prepared statements, and the same report query runs there, so the figures
//! are read as a ratio to the raw engine on this machine today.

mod generate;
mod raw;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use books::{Books, ReportRange};
use clap::builder::RangedU64ValueParser;
use kernel::{Clock, Engine};
use rand::Rng;
use serde::Serialize;

use crate::database::BenchDatabase;
use crate::report::LatencySummary;
use generate::Batch;

const COMPANIES_MAX: u64 = 100_000;
const ENTRIES_MAX: u64 = 10_000_000;
const CONCURRENCY_MAX: u64 = 64;
const REPORT_RUNS_MAX: u64 = 100_000;

#[derive(Debug, clap::Args)]
pub struct BooksBenchArgs {
    /// Companies whose books receive entries.
    #[arg(long, default_value_t = 1_000, value_parser = RangedU64ValueParser::<usize>::new().range(1..=COMPANIES_MAX))]
    companies: usize,
    /// Entries posted in total, across the companies.
    #[arg(long, default_value_t = 1_000_000, value_parser = RangedU64ValueParser::<usize>::new().range(1..=ENTRIES_MAX))]
    entries: usize,
    /// Of those, the entries of the one company whose reports are timed.
    #[arg(long, default_value_t = 100_000, value_parser = RangedU64ValueParser::<usize>::new().range(1..=ENTRIES_MAX))]
    big_company_entries: usize,
    /// Entries per `import_entries` call (at most books::IMPORT_ENTRIES_MAX).
    #[arg(long, default_value_t = 1_000, value_parser = RangedU64ValueParser::<usize>::new().range(1..=books::IMPORT_ENTRIES_MAX as u64))]
    batch: usize,
    /// Concurrent clients, each waiting for its batch before sending the next.
    #[arg(long, default_value_t = 4, value_parser = RangedU64ValueParser::<usize>::new().range(1..=CONCURRENCY_MAX))]
    concurrency: usize,
    /// Times each report runs, over ranges drawn at random.
    #[arg(long, default_value_t = 200, value_parser = RangedU64ValueParser::<usize>::new().range(1..=REPORT_RUNS_MAX))]
    report_runs: usize,
    /// Run against PostgreSQL, in a fresh schema dropped afterwards [default:
    /// SQLite in a temporary directory, measured beside plain SQLite].
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

/// The last line of `hanse-bench books`.
#[derive(Debug, Serialize)]
struct BooksBenchSummary {
    engine: &'static str,
    companies: usize,
    entries: usize,
    lines: usize,
    batch: usize,
    concurrency: usize,
    entries_per_s: f64,
    load_s: f64,
    batch_p50_ms: f64,
    batch_p99_ms: f64,
    /// The same rows through rusqlite into plain SQLite; `null` on PostgreSQL.
    raw_entries_per_s: Option<f64>,
    ratio_to_raw: Option<f64>,
    big_company_entries: usize,
    trial_balance_p50_ms: f64,
    trial_balance_p99_ms: f64,
    profit_and_loss_p50_ms: f64,
    profit_and_loss_p99_ms: f64,
    raw_report_p99_ms: Option<f64>,
    balanced: bool,
}

pub async fn run(args: BooksBenchArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.big_company_entries <= args.entries,
        "--big-company-entries {} exceeds --entries {}",
        args.big_company_entries,
        args.entries
    );
    let database = BenchDatabase::create_fresh(args.database_url.as_deref()).await?;
    println!(
        "hanse-bench books on {}: {}",
        database.engine_name(),
        database.location
    );
    let outcome = run_on(&database, &args).await;
    let removed = database.remove().await;
    let summary = outcome?;
    removed?;
    println!("{}", serde_json::to_string(&summary)?);
    Ok(())
}

async fn run_on(
    database: &BenchDatabase,
    args: &BooksBenchArgs,
) -> anyhow::Result<BooksBenchSummary> {
    let db = &database.db;
    let clock: Arc<dyn Clock> = Arc::new(kernel::SystemClock);
    let migrations = [
        kernel::migrate::kernel_migrations(),
        ledger::migrations(),
        pay::migrations(),
        books::migrations(),
    ]
    .concat();
    kernel::migrate::run(db, &migrations, clock.now())
        .await
        .context("migrations failed")?;
    // The books read the ledger only to reconcile, which this bench does not.
    let ledger = ledger::Ledger::start(
        db.clone(),
        clock.clone(),
        ledger::GroupCommitOptions::default(),
    );
    let pay = pay::Pay::new(
        db.clone(),
        clock.clone(),
        ledger,
        pay::PaymentProviders::none(),
    );
    let books = Books::new(db.clone(), clock.clone(), pay);

    let opened = Instant::now();
    let companies = generate::open_books(&books, args.companies).await?;
    println!(
        "books: {} companies opened in {:.2} s",
        companies.len(),
        opened.elapsed().as_secs_f64()
    );
    let generated = Instant::now();
    let batches = generate::batches(
        &companies,
        args.entries,
        args.big_company_entries,
        args.batch,
    );
    let lines: usize = batches.iter().map(Batch::lines).sum();
    println!(
        "entries: {} with {lines} lines in {} batches generated in {:.2} s (before the clock starts)",
        args.entries,
        batches.len(),
        generated.elapsed().as_secs_f64()
    );

    let raw_batches = (database.db.engine() == Engine::Sqlite).then(|| batches.clone());
    let (elapsed, latencies) = post(&books, batches, args.concurrency).await?;
    let entries_per_s = args.entries as f64 / elapsed.as_secs_f64();
    let batch_latency = LatencySummary::from_samples(latencies);
    println!(
        "load: {} entries in {:.2} s from {} clients, {} a batch: {entries_per_s:.0} entries/s; batch p50 {:.1} ms, p99 {:.1} ms",
        args.entries,
        elapsed.as_secs_f64(),
        args.concurrency,
        args.batch,
        batch_latency.p50_ms,
        batch_latency.p99_ms
    );

    let big = &companies[0];
    let ranges = report_ranges(args.report_runs);
    let mut trial_samples = Vec::with_capacity(ranges.len());
    let mut profit_samples = Vec::with_capacity(ranges.len());
    let mut balanced = true;
    for range in &ranges {
        let started = Instant::now();
        let trial = books.trial_balance(&big.scope, *range).await?;
        trial_samples.push(started.elapsed());
        balanced &= trial.totals.iter().all(|t| t.debit_minor == t.credit_minor);
        let started = Instant::now();
        books.profit_and_loss(&big.scope, *range).await?;
        profit_samples.push(started.elapsed());
    }
    let trial = LatencySummary::from_samples(trial_samples);
    let profit = LatencySummary::from_samples(profit_samples);
    println!(
        "reports of the company with {} entries, {} runs each: trial balance p50 {:.1} ms, p99 {:.1} ms; profit and loss p50 {:.1} ms, p99 {:.1} ms; balanced: {balanced}",
        args.big_company_entries,
        ranges.len(),
        trial.p50_ms,
        trial.p99_ms,
        profit.p50_ms,
        profit.p99_ms
    );

    let (raw_entries_per_s, raw_report_p99_ms) = match raw_batches {
        Some(batches) => {
            let directory = tempfile::Builder::new()
                .prefix("hanse-bench-raw-")
                .tempdir()?;
            let raw = tokio::task::spawn_blocking({
                let path = directory.path().join("raw.db");
                let company = big.scope.company_id();
                let ranges = ranges.clone();
                move || raw::run(&path, &batches, company, &ranges)
            })
            .await??;
            let per_s = args.entries as f64 / raw.elapsed.as_secs_f64();
            let report = LatencySummary::from_samples(raw.report_samples);
            println!(
                "plain SQLite (rusqlite, prepared statements, one transaction a batch): {per_s:.0} entries/s; the report query p50 {:.1} ms, p99 {:.1} ms",
                report.p50_ms, report.p99_ms
            );
            println!(
                "ratio to plain SQLite: posting {:.2}, trial balance p99 {:.2}",
                entries_per_s / per_s,
                trial.p99_ms / report.p99_ms.max(0.001)
            );
            (Some(per_s), Some(report.p99_ms))
        }
        None => (None, None),
    };

    Ok(BooksBenchSummary {
        engine: database.engine_name(),
        companies: args.companies,
        entries: args.entries,
        lines,
        batch: args.batch,
        concurrency: args.concurrency,
        entries_per_s,
        load_s: elapsed.as_secs_f64(),
        batch_p50_ms: batch_latency.p50_ms,
        batch_p99_ms: batch_latency.p99_ms,
        ratio_to_raw: raw_entries_per_s.map(|raw| entries_per_s / raw),
        raw_entries_per_s,
        big_company_entries: args.big_company_entries,
        trial_balance_p50_ms: trial.p50_ms,
        trial_balance_p99_ms: trial.p99_ms,
        profit_and_loss_p50_ms: profit.p50_ms,
        profit_and_loss_p99_ms: profit.p99_ms,
        raw_report_p99_ms,
        balanced,
    })
}

/// Posts every batch from `concurrency` clients; the time from the first
/// call to the last answer, and each call's latency.
async fn post(
    books: &Books,
    batches: Vec<Batch>,
    concurrency: usize,
) -> anyhow::Result<(Duration, Vec<Duration>)> {
    let queue = Arc::new(Mutex::new(VecDeque::from(batches)));
    let started = Instant::now();
    let mut clients = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let queue = queue.clone();
        let books = books.clone();
        clients.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let next = queue
                    .lock()
                    .map_err(|_| anyhow::anyhow!("poisoned"))?
                    .pop_front();
                let Some(batch) = next else {
                    return Ok::<_, anyhow::Error>(latencies);
                };
                let sent = Instant::now();
                books
                    .import_entries(&batch.scope, &batch.entries)
                    .await
                    .context("an import was refused")?;
                latencies.push(sent.elapsed());
            }
        }));
    }
    let mut latencies = Vec::new();
    for client in clients {
        latencies.extend(client.await??);
    }
    Ok((started.elapsed(), latencies))
}

/// Report ranges as a person asks for them: a month, a quarter, a year, and
/// everything, drawn over the two years the entries span.
fn report_ranges(runs: usize) -> Vec<ReportRange> {
    let mut rng = rand::thread_rng();
    (0..runs)
        .map(|_| {
            let start_month = rng.gen_range(0..24_i32);
            let months = [1, 3, 12, 24][rng.gen_range(0..4)];
            let month = |offset: i32| {
                let index = start_month + offset;
                let (year, month) = (generate::FIRST_YEAR + index / 12, index % 12 + 1);
                books::period::period_start(&format!("{year:04}-{month:02}"))
            };
            if months == 24 {
                ReportRange::default()
            } else {
                ReportRange {
                    from: month(0),
                    to: month(months),
                }
            }
        })
        .collect()
}
