//! Refunds: after paying, the buyer asks for all or part of the money back,
//! with a reason, and (once shipped) with or without returning the goods; the
//! seller accepts or refuses within the operator's period. An accepted refund
//! closes the escrow with a split, the same way a dispute's decision does.

use kernel::{Scope, Timestamp};
use serde::Deserialize;
use sqlx::Row;

use crate::error::{Result, TradeError};
use crate::events::{OrderFacts, OrderRefunded, OrderSettled, RefundRefused, RefundRequested};
use crate::model::{DisputeId, Order, OrderId, OrderState, Refund, RefundId, RefundStatus};
use crate::rows::{self, REFUND_COLUMNS};
use crate::seller::state_refusal;
use crate::{TEXT_CHARS_MAX, Trade, may_buy, may_sell, store, timers};

/// A buyer's request for money back.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundInput {
    /// At most what was paid. Before shipping only the whole amount: the
    /// order is then undone.
    pub amount_minor: i64,
    pub reason: String,
    /// The buyer sends the goods back (only once they were shipped).
    #[serde(default)]
    pub with_return: bool,
}

/// How an escrow is being closed: by which refund or which decision.
#[derive(Clone, Copy)]
pub(crate) enum Closing<'a> {
    Refund(RefundId),
    Dispute {
        id: DisputeId,
        decision: &'a str,
        decided_by: kernel::UserId,
    },
}

impl Trade {
    pub async fn request_refund(
        &self,
        scope: &Scope,
        id: OrderId,
        input: &RefundInput,
    ) -> Result<Refund> {
        let order = self.buyer_may(scope, id, may_buy).await?;
        let reason = market::fields::paragraphs("reason", &input.reason, TEXT_CHARS_MAX)?;
        if reason.is_empty() {
            return Err(TradeError::invalid("reason", "required", "say why"));
        }
        let days = self.policy().await?.refund_answer_within_days;
        let now = self.clock.now();
        let answer_by = now.plus_seconds(days * 86_400);
        let mut tx = self.db.begin().await?;
        let mut order = store::locked(&mut tx, order.id).await?;
        check_refund(&order, input)?;
        let refund = Refund {
            id: RefundId::new(),
            order_id: order.id,
            amount_minor: input.amount_minor,
            reason: reason.clone(),
            with_return: input.with_return,
            status: RefundStatus::Requested,
            answer: String::new(),
            answer_by,
            created_at: now,
        };
        sqlx::query(
            "INSERT INTO trade_refund (company_id, id, order_id, seller_company_id, amount_minor, reason, with_return, status, answer, answer_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', '', $8, $9, $9)",
        )
        .bind(order.buyer)
        .bind(refund.id)
        .bind(order.id)
        .bind(order.seller)
        .bind(refund.amount_minor)
        .bind(&refund.reason)
        .bind(i64::from(refund.with_return))
        .bind(answer_by.micros())
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        order.open_claim = true;
        order.updated_at = now;
        store::save(&mut tx, &order).await?;
        timers::schedule_refund_answer_due(&mut tx, refund.id, answer_by, now).await?;
        let event = RefundRequested {
            order: OrderFacts::of(&order, now),
            refund_id: refund.id,
            amount_minor: refund.amount_minor,
            with_return: refund.with_return,
            reason: reason.clone(),
            answer_by,
        };
        store::publish(&mut tx, &order, &event, Some(order.buyer), &reason, now).await?;
        tx.commit().await?;
        Ok(refund)
    }

