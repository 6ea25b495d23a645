//! The ledger's one narrow interface, shaped like TigerBeetle's client: create
//! accounts, create transfers, look them up. `pay` and `trade` see only this.

use std::sync::Arc;

use kernel::page::{Page, PageRequest};
use kernel::{Clock, CompanyId, Db, Timestamp};
use serde::Serialize;
use sqlx::Row;
use tokio::sync::{mpsc, oneshot};

use crate::group_commit::{self, GroupCommitOptions, Request};
use crate::state_machine;
use crate::store::{self, ACCOUNT_COLUMNS, TRANSFER_COLUMNS};
use crate::types::{
    Account, AccountId, CreateAccountResult, CreateTransferResult, LedgerError, PendingState,
    Transfer, TransferId,
};

/// The ledger. Cheap to clone; all clones share one group-commit writer.
#[derive(Clone)]
pub struct Ledger {
    db: Db,
    clock: Arc<dyn Clock>,
    queue: mpsc::Sender<Request>,
    options: GroupCommitOptions,
}

/// A transfer as an account's statement shows it, with the account's balances
/// right after it (for accounts with the `history` flag).
#[derive(Debug, Clone, Serialize)]
pub struct StatementLine {
    pub transfer: Transfer,
    pub pending_state: PendingState,
    /// The account's balances after this transfer, when the account keeps history.
    pub after: Option<Balances>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Balances {
    pub debits_pending: i64,
    pub debits_posted: i64,
    pub credits_pending: i64,
    pub credits_posted: i64,
}

impl Ledger {
    /// Starts the group-commit writer on the current runtime.
    pub fn start(db: Db, clock: Arc<dyn Clock>, options: GroupCommitOptions) -> Ledger {
        let (queue, receiver) = mpsc::channel(options.queue_depth);
        tokio::spawn(group_commit::run(
            db.clone(),
            clock.clone(),
            options,
            receiver,
        ));
        Ledger {
            db,
            clock,
            queue,
            options,
        }
    }

    /// Creates accounts; a result per account. Ids are idempotency keys.
    pub async fn create_accounts(
        &self,
        accounts: &[Account],
    ) -> Result<Vec<CreateAccountResult>, LedgerError> {
        if accounts.len() > self.options.batch_transfers_max {
            return Err(LedgerError::BatchTooLarge(self.options.batch_transfers_max));
        }
        match self.create_accounts_once(accounts).await {
            // On PostgreSQL two callers creating the same account at once
            // both find it missing and both insert; the loser's insert is
            // refused. Reading again answers it as existing, with the same
            // fields or not, exactly as if it had come second.
            Err(LedgerError::Storage(error)) if error.is_unique_violation() => {
                self.create_accounts_once(accounts).await
            }
            other => other,
        }
    }

    async fn create_accounts_once(
        &self,
        accounts: &[Account],
    ) -> Result<Vec<CreateAccountResult>, LedgerError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let ids: Vec<i64> = accounts.iter().map(|a| a.id.raw()).collect();
        let mut known: std::collections::HashMap<AccountId, Account> =
            store::existing_accounts(&mut tx, &ids)
                .await?
                .into_iter()
                .map(|a| (a.id, a))
                .collect();
        let mut results = Vec::with_capacity(accounts.len());
        let mut new = Vec::new();
        for account in accounts {
            let result = state_machine::check_new_account(account, known.get(&account.id));
            if result == CreateAccountResult::Ok {
                known.insert(account.id, account.clone());
                new.push(account);
            }
            results.push(result);
        }
        store::insert_accounts(&mut tx, &new, now).await?;
        tx.commit().await?;
        Ok(results)
    }

