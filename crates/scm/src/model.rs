//! What the supply chain is made of: items, locations, moves, suppliers and
//! purchase orders, as the rest of Hanse sees them.

use kernel::{Currency, Timestamp};
use serde::{Deserialize, Serialize};

kernel::define_id!(
    /// Something a company stocks.
    ItemId,
    "itm"
);
kernel::define_id!(
    /// A warehouse, zone or bin, or a virtual supplier, customer or loss location.
    LocationId,
    "loc"
);
kernel::define_id!(
    /// One stock move.
    MoveId,
    "mv"
);
kernel::define_id!(
    /// A company a member buys from.
    SupplierId,
    "sup"
);
kernel::define_id!(
    /// What one replenishment run proposed for one item.
    ProposalId,
    "rpl"
);
kernel::define_id!(
    /// A count sheet of one location.
    CountId,
    "cnt"
);
kernel::define_id!(
    /// A purchase order.
    PurchaseOrderId,
    "po"
);

/// Declares a string-coded enum with its wire names, parse and `as_str`.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident as $schema:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        #[schema(as = $schema)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

coded_enum!(
    /// A company's own locations hold stock; the virtual ones are the other
    /// side of receipts, shipments and losses, and go negative.
    LocationKind as ScmLocationKind {
        Warehouse = "warehouse",
        Zone = "zone",
        Bin = "bin",
        Supplier = "supplier",
        Customer = "customer",
        Loss = "loss",
    }
);

impl LocationKind {
    /// Whether stock here is the company's own (never negative, valued).
    pub fn is_own(self) -> bool {
        matches!(
            self,
            LocationKind::Warehouse | LocationKind::Zone | LocationKind::Bin
        )
    }
}

coded_enum!(
    /// Why stock moved.
    MoveReason as ScmMoveReason {
        Receipt = "receipt",
        Shipment = "shipment",
        Transfer = "transfer",
        Adjustment = "adjustment",
        Count = "count",
        CustomerReturn = "customer_return",
        SupplierReturn = "supplier_return",
    }
);

coded_enum!(
    /// How a company values its stock.
    Valuation as ScmValuation {
        Average = "average",
        Fifo = "fifo",
    }
);

coded_enum!(
    /// What the daily replenishment does when an item falls to its reorder
    /// point: draft purchase orders, post buying requests, or nothing.
    ReplenishWith as ScmReplenishWith {
        PurchaseOrders = "purchase_orders",
        BuyingRequests = "buying_requests",
        Off = "off",
    }
);

coded_enum!(
    /// What replenishment did for an item.
    ReplenishOutcome as ScmReplenishOutcome {
        PurchaseOrder = "purchase_order",
        BuyingRequest = "buying_request",
        NoSupplier = "no_supplier",
        NoCategory = "no_category",
        RequestRefused = "request_refused",
    }
);

coded_enum!(
    /// Where a count sheet is: being counted, booked, or dropped.
    CountState as ScmCountState {
        Open = "open",
        Posted = "posted",
        Cancelled = "cancelled",
    }
);

coded_enum!(
    PurchaseState as ScmPurchaseState {
        Draft = "draft",
        Ordered = "ordered",
        PartiallyReceived = "partially_received",
        Received = "received",
        Cancelled = "cancelled",
    }
);

/// A company's supply-chain settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmSettings)]
pub struct ScmSettings {
    pub valuation: Valuation,
    pub replenish_with: ReplenishWith,
    pub default_warehouse_id: LocationId,
    pub supplier_location_id: LocationId,
    pub customer_location_id: LocationId,
    pub loss_location_id: LocationId,
}

/// Another unit of an item: one `unit` is `factor` base units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmUnit)]
pub struct UnitConversion {
    pub unit: String,
    pub factor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmItem)]
pub struct Item {
    pub id: ItemId,
    pub sku: String,
    pub name: String,
    /// The base unit every quantity of the item is counted in.
    pub unit: String,
    pub units: Vec<UnitConversion>,
    pub cost_currency: Currency,
    pub lot_tracked: bool,
    pub reorder_point: i64,
    pub reorder_quantity: i64,
    /// In the company's own locations, in base units.
    pub on_hand: i64,
    /// What that stock is worth, in minor units of `cost_currency`.
    pub stock_value_minor: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmLocation)]
pub struct Location {
    pub id: LocationId,
    /// The location it is inside (absent for a warehouse and the virtual ones).
    pub parent_id: Option<LocationId>,
    /// The warehouse whose tree it is in (itself for a warehouse).
    pub warehouse_id: Option<LocationId>,
    pub kind: LocationKind,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmMove)]
pub struct StockMove {
    pub id: MoveId,
    pub item_id: ItemId,
    pub lot: String,
    /// In the item's base unit.
    pub quantity: i64,
    pub from_location_id: LocationId,
    pub to_location_id: LocationId,
    /// What the goods were worth as they moved, in the item's cost currency.
    pub value_minor: i64,
    pub reason: MoveReason,
    pub note: String,
    pub source: String,
    pub moved_at: Timestamp,
}

/// A market product whose stock is an item's in one warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmProductLink)]
pub struct ProductLink {
    pub product_id: market::ProductId,
    pub item_id: ItemId,
    pub warehouse_id: LocationId,
    /// Base units in one unit of the product.
    pub factor: i64,
    /// What the market shows as available, in the product's unit.
    pub available_quantity: i64,
}

/// Stock of one item in one location and lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmStockLine)]
pub struct StockLine {
    pub location_id: LocationId,
    pub item_id: ItemId,
    pub lot: String,
    pub quantity: i64,
}

/// An item's stock in one warehouse: on hand, held for orders, free to sell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmWarehouseStock)]
pub struct WarehouseStock {
    pub warehouse_id: LocationId,
    pub item_id: ItemId,
    pub on_hand: i64,
    pub reserved: i64,
    pub available: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmSupplier)]
pub struct Supplier {
    pub id: SupplierId,
    pub name: String,
    /// The supplier's company on this network, when it is a member.
    pub network_company_id: Option<kernel::CompanyId>,
    pub contact: String,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmPurchaseLine)]
pub struct PurchaseLine {
    pub line_no: i64,
    pub item_id: ItemId,
    pub unit: String,
    /// Base units in one `unit`.
    pub factor: i64,
    pub quantity: i64,
    pub received_quantity: i64,
    pub returned_quantity: i64,
    pub unit_price_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmPurchaseOrder)]
pub struct PurchaseOrder {
    pub id: PurchaseOrderId,
    pub po_no: i64,
    pub supplier_id: SupplierId,
    /// The market order it mirrors, when bought on the network.
    pub market_order_id: Option<trade::OrderId>,
    pub state: PurchaseState,
    pub currency: Currency,
    pub shipping_fee_minor: i64,
    /// Where its goods are received unless a receipt says otherwise.
    pub warehouse_id: LocationId,
    pub note: String,
    /// The market order was delivered; its receipt waits for the member.
    pub delivery_waiting: bool,
    pub lines: Vec<PurchaseLine>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}
