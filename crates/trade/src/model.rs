//! The records of trade, as the rest of Hanse sees them: orders and their
//! lines, the timeline, shipments with tracking, refunds and disputes.

use kernel::{CompanyId, Currency, Money, Timestamp, define_id};
use serde::{Deserialize, Serialize};

define_id!(
    /// An order between a buyer and a seller.
    OrderId,
    "ord"
);
define_id!(
    /// One entry of an order's timeline.
    HistoryId,
    "hist"
);
define_id!(
    /// Goods on their way: a carrier and a tracking number.
    ShipmentId,
    "shp"
);
define_id!(
    /// A tracking event a carrier reported.
    TrackingEventId,
    "trk"
);
define_id!(
    /// A buyer's request for money back.
    RefundId,
    "rfd"
);
define_id!(
    /// A disagreement the operator decides.
    DisputeId,
    "dsp"
);

/// Where an order is in its life. Terminal states: settled, declined,
/// cancelled, refunded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Waiting for the seller to confirm or decline.
    Placed,
    /// Confirmed by the seller, waiting for the buyer's payment.
    Confirmed,
    /// Paid into escrow, waiting for the seller to ship.
    Paid,
    Shipped,
    Delivered,
    /// Receipt confirmed; the escrow is being released.
    Completed,
    /// The escrow went to the seller (less the fee), in part or whole.
    Settled,
    Declined,
    Cancelled,
    /// All the money went back to the buyer.
    Refunded,
}

impl OrderState {
    pub const ALL: [OrderState; 10] = [
        OrderState::Placed,
        OrderState::Confirmed,
        OrderState::Paid,
        OrderState::Shipped,
        OrderState::Delivered,
        OrderState::Completed,
        OrderState::Settled,
        OrderState::Declined,
        OrderState::Cancelled,
        OrderState::Refunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::Placed => "placed",
            OrderState::Confirmed => "confirmed",
            OrderState::Paid => "paid",
            OrderState::Shipped => "shipped",
            OrderState::Delivered => "delivered",
            OrderState::Completed => "completed",
            OrderState::Settled => "settled",
            OrderState::Declined => "declined",
            OrderState::Cancelled => "cancelled",
            OrderState::Refunded => "refunded",
        }
    }

    pub fn parse(text: &str) -> Option<OrderState> {
        OrderState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The buyer's money is in escrow.
    pub fn holds_escrow(self) -> bool {
        matches!(
            self,
            OrderState::Paid | OrderState::Shipped | OrderState::Delivered | OrderState::Completed
        )
    }

    pub fn is_closed(self) -> bool {
        matches!(
            self,
            OrderState::Settled
                | OrderState::Declined
                | OrderState::Cancelled
                | OrderState::Refunded
        )
    }
}

/// What happened to a line's stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineStock {
    /// A line from a quotation: no product's stock is involved.
    None,
    Reserved,
    Released,
    Consumed,
    /// Shipped, then returned to stock with a refund.
    Returned,
}

