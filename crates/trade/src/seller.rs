//! The seller's answer to a placed order: confirm it (with the final prices
//! agreed in chat and the shipping fee), or decline it.

use kernel::{Money, Scope};
use serde::Deserialize;

use crate::error::{Result, TradeError};
use crate::events::{OrderConfirmed, OrderDeclined, OrderFacts};
use crate::model::{OrderId, OrderState};
use crate::place::fee_of;
use crate::{TEXT_CHARS_MAX, Trade, may_sell, store, timers};

/// A new price for one line, agreed with the buyer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinePrice {
    pub line_no: i64,
    pub unit_price_minor: i64,
}

/// The seller's confirmation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmInput {
    /// In the order's currency, minor units; zero when the price includes it.
    #[serde(default)]
    pub shipping_fee_minor: i64,
    /// Lines whose price changes; the others keep theirs.
    #[serde(default)]
    pub prices: Vec<LinePrice>,
    #[serde(default)]
    pub note: String,
}

impl Trade {
    pub async fn confirm_order(
        &self,
        scope: &Scope,
        id: OrderId,
        input: &ConfirmInput,
    ) -> Result<crate::Order> {
        self.seller_may(scope, id, may_sell).await?;
        let note = market::fields::paragraphs("note", &input.note, TEXT_CHARS_MAX)?;
        if !(0..=pay::AMOUNT_MINOR_MAX).contains(&input.shipping_fee_minor) {
            return Err(TradeError::invalid(
                "shipping_fee_minor",
                "out_of_range",
                "zero or more, within one escrow's limit",
            ));
        }
        let now = self.clock.now();
        let deadline = self.unpaid_deadline(now).await?;
        let mut tx = self.db.begin().await?;
        timers::cancel_order_timers(&mut tx, id, now).await?;
        let mut order = store::locked(&mut tx, id).await?;
        expect_state(order.state, OrderState::Placed)?;
        let currency = order.currency;
        for (index, price) in input.prices.iter().enumerate() {
            let line = order
                .lines
                .iter_mut()
                .find(|line| line.line_no == price.line_no)
                .ok_or_else(|| {
                    TradeError::invalid(
                        format!("prices[{index}].line_no"),
                        "unknown_line",
                        "no such line",
                    )
                })?;
            if !(1..=market::price::UNIT_PRICE_MINOR_MAX).contains(&price.unit_price_minor) {
                return Err(TradeError::invalid(
                    format!("prices[{index}].unit_price_minor"),
                    "out_of_range",
                    "a price above zero",
                ));
            }
            line.unit_price_minor = price.unit_price_minor;
            line.line_total_minor = Money::new(price.unit_price_minor, currency)
                .checked_mul(line.quantity)
                .map_err(|_| {
                    TradeError::invalid(
                        format!("prices[{index}].unit_price_minor"),
                        "out_of_range",
                        "the line's total is too large",
                    )
                })?
                .minor;
        }
        let goods = order
            .lines
            .iter()
            .try_fold(0_i64, |sum, line| sum.checked_add(line.line_total_minor));
        let total = goods.and_then(|goods| {
            goods
                .checked_add(input.shipping_fee_minor)
                .map(|total| (goods, total))
        });
        let Some((goods, total)) = total.filter(|(_, total)| *total <= pay::AMOUNT_MINOR_MAX)
        else {
            return Err(TradeError::invalid(
                "shipping_fee_minor",
                "out_of_range",
                "the order's total is above what one escrow may hold",
            ));
        };
        order.goods_total_minor = goods;
        order.shipping_fee_minor = input.shipping_fee_minor;
        order.total_minor = total;
        order.fee_minor = fee_of(total, order.fee_bp, currency)?;
        order.seller_note = note.clone();
        order.state = OrderState::Confirmed;
        order.confirmed_at = Some(now);
        order.updated_at = now;
        store::save(&mut tx, &order).await?;
        timers::schedule_cancel_unpaid(&mut tx, order.id, deadline, now).await?;
        let event = OrderConfirmed {
            order: OrderFacts::of(&order, now),
        };
        store::publish(&mut tx, &order, &event, Some(order.seller), &note, now).await?;
        tx.commit().await?;
        Ok(order)
    }

    pub async fn decline_order(
        &self,
        scope: &Scope,
        id: OrderId,
        reason: &str,
    ) -> Result<crate::Order> {
        self.seller_may(scope, id, may_sell).await?;
        let reason = market::fields::paragraphs("reason", reason, TEXT_CHARS_MAX)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        timers::cancel_order_timers(&mut tx, id, now).await?;
        let mut order = store::locked(&mut tx, id).await?;
        expect_state(order.state, OrderState::Placed)?;
        self.release_lines(&mut tx, &mut order, now).await?;
        order.state = OrderState::Declined;
        order.closed_at = Some(now);
        order.updated_at = now;
        store::save(&mut tx, &order).await?;
        let event = OrderDeclined {
            order: OrderFacts::of(&order, now),
            reason: reason.clone(),
        };
        store::publish(&mut tx, &order, &event, Some(order.seller), &reason, now).await?;
        tx.commit().await?;
        Ok(order)
    }
}

/// Refuses a transition from any state but `expected`, with a code that says
/// where the order is.
pub(crate) fn expect_state(actual: OrderState, expected: OrderState) -> Result<()> {
    if actual == expected {
        return Ok(());
    }
    Err(state_refusal(actual))
}

/// Why an order in `state` cannot take the step asked for.
pub(crate) fn state_refusal(state: OrderState) -> TradeError {
    let (code, message) = match state {
        OrderState::Placed => (
            "not_confirmed",
            "the seller has not confirmed the order yet",
        ),
        OrderState::Confirmed => ("not_paid", "the order has not been paid"),
        OrderState::Paid => ("not_shipped", "the order is paid and not shipped yet"),
        OrderState::Shipped => ("already_shipped", "the order has been shipped"),
        OrderState::Delivered => ("already_delivered", "the order has been delivered"),
        OrderState::Completed => ("already_completed", "receipt has been confirmed"),
        OrderState::Settled
        | OrderState::Declined
        | OrderState::Cancelled
        | OrderState::Refunded => ("order_closed", "the order is closed"),
    };
    TradeError::state(code, message)
}
