//! The order's timers, as durable jobs of `kernel::jobs`: an order left
//! unanswered or unpaid is cancelled, a delivered order confirms itself after
//! the operator's period, and a refund the seller leaves unanswered is marked
//! so that either side may take it to the operator. Each timer is set in the
//! transaction of the transition that starts it, and each handler does its
//! work in the job's own transaction, so it takes effect exactly once.
//!
//! Releasing the escrow of a completed order needs `pay`'s own transactions,
//! which a job's transaction cannot wait for (SQLite has one writer), so it is
//! not a job: [`Trade::finish_settlements`] settles every completed order, at
//! start-up and then every few seconds, and the buyer's confirmation settles
//! its order at once.

use kernel::Timestamp;
use kernel::db::Tx;
use kernel::jobs::{self, Job, JobError, JobHandler, JobOutcome};
use serde::{Deserialize, Serialize};

use crate::Trade;
use crate::error::{Result, TradeError};
use crate::model::{OrderId, OrderState, RefundId};

pub const CANCEL_UNPAID: &str = "trade.cancel_unpaid";
pub const AUTO_CONFIRM: &str = "trade.auto_confirm";
pub const REFUND_ANSWER_DUE: &str = "trade.refund_answer_due";

/// How long an auto-confirmation waits again while a claim is open.
const CLAIM_RECHECK_SECONDS: i64 = 86_400;

#[derive(Debug, Serialize, Deserialize)]
struct OrderTimer {
    order_id: OrderId,
}

#[derive(Debug, Serialize, Deserialize)]
struct RefundTimer {
    refund_id: RefundId,
}

fn key(raw: i64) -> String {
    raw.to_string()
}

/// Sets (or moves) the timer that cancels an order nobody confirmed or paid.
pub(crate) async fn schedule_cancel_unpaid(
    tx: &mut Tx,
    order: OrderId,
    at: Timestamp,
    now: Timestamp,
) -> Result<()> {
    arm(
        tx,
        CANCEL_UNPAID,
        order.raw(),
        at,
        &OrderTimer { order_id: order },
        now,
    )
    .await
}

pub(crate) async fn schedule_auto_confirm(
    tx: &mut Tx,
    order: OrderId,
    at: Timestamp,
    now: Timestamp,
) -> Result<()> {
    arm(
        tx,
        AUTO_CONFIRM,
        order.raw(),
        at,
        &OrderTimer { order_id: order },
        now,
    )
    .await
}

pub(crate) async fn schedule_refund_answer_due(
    tx: &mut Tx,
    refund: RefundId,
    at: Timestamp,
    now: Timestamp,
) -> Result<()> {
    arm(
        tx,
        REFUND_ANSWER_DUE,
        refund.raw(),
        at,
        &RefundTimer { refund_id: refund },
        now,
    )
    .await
}

/// Schedules a job, or moves the one that exists (a confirmation restarts the
/// unpaid order's clock).
async fn arm(
    tx: &mut Tx,
    kind: &str,
    raw: i64,
    at: Timestamp,
    payload: &impl Serialize,
    now: Timestamp,
) -> Result<()> {
    if let jobs::Scheduled::AlreadyExists =
        jobs::schedule(tx, kind, &key(raw), at, payload, now).await?
    {
        jobs::reschedule(tx, kind, &key(raw), at, now).await?;
    }
    Ok(())
}

/// Stops the order's timers, because it moved on or closed. Called first in a
/// transition's transaction, before the order is locked: a running timer's
/// handler holds its job's lock and then takes the order's, so taking them in
/// the same order cannot deadlock. A handler never calls it: a job cancelled
/// by its own handler would roll that handler back.
pub(crate) async fn cancel_order_timers(tx: &mut Tx, order: OrderId, now: Timestamp) -> Result<()> {
    for kind in [CANCEL_UNPAID, AUTO_CONFIRM] {
        jobs::cancel(tx, kind, &key(order.raw()), now).await?;
    }
    Ok(())
}

