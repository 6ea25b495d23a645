//! Reading a batch's snapshot and writing its outcome, in few multi-row
//! statements: a group commit of thousands of transfers cannot afford a round
//! trip per transfer.

use std::collections::HashSet;

use kernel::{CompanyId, Engine, Timestamp, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::state_machine::{Snapshot, StoredTransfer};
use crate::types::{
    Account, AccountFlags, AccountId, PendingState, Transfer, TransferFlags, TransferId,
};

/// Ids per `IN (...)` list and rows per multi-row statement. Well inside the
/// bind-parameter limits of SQLite (32,766) and PostgreSQL (65,535).
const IDS_PER_STATEMENT: usize = 1_000;
const ROWS_PER_INSERT: usize = 1_000;

pub(crate) const ACCOUNT_COLUMNS: &str = "id, ledger, code, company_id, flags, user_data, debits_pending, debits_posted, credits_pending, credits_posted, created_at";
pub(crate) const TRANSFER_COLUMNS: &str = "id, debit_account_id, credit_account_id, amount, pending_id, ledger, code, flags, user_ref, timeout_seconds, pending_state, expires_at, created_at";

fn placeholders(engine: Engine, count: usize, start: usize) -> String {
    (start..start + count)
        .map(|n| engine.placeholder(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($1, $2, $3), ($4, $5, $6), ...`: `rows` tuples of `width` parameters.
fn value_rows(engine: Engine, rows: usize, width: usize) -> String {
    (0..rows)
        .map(|row| format!("({})", placeholders(engine, width, row * width + 1)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rows of `table` whose id is in `ids`, decoded, in chunks of
/// [`IDS_PER_STATEMENT`]; `suffix` follows the IN list (ordering, locking).
pub(crate) async fn select_by_ids<T>(
    connection: &mut sqlx::AnyConnection,
    engine: Engine,
    select: &str,
    suffix: &str,
    ids: &[i64],
    decode: fn(&AnyRow) -> Result<T, sqlx::Error>,
) -> Result<Vec<T>, sqlx::Error> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "{select} WHERE id IN ({}){suffix}",
            placeholders(engine, chunk.len(), 1)
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&mut *connection).await? {
            found.push(decode(&row)?);
        }
    }
    Ok(found)
}

pub(crate) fn account_from_row(row: &AnyRow) -> Result<Account, sqlx::Error> {
    Ok(Account {
        id: AccountId::from_raw(row.try_get("id")?),
        ledger: u32::try_from(row.try_get::<i64, _>("ledger")?).unwrap_or(0),
        code: u16::try_from(row.try_get::<i64, _>("code")?).unwrap_or(0),
        company_id: row
            .try_get::<Option<i64>, _>("company_id")?
            .map(CompanyId::from_raw),
        flags: AccountFlags(u32::try_from(row.try_get::<i64, _>("flags")?).unwrap_or(u32::MAX)),
        user_data: row.try_get("user_data")?,
        debits_pending: row.try_get("debits_pending")?,
        debits_posted: row.try_get("debits_posted")?,
        credits_pending: row.try_get("credits_pending")?,
        credits_posted: row.try_get("credits_posted")?,
        timestamp: Timestamp::from_micros(row.try_get("created_at")?),
    })
}

pub(crate) fn transfer_from_row(row: &AnyRow) -> Result<StoredTransfer, sqlx::Error> {
    Ok(StoredTransfer {
        transfer: Transfer {
            id: TransferId::from_raw(row.try_get("id")?),
            debit_account_id: AccountId::from_raw(row.try_get("debit_account_id")?),
            credit_account_id: AccountId::from_raw(row.try_get("credit_account_id")?),
            amount: row.try_get("amount")?,
            pending_id: row
                .try_get::<Option<i64>, _>("pending_id")?
                .map(TransferId::from_raw),
            ledger: u32::try_from(row.try_get::<i64, _>("ledger")?).unwrap_or(0),
            code: u16::try_from(row.try_get::<i64, _>("code")?).unwrap_or(0),
            flags: TransferFlags(
                u32::try_from(row.try_get::<i64, _>("flags")?).unwrap_or(u32::MAX),
            ),
            user_ref: row.try_get("user_ref")?,
            timeout_seconds: u32::try_from(row.try_get::<i64, _>("timeout_seconds")?).unwrap_or(0),
            timestamp: Timestamp::from_micros(row.try_get("created_at")?),
        },
        pending_state: PendingState::from_i64(row.try_get("pending_state")?),
        expires_at: row
            .try_get::<Option<i64>, _>("expires_at")?
            .map(Timestamp::from_micros),
    })
}

/// Loads (and on PostgreSQL locks, in id order) the accounts and transfers
/// that `transfers` name.
pub(crate) async fn load_snapshot(
    tx: &mut Tx,
    transfers: &[&Transfer],
) -> Result<Snapshot, sqlx::Error> {
    let engine = tx.engine();
    let mut account_ids: Vec<i64> = transfers
        .iter()
        .flat_map(|t| [t.debit_account_id.raw(), t.credit_account_id.raw()])
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    account_ids.sort_unstable();
    let transfer_ids: Vec<i64> = transfers
        .iter()
        .flat_map(|t| std::iter::once(t.id.raw()).chain(t.pending_id.map(TransferId::raw)))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();

    let mut snapshot = Snapshot::default();
    let suffix = format!(" ORDER BY id{}", engine.lock_rows_clause());
    let accounts_select = format!("SELECT {ACCOUNT_COLUMNS} FROM ledger_account");
    for account in select_by_ids(
        tx.conn(),
        engine,
        &accounts_select,
        &suffix,
        &account_ids,
        account_from_row,
    )
    .await?
    {
        snapshot.accounts.insert(account.id, account);
    }
    let transfers_select = format!("SELECT {TRANSFER_COLUMNS} FROM ledger_transfer");
    for stored in select_by_ids(
        tx.conn(),
        engine,
        &transfers_select,
        &suffix,
        &transfer_ids,
        transfer_from_row,
    )
    .await?
    {
        snapshot.transfers.insert(stored.transfer.id, stored);
    }
    Ok(snapshot)
}

/// Writes what the batch changed: new transfers, settled pending transfers,
/// account balances and balance history.
pub(crate) async fn write_outcome(
    tx: &mut Tx,
    snapshot: &Snapshot,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let engine = tx.engine();
    let inserted: Vec<&StoredTransfer> = snapshot
        .inserted
        .iter()
        .filter_map(|id| snapshot.transfers.get(id))
        .collect();
    for chunk in inserted.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO ledger_transfer ({TRANSFER_COLUMNS}, updated_at) VALUES {}",
            value_rows(engine, chunk.len(), 14)
        );
        let mut query = sqlx::query(&sql);
        for stored in chunk {
            let t = &stored.transfer;
            query = query
                .bind(t.id.raw())
                .bind(t.debit_account_id.raw())
                .bind(t.credit_account_id.raw())
                .bind(t.amount)
                .bind(t.pending_id.map(TransferId::raw))
                .bind(i64::from(t.ledger))
                .bind(i64::from(t.code))
                .bind(i64::from(t.flags.0))
                .bind(t.user_ref)
                .bind(i64::from(t.timeout_seconds))
                .bind(stored.pending_state as i64)
                .bind(stored.expires_at.map(Timestamp::micros))
                .bind(t.timestamp.micros())
                .bind(now.micros());
        }
        query.execute(tx.conn()).await?;
    }

    let settled: Vec<&StoredTransfer> = snapshot
        .settled
        .iter()
        .filter_map(|id| snapshot.transfers.get(id))
        .collect();
    for chunk in settled.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "UPDATE ledger_transfer SET pending_state = v.column2, updated_at = v.column3
             FROM (VALUES {}) AS v WHERE ledger_transfer.id = v.column1",
            value_rows(engine, chunk.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        for stored in chunk {
            query = query
                .bind(stored.transfer.id.raw())
                .bind(stored.pending_state as i64)
                .bind(now.micros());
        }
        query.execute(tx.conn()).await?;
    }

    let accounts: Vec<&Account> = snapshot
        .changed_accounts
        .iter()
        .filter_map(|id| snapshot.accounts.get(id))
        .collect();
    for chunk in accounts.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "UPDATE ledger_account SET debits_pending = v.column2, debits_posted = v.column3,
                credits_pending = v.column4, credits_posted = v.column5, updated_at = v.column6
             FROM (VALUES {}) AS v WHERE ledger_account.id = v.column1",
            value_rows(engine, chunk.len(), 6)
        );
        let mut query = sqlx::query(&sql);
        for account in chunk {
            query = query
                .bind(account.id.raw())
                .bind(account.debits_pending)
                .bind(account.debits_posted)
                .bind(account.credits_pending)
                .bind(account.credits_posted)
                .bind(now.micros());
        }
        query.execute(tx.conn()).await?;
    }

    for chunk in snapshot.history.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO ledger_account_balance (account_id, transfer_id, debits_pending, debits_posted, credits_pending, credits_posted, created_at, updated_at)
             VALUES {}",
            value_rows(engine, chunk.len(), 8)
        );
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = query
                .bind(row.account_id.raw())
                .bind(row.transfer_id.raw())
                .bind(row.debits_pending)
                .bind(row.debits_posted)
                .bind(row.credits_pending)
                .bind(row.credits_posted)
                .bind(row.timestamp.micros())
                .bind(now.micros());
        }
        query.execute(tx.conn()).await?;
    }
    Ok(())
}

/// Inserts new accounts.
pub(crate) async fn insert_accounts(
    tx: &mut Tx,
    accounts: &[&Account],
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let engine = tx.engine();
    for chunk in accounts.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO ledger_account ({ACCOUNT_COLUMNS}, updated_at) VALUES {}",
            value_rows(engine, chunk.len(), 12)
        );
        let mut query = sqlx::query(&sql);
        for account in chunk {
            query = query
                .bind(account.id.raw())
                .bind(i64::from(account.ledger))
                .bind(i64::from(account.code))
                .bind(account.company_id.map(CompanyId::raw))
                .bind(i64::from(account.flags.0))
                .bind(account.user_data)
                .bind(0_i64)
                .bind(0_i64)
                .bind(0_i64)
                .bind(0_i64)
                .bind(now.micros())
                .bind(now.micros());
        }
        query.execute(tx.conn()).await?;
    }
    Ok(())
}

/// Accounts with the given ids that exist.
pub(crate) async fn existing_accounts(
    tx: &mut Tx,
    ids: &[i64],
) -> Result<Vec<Account>, sqlx::Error> {
    let engine = tx.engine();
    let select = format!("SELECT {ACCOUNT_COLUMNS} FROM ledger_account");
    select_by_ids(tx.conn(), engine, &select, "", ids, account_from_row).await
}

/// Pending transfers whose timeout has passed, oldest first, at most `limit`.
/// Not locked here: the sweep then loads them with `load_snapshot`, which locks
/// accounts before transfers like every batch, so the two cannot deadlock, and
/// `expire` skips any that another node settled in between.
pub(crate) async fn lapsed_pending(
    tx: &mut Tx,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<StoredTransfer>, sqlx::Error> {
    let sql = format!(
        "SELECT {TRANSFER_COLUMNS} FROM ledger_transfer
         WHERE pending_state = 1 AND expires_at IS NOT NULL AND expires_at <= $1 ORDER BY id LIMIT $2"
    );
    let rows = sqlx::query(&sql)
        .bind(now.micros())
        .bind(limit)
        .fetch_all(tx.conn())
        .await?;
    rows.iter().map(transfer_from_row).collect()
}