    /// The seller's answer. Accepted without a return, the money goes back
    /// now; with a return, once the seller has the goods back.
    pub async fn answer_refund(
        &self,
        scope: &Scope,
        id: OrderId,
        refund_id: RefundId,
        accept: bool,
        answer: &str,
    ) -> Result<Refund> {
        let order = self.seller_may(scope, id, may_sell).await?;
        let answer = market::fields::paragraphs("answer", answer, TEXT_CHARS_MAX)?;
        if !accept && answer.is_empty() {
            return Err(TradeError::invalid(
                "answer",
                "required",
                "say why the refund is refused",
            ));
        }
        let refund = self.refund_of(&order, refund_id).await?;
        if refund.status != RefundStatus::Requested {
            return Err(TradeError::state(
                "refund_answered",
                "the refund request was already answered",
            ));
        }
        if accept && !refund.with_return {
            self.set_refund_answer(refund_id, &answer).await?;
            self.close_with_split(id, refund.amount_minor, false, Closing::Refund(refund_id))
                .await?;
            return self.refund_of(&order, refund_id).await;
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        timers::cancel_refund_timer(&mut tx, refund_id, now).await?;
        let mut order = store::locked(&mut tx, id).await?;
        let status = if accept {
            RefundStatus::AwaitingReturn
        } else {
            RefundStatus::Refused
        };
        let changed = sqlx::query(
            "UPDATE trade_refund SET status = $1, answer = $2, updated_at = $3 WHERE id = $4 AND status = 'requested'",
        )
        .bind(status.as_str())
        .bind(&answer)
        .bind(now.micros())
        .bind(refund_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(TradeError::state(
                "refund_answered",
                "the refund request was already answered",
            ));
        }
        if accept {
            store::history(
                &mut tx,
                &order,
                "RefundAccepted",
                Some(order.seller),
                "accepted against the return of the goods",
                now,
            )
            .await?;
        } else {
            // The order goes on; the buyer may take the refusal to the operator.
            order.open_claim = false;
            order.updated_at = now;
            store::save(&mut tx, &order).await?;
            let event = RefundRefused {
                order: OrderFacts::of(&order, now),
                refund_id,
                answer: answer.clone(),
            };
            store::publish(&mut tx, &order, &event, Some(order.seller), &answer, now).await?;
        }
        tx.commit().await?;
        self.refund_of(&order, refund_id).await
    }

    /// The seller has the returned goods: they go back to stock and the
    /// refund is paid.
    pub async fn confirm_return(
        &self,
        scope: &Scope,
        id: OrderId,
        refund_id: RefundId,
    ) -> Result<Refund> {
        let order = self.seller_may(scope, id, may_sell).await?;
        let refund = self.refund_of(&order, refund_id).await?;
        if refund.status != RefundStatus::AwaitingReturn {
            return Err(TradeError::state(
                "no_return_expected",
                "no return is expected for this refund",
            ));
        }
        self.close_with_split(id, refund.amount_minor, true, Closing::Refund(refund_id))
            .await?;
        self.refund_of(&order, refund_id).await
    }

    pub(crate) async fn refund_of(&self, order: &Order, refund_id: RefundId) -> Result<Refund> {
        let row = sqlx::query(&format!(
            "SELECT {REFUND_COLUMNS} FROM trade_refund WHERE id = $1 AND order_id = $2"
        ))
        .bind(refund_id)
        .bind(order.id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(TradeError::NotFound("refund"))?;
        Ok(rows::refund(&row)?)
    }

    async fn set_refund_answer(&self, refund_id: RefundId, answer: &str) -> Result<()> {
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE trade_refund SET answer = $1, updated_at = $2 WHERE id = $3")
            .bind(answer)
            .bind(self.clock.now().micros())
            .bind(refund_id)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes the escrow with `to_buyer_minor` back to the buyer and the rest
    /// to the seller, then closes the order: refunded when all went back,
    /// settled otherwise. Stock still reserved is released; with
    /// `goods_returned`, shipped stock comes back. Finished already: nothing.
    pub(crate) async fn close_with_split(
        &self,
        id: OrderId,
        to_buyer_minor: i64,
        goods_returned: bool,
        closing: Closing<'_>,
    ) -> Result<Order> {
        let order = store::load(self.db.reader(), id)
            .await?
            .ok_or(TradeError::NotFound("order"))?;
        if !order.state.holds_escrow() && !order.state.is_closed() {
            return Err(state_refusal(order.state));
        }
        let split = self.close_escrow(&order, to_buyer_minor).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        timers::cancel_order_timers(&mut tx, id, now).await?;
        if let Closing::Refund(refund_id) = closing {
            timers::cancel_refund_timer(&mut tx, refund_id, now).await?;
        }
        let mut order = store::locked(&mut tx, id).await?;
        if order.state.is_closed() {
            return Ok(order);
        }
        self.release_lines(&mut tx, &mut order, now).await?;
        if goods_returned {
            self.restock_lines(&mut tx, &mut order, now).await?;
        }
        order.refunded_minor = split.to_buyer_minor;
        order.open_claim = false;
        order.closed_at = Some(now);
        order.updated_at = now;
        if split.to_seller_minor == 0 {
            order.state = OrderState::Refunded;
        } else {
            order.state = OrderState::Settled;
            order.settled_at = Some(now);
        }
        store::save(&mut tx, &order).await?;
        let (refund_id, dispute_id) = match closing {
            Closing::Refund(refund_id) => {
                sqlx::query(
                    "UPDATE trade_refund SET status = 'refunded', updated_at = $1 WHERE id = $2",
                )
                .bind(now.micros())
                .bind(refund_id)
                .execute(tx.conn())
                .await?;
                (Some(refund_id), None)
            }
            Closing::Dispute {
                id,
                decision,
                decided_by,
            } => {
                self.record_decision(&mut tx, &order, id, split, decision, decided_by, now)
                    .await?;
                (None, Some(id))
            }
        };
        if split.to_buyer_minor > 0 {
            let event = OrderRefunded {
                order: OrderFacts::of(&order, now),
                refund_id,
                dispute_id,
                to_buyer_minor: split.to_buyer_minor,
                goods_returned,
            };
            store::publish(&mut tx, &order, &event, None, "", now).await?;
        }
        if split.to_seller_minor > 0 {
            let event = OrderSettled {
                order: OrderFacts::of(&order, now),
                to_seller_minor: split.to_seller_minor,
                fee_taken_minor: split.fee_taken_minor,
            };
            store::publish(&mut tx, &order, &event, None, "", now).await?;
        }
        tx.commit().await?;
        Ok(order)
    }

    /// The seller's time to answer a refund ran out: the timeline says so,
    /// and either side may now open a dispute.
    pub(crate) async fn refund_answer_lapsed(
        &self,
        tx: &mut kernel::Tx,
        refund_id: RefundId,
        now: Timestamp,
    ) -> Result<()> {
        let row = sqlx::query("SELECT order_id, status FROM trade_refund WHERE id = $1")
            .bind(refund_id)
            .fetch_optional(tx.conn())
            .await?;
        let Some(row) = row else { return Ok(()) };
        let status: String = row.try_get("status")?;
        if status != RefundStatus::Requested.as_str() {
            return Ok(());
        }
        let order = store::locked(tx, OrderId::from_raw(row.try_get("order_id")?)).await?;
        store::history(
            tx,
            &order,
            "RefundUnanswered",
            None,
            "the seller did not answer in time; either side may open a dispute",
            now,
        )
        .await
    }
}

/// The rules of a refund request against the order as it stands.
fn check_refund(order: &Order, input: &RefundInput) -> Result<()> {
    match order.state {
        OrderState::Paid | OrderState::Shipped | OrderState::Delivered => {}
        OrderState::Placed | OrderState::Confirmed => {
            return Err(TradeError::state(
                "not_paid",
                "nothing was paid; cancel the order instead",
            ));
        }
        state => return Err(state_refusal(state)),
    }
    if order.open_claim {
        return Err(TradeError::state(
            "claim_open",
            "a refund or dispute is already open",
        ));
    }
    if input.amount_minor <= 0 || input.amount_minor > order.total_minor {
        return Err(TradeError::invalid(
            "amount_minor",
            "exceeds_paid",
            format!("between 1 and the {} paid", order.total_minor),
        ));
    }
    if order.state == OrderState::Paid {
        if input.amount_minor != order.total_minor {
            return Err(TradeError::invalid(
                "amount_minor",
                "partial_before_shipping",
                "before shipping a refund is the whole amount; ask for part once the goods arrive",
            ));
        }
        if input.with_return {
            return Err(TradeError::invalid(
                "with_return",
                "not_shipped",
                "nothing was shipped to return",
            ));
        }
    }
    Ok(())
}