pub(crate) async fn cancel_refund_timer(
    tx: &mut Tx,
    refund: RefundId,
    now: Timestamp,
) -> Result<()> {
    jobs::cancel(tx, REFUND_ANSWER_DUE, &key(refund.raw()), now).await?;
    Ok(())
}

/// The handlers of trade's jobs, for the app's job runner.
pub fn handlers(trade: &Trade) -> Vec<std::sync::Arc<dyn JobHandler>> {
    vec![
        std::sync::Arc::new(CancelUnpaid(trade.clone())),
        std::sync::Arc::new(AutoConfirm(trade.clone())),
        std::sync::Arc::new(RefundAnswerDue(trade.clone())),
    ]
}

fn job_error(error: TradeError) -> JobError {
    match error {
        TradeError::Storage(error) => JobError::Storage(error),
        other => JobError::Failed(other.to_string()),
    }
}

struct CancelUnpaid(Trade);

#[async_trait::async_trait]
impl JobHandler for CancelUnpaid {
    fn kind(&self) -> &'static str {
        CANCEL_UNPAID
    }

    async fn run(&self, tx: &mut Tx, job: &Job) -> Result<JobOutcome, JobError> {
        let timer: OrderTimer = job.payload()?;
        let trade = &self.0;
        let now = trade.clock.now();
        let order = crate::store::locked(tx, timer.order_id)
            .await
            .map_err(job_error)?;
        match order.state {
            OrderState::Placed => {}
            // A payment that reached escrow but not the order (a crash in
            // between) is recorded rather than cancelled.
            OrderState::Confirmed if trade.payment_held(&order).await.map_err(job_error)? => {
                trade
                    .record_payment_in(tx, order, now)
                    .await
                    .map_err(job_error)?;
                return Ok(JobOutcome::Completed);
            }
            OrderState::Confirmed => {}
            _ => return Ok(JobOutcome::Completed),
        }
        let reason = match order.state {
            OrderState::Placed => "the seller did not confirm in time",
            _ => "the order was not paid in time",
        };
        trade
            .cancel_in(tx, order, None, reason, now)
            .await
            .map_err(job_error)?;
        Ok(JobOutcome::Completed)
    }
}

struct AutoConfirm(Trade);

#[async_trait::async_trait]
impl JobHandler for AutoConfirm {
    fn kind(&self) -> &'static str {
        AUTO_CONFIRM
    }

    async fn run(&self, tx: &mut Tx, job: &Job) -> Result<JobOutcome, JobError> {
        let timer: OrderTimer = job.payload()?;
        let trade = &self.0;
        let now = trade.clock.now();
        let order = crate::store::locked(tx, timer.order_id)
            .await
            .map_err(job_error)?;
        match order.state {
            OrderState::Shipped | OrderState::Delivered if order.open_claim => {
                // A refund or dispute decides first; look again later.
                Ok(JobOutcome::RunAgainAt(
                    now.plus_seconds(CLAIM_RECHECK_SECONDS),
                ))
            }
            OrderState::Shipped | OrderState::Delivered => {
                trade
                    .complete_in(tx, order, None, now)
                    .await
                    .map_err(job_error)?;
                Ok(JobOutcome::Completed)
            }
            _ => Ok(JobOutcome::Completed),
        }
    }
}

struct RefundAnswerDue(Trade);

#[async_trait::async_trait]
impl JobHandler for RefundAnswerDue {
    fn kind(&self) -> &'static str {
        REFUND_ANSWER_DUE
    }

    async fn run(&self, tx: &mut Tx, job: &Job) -> Result<JobOutcome, JobError> {
        let timer: RefundTimer = job.payload()?;
        let now = self.0.clock.now();
        self.0
            .refund_answer_lapsed(tx, timer.refund_id, now)
            .await
            .map_err(job_error)?;
        Ok(JobOutcome::Completed)
    }
}
