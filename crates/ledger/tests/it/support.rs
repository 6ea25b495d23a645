//! Helpers of the ledger tests: a started ledger, accounts, transfers.

use std::sync::Arc;

use kernel::{Clock, Db, ManualClock, Timestamp};
use ledger::{
    Account, AccountFlags, AccountId, CreateAccountResult, GroupCommitOptions, Ledger, Transfer,
    TransferFlags, TransferId,
};

pub const CNY: u32 = 156;
pub const EUR: u32 = 978;

pub fn migrations() -> Vec<kernel::migrate::Migration> {
    [kernel::migrate::kernel_migrations(), ledger::migrations()].concat()
}

pub fn start(db: &Db) -> (Ledger, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(Timestamp::from_micros(
        1_767_225_600_000_000,
    )));
    let dyn_clock: Arc<dyn Clock> = clock.clone();
    (
        Ledger::start(db.clone(), dyn_clock, GroupCommitOptions::default()),
        clock,
    )
}

/// A wallet: may not be overdrawn, keeps history.
pub fn wallet(ledger_id: u32) -> Account {
    Account::new(
        AccountId::new(),
        ledger_id,
        1,
        None,
        AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS.union(AccountFlags::HISTORY),
    )
}

/// An operator account that money enters through (a bank's settlement).
pub fn source(ledger_id: u32) -> Account {
    Account::new(
        AccountId::new(),
        ledger_id,
        2,
        None,
        AccountFlags::default(),
    )
}

pub async fn create(ledger: &Ledger, accounts: &[Account]) {
    let results = ledger.create_accounts(accounts).await.unwrap();
    assert!(
        results.iter().all(|r| *r == CreateAccountResult::Ok),
        "{results:?}"
    );
}

pub fn transfer(debit: &Account, credit: &Account, amount: i64) -> Transfer {
    Transfer::new(
        TransferId::new(),
        debit.id,
        credit.id,
        amount,
        debit.ledger,
        1,
    )
}

pub fn pending(debit: &Account, credit: &Account, amount: i64, timeout_seconds: u32) -> Transfer {
    Transfer {
        timeout_seconds,
        ..transfer(debit, credit, amount).with_flags(TransferFlags::PENDING)
    }
}

pub fn settle(original: &Transfer, amount: i64, flag: TransferFlags) -> Transfer {
    Transfer {
        pending_id: Some(original.id),
        ..Transfer::new(
            TransferId::new(),
            original.debit_account_id,
            original.credit_account_id,
            amount,
            original.ledger,
            1,
        )
        .with_flags(flag)
    }
}

pub async fn account(ledger: &Ledger, account: &Account) -> Account {
    ledger
        .lookup_accounts(&[account.id])
        .await
        .unwrap()
        .remove(0)
}
