//! `hanse-bench orders`: the order path measured over HTTP, as pgbench
//! measures a database. Starts a real `hanse serve` on a fresh database (or
//! uses a running one), seeds sellers with catalogs and buyers with money,
//! then C concurrent buyers place orders that their sellers confirm and the
//! buyers pay into escrow (optionally carried on to settlement). It measures
//! this machine's serial durable commit rate in the same run and prints
//! orders placed+paid per second, that figure divided by the commit rate,
//! p50/p99 per step, errors, the ledger check, and one JSON line last.

mod flow;
mod fsync;
mod network;

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::builder::RangedU64ValueParser;
use serde::Serialize;
use serde_json::{Value, json};

use crate::fresh_postgres::FreshPostgres;
use crate::http::{client, post_json};
use crate::report::LatencySummary;
use crate::server::{self, ServerCommand};
use flow::{BuyerLog, STEPS};

const OPERATOR_EMAIL: &str = "operator@orders-bench.test";
const SANDBOX_SECRET: &str = "the orders bench's sandbox secret, 32+ bytes";
/// The most one order can cost: the largest quantity at the highest price.
const ORDER_MINOR_MAX: i64 = network::QUANTITY_MAX * 9_000;
/// How long settlement may take after the last receipt before the run fails.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(600);

#[derive(Debug, clap::Args)]
pub struct OrdersBenchArgs {
    /// Concurrent buyers, one company each.
    #[arg(long, default_value_t = 64, value_parser = RangedU64ValueParser::<usize>::new().range(1..=1_024))]
    concurrency: usize,
    /// Orders placed and paid in all.
    #[arg(long, default_value_t = 20_000, value_parser = RangedU64ValueParser::<usize>::new().range(1..=10_000_000))]
    orders: usize,
    /// Seller companies in the seed catalog.
    #[arg(long, default_value_t = 40, value_parser = RangedU64ValueParser::<usize>::new().range(1..=10_000))]
    sellers: usize,
    /// Products per seller.
    #[arg(long, default_value_t = 25, value_parser = RangedU64ValueParser::<usize>::new().range(1..=1_000))]
    products: usize,
    /// Carry every order on: shipped, receipt confirmed, settled by the server.
    #[arg(long)]
    settle: bool,
    /// The `hanse` binary to start [default: the one beside this hanse-bench].
    #[arg(long, value_name = "FILE", conflicts_with = "url")]
    hanse: Option<std::path::PathBuf>,
    /// Start the server on PostgreSQL: a fresh database is made on this
    /// server and dropped afterwards, e.g. postgres://postgres@127.0.0.1:5432/test
    /// [default: SQLite in a temporary directory].
    #[arg(long, value_name = "URL", conflicts_with = "url")]
    database_url: Option<String>,
    /// Use a running `hanse serve` with the sandbox bank on, e.g.
    /// http://127.0.0.1:8080, instead of starting one; needs an operator.
    #[arg(long, value_name = "URL", requires = "operator_password")]
    url: Option<String>,
    /// The operator of `--url`, who makes the run's category and reads the ledger.
    #[arg(long, value_name = "EMAIL", default_value = OPERATOR_EMAIL)]
    operator_email: String,
    #[arg(long, value_name = "PASSWORD")]
    operator_password: Option<String>,
}

/// The last line: one JSON object.
#[derive(Debug, Serialize)]
struct OrdersSummary {
    engine: String,
    concurrency: usize,
    orders: usize,
    sellers: usize,
    products: usize,
    orders_paid: usize,
    orders_per_s: f64,
    serial_commits_per_s: f64,
    ratio_to_serial_commits: f64,
    place_p50_ms: f64,
    place_p99_ms: f64,
    confirm_p50_ms: f64,
    confirm_p99_ms: f64,
    pay_p50_ms: f64,
    pay_p99_ms: f64,
    settled: usize,
    settle_s: f64,
    errors: usize,
    ledger_balanced: bool,
    load_s: f64,
}

/// The server the run drives, and what to clean up afterwards.
struct Target {
    base_url: String,
    engine: String,
    /// Where the fsync probe runs: the data directory, or a temporary one.
    probe_dir: tempfile::TempDir,
    started: Option<(server::Server, Option<FreshPostgres>)>,
}

