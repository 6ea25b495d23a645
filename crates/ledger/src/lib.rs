//! The ledger: custody of money as accounts and transfers, double-entry,
//! two-phase and linked, idempotent by transfer id, written by group commit.
//! Its interface is TigerBeetle's shape, so a TigerBeetle cluster could stand
//! behind it without `pay` or `trade` changing.

pub mod check;
mod group_commit;
mod service;
pub mod state_machine;
mod store;
mod types;

pub use check::{LedgerCheck, LedgerTotals};
pub use group_commit::GroupCommitOptions;
pub use service::{Balances, Ledger, StatementLine};
pub use types::*;

/// The ledger's migrations, after the kernel's.
pub fn migrations() -> Vec<kernel::migrate::Migration> {
    vec![
        kernel::migrate::Migration {
            module: "ledger",
            version: 1,
            name: "accounts_transfers",
            sql: include_str!("../migrations/0001_ledger.sql"),
        },
        kernel::migrate::Migration {
            module: "ledger",
            version: 2,
            name: "history_indexes",
            sql: include_str!("../migrations/0002_history_indexes.sql"),
        },
    ]
}
