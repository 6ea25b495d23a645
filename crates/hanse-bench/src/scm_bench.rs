//! `hanse-bench scm`: companies with two warehouses of four bins each and
//! their items, a history of millions of moves over two years written
//! beneath them (setup), then concurrent clients sending batches of moves
//! through `Scm::move_batch` while others reserve and release linked stock
//! through the keeper trade uses, each in its own transaction; then the
//! stock of an item before a random day, and a page of the valuation before
//! one, timed over the whole history. On SQLite the same batches go into a
//! plain SQLite file through rusqlite's prepared statements, and the
//! stock-before query runs on the bench's own file through rusqlite, so the
//! figures read as a ratio to the raw engine on this machine today.

mod history;
mod raw;
mod world;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::builder::RangedU64ValueParser;
use kernel::sqlx;
use kernel::{Clock, Engine, PageRequest, Timestamp};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use scm::{ItemInput, LocationInput, LocationKind, MoveInput, MoveReason, Scm, ScmStockKeeper};
use serde::Serialize;
use trade::StockKeeper;

use crate::database::BenchDatabase;
use crate::report::LatencySummary;
use world::{BINS_PER_WAREHOUSE, Company, DrawnMove, WAREHOUSES, World};

const COMPANIES_MAX: u64 = 10_000;
const MOVES_MAX: u64 = 100_000_000;
const CONCURRENCY_MAX: u64 = 64;
/// Items per company kept for reservations, each linked to a product.
const RESERVED_ITEMS: usize = 4;
/// History spans two years before the run.
const HISTORY_DAYS: i64 = 730;