async fn start_target(args: &OrdersBenchArgs, password: &str) -> anyhow::Result<Target> {
    let probe_dir = tempfile::Builder::new()
        .prefix("hanse-orders-")
        .tempdir_in(std::env::current_dir()?)
        .or_else(|_| tempfile::Builder::new().prefix("hanse-orders-").tempdir())?;
    if let Some(url) = &args.url {
        return Ok(Target {
            base_url: url.trim_end_matches('/').to_owned(),
            engine: "running server".to_owned(),
            probe_dir,
            started: None,
        });
    }
    let postgres = match &args.database_url {
        Some(url) => Some(FreshPostgres::create(url).await?),
        None => None,
    };
    let command = ServerCommand {
        binary: match &args.hanse {
            Some(path) => path.clone(),
            None => server::sibling_binary()?,
        },
        data_dir: probe_dir.path().to_path_buf(),
        database_url: postgres.as_ref().map(|(_, url)| url.clone()),
        sandbox_secret: SANDBOX_SECRET.to_owned(),
    };
    let server = command.start()?;
    command.create_operator(OPERATOR_EMAIL, password)?;
    Ok(Target {
        base_url: server.base_url.clone(),
        engine: if postgres.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
        .to_owned(),
        probe_dir,
        started: Some((server, postgres.map(|(fresh, _)| fresh))),
    })
}

pub async fn run(args: OrdersBenchArgs) -> anyhow::Result<()> {
    let password = args
        .operator_password
        .clone()
        .unwrap_or_else(|| network::PASSWORD.to_owned());
    let target = start_target(&args, &password).await?;
    let base_url = target.base_url.clone();
    println!(
        "orders: {} orders from {} buyers, {} sellers × {} products, {} at {base_url}{}",
        args.orders,
        args.concurrency,
        args.sellers,
        args.products,
        target.engine,
        if args.settle {
            ", carried to settlement"
        } else {
            ""
        }
    );
    let operator = client()?;
    post_json(
        &operator,
        &format!("{base_url}/api/v1/auth/signin"),
        json!({"email": args.operator_email, "password": password}),
    )
    .await
    .context("the operator cannot sign in")?;

    let seeding = Instant::now();
    let category = network::category(&operator, &base_url).await?;
    let sellers = network::sellers(&base_url, &category, args.sellers, args.products).await?;
    let share = args.orders.div_ceil(args.concurrency);
    let money_minor = (i64::try_from(share * 2 + 10)? * ORDER_MINOR_MAX).min(pay_amount_max());
    let buyers = network::buyers(&base_url, args.concurrency, money_minor).await?;
    println!(
        "seeded in {:.1} s: {} products, {} buyers with {} {} each",
        seeding.elapsed().as_secs_f64(),
        args.sellers * args.products,
        args.concurrency,
        money_minor / 100,
        network::CURRENCY
    );

    let serial_commits_per_s = fsync::serial_commits_per_second(target.probe_dir.path())?;
    println!("serial durable commits (4 KiB + fdatasync) here: {serial_commits_per_s:.0}/s");

    let sellers = Arc::new(sellers);
    let taken = Arc::new(AtomicUsize::new(0));
    let base: Arc<str> = Arc::from(base_url.as_str());
    let load = Instant::now();
    let workers: Vec<_> = buyers
        .into_iter()
        .enumerate()
        .map(|(index, buyer)| {
            tokio::spawn(flow::drive(
                base.clone(),
                Arc::new(buyer),
                sellers.clone(),
                taken.clone(),
                args.orders,
                args.settle,
                index as u64,
            ))
        })
        .collect();
    let mut logs = Vec::with_capacity(workers.len());
    for worker in workers {
        logs.push(worker.await?);
    }
    let load_s = load.elapsed().as_secs_f64();
    let orders_paid: usize = logs.iter().map(|log| log.paid).sum();
    let orders_per_s = orders_paid as f64 / load_s;

    let (settled, settle_s) = if args.settle {
        let received: Vec<String> = logs
            .iter()
            .flat_map(|log| log.received.iter().cloned())
            .collect();
        wait_for_settlement(&operator, &base_url, received).await?
    } else {
        (0, 0.0)
    };
    let ledger = ledger_report(&operator, &base_url).await?;
    let ledger_balanced = ledger["balanced"] == true;

    let summary = summarise(
        &args,
        &target,
        &logs,
        orders_per_s,
        serial_commits_per_s,
        load_s,
    );
    let errors: Vec<&String> = logs.iter().flat_map(|log| log.errors.iter()).collect();
    for error in errors.iter().take(10) {
        println!("error: {error}");
    }
    let summary = OrdersSummary {
        settled,
        settle_s,
        ledger_balanced,
        errors: errors.len(),
        orders_paid,
        ..summary
    };
    println!(
        "{} orders placed+paid in {:.1} s: {:.0}/s, {:.2} × the serial commit rate; errors {}",
        summary.orders_paid,
        load_s,
        summary.orders_per_s,
        summary.ratio_to_serial_commits,
        summary.errors
    );
    for (index, step) in STEPS.iter().enumerate() {
        let samples: Vec<Duration> = logs
            .iter()
            .flat_map(|log| log.latencies[index].iter().copied())
            .collect();
        if samples.is_empty() {
            continue;
        }
        let latency = LatencySummary::from_samples(samples);
        println!(
            "  {:<16} p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
            step.name(),
            latency.p50_ms,
            latency.p99_ms,
            latency.max_ms
        );
    }
    if args.settle {
        println!("settled {settled} orders, the last {settle_s:.1} s after the load");
    }
    println!(
        "ledger check: {}",
        if ledger_balanced {
            "balanced".to_owned()
        } else {
            format!("NOT balanced: {}", ledger["violations"])
        }
    );
    if let Some((server, postgres)) = target.started {
        server.stop()?;
        if let Some(postgres) = postgres {
            postgres.drop_database().await?;
        }
    }
    println!("{}", serde_json::to_string(&summary)?);
    anyhow::ensure!(summary.errors == 0, "{} orders failed", summary.errors);
    anyhow::ensure!(ledger_balanced, "the ledger does not balance");
    Ok(())
}

