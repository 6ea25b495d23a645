//! `hanse-bench crash`: the crash soak. Starts a real `hanse serve` on a fresh
//! data directory, drives it over HTTP with concurrent money work and orders
//! between the companies, kills it with SIGKILL at a random moment, restarts
//! it, and checks after every restart that nothing acknowledged was lost,
//! nothing refused took effect, nothing is half applied, the ledger balances
//! and every key replays its first answer. Stuck withdrawals are settled
//! through the operator's repair.

mod order_checks;
mod trading;
mod verify;
mod workload;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::builder::RangedU64ValueParser;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use serde_json::json;

use crate::fresh_postgres::FreshPostgres;
use crate::http::{client, post_json};
use crate::report::{LatencySummary, milliseconds};
use crate::server::{self, ServerCommand};
use workload::{Company, Operation, Outcome};

const OPERATOR_EMAIL: &str = "operator@soak.test";
const PASSWORD: &str = "soak-password-2026";
/// The sandbox secret of the soak's network; configured, as a real one is.
const SANDBOX_SECRET: &str = "the crash soak's sandbox secret, 32+ bytes";
/// Every this many cycles the clients move to new companies, so that the
/// checks after a restart, which read a company's records whole, read a
/// bounded number of them however long the run.
const CYCLES_PER_COMPANY_GENERATION: usize = 25;
/// Violations printed in full; the rest are counted.
const VIOLATIONS_SHOWN_MAX: usize = 20;
/// One company in this many of a generation also sells (at least one).
const COMPANIES_PER_SELLER: usize = 4;

#[derive(Debug, clap::Args)]
pub struct CrashBenchArgs {
    /// Kill-and-restart cycles.
    #[arg(long, default_value_t = 20, value_parser = RangedU64ValueParser::<usize>::new().range(1..=100_000))]
    cycles: usize,
    /// Concurrent clients, one company each.
    #[arg(long, default_value_t = 8, value_parser = RangedU64ValueParser::<usize>::new().range(1..=256))]
    concurrency: usize,
    /// The longest a cycle drives the server before the kill, in
    /// milliseconds; each cycle draws its moment between 1 ms and this.
    #[arg(long, default_value_t = 1_500, value_parser = RangedU64ValueParser::<u64>::new().range(1..=600_000))]
    run_ms_max: u64,
    /// The `hanse` binary [default: the one beside this hanse-bench].
    #[arg(long, value_name = "FILE")]
    hanse: Option<std::path::PathBuf>,
    /// Run on PostgreSQL: a fresh database is created on this server and
    /// dropped afterwards, e.g. postgres://postgres@127.0.0.1:5432/test
    /// [default: SQLite in a temporary directory].
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
    /// Seed of the random kill moments and operations, to repeat a run.
    #[arg(long)]
    seed: Option<u64>,
}

/// The last line: one JSON object.
#[derive(Debug, Serialize)]
struct CrashSummary {
    engine: &'static str,
    cycles: usize,
    concurrency: usize,
    seed: u64,
    operations_sent: usize,
    acknowledged: usize,
    refused: usize,
    in_doubt_resolved: usize,
    in_doubt_abandoned: usize,
    lost: usize,
    replays: usize,
    repaired: usize,
    healed: usize,
    orders_placed: usize,
    orders_paid: usize,
    orders_shipped: usize,
    receipts_confirmed: usize,
    refunds_accepted: usize,
    restart_p50_ms: f64,
    restart_max_ms: f64,
    request_p50_ms: f64,
    request_p99_ms: f64,
    elapsed_s: f64,
}

