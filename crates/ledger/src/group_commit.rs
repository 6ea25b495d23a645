//! Group commit: transfers that callers submit at the same time are validated
//! and written in one database transaction, and each caller is answered only
//! after that commit. While one batch commits, the next one gathers.

use std::sync::Arc;
use std::time::Duration;

use kernel::{Clock, Db, Timestamp};
use tokio::sync::{mpsc, oneshot};

use crate::state_machine::{self, Snapshot};
use crate::store;
use crate::types::{Account, AccountId, CreateTransferResult, LedgerError, Transfer};

/// Bounds of a group commit.
#[derive(Debug, Clone, Copy)]
pub struct GroupCommitOptions {
    /// The most transfers one transaction takes (and one request may carry).
    pub batch_transfers_max: usize,
    /// How long a batch that is not full waits for more requests.
    pub wait: Duration,
    /// Requests queued before callers wait to submit.
    pub queue_depth: usize,
    /// How often lapsed pending transfers are released.
    pub expiry_interval: Duration,
}

impl Default for GroupCommitOptions {
    fn default() -> Self {
        GroupCommitOptions {
            batch_transfers_max: 16_384,
            wait: Duration::from_micros(500),
            queue_depth: 1_024,
            expiry_interval: Duration::from_secs(1),
        }
    }
}

pub(crate) type Reply = oneshot::Sender<Result<Vec<CreateTransferResult>, LedgerError>>;

pub(crate) struct Request {
    pub transfers: Vec<Transfer>,
    pub reply: Reply,
}

/// The writer task: owns the queue's receiving end until every sender is gone.
pub(crate) async fn run(
    db: Db,
    clock: Arc<dyn Clock>,
    options: GroupCommitOptions,
    mut queue: mpsc::Receiver<Request>,
) {
    let mut carried: Option<Request> = None;
    // Timestamps continue from the newest stored transfer, so they stay
    // increasing across restarts even if the clock steps back.
    let mut last_timestamp = match newest_timestamp(&db).await {
        Ok(newest) => newest,
        Err(error) => {
            tracing::error!(%error, "cannot read the newest transfer; timestamps start from the clock");
            0
        }
    };
    let mut expiry = tokio::time::interval(options.expiry_interval);
    expiry.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let first = match carried.take() {
            Some(request) => request,
            None => tokio::select! {
                request = queue.recv() => match request {
                    Some(request) => request,
                    None => return,
                },
                _ = expiry.tick() => {
                    if let Err(error) = expire_lapsed(&db, clock.now()).await {
                        tracing::error!(%error, "could not release lapsed pending transfers");
                    }
                    continue;
                }
            },
        };
        let mut batch = vec![first];
        let mut size = batch[0].transfers.len();
        let deadline = tokio::time::Instant::now() + options.wait;
        while size < options.batch_transfers_max {
            let next = match queue.try_recv() {
                Ok(request) => Some(request),
                Err(mpsc::error::TryRecvError::Empty) => {
                    // A timeout means the batch goes as it is.
                    tokio::time::timeout_at(deadline, queue.recv())
                        .await
                        .unwrap_or_default()
                }
                Err(mpsc::error::TryRecvError::Disconnected) => None,
            };
            let Some(next) = next else { break };
            if size + next.transfers.len() > options.batch_transfers_max {
                carried = Some(next);
                break;
            }
            size += next.transfers.len();
            batch.push(next);
        }
        let start = clock.now().micros().max(last_timestamp + 1);
        if let Some(last) = commit(&db, Timestamp::from_micros(start), batch).await {
            last_timestamp = last;
        }
    }
}

async fn newest_timestamp(db: &Db) -> Result<i64, sqlx::Error> {
    use sqlx::Row;
    let row = sqlx::query("SELECT MAX(created_at) AS newest FROM ledger_transfer")
        .fetch_one(db.reader())
        .await?;
    Ok(row.try_get::<Option<i64>, _>("newest")?.unwrap_or(0))
}

