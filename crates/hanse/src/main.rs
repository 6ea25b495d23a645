//! The `hanse` command: serve, migrate, load the demo, rebuild the search
//! index, back up and restore, import and export products, show the
//! configuration, create the first operator.

mod backup;
mod config;
mod demo;
mod layout;
mod logging;
mod operator;
mod products;
mod reindex;
mod repair;
mod restore;
mod serve;
mod services;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::{Config, FlagOverrides};

/// Hanse: where small and medium businesses meet, trade and run their business.
#[derive(Debug, Parser)]
#[command(name = "hanse", version, about)]
struct Cli {
    /// A TOML configuration file (default: ./hanse.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

/// Flags every command that opens the database understands.
#[derive(Debug, clap::Args)]
struct StorageFlags {
    /// Where the SQLite file and the mailbox live [default: ./hanse-data].
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Use PostgreSQL instead of SQLite, e.g. postgres://user@host/hanse.
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web pages and the API.
    Serve {
        /// Load the demo network first (idempotent).
        #[arg(long)]
        demo: bool,
        /// The address to listen on [default: 127.0.0.1:8080]; port 0 picks one.
        #[arg(long, value_name = "ADDR")]
        listen: Option<SocketAddr>,
        #[command(flatten)]
        storage: StorageFlags,
    },
    /// Bring the database schema up to date and exit.
    Migrate {
        #[command(flatten)]
        storage: StorageFlags,
    },
    /// Rebuild this node's search index from the database, with a progress
    /// bar. Stop `hanse serve` first: the index is held by one process.
    Reindex {
        #[command(flatten)]
        storage: StorageFlags,
    },
    /// Copy the data directory into DIR while `hanse serve` may run: one
    /// consistent snapshot of the SQLite database, the images, the mailbox and
    /// a manifest with every file's SHA-256. DIR must be new or empty. With
    /// PostgreSQL, use pg_dump instead.
    Backup {
        /// Where the backup goes: a new or empty directory.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        #[command(flatten)]
        storage: StorageFlags,
    },
    /// Put a backup made by `hanse backup` back into the data directory, with
    /// `hanse serve` stopped; then migrate, check the ledger and rebuild the
    /// search index.
    Restore {
        /// The backup's directory.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Restore over a data directory that holds a database; the present
        /// database is moved aside into a `replaced-...` folder, not deleted.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        storage: StorageFlags,
    },
    /// Load the demo network (idempotent: running it twice gives the same data).
    Demo {
        #[command(flatten)]
        storage: StorageFlags,
    },
    /// Print the effective configuration, secrets hidden.
    Config {
        #[command(flatten)]
        storage: StorageFlags,
    },
    /// Import or export a company's products as a CSV file in the product
    /// import format, acting as one of its staff.
    Products {
        #[command(subcommand)]
        command: ProductsCommand,
    },
    /// Manage platform operator accounts.
    Operator {
        #[command(subcommand)]
        command: OperatorCommand,
    },
    /// Find and settle what a crash left half done.
    Repair {
        #[command(subcommand)]
        command: RepairCommand,
    },
}

#[derive(Debug, Subcommand)]
enum RepairCommand {
    /// List withdrawals reserved but never settled, with what their provider
    /// says; `--apply` settles each (paid out: completed; never received or
    /// failed: the reservation goes back). Nothing is paid twice.
    Withdrawals {
        /// Only withdrawals made at least this many seconds ago; younger ones
        /// may still be running in a server.
        #[arg(long, value_name = "SECONDS", default_value_t = pay::repair::STUCK_AFTER_SECONDS_DEFAULT)]
        older_than: i64,
        /// Settle them, not only list them.
        #[arg(long)]
        apply: bool,
        #[command(flatten)]
        storage: StorageFlags,
    },
}

#[derive(Debug, Subcommand)]
enum ProductsCommand {
    /// Import FILE into the catalog: new SKUs become products, known SKUs are
    /// updated. A file with a bad row imports nothing and lists the rows.
    Import {
        /// The staff member acting (their role must allow catalog work).
        #[arg(long = "as", value_name = "EMAIL")]
        acting: String,
        /// The company (com_...), when the staff member works for several.
        #[arg(long)]
        company: Option<String>,
        file: PathBuf,
        #[command(flatten)]
        storage: StorageFlags,
    },
    /// Write the whole catalog to FILE, or to standard output.
    Export {
        /// The staff member acting.
        #[arg(long = "as", value_name = "EMAIL")]
        acting: String,
        /// The company (com_...), when the staff member works for several.
        #[arg(long)]
        company: Option<String>,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        storage: StorageFlags,
    },
}

#[derive(Debug, Subcommand)]
enum OperatorCommand {
    /// Create an operator account; the password is asked on the terminal, or read
    /// from standard input when it is not a terminal.
    Create {
        #[arg(long)]
        email: String,
        /// The name shown in the pages.
        #[arg(long, default_value = "Operator")]
        name: String,
        #[command(flatten)]
        storage: StorageFlags,
    },
}

fn load_config(
    cli_config: Option<&std::path::Path>,
    storage: StorageFlags,
    listen: Option<SocketAddr>,
) -> anyhow::Result<Config> {
    Config::load(
        cli_config,
        FlagOverrides {
            listen,
            data_dir: storage.data_dir,
            database_url: storage.database_url,
        },
    )
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config_file = cli.config.as_deref();
    match cli.command {
        Command::Serve {
            demo,
            listen,
            storage,
        } => {
            let config = load_config(config_file, storage, listen)?;
            logging::init(&config)?;
            serve::run(config, demo).await
        }
        Command::Migrate { storage } => {
            let config = load_config(config_file, storage, None)?;
            logging::init(&config)?;
            let db = services::open_database(&config).await?;
            println!("database is current ({})", db.engine().name());
            db.close().await;
            Ok(())
        }
        Command::Demo { storage } => {
            let config = load_config(config_file, storage, None)?;
            logging::init(&config)?;
            let (db, services) = services::open_for_command(&config).await?;
            let network = demo::load_network(&services).await?;
            let (people, money, catalog, orders) = (
                network.people,
                network.money,
                network.catalog,
                network.orders,
            );
            println!(
                "demo network: {} companies, {} people ({} new); \
                 {} categories, {} products ({} published), {} buying requests, {} quotations ({} new); \
                 {} wallets, {} escrows ({} new); {} orders, {} open ({} new)",
                people.companies,
                people.people,
                people.created,
                catalog.categories,
                catalog.products,
                catalog.published,
                catalog.requests,
                catalog.quotations,
                catalog.created,
                money.wallets,
                money.escrows,
                money.created,
                orders.orders,
                orders.open,
                orders.created
            );
            db.close().await;
            Ok(())
        }
        Command::Reindex { storage } => {
            let config = load_config(config_file, storage, None)?;
            logging::init(&config)?;
            reindex::run(&config).await
        }
        Command::Backup { dir, storage } => {
            let config = load_config(config_file, storage, None)?;
            logging::init(&config)?;
            backup::run(&config, &dir).await
        }
        Command::Restore {
            dir,
            force,
            storage,
        } => {
            let config = load_config(config_file, storage, None)?;
            logging::init(&config)?;
            restore::run(&config, &dir, force).await
        }
        Command::Config { storage } => {
            let config = load_config(config_file, storage, None)?;
            print!("{config}");
            Ok(())
        }
        Command::Products {
            command:
                ProductsCommand::Import {
                    acting,
                    company,
                    file,
                    storage,
                },
        } => {
            let config = load_config(config_file, storage, None)?;
            logging::init(&config)?;
            products::import(&config, &acting, company.as_deref(), &file).await
        }
        Command::Products {
            command:
                ProductsCommand::Export {
                    acting,
                    company,
                    out,
                    storage,
                },
        } => {
            let config = load_config(config_file, storage, None)?;
            logging::init(&config)?;
            products::export(&config, &acting, company.as_deref(), out.as_deref()).await
        }
        Command::Operator {
            command:
                OperatorCommand::Create {
                    email,
                    name,
                    storage,
                },
        } => {
            let config = load_config(config_file, storage, None)?;
            logging::init(&config)?;
            operator::create(&config, &email, &name).await
        }
        Command::Repair {
            command:
                RepairCommand::Withdrawals {
                    older_than,
                    apply,
                    storage,
                },
        } => {
            let config = load_config(config_file, storage, None)?;
            logging::init(&config)?;
            repair::withdrawals(&config, older_than, apply).await
        }
    }
}
