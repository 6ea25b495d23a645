//! `hanse-bench`: a load generator for Hanse's modules, like pgbench. Each
//! subcommand drives one module through its real interface against a fresh
//! database and prints human lines, then one JSON line for scripts.

mod books_bench;
mod crash_bench;
mod database;
mod fresh_postgres;
mod http;
mod ledger_bench;
mod orders_bench;
mod report;
mod scm_bench;
mod search_bench;
mod server;

use clap::{Parser, Subcommand};

/// Load generator for Hanse: throughput and latency of one module at a time.
#[derive(Debug, Parser)]
#[command(name = "hanse-bench", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Opens many companies' books, posts a varied journal through
    /// `import_entries` from concurrent clients, then times the trial balance
    /// and profit and loss of the company with the most entries; on SQLite
    /// beside the same rows in plain SQLite.
    Books(books_bench::BooksBenchArgs),
    /// Creates accounts, then submits transfers from concurrent clients
    /// through the ledger's group commit, then checks the whole ledger.
    Ledger(ledger_bench::LedgerBenchArgs),
    /// Generates a bilingual product catalog, indexes it, then runs a mix of
    /// searches from concurrent clients.
    Search(search_bench::SearchBenchArgs),
    /// Starts a real `hanse serve`, drives money work and orders between
    /// companies over HTTP, kills it with SIGKILL at random moments and checks
    /// after each restart that nothing acknowledged was lost and nothing is
    /// half applied.
    Crash(crash_bench::CrashBenchArgs),
    /// Starts a real `hanse serve` (or uses a running one), seeds sellers
    /// and buyers, then concurrent buyers place and pay orders over HTTP;
    /// prints orders per second against this machine's serial commit rate.
    Orders(orders_bench::OrdersBenchArgs),
    /// Opens companies' warehouses and items over a history of millions of
    /// moves, then sends batches of moves from concurrent clients while
    /// others reserve and release linked stock; then times an item's stock
    /// and a page of the valuation before a day; on SQLite beside plain SQLite.
    Scm(scm_bench::ScmBenchArgs),
}

// The default multi-threaded runtime: clients, the group-commit writer and the
// database driver run on all cores, as in `hanse serve`.
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Books(args) => books_bench::run(args).await,
        Command::Ledger(args) => ledger_bench::run(args).await,
        Command::Crash(args) => crash_bench::run(args).await,
        Command::Orders(args) => orders_bench::run(args).await,
        Command::Scm(args) => scm_bench::run(args).await,
        // Search is synchronous and CPU-bound: it runs on its own threads.
        Command::Search(args) => {
            tokio::task::spawn_blocking(move || search_bench::run(args)).await?
        }
    }
}