/// Validates and writes one batch; answers every request in it. Returns the
/// last timestamp given to a transfer.
async fn commit(db: &Db, now: Timestamp, batch: Vec<Request>) -> Option<i64> {
    match apply(db, now, &batch).await {
        Ok((results, last_timestamp)) => {
            for (request, results) in batch.into_iter().zip(results) {
                let _ = request.reply.send(Ok(results));
            }
            Some(last_timestamp)
        }
        Err(error) => {
            tracing::error!(%error, requests = batch.len(), "ledger batch failed; nothing of it was written");
            let message = error.to_string();
            for request in batch {
                let _ = request
                    .reply
                    .send(Err(LedgerError::BatchFailed(message.clone())));
            }
            None
        }
    }
}

async fn apply(
    db: &Db,
    now: Timestamp,
    batch: &[Request],
) -> Result<(Vec<Vec<CreateTransferResult>>, i64), LedgerError> {
    let mut tx = db.begin().await?;
    let all: Vec<&Transfer> = batch
        .iter()
        .flat_map(|request| request.transfers.iter())
        .collect();
    let mut snapshot = store::load_snapshot(&mut tx, &all).await?;
    snapshot.next_timestamp = now.micros();
    let before = snapshot.accounts.clone();
    let results = batch
        .iter()
        .map(|request| state_machine::create_transfers(&mut snapshot, &request.transfers, now))
        .collect();
    check_batch(&before, &snapshot)?;
    store::write_outcome(&mut tx, &snapshot, now).await?;
    tx.commit().await?;
    Ok((results, snapshot.next_timestamp - 1))
}

/// The batch's invariants, checked before anything is written: debits moved
/// equal credits moved (posted and pending alike), no balance is negative, and
/// no flagged account passes its limit. A violation is a bug; the batch is
/// refused rather than written.
pub(crate) fn check_batch(
    before: &std::collections::HashMap<AccountId, Account>,
    after: &Snapshot,
) -> Result<(), LedgerError> {
    let mut delta = [0_i128; 4];
    for id in &after.changed_accounts {
        let (Some(old), Some(new)) = (before.get(id), after.accounts.get(id)) else {
            return Err(LedgerError::Invariant(format!(
                "account {id} changed but was not loaded"
            )));
        };
        delta[0] += i128::from(new.debits_pending) - i128::from(old.debits_pending);
        delta[1] += i128::from(new.credits_pending) - i128::from(old.credits_pending);
        delta[2] += i128::from(new.debits_posted) - i128::from(old.debits_posted);
        delta[3] += i128::from(new.credits_posted) - i128::from(old.credits_posted);
        crate::check::account_within_limits(new).map_err(LedgerError::Invariant)?;
    }
    if delta[0] != delta[1] || delta[2] != delta[3] {
        return Err(LedgerError::Invariant(format!(
            "batch moved pending {} debits vs {} credits, posted {} vs {}",
            delta[0], delta[1], delta[2], delta[3]
        )));
    }
    Ok(())
}

/// Releases pending transfers whose timeout has passed.
pub(crate) async fn expire_lapsed(db: &Db, now: Timestamp) -> Result<usize, LedgerError> {
    let mut tx = db.begin().await?;
    let lapsed = store::lapsed_pending(&mut tx, now, 1_000).await?;
    if lapsed.is_empty() {
        return Ok(0);
    }
    let originals: Vec<&Transfer> = lapsed.iter().map(|stored| &stored.transfer).collect();
    let mut snapshot = store::load_snapshot(&mut tx, &originals).await?;
    let before = snapshot.accounts.clone();
    for stored in &lapsed {
        state_machine::expire(&mut snapshot, stored.transfer.id);
    }
    check_batch(&before, &snapshot)?;
    store::write_outcome(&mut tx, &snapshot, now).await?;
    tx.commit().await?;
    Ok(lapsed.len())
}