    /// Creates transfers through the group commit; a result per transfer, in
    /// order. Answered after the batch holding them is durable.
    pub async fn create_transfers(
        &self,
        transfers: Vec<Transfer>,
    ) -> Result<Vec<CreateTransferResult>, LedgerError> {
        if transfers.len() > self.options.batch_transfers_max {
            return Err(LedgerError::BatchTooLarge(self.options.batch_transfers_max));
        }
        if transfers.is_empty() {
            return Ok(Vec::new());
        }
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Request { transfers, reply })
            .await
            .map_err(|_| LedgerError::ShuttingDown)?;
        answer.await.map_err(|_| LedgerError::ShuttingDown)?
    }

    pub async fn lookup_accounts(&self, ids: &[AccountId]) -> Result<Vec<Account>, LedgerError> {
        let ids: Vec<i64> = ids.iter().map(|id| id.raw()).collect();
        let select = format!("SELECT {ACCOUNT_COLUMNS} FROM ledger_account");
        let mut connection = self.db.reader().acquire().await?;
        let engine = self.db.engine();
        Ok(store::select_by_ids(
            &mut connection,
            engine,
            &select,
            "",
            &ids,
            store::account_from_row,
        )
        .await?)
    }

    pub async fn lookup_transfers(
        &self,
        ids: &[TransferId],
    ) -> Result<Vec<(Transfer, PendingState)>, LedgerError> {
        let ids: Vec<i64> = ids.iter().map(|id| id.raw()).collect();
        let select = format!("SELECT {TRANSFER_COLUMNS} FROM ledger_transfer");
        let mut connection = self.db.reader().acquire().await?;
        let engine = self.db.engine();
        let found = store::select_by_ids(
            &mut connection,
            engine,
            &select,
            "",
            &ids,
            store::transfer_from_row,
        )
        .await?;
        Ok(found
            .into_iter()
            .map(|stored| (stored.transfer, stored.pending_state))
            .collect())
    }

    /// A company's accounts, by id.
    pub async fn company_accounts(&self, company: CompanyId) -> Result<Vec<Account>, LedgerError> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM ledger_account WHERE company_id = $1 ORDER BY id LIMIT 1000"
        ))
        .bind(company.raw())
        .fetch_all(self.db.reader())
        .await?;
        Ok(rows
            .iter()
            .map(store::account_from_row)
            .collect::<Result<_, _>>()?)
    }

    /// An account's transfers in the order they were made, with its balances
    /// after each, for accounts with the `history` flag (others have no
    /// statement: transfers are not indexed by account, which keeps bulk
    /// inserts fast). The page cursor is a transfer's timestamp.
    pub async fn statement(
        &self,
        account: AccountId,
        page: PageRequest,
    ) -> Result<Page<StatementLine>, LedgerError> {
        let columns = TRANSFER_COLUMNS
            .split(", ")
            .map(|column| format!("t.{column}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {columns}, b.debits_pending AS b_debits_pending, b.debits_posted AS b_debits_posted,
                    b.credits_pending AS b_credits_pending, b.credits_posted AS b_credits_posted
             FROM ledger_account_balance b JOIN ledger_transfer t ON t.id = b.transfer_id
             WHERE b.account_id = $1 AND b.created_at > $2
             ORDER BY b.created_at, b.transfer_id LIMIT $3"
        ))
        .bind(account.raw())
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let lines = rows
            .iter()
            .map(|row| {
                let stored = store::transfer_from_row(row)?;
                let after = match row.try_get::<Option<i64>, _>("b_debits_pending")? {
                    Some(debits_pending) => Some(Balances {
                        debits_pending,
                        debits_posted: row.try_get("b_debits_posted")?,
                        credits_pending: row.try_get("b_credits_pending")?,
                        credits_posted: row.try_get("b_credits_posted")?,
                    }),
                    None => None,
                };
                Ok(StatementLine {
                    transfer: stored.transfer,
                    pending_state: stored.pending_state,
                    after,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(Page::from_rows(lines, page, |line| {
            line.transfer.timestamp.micros()
        }))
    }

    /// Checks the whole ledger; see [`crate::check::check`].
    pub async fn check(&self) -> Result<crate::check::LedgerCheck, LedgerError> {
        crate::check::check(&self.db).await
    }

    /// Releases lapsed pending transfers now rather than at the next sweep.
    pub async fn expire_lapsed(&self) -> Result<usize, LedgerError> {
        group_commit::expire_lapsed(&self.db, self.clock.now()).await
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}
