//! The order's money in escrow, through `pay`: hold it when the buyer pays,
//! and close it once, with a split between buyer and seller. Both calls are
//! idempotent per order, so a transition cut short by a crash is finished by
//! doing it again.

use kernel::Money;

use crate::Trade;
use crate::error::{Result, TradeError};
use crate::model::Order;

/// How a closed escrow was divided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split {
    pub to_buyer_minor: i64,
    /// Before the fee.
    pub to_seller_minor: i64,
    /// The operator's part of the seller's share.
    pub fee_taken_minor: i64,
}

impl Trade {
    /// Holds the order's total from the buyer's wallet. The same order held
    /// again answers the same escrow.
    pub(crate) async fn hold_payment(&self, order: &Order) -> Result<pay::Escrow> {
        Ok(self
            .pay
            .hold_escrow(
                order.id.raw(),
                order.buyer,
                order.seller,
                order.total(),
                order.fee(),
            )
            .await?)
    }

    /// Whether the order's money is held (a payment that committed in `pay`
    /// although the order did not hear of it yet). A hold the ledger made
    /// counts even while the escrow's own record of it is unfinished: a crash
    /// between the two must not let a cancel strand the buyer's money.
    pub(crate) async fn payment_held(&self, order: &Order) -> Result<bool> {
        Ok(self.pay.escrow_hold_made(order.id.raw()).await?)
    }

    /// Closes the escrow: `to_buyer_minor` back to the buyer, the rest to the
    /// seller less the fee in proportion. Done already with the same split, it
    /// answers that split; done with another, it refuses.
    pub(crate) async fn close_escrow(&self, order: &Order, to_buyer_minor: i64) -> Result<Split> {
        let mut escrow = self
            .pay
            .escrow_of_order(order.id.raw())
            .await?
            .ok_or(TradeError::state("not_paid", "the order has not been paid"))?;
        if escrow.status == "holding" && self.payment_held(order).await? {
            // The hold was made but a crash kept it from its record (the
            // unpaid order's timer then records the payment without pay):
            // finishing the hold again completes the record, moving nothing.
            escrow = self.hold_payment(order).await?;
        }
        let amount = escrow.amount.minor;
        if !(0..=amount).contains(&to_buyer_minor) {
            return Err(TradeError::invalid(
                "amount_minor",
                "exceeds_paid",
                format!("at most the {amount} paid"),
            ));
        }
        let to_seller_minor = amount - to_buyer_minor;
        let split = Split {
            to_buyer_minor,
            to_seller_minor,
            fee_taken_minor: pay::escrow_fee_share(escrow.fee.minor, amount, to_seller_minor),
        };
        let closed = match escrow.status.as_str() {
            "held" => {
                if to_buyer_minor == 0 {
                    self.pay.release_escrow(escrow.id).await?
                } else {
                    self.pay
                        .refund_escrow(
                            escrow.id,
                            Money::new(to_buyer_minor, escrow.amount.currency),
                        )
                        .await?
                }
            }
            _ => escrow,
        };
        let released = match closed.status.as_str() {
            "released" => closed.amount.minor,
            "partially_refunded" => closed.released.minor,
            "refunded" => 0,
            other => {
                return Err(TradeError::state(
                    "escrow_not_held",
                    format!("the escrow is {other}"),
                ));
            }
        };
        if released != to_seller_minor {
            return Err(TradeError::state(
                "escrow_closed_otherwise",
                "the escrow was already divided differently",
            ));
        }
        Ok(split)
    }
}
