//! The supply chain's events: what the goods of a market order cost as they
//! left the seller's own stock or came back to it, at the value the
//! valuation (moving average or FIFO) gave them. The books post the cost of
//! goods from these, without reading the supply chain's tables.

use std::collections::BTreeMap;

use kernel::outbox::Event;
use kernel::{CompanyId, Currency, Timestamp};
use serde::{Deserialize, Serialize};
use trade::OrderId;

/// Why the goods moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostedReason {
    /// Shipped to the buyer: the cost of the goods sold.
    Shipment,
    /// Back from the buyer with a refund: that cost undone.
    CustomerReturn,
}

/// A value in one currency (an item's cost currency).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostInCurrency {
    pub currency: Currency,
    pub value_minor: i64,
}

/// The goods of a market order left or re-entered the seller's own stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderGoodsCosted {
    pub company_id: CompanyId,
    pub order_id: OrderId,
    pub reason: CostedReason,
    /// Per cost currency, never zero.
    pub costs: Vec<CostInCurrency>,
    pub at: Timestamp,
}

impl Event for OrderGoodsCosted {
    const NAME: &'static str = "OrderGoodsCosted";
    const VERSION: i64 = 1;
}

/// Adds up the values of the moves an operation wrote, per currency.
#[derive(Debug, Default)]
pub(crate) struct CostTally {
    by_currency: BTreeMap<String, CostInCurrency>,
}

impl CostTally {
    pub(crate) fn add(&mut self, currency: Currency, value_minor: i64) {
        self.by_currency
            .entry(currency.code().to_owned())
            .or_insert(CostInCurrency {
                currency,
                value_minor: 0,
            })
            .value_minor += value_minor;
    }

    /// The totals that are not zero, in currency order.
    pub(crate) fn costs(&self) -> Vec<CostInCurrency> {
        self.by_currency
            .values()
            .filter(|cost| cost.value_minor != 0)
            .copied()
            .collect()
    }
}

/// Publishes, inside `tx`, what the order's goods cost, unless nothing of
/// value moved. Call it last, after the moves.
pub(crate) async fn publish_costed(
    tx: &mut kernel::db::Tx,
    company: CompanyId,
    order_id: OrderId,
    reason: CostedReason,
    tally: &CostTally,
    at: Timestamp,
) -> Result<(), kernel::StorageError> {
    let costs = tally.costs();
    if costs.is_empty() {
        return Ok(());
    }
    let event = OrderGoodsCosted {
        company_id: company,
        order_id,
        reason,
        costs,
        at,
    };
    kernel::outbox::append(tx, &event, Some(company), at).await
}