/// Signs up one owner per company, registers the company and a bank account;
/// the companies are numbered from `first`. The first of every
/// [`COMPANIES_PER_SELLER`] also sells: their products are in the market the
/// generation trades in.
async fn set_up_companies(
    base_url: &str,
    category_id: &str,
    first: usize,
    count: usize,
) -> anyhow::Result<(Vec<Company>, trading::Market)> {
    let mut companies = Vec::with_capacity(count);
    let mut market = trading::Market::default();
    let sellers = count.div_ceil(COMPANIES_PER_SELLER);
    for index in first..first + count {
        let client = client()?;
        let email = format!("owner{index}@soak.test");
        post_json(
            &client,
            &format!("{base_url}/api/v1/auth/signup"),
            json!({
                "email": email, "password": PASSWORD, "display_name": format!("Owner {index}"),
                "language": "en", "time_zone": "Europe/Berlin"
            }),
        )
        .await?;
        let company = post_json(&client, &format!("{base_url}/api/v1/companies"), json!({
            "legal_name": format!("Soak Handel {index} GmbH"), "country": "DE", "region": "Hamburg",
            "city": "Hamburg", "address": format!("Speicherstadt {index}"), "industry": "wholesale_import_export",
            "size": "10-49"
        })).await?;
        let account = post_json(&client, &format!("{base_url}/api/v1/wallet/bank-accounts"), json!({
            "holder_name": format!("Soak Handel {index} GmbH"), "bank_name": "Hamburger Sparkasse",
            "account_number": "DE89370400440532013000", "currency": workload::CURRENCY
        })).await?;
        let company_id = company["id"].as_str().context("company id")?.to_owned();
        if index - first < sellers {
            market.sellers.push(trading::Seller {
                index,
                company_id: company_id.clone(),
                client: client.clone(),
                products: trading::open_shop(&client, base_url, category_id, index).await?,
            });
        }
        companies.push(Company {
            index,
            company_id,
            client,
            bank_account_id: account["id"]
                .as_str()
                .context("bank account id")?
                .to_owned(),
            next_sequence: 0,
            open_orders: Vec::new(),
        });
    }
    Ok((companies, market))
}

