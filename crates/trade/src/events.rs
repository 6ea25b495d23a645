//! The events of an order's life, published to the outbox. Supply chain,
//! books, CRM, trust and chat are built from these alone, so each carries the
//! whole deal (both companies, the lines, the money) and never makes a
//! subscriber read trade's tables.

use kernel::outbox::Event;
use kernel::{CompanyId, Currency, Timestamp};
use serde::{Deserialize, Serialize};

use crate::model::{DisputeId, Order, OrderId, OrderLine, RefundId, ShipmentId};

/// The deal as it stands when an event is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFacts {
    pub order_id: OrderId,
    pub buyer_company_id: CompanyId,
    pub seller_company_id: CompanyId,
    pub lines: Vec<OrderLine>,
    pub currency: Currency,
    pub goods_total_minor: i64,
    pub shipping_fee_minor: i64,
    pub total_minor: i64,
    pub fee_bp: i64,
    pub fee_minor: i64,
    pub refunded_minor: i64,
    pub terms: String,
    pub cross_border: bool,
    pub delivery_address: String,
    pub placed_at: Timestamp,
    /// When this event happened.
    pub at: Timestamp,
}

impl OrderFacts {
    pub fn of(order: &Order, at: Timestamp) -> OrderFacts {
        OrderFacts {
            order_id: order.id,
            buyer_company_id: order.buyer,
            seller_company_id: order.seller,
            lines: order.lines.clone(),
            currency: order.currency,
            goods_total_minor: order.goods_total_minor,
            shipping_fee_minor: order.shipping_fee_minor,
            total_minor: order.total_minor,
            fee_bp: order.fee_bp,
            fee_minor: order.fee_minor,
            refunded_minor: order.refunded_minor,
            terms: order.terms.clone(),
            cross_border: order.cross_border,
            delivery_address: order.delivery_address.clone(),
            placed_at: order.placed_at,
            at,
        }
    }
}

/// Declares an event that is the order's facts and nothing more.
macro_rules! order_event {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $name {
            #[serde(flatten)]
            pub order: OrderFacts,
        }

        impl Event for $name {
            const NAME: &'static str = stringify!($name);
            const VERSION: i64 = 1;
        }
    };
}

order_event!(
    /// A buyer placed an order; its products' stock is reserved.
    OrderPlaced
);
order_event!(
    /// The seller accepted the order, with the final price and shipping fee.
    OrderConfirmed
);
order_event!(
    /// The buyer's money is held in escrow.
    OrderPaid
);
order_event!(
    /// The carrier, or the buyer, reported the goods delivered.
    OrderDelivered
);
order_event!(
    /// The buyer confirmed receipt, or the order confirmed itself after the
    /// operator's period; the escrow is released next.
    OrderCompleted
);

/// The seller declined the order; the reservation is released.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDeclined {
    #[serde(flatten)]
    pub order: OrderFacts,
    pub reason: String,
}

impl Event for OrderDeclined {
    const NAME: &'static str = "OrderDeclined";
    const VERSION: i64 = 1;
}

/// Cancelled before payment, by either side or by the clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCancelled {
    #[serde(flatten)]
    pub order: OrderFacts,
    /// The company that cancelled; absent when the unpaid order timed out.
    pub cancelled_by: Option<CompanyId>,
    pub reason: String,
}

impl Event for OrderCancelled {
    const NAME: &'static str = "OrderCancelled";
    const VERSION: i64 = 1;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderShipped {
    #[serde(flatten)]
    pub order: OrderFacts,
    pub shipment_id: ShipmentId,
    pub carrier: String,
    pub tracking_number: String,
}

impl Event for OrderShipped {
    const NAME: &'static str = "OrderShipped";
    const VERSION: i64 = 1;
}

/// The seller's share of the escrow reached its wallet: `to_seller_minor`
/// of the total, of which `fee_taken_minor` went to the operator. Published
/// when an order settles in full, and with a partial refund or a dispute's
/// split (where `OrderRefunded` carries the buyer's part); each event carries
/// only its own money, so a subscriber that adds them up counts nothing twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSettled {
    #[serde(flatten)]
    pub order: OrderFacts,
    pub to_seller_minor: i64,
    pub fee_taken_minor: i64,
}

impl Event for OrderSettled {
    const NAME: &'static str = "OrderSettled";
    const VERSION: i64 = 1;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRequested {
    #[serde(flatten)]
    pub order: OrderFacts,
    pub refund_id: RefundId,
    pub amount_minor: i64,
    pub with_return: bool,
    pub reason: String,
    pub answer_by: Timestamp,
}

impl Event for RefundRequested {
    const NAME: &'static str = "RefundRequested";
    const VERSION: i64 = 1;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRefused {
    #[serde(flatten)]
    pub order: OrderFacts,
    pub refund_id: RefundId,
    pub answer: String,
}

impl Event for RefundRefused {
    const NAME: &'static str = "RefundRefused";
    const VERSION: i64 = 1;
}

/// Money went back to the buyer: `to_buyer_minor`, by a refund the seller
/// accepted or by a dispute's decision. All of it closes the order as
/// refunded; part of it comes with an `OrderSettled` for the seller's part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRefunded {
    #[serde(flatten)]
    pub order: OrderFacts,
    pub refund_id: Option<RefundId>,
    pub dispute_id: Option<DisputeId>,
    pub to_buyer_minor: i64,
    /// The goods came back to the seller's stock.
    pub goods_returned: bool,
}

impl Event for OrderRefunded {
    const NAME: &'static str = "OrderRefunded";
    const VERSION: i64 = 1;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeOpened {
    #[serde(flatten)]
    pub order: OrderFacts,
    pub dispute_id: DisputeId,
    pub opened_by: CompanyId,
    pub reason: String,
}

impl Event for DisputeOpened {
    const NAME: &'static str = "DisputeOpened";
    const VERSION: i64 = 1;
}

/// The operator decided: the split of the escrow, and why. Final.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeResolved {
    #[serde(flatten)]
    pub order: OrderFacts,
    pub dispute_id: DisputeId,
    pub to_buyer_minor: i64,
    pub to_seller_minor: i64,
    pub fee_taken_minor: i64,
    pub decision: String,
}

impl Event for DisputeResolved {
    const NAME: &'static str = "DisputeResolved";
    const VERSION: i64 = 1;
}