#[derive(Debug, clap::Args)]
pub struct ScmBenchArgs {
    #[arg(long, default_value_t = 100, value_parser = RangedU64ValueParser::<usize>::new().range(1..=COMPANIES_MAX))]
    companies: usize,
    /// Items per company that move.
    #[arg(long, default_value_t = 100, value_parser = RangedU64ValueParser::<usize>::new().range(1..=1_000))]
    items: usize,
    /// Moves in the history written beneath the run (setup, not timed).
    #[arg(long, default_value_t = 10_000_000, value_parser = RangedU64ValueParser::<usize>::new().range(0..=MOVES_MAX))]
    history_moves: usize,
    /// Moves sent through `move_batch` while timed.
    #[arg(long, default_value_t = 400_000, value_parser = RangedU64ValueParser::<usize>::new().range(1..=MOVES_MAX))]
    moves: usize,
    /// Moves per `move_batch` call.
    #[arg(long, default_value_t = 200, value_parser = RangedU64ValueParser::<usize>::new().range(1..=scm::MOVES_PER_BATCH_MAX as u64))]
    batch: usize,
    /// Concurrent clients sending batches of moves.
    #[arg(long, default_value_t = 8, value_parser = RangedU64ValueParser::<usize>::new().range(1..=CONCURRENCY_MAX))]
    concurrency: usize,
    /// Concurrent clients reserving and releasing linked stock meanwhile.
    #[arg(long, default_value_t = 4, value_parser = RangedU64ValueParser::<usize>::new().range(0..=CONCURRENCY_MAX))]
    reservers: usize,
    /// Times each query runs, at random items and days.
    #[arg(long, default_value_t = 300, value_parser = RangedU64ValueParser::<usize>::new().range(1..=100_000))]
    query_runs: usize,
    /// Run against PostgreSQL, in a fresh schema dropped afterwards [default:
    /// SQLite in a temporary directory, measured beside plain SQLite].
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

/// The last line of `hanse-bench scm`.
#[derive(Debug, Serialize)]
struct ScmBenchSummary {
    engine: &'static str,
    companies: usize,
    items: usize,
    history_moves: usize,
    history_load_s: f64,
    moves: usize,
    batch: usize,
    concurrency: usize,
    reservers: usize,
    moves_per_s: f64,
    batch_p50_ms: f64,
    batch_p99_ms: f64,
    reservations_per_s: f64,
    reservation_p99_ms: f64,
    errors: usize,
    /// The same batches through rusqlite into plain SQLite; `null` on PostgreSQL.
    raw_moves_per_s: Option<f64>,
    ratio_to_raw: Option<f64>,
    stock_before_p50_ms: f64,
    stock_before_p99_ms: f64,
    raw_stock_before_p99_ms: Option<f64>,
    valuation_page_p50_ms: f64,
    valuation_page_p99_ms: f64,
}

pub async fn run(args: ScmBenchArgs) -> anyhow::Result<()> {
    let database = BenchDatabase::create_fresh(args.database_url.as_deref()).await?;
    println!(
        "hanse-bench scm on {}: {}",
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

async fn run_on(database: &BenchDatabase, args: &ScmBenchArgs) -> anyhow::Result<ScmBenchSummary> {
    let db = &database.db;
    let clock: Arc<dyn Clock> = Arc::new(kernel::SystemClock);
    let migrations = [
        kernel::migrate::kernel_migrations(),
        market::migrations(),
        scm::migrations(),
    ]
    .concat();
    kernel::migrate::run(db, &migrations, clock.now())
        .await
        .context("migrations failed")?;
    let images = tempfile::tempdir()?;
    let market = market::Market::new(
        db.clone(),
        clock.clone(),
        images.path().to_owned(),
        Arc::new(market::search_feed::SearchIndexes::in_memory()?),
    );
    let scm = Scm::new(db.clone(), clock.clone(), market);
    let mut rng = StdRng::seed_from_u64(0x5c3_b3c4);

    let started = Instant::now();
    let companies = open_companies(db, &scm, args.companies, args.items).await?;
    println!(
        "setup: {} companies, {} items each, {} bins, in {:.1} s",
        companies.len(),
        args.items,
        WAREHOUSES * BINS_PER_WAREHOUSE,
        started.elapsed().as_secs_f64()
    );
    let mut world = World::new(companies);
    let now = clock.now();
    let history_start = Timestamp::from_micros(now.micros() - HISTORY_DAYS * 86_400_000_000);
    let history_end = Timestamp::from_micros(now.micros() - 3_600_000_000);
    let started = Instant::now();
    history::write(
        db,
        &mut world,
        &mut rng,
        args.history_moves,
        history_start,
        history_end,
    )
    .await?;
    let history_load_s = started.elapsed().as_secs_f64();
    println!(
        "history: {} moves over {HISTORY_DAYS} days written in {history_load_s:.1} s (setup, not measured)",
        args.history_moves
    );

    // The timed batches, drawn before the clock starts, each client's from
    // its own companies so every batch is valid whatever the order.
    let batches = draw_batches(&mut world, &mut rng, args);
    let raw_batches = (db.engine() == Engine::Sqlite).then(|| batches.clone());
    let load = send(db, &scm, &world, batches, args).await?;
    let moves_per_s = args.moves as f64 / load.elapsed.as_secs_f64();
    let batch_latency = LatencySummary::from_samples(load.batch_latencies);
    let reservation_latency = LatencySummary::from_samples(load.reservation_latencies.clone());
    let reservations_per_s = load.reservation_latencies.len() as f64 / load.elapsed.as_secs_f64();
    println!(
        "moves: {} in {:.2} s from {} clients, {} a batch: {moves_per_s:.0} moves/s; batch p50 {:.1} ms, p99 {:.1} ms; \
         beside them {} reservers: {reservations_per_s:.0} reservations and releases/s, p99 {:.1} ms; errors {}",
        args.moves,
        load.elapsed.as_secs_f64(),
        args.concurrency,
        args.batch,
        batch_latency.p50_ms,
        batch_latency.p99_ms,
        args.reservers,
        reservation_latency.p99_ms,
        load.errors
    );

    let (stock_samples, valuation_samples, probes) =
        time_queries(&scm, &world, &mut rng, args.query_runs, history_start, now).await?;
    let stock_before = LatencySummary::from_samples(stock_samples);
    let valuation = LatencySummary::from_samples(valuation_samples);
    println!(
        "queries over {} history moves, {} runs each: an item's stock before a day p50 {:.2} ms, p99 {:.2} ms; \
         a page of 50 items' valuation before a day p50 {:.1} ms, p99 {:.1} ms",
        args.history_moves,
        args.query_runs,
        stock_before.p50_ms,
        stock_before.p99_ms,
        valuation.p50_ms,
        valuation.p99_ms
    );

    let (raw_moves_per_s, raw_stock_before_p99_ms) = match raw_batches {
        Some(batches) => {
            let directory = tempfile::Builder::new()
                .prefix("hanse-bench-raw-")
                .tempdir()?;
            let bench_file = std::path::PathBuf::from(&database.location);
            let outcome = tokio::task::spawn_blocking({
                let path = directory.path().join("raw.db");
                move || raw::run(&path, &batches, &bench_file, &probes)
            })
            .await??;
            let per_s = args.moves as f64 / outcome.elapsed.as_secs_f64();
            let query = LatencySummary::from_samples(outcome.query_samples);
            println!(
                "plain SQLite (rusqlite, prepared statements, one transaction a batch, one client): {per_s:.0} moves/s; \
                 the stock-before query p50 {:.2} ms, p99 {:.2} ms",
                query.p50_ms, query.p99_ms
            );
            println!(
                "ratio to plain SQLite: moves {:.2}, stock before p99 {:.2}",
                moves_per_s / per_s,
                stock_before.p99_ms / query.p99_ms.max(0.001)
            );
            (Some(per_s), Some(query.p99_ms))
        }
        None => (None, None),
    };

    Ok(ScmBenchSummary {
        engine: database.engine_name(),
        companies: args.companies,
        items: args.items,
        history_moves: args.history_moves,
        history_load_s,
        moves: args.moves,
        batch: args.batch,
        concurrency: args.concurrency,
        reservers: args.reservers,
        moves_per_s,
        batch_p50_ms: batch_latency.p50_ms,
        batch_p99_ms: batch_latency.p99_ms,
        reservations_per_s,
        reservation_p99_ms: reservation_latency.p99_ms,
        errors: load.errors,
        ratio_to_raw: raw_moves_per_s.map(|raw| moves_per_s / raw),
        raw_moves_per_s,
        stock_before_p50_ms: stock_before.p50_ms,
        stock_before_p99_ms: stock_before.p99_ms,
        raw_stock_before_p99_ms,
        valuation_page_p50_ms: valuation.p50_ms,
        valuation_page_p99_ms: valuation.p99_ms,
    })
}

/// Opens each company's supply chain with a second warehouse, four bins in
/// each, its items, and a few items linked to products with stock to reserve.
async fn open_companies(
    db: &kernel::Db,
    scm: &Scm,
    count: usize,
    items: usize,
) -> anyhow::Result<Vec<Company>> {
    let mut companies = Vec::with_capacity(count);
    for index in 0..count {
        let scope = kernel::Scope::new(
            kernel::CompanyId::new(),
            kernel::Actor::User(kernel::UserId::new()),
            kernel::Role::Owner,
        );
        let settings = scm.settings(&scope).await?;
        let second = scm
            .create_location(
                &scope,
                &LocationInput {
                    kind: LocationKind::Warehouse,
                    parent_id: None,
                    code: "WH2".to_owned(),
                    name: "Port warehouse".to_owned(),
                },
            )
            .await?;
        let mut bins = Vec::new();
        for (w, warehouse) in [settings.default_warehouse_id, second.id]
            .into_iter()
            .enumerate()
        {
            for b in 0..BINS_PER_WAREHOUSE {
                let bin = scm
                    .create_location(
                        &scope,
                        &LocationInput {
                            kind: LocationKind::Bin,
                            parent_id: Some(warehouse),
                            code: format!("W{}-B{b}", w + 1),
                            name: format!("Bin {b}"),
                        },
                    )
                    .await?;
                bins.push((bin.id, warehouse));
            }
        }
        let item_input = |sku: String| ItemInput {
            sku: sku.clone(),
            name: format!("Item {sku} of company {index}"),
            unit: "piece".to_owned(),
            cost_currency: kernel::Currency::CNY,
            lot_tracked: false,
            reorder_point: 0,
            reorder_quantity: 0,
            units: Vec::new(),
        };
        let mut moved = Vec::with_capacity(items);
        for i in 0..items {
            moved.push(
                scm.create_item(&scope, &item_input(format!("M-{i:04}")))
                    .await?
                    .id,
            );
        }
        let mut reserved = Vec::new();
        for i in 0..RESERVED_ITEMS {
            let item = scm
                .create_item(&scope, &item_input(format!("R-{i}")))
                .await?
                .id;
            let product = market::ProductId::new();
            // A product of the company's catalog would be linked through
            // `link_product`; the bench has no catalog, so the row is written.
            let mut tx = db.begin().await?;
            sqlx::query(
                "INSERT INTO scm_product_link (company_id, product_id, item_id, warehouse_id, factor, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, 1, 0, 0)",
            )
            .bind(scope.company_id())
            .bind(product)
            .bind(item)
            .bind(settings.default_warehouse_id)
            .execute(tx.conn())
            .await?;
            tx.commit().await?;
            scm.move_stock(
                &scope,
                &MoveInput {
                    item_id: item,
                    quantity: 1_000_000,
                    unit: None,
                    from_location_id: settings.supplier_location_id,
                    to_location_id: settings.default_warehouse_id,
                    reason: MoveReason::Receipt,
                    lot: None,
                    unit_cost_minor: Some(500),
                    note: String::new(),
                },
            )
            .await?;
            reserved.push((item, settings.default_warehouse_id, product));
        }
        companies.push(Company {
            scope,
            supplier: settings.supplier_location_id,
            customer: settings.customer_location_id,
            loss: settings.loss_location_id,
            bins,
            items: moved,
            reserved_items: reserved,
        });
    }
    Ok(companies)
}

/// The timed batches: client `c` sends its companies' (`company % clients == c`).
fn draw_batches(
    world: &mut World,
    rng: &mut StdRng,
    args: &ScmBenchArgs,
) -> Vec<Vec<Vec<DrawnMove>>> {
    let clients = args.concurrency.min(world.companies.len());
    let mut per_client: Vec<Vec<Vec<DrawnMove>>> = vec![Vec::new(); clients];
    let mut drawn = 0;
    let mut client = 0;
    while drawn < args.moves {
        let size = args.batch.min(args.moves - drawn);
        let companies: Vec<usize> = (client..world.companies.len()).step_by(clients).collect();
        let company = companies[rng.gen_range(0..companies.len())];
        let batch = (0..size).map(|_| world.draw(rng, company)).collect();
        per_client[client].push(batch);
        drawn += size;
        client = (client + 1) % clients;
    }
    per_client
}

struct Load {
    elapsed: Duration,
    batch_latencies: Vec<Duration>,
    reservation_latencies: Vec<Duration>,
    errors: usize,
}

/// Sends every client's batches while the reservers reserve and release
/// until the last batch is answered.
async fn send(
    db: &kernel::Db,
    scm: &Scm,
    world: &World,
    batches: Vec<Vec<Vec<DrawnMove>>>,
    args: &ScmBenchArgs,
) -> anyhow::Result<Load> {
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let keeper = Arc::new(ScmStockKeeper::new(db.clone()));
    let targets: Vec<(kernel::CompanyId, market::ProductId)> = world
        .companies
        .iter()
        .flat_map(|company| {
            company
                .reserved_items
                .iter()
                .map(|(_, _, product)| (company.scope.company_id(), *product))
        })
        .collect();
    let scopes: Vec<kernel::Scope> = world.companies.iter().map(|c| c.scope).collect();
    let started = Instant::now();
    let mut reservers = Vec::new();
    for index in 0..args.reservers {
        let (db, keeper, done, targets) =
            (db.clone(), keeper.clone(), done.clone(), targets.clone());
        reservers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut rng = StdRng::seed_from_u64(index as u64);
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let (seller, product_id) = targets[rng.gen_range(0..targets.len())];
                let line = trade::StockLine {
                    seller,
                    order_id: trade::OrderId::new(),
                    line_no: 1,
                    product_id,
                    quantity: rng.gen_range(1..20),
                };
                for release in [false, true] {
                    let sent = Instant::now();
                    let mut tx = db.begin().await?;
                    let kept = if release {
                        keeper
                            .release(&mut tx, &line, kernel::Clock::now(&kernel::SystemClock))
                            .await
                    } else {
                        keeper
                            .reserve(&mut tx, &line, kernel::Clock::now(&kernel::SystemClock))
                            .await
                    };
                    anyhow::ensure!(kept? == trade::Keeping::Kept, "a linked product is kept");
                    tx.commit().await?;
                    latencies.push(sent.elapsed());
                }
            }
            Ok::<_, anyhow::Error>(latencies)
        }));
    }
    let mut clients = Vec::new();
    for (client, own) in batches.into_iter().enumerate() {
        let scm = scm.clone();
        let scopes = scopes.clone();
        clients.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            for batch in own {
                let scope = scopes[batch[0].company];
                let inputs: Vec<MoveInput> = batch.iter().map(DrawnMove::input).collect();
                let sent = Instant::now();
                match scm.move_batch(&scope, &inputs).await {
                    Ok(_) => latencies.push(sent.elapsed()),
                    Err(error) => {
                        errors += 1;
                        eprintln!("client {client}: a batch was refused: {error}");
                    }
                }
            }
            (latencies, errors)
        }));
    }
    let mut batch_latencies = Vec::new();
    let mut errors = 0;
    for client in clients {
        let (latencies, refused) = client.await?;
        batch_latencies.extend(latencies);
        errors += refused;
    }
    let elapsed = started.elapsed();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut reservation_latencies = Vec::new();
    for reserver in reservers {
        reservation_latencies.extend(reserver.await??);
    }
    Ok(Load {
        elapsed,
        batch_latencies,
        reservation_latencies,
        errors,
    })
}

