//! The money's way through an order: the buyer pays into escrow, confirms
//! receipt (or the clock does, a period after delivery), and the escrow is
//! released to the seller less the operator's fee.
//!
//! Each step that moves money does it in `pay` first and records it on the
//! order after; both are idempotent, so when a crash falls between them the
//! next attempt finishes the step: the buyer paying again or the unpaid
//! order's timer for a payment, [`Trade::finish_settlements`] for a release.

use kernel::db::Tx;
use kernel::{CompanyId, Scope, Timestamp};
use sqlx::Row;

use crate::error::{Result, TradeError};
use crate::events::{OrderCompleted, OrderDelivered, OrderFacts, OrderPaid, OrderSettled};
use crate::model::{Order, OrderId, OrderState};
use crate::seller::{expect_state, state_refusal};
use crate::{Trade, may_buy, may_pay, store, timers};

/// Completed orders settled per round of [`Trade::finish_settlements`].
const SETTLEMENTS_PER_ROUND_MAX: i64 = 500;

impl Trade {
    /// The buyer pays: the total is held in escrow from its wallet. Not
    /// enough money, or paying twice, is refused and changes nothing.
    pub async fn pay_order(&self, scope: &Scope, id: OrderId) -> Result<Order> {
        let order = self.buyer_may(scope, id, may_pay).await?;
        expect_state(order.state, OrderState::Confirmed).map_err(|error| {
            if order.state.holds_escrow() || order.state == OrderState::Settled {
                TradeError::state("already_paid", "the order is already paid")
            } else {
                error
            }
        })?;
        self.hold_payment(&order).await?;
        match self.record_payment(id).await {
            Ok(order) => Ok(order),
            // The order was cancelled while the money was on its way: give it back.
            Err(TradeError::State {
                code: "order_closed",
                ..
            }) => {
                self.close_escrow(&order, order.total_minor).await?;
                Err(TradeError::state(
                    "order_closed",
                    "the order was cancelled; the payment went back to the wallet",
                ))
            }
            Err(error) => Err(error),
        }
    }

    /// Marks an order paid whose escrow is held. Paid already: the order as it is.
    pub(crate) async fn record_payment(&self, id: OrderId) -> Result<Order> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        timers::cancel_order_timers(&mut tx, id, now).await?;
        let order = store::locked(&mut tx, id).await?;
        let order = self.record_payment_in(&mut tx, order, now).await?;
        tx.commit().await?;
        Ok(order)
    }

    /// [`Trade::record_payment`] of a locked order inside `tx`.
    pub(crate) async fn record_payment_in(
        &self,
        tx: &mut Tx,
        mut order: Order,
        now: Timestamp,
    ) -> Result<Order> {
        match order.state {
            OrderState::Confirmed => {}
            state if state.holds_escrow() => return Ok(order),
            state => return Err(state_refusal(state)),
        }
        order.state = OrderState::Paid;
        order.paid_at = Some(now);
        order.updated_at = now;
        store::save(tx, &order).await?;
        let event = OrderPaid {
            order: OrderFacts::of(&order, now),
        };
        store::publish(tx, &order, &event, Some(order.buyer), "", now).await?;
        Ok(order)
    }

    /// The buyer has the goods: the order completes and its escrow goes to
    /// the seller. Only the buyer may; a shipped order counts as delivered.
    pub async fn confirm_receipt(&self, scope: &Scope, id: OrderId) -> Result<Order> {
        self.buyer_may(scope, id, may_buy).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        timers::cancel_order_timers(&mut tx, id, now).await?;
        let order = store::locked(&mut tx, id).await?;
        if order.state != OrderState::Completed {
            self.complete_in(&mut tx, order, Some(scope.company_id()), now)
                .await?;
        }
        tx.commit().await?;
        self.settle(id).await
    }

    /// Completes a locked shipped or delivered order without an open claim,
    /// inside `tx`: for the buyer (`by`) or the clock.
    pub(crate) async fn complete_in(
        &self,
        tx: &mut Tx,
        mut order: Order,
        by: Option<CompanyId>,
        now: Timestamp,
    ) -> Result<Order> {
        match order.state {
            OrderState::Shipped | OrderState::Delivered => {}
            state => return Err(state_refusal(state)),
        }
        if order.open_claim {
            return Err(TradeError::state(
                "claim_open",
                "a refund or dispute is open; it decides where the money goes",
            ));
        }
        if order.state == OrderState::Shipped {
            order.delivered_at = Some(now);
            let event = OrderDelivered {
                order: OrderFacts::of(&order, now),
            };
            store::publish(tx, &order, &event, by, "confirmed by the buyer", now).await?;
        }
        order.state = OrderState::Completed;
        order.completed_at = Some(now);
        order.updated_at = now;
        store::save(tx, &order).await?;
        let note = if by.is_some() {
            ""
        } else {
            "confirmed by the clock after delivery"
        };
        let event = OrderCompleted {
            order: OrderFacts::of(&order, now),
        };
        store::publish(tx, &order, &event, by, note, now).await?;
        Ok(order)
    }

    /// Releases a completed order's escrow to the seller and closes the order
    /// as settled. Settled already: the order as it is.
    pub(crate) async fn settle(&self, id: OrderId) -> Result<Order> {
        let order = store::load(self.db.reader(), id)
            .await?
            .ok_or(TradeError::NotFound("order"))?;
        match order.state {
            OrderState::Completed => {}
            OrderState::Settled => return Ok(order),
            state => return Err(state_refusal(state)),
        }
        let split = self.close_escrow(&order, 0).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let mut order = store::locked(&mut tx, id).await?;
        if order.state != OrderState::Completed {
            return Ok(order);
        }
        order.state = OrderState::Settled;
        order.settled_at = Some(now);
        order.closed_at = Some(now);
        order.updated_at = now;
        store::save(&mut tx, &order).await?;
        let event = OrderSettled {
            order: OrderFacts::of(&order, now),
            to_seller_minor: split.to_seller_minor,
            fee_taken_minor: split.fee_taken_minor,
        };
        store::publish(&mut tx, &order, &event, None, "", now).await?;
        tx.commit().await?;
        Ok(order)
    }

    /// Settles every completed order: those the clock confirmed, and any a
    /// crash left between completion and release. Answers how many settled;
    /// one that fails is logged and tried again next round.
    pub async fn finish_settlements(&self) -> Result<usize> {
        let ids: Vec<i64> = sqlx::query(
            "SELECT id FROM trade_order WHERE state = 'completed' ORDER BY id LIMIT $1",
        )
        .bind(SETTLEMENTS_PER_ROUND_MAX)
        .fetch_all(self.db.reader())
        .await?
        .iter()
        .map(|row| row.try_get(0))
        .collect::<Result<_, _>>()?;
        let mut settled = 0;
        for id in ids {
            match self.settle(OrderId::from_raw(id)).await {
                Ok(_) => settled += 1,
                Err(error) => {
                    tracing::error!(order.id = %OrderId::from_raw(id), %error, "could not settle a completed order")
                }
            }
        }
        Ok(settled)
    }
}