pub async fn run(args: CrashBenchArgs) -> anyhow::Result<()> {
    let seed = args.seed.unwrap_or_else(rand::random);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let data_dir = tempfile::Builder::new().prefix("hanse-crash-").tempdir()?;
    let postgres = match &args.database_url {
        Some(url) => Some(FreshPostgres::create(url).await?),
        None => None,
    };
    let command = ServerCommand {
        binary: match &args.hanse {
            Some(path) => path.clone(),
            None => server::sibling_binary()?,
        },
        data_dir: data_dir.path().to_path_buf(),
        database_url: postgres.as_ref().map(|(_, url)| url.clone()),
        sandbox_secret: SANDBOX_SECRET.to_owned(),
    };
    let engine = if postgres.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    println!(
        "crash soak: {} cycles, {} clients, {engine}, seed {seed}, {}",
        args.cycles,
        args.concurrency,
        command.binary.display()
    );

    let started = Instant::now();
    let mut server = command.start()?;
    command.create_operator(OPERATOR_EMAIL, PASSWORD)?;
    let operator = client()?;
    post_json(
        &operator,
        &format!("{}/api/v1/auth/signin", server.base_url),
        json!({"email": OPERATOR_EMAIL, "password": PASSWORD}),
    )
    .await?;
    let category_id = trading::category(&operator, &server.base_url).await?;
    // Every company the run made, by index; the last `concurrency` are active
    // and trade in `market`.
    let mut companies: Vec<Arc<Mutex<Company>>> = Vec::new();
    let mut market = Arc::new(trading::Market::default());

    let mut log: Vec<Operation> = Vec::new();
    let mut findings = verify::Findings::default();
    let mut restarts = Vec::with_capacity(args.cycles);
    for cycle in 0..args.cycles {
        if cycle % CYCLES_PER_COMPANY_GENERATION == 0 {
            let (fresh, sellers) = set_up_companies(
                &server.base_url,
                &category_id,
                companies.len(),
                args.concurrency,
            )
            .await?;
            companies.extend(fresh.into_iter().map(|c| Arc::new(Mutex::new(c))));
            market = Arc::new(sellers);
        }
        let active_from = companies.len() - args.concurrency;
        let stop = Arc::new(AtomicBool::new(false));
        let cycle_log = Arc::new(Mutex::new(Vec::new()));
        let workers: Vec<_> = companies[active_from..]
            .iter()
            .map(|company| {
                tokio::spawn(workload::drive(
                    company.clone(),
                    market.clone(),
                    server.base_url.clone(),
                    cycle,
                    rng.r#gen(),
                    stop.clone(),
                    cycle_log.clone(),
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(rng.gen_range(1..=args.run_ms_max))).await;
        server.kill()?;
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            worker.await?;
        }
        log.append(&mut cycle_log.lock().expect("log"));

        server = command.start()?;
        restarts.push(server.started_in);
        let snapshot: Vec<Company> = companies
            .iter()
            .map(|c| c.lock().expect("company").clone())
            .collect();
        let base_url = server.base_url.clone();
        verify::resolve_in_doubt(&snapshot, &base_url, &mut log, &mut findings).await?;
        verify::repair(&operator, &base_url, cycle, &mut findings).await?;
        let active = &snapshot[active_from..];
        verify::heal(active, &base_url, cycle, &mut log, &mut findings).await?;
        order_checks::heal_orders(&snapshot, &base_url, cycle, &mut log, &mut findings).await?;
        order_checks::await_settlement(active, &base_url, &mut findings.violations).await?;
        let open_orders = verify::check(
            &snapshot,
            active,
            &operator,
            &base_url,
            cycle,
            &log,
            &mut findings,
        )
        .await?;
        for (index, open) in open_orders {
            companies[index].lock().expect("company").open_orders = open;
        }
        let sent_this_cycle = log.iter().filter(|op| op.cycle == cycle).count();
        println!(
            "cycle {cycle:>5}: {sent_this_cycle:>4} operations, restart {:.0} ms, violations so far {}",
            milliseconds(server.started_in),
            findings.violations.len()
        );
    }
    server.stop()?;
    if let Some((postgres, _)) = postgres {
        postgres.drop_database().await?;
    }

    let acknowledged = log.iter().filter(|op| op.succeeded()).count();
    let refused = log
        .iter()
        .filter(|op| op.answer().is_some() && !op.succeeded())
        .count();
    let latencies = LatencySummary::from_samples(
        log.iter()
            .filter(|op| matches!(op.outcome, Outcome::Answered(_)))
            .map(|op| op.latency)
            .collect(),
    );
    let restart = LatencySummary::from_samples(restarts);
    let acknowledged_steps = |wanted: fn(&trading::Action) -> bool| {
        log.iter()
            .filter(|op| op.succeeded())
            .filter(|op| matches!(&op.kind, workload::Kind::Order(step) if wanted(&step.action)))
            .count()
    };
    for violation in findings.violations.iter().take(VIOLATIONS_SHOWN_MAX) {
        println!("LOST: {violation}");
    }
    let summary = CrashSummary {
        engine,
        cycles: args.cycles,
        concurrency: args.concurrency,
        seed,
        operations_sent: log.len(),
        acknowledged,
        refused,
        in_doubt_resolved: findings.resolved_in_doubt,
        in_doubt_abandoned: findings.abandoned,
        lost: findings.violations.len(),
        replays: findings.replays,
        repaired: findings.repaired,
        healed: findings.healed,
        orders_placed: acknowledged_steps(|a| *a == trading::Action::Place),
        orders_paid: acknowledged_steps(|a| *a == trading::Action::Pay),
        orders_shipped: acknowledged_steps(|a| matches!(a, trading::Action::Ship { .. })),
        receipts_confirmed: acknowledged_steps(|a| *a == trading::Action::ConfirmReceipt),
        refunds_accepted: acknowledged_steps(|a| matches!(a, trading::Action::AcceptRefund { .. })),
        restart_p50_ms: restart.p50_ms,
        restart_max_ms: restart.max_ms,
        request_p50_ms: latencies.p50_ms,
        request_p99_ms: latencies.p99_ms,
        elapsed_s: started.elapsed().as_secs_f64(),
    };
    println!(
        "{} cycles: {} operations sent, {} acknowledged, {} refused, {} in doubt resolved, {} in doubt for good; \
         {} replays, {} withdrawals repaired; orders: {} placed, {} paid, {} shipped, {} received, {} refunds; lost {}",
        summary.cycles,
        summary.operations_sent,
        summary.acknowledged,
        summary.refused,
        summary.in_doubt_resolved,
        summary.in_doubt_abandoned,
        summary.replays,
        summary.repaired,
        summary.orders_placed,
        summary.orders_paid,
        summary.orders_shipped,
        summary.receipts_confirmed,
        summary.refunds_accepted,
        summary.lost
    );
    println!("{}", serde_json::to_string(&summary)?);
    anyhow::ensure!(
        summary.lost == 0,
        "{} violations: acknowledged work was lost or half applied",
        summary.lost
    );
    Ok(())
}