impl LineStock {
    pub fn as_str(self) -> &'static str {
        match self {
            LineStock::None => "none",
            LineStock::Reserved => "reserved",
            LineStock::Released => "released",
            LineStock::Consumed => "consumed",
            LineStock::Returned => "returned",
        }
    }

    pub fn parse(text: &str) -> Option<LineStock> {
        [
            LineStock::None,
            LineStock::Reserved,
            LineStock::Released,
            LineStock::Consumed,
            LineStock::Returned,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// One line of an order, as downstream modules need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderLine {
    pub line_no: i64,
    /// The product (`prd_…`); absent for a line from a quotation.
    pub product_id: Option<market::ProductId>,
    pub sku: String,
    pub title: String,
    pub quantity: i64,
    pub unit: String,
    pub unit_price_minor: i64,
    pub line_total_minor: i64,
    pub stock: LineStock,
}

/// An order as both sides see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Order {
    pub id: OrderId,
    pub buyer: CompanyId,
    pub seller: CompanyId,
    pub state: OrderState,
    pub currency: Currency,
    pub lines: Vec<OrderLine>,
    pub goods_total_minor: i64,
    pub shipping_fee_minor: i64,
    /// Goods and shipping: what the buyer pays.
    pub total_minor: i64,
    /// The operator's fee rate, fixed when the order was placed.
    pub fee_bp: i64,
    /// The operator's fee on the total.
    pub fee_minor: i64,
    /// Returned to the buyer by a refund or a dispute's decision.
    pub refunded_minor: i64,
    pub delivery_address: String,
    pub buyer_note: String,
    pub seller_note: String,
    /// Incoterms for a cross-border order (`FOB`, `CIF`, ...), or empty.
    pub terms: String,
    pub cross_border: bool,
    pub category_id: market::CategoryId,
    pub quotation_id: Option<market::QuotationId>,
    /// A refund or dispute is open; the order's timers wait for it.
    pub open_claim: bool,
    pub placed_at: Timestamp,
    pub confirmed_at: Option<Timestamp>,
    pub paid_at: Option<Timestamp>,
    pub shipped_at: Option<Timestamp>,
    pub delivered_at: Option<Timestamp>,
    pub completed_at: Option<Timestamp>,
    pub settled_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

impl Order {
    pub fn total(&self) -> Money {
        Money::new(self.total_minor, self.currency)
    }

    pub fn fee(&self) -> Money {
        Money::new(self.fee_minor, self.currency)
    }

    /// Which side `company` is on, if any.
    pub fn side_of(&self, company: CompanyId) -> Option<Side> {
        if company == self.buyer {
            Some(Side::Buyer)
        } else if company == self.seller {
            Some(Side::Seller)
        } else {
            None
        }
    }

    pub fn counterparty_of(&self, company: CompanyId) -> CompanyId {
        if company == self.buyer {
            self.seller
        } else {
            self.buyer
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Buyer,
    Seller,
}

/// One entry of the timeline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    pub id: HistoryId,
    /// The event's name (`OrderPaid`) or `Tracking` for a carrier's report.
    pub kind: String,
    /// Who acted; absent for the carrier, the clock and the operator.
    pub actor: Option<CompanyId>,
    pub note: String,
    pub at: Timestamp,
}

/// A tracking status, in the order carriers report them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TrackingStatus {
    Created,
    PickedUp,
    Departed,
    Customs,
    OutForDelivery,
    Delivered,
}

impl TrackingStatus {
    pub const ALL: [TrackingStatus; 6] = [
        TrackingStatus::Created,
        TrackingStatus::PickedUp,
        TrackingStatus::Departed,
        TrackingStatus::Customs,
        TrackingStatus::OutForDelivery,
        TrackingStatus::Delivered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TrackingStatus::Created => "created",
            TrackingStatus::PickedUp => "picked_up",
            TrackingStatus::Departed => "departed",
            TrackingStatus::Customs => "customs",
            TrackingStatus::OutForDelivery => "out_for_delivery",
            TrackingStatus::Delivered => "delivered",
        }
    }

    pub fn parse(text: &str) -> Option<TrackingStatus> {
        TrackingStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// One package of a packing list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PackingItem {
    /// The order line packed.
    pub line_no: i64,
    pub quantity: i64,
    /// Cartons or pallets holding it.
    pub packages: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Shipment {
    pub id: ShipmentId,
    pub order_id: OrderId,
    pub carrier: String,
    pub tracking_number: String,
    pub packing_list: Vec<PackingItem>,
    pub status: TrackingStatus,
    pub events: Vec<TrackingEvent>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrackingEvent {
    pub status: TrackingStatus,
    pub location: String,
    pub occurred_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    /// Waiting for the seller's answer.
    Requested,
    Refused,
    /// Accepted against the return of the goods, which the seller has not
    /// received back yet.
    AwaitingReturn,
    Refunded,
    /// Taken to the operator.
    Disputed,
}

impl RefundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RefundStatus::Requested => "requested",
            RefundStatus::Refused => "refused",
            RefundStatus::AwaitingReturn => "awaiting_return",
            RefundStatus::Refunded => "refunded",
            RefundStatus::Disputed => "disputed",
        }
    }

    pub fn parse(text: &str) -> Option<RefundStatus> {
        [
            RefundStatus::Requested,
            RefundStatus::Refused,
            RefundStatus::AwaitingReturn,
            RefundStatus::Refunded,
            RefundStatus::Disputed,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Refund {
    pub id: RefundId,
    pub order_id: OrderId,
    pub amount_minor: i64,
    pub reason: String,
    /// The buyer sends the goods back.
    pub with_return: bool,
    pub status: RefundStatus,
    /// The seller's answer.
    pub answer: String,
    /// When the seller's time to answer ends.
    pub answer_by: Timestamp,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dispute {
    pub id: DisputeId,
    pub order_id: OrderId,
    pub buyer: CompanyId,
    pub seller: CompanyId,
    pub opened_by: CompanyId,
    pub reason: String,
    /// `open` or `resolved`.
    pub status: String,
    pub to_buyer_minor: i64,
    pub to_seller_minor: i64,
    /// The operator's reason for the decision.
    pub decision: String,
    pub decided_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// The operator's terms of trade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TradePolicy {
    /// The fee where no top category has its own, in basis points.
    pub fee_default_bp: i64,
    /// Days after delivery until receipt confirms itself.
    pub auto_confirm_after_days: i64,
    /// Hours a confirmed order may stay unpaid before it is cancelled.
    pub unpaid_cancel_after_hours: i64,
    /// Days the seller has to answer a refund request.
    pub refund_answer_within_days: i64,
}

/// A top category's own fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CategoryFee {
    pub category_id: market::CategoryId,
    pub fee_bp: i64,
}