/// What the queries asked, for the raw engine to ask the same.
pub struct Probe {
    pub company: kernel::CompanyId,
    pub item: scm::ItemId,
    pub at: Timestamp,
}

/// Times an item's stock before a random day, and a page of the valuation.
async fn time_queries(
    scm: &Scm,
    world: &World,
    rng: &mut StdRng,
    runs: usize,
    start: Timestamp,
    end: Timestamp,
) -> anyhow::Result<(Vec<Duration>, Vec<Duration>, Vec<Probe>)> {
    let mut stock_samples = Vec::with_capacity(runs);
    let mut valuation_samples = Vec::with_capacity(runs);
    let mut probes = Vec::with_capacity(runs);
    for _ in 0..runs {
        let company = &world.companies[rng.gen_range(0..world.companies.len())];
        let item = company.items[rng.gen_range(0..company.items.len())];
        let at = Timestamp::from_micros(rng.gen_range(start.micros()..end.micros()));
        let sent = Instant::now();
        scm.stock_at(&company.scope, item, at).await?;
        stock_samples.push(sent.elapsed());
        probes.push(Probe {
            company: company.scope.company_id(),
            item,
            at,
        });
        let sent = Instant::now();
        scm.valuation(&company.scope, at, PageRequest::first())
            .await?;
        valuation_samples.push(sent.elapsed());
    }
    Ok((stock_samples, valuation_samples, probes))
}