/// The most one top-up may bring (`pay::AMOUNT_MINOR_MAX`).
fn pay_amount_max() -> i64 {
    100_000_000_000
}

/// Waits until every order carried to receipt is settled, reading each as
/// the operator; answers how many settled and when the last one did.
async fn wait_for_settlement(
    operator: &reqwest::Client,
    base_url: &str,
    mut open: Vec<String>,
) -> anyhow::Result<(usize, f64)> {
    let started = Instant::now();
    let total = open.len();
    while !open.is_empty() {
        anyhow::ensure!(
            started.elapsed() < SETTLE_TIMEOUT,
            "{} orders still not settled after {SETTLE_TIMEOUT:?}",
            open.len()
        );
        let mut still_open = Vec::new();
        for chunk in open.chunks(32) {
            let mut reads = tokio::task::JoinSet::new();
            for id in chunk {
                let (client, url, id) = (
                    operator.clone(),
                    format!("{base_url}/api/v1/operator/orders/{id}"),
                    id.clone(),
                );
                reads.spawn(async move {
                    let detail: anyhow::Result<Value> = async {
                        Ok(client
                            .get(url)
                            .send()
                            .await?
                            .error_for_status()?
                            .json()
                            .await?)
                    }
                    .await;
                    (id, detail)
                });
            }
            while let Some(read) = reads.join_next().await {
                let (id, detail) = read?;
                if detail?["order"]["state"] != "settled" {
                    still_open.push(id);
                }
            }
        }
        open = still_open;
        if !open.is_empty() {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    Ok((total, started.elapsed().as_secs_f64()))
}

async fn ledger_report(operator: &reqwest::Client, base_url: &str) -> anyhow::Result<Value> {
    Ok(operator
        .get(format!("{base_url}/api/v1/operator/ledger"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?)
}

fn summarise(
    args: &OrdersBenchArgs,
    target: &Target,
    logs: &[BuyerLog],
    orders_per_s: f64,
    serial_commits_per_s: f64,
    load_s: f64,
) -> OrdersSummary {
    let latency = |index: usize| {
        LatencySummary::from_samples(
            logs.iter()
                .flat_map(|log| log.latencies[index].iter().copied())
                .collect(),
        )
    };
    let (place, confirm, pay) = (latency(0), latency(1), latency(2));
    OrdersSummary {
        engine: target.engine.clone(),
        concurrency: args.concurrency,
        orders: args.orders,
        sellers: args.sellers,
        products: args.products,
        orders_paid: 0,
        orders_per_s,
        serial_commits_per_s,
        ratio_to_serial_commits: orders_per_s / serial_commits_per_s,
        place_p50_ms: place.p50_ms,
        place_p99_ms: place.p99_ms,
        confirm_p50_ms: confirm.p50_ms,
        confirm_p99_ms: confirm.p99_ms,
        pay_p50_ms: pay.p50_ms,
        pay_p99_ms: pay.p99_ms,
        settled: 0,
        settle_s: 0.0,
        errors: 0,
        ledger_balanced: false,
        load_s,
    }
}
