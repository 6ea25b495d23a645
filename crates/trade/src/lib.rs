//! Trade: the order between two companies. It reserves the seller's stock
//! (through `market`, or a stock keeper such as the supply chain for linked
//! products), holds the buyer's money in escrow and settles it
//! (through `pay`), follows the goods through a carrier port, and carries
//! refunds and disputes to the operator's decision. Every transition is an
//! outbox event complete enough for the modules built on it.

pub mod actions;
pub mod carrier;
mod detail;
mod dispute;
pub mod error;
pub mod events;
mod fees;
mod model;
mod money;
mod place;
mod query;
mod quotation_orders;
mod refund;
pub mod rounds;
mod rows;
mod seller;
mod settle;
mod shipping;
pub mod stock;
mod store;
pub mod timers;

use std::sync::Arc;

use kernel::migrate::Migration;
use kernel::{Clock, Db, Role};

pub use actions::{Action, allowed_actions, operator_actions};
pub use carrier::{Carrier, Carriers, ParcelViewer, SandboxCarrier};
pub use detail::OrderDetail;
pub use dispute::DecisionInput;
pub use error::{Result, TradeError};
pub use model::*;
pub use place::{LineInput, OrderInput};
pub use query::{OrderFilter, Perspective};
pub use quotation_orders::QuotationOrders;
pub use refund::RefundInput;
pub use seller::{ConfirmInput, LinePrice};
pub use shipping::ShipInput;
pub use stock::{KeeperError, Keeping, StockKeeper, StockLine};

/// An order has at most this many lines.
pub const LINES_MAX: usize = 50;
/// The longest delivery address, note, reason or answer, in characters.
pub const TEXT_CHARS_MAX: usize = 2_000;
/// The highest fee the operator may set: 30 %.
pub const FEE_BP_MAX: i64 = 3_000;

/// The trade module's migrations, after market's and pay's.
pub fn migrations() -> Vec<Migration> {
    vec![Migration {
        module: "trade",
        version: 1,
        name: "orders_shipments_refunds_disputes",
        sql: include_str!("../migrations/0001_trade.sql"),
    }]
}

/// Who may place orders and ask for refunds for the buyer.
pub fn may_buy(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Admin | Role::Purchasing)
}

/// Who may pay an order from the company's wallet.
pub fn may_pay(role: Role) -> bool {
    matches!(
        role,
        Role::Owner | Role::Admin | Role::Finance | Role::Purchasing
    )
}

/// Who may confirm, decline and answer refunds for the seller.
pub fn may_sell(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Admin | Role::Sales)
}

/// Who may ship for the seller.
pub fn may_ship(role: Role) -> bool {
    matches!(
        role,
        Role::Owner | Role::Admin | Role::Sales | Role::Warehouse
    )
}

/// The trade service. Cheap to clone.
#[derive(Clone)]
pub struct Trade {
    db: Db,
    clock: Arc<dyn Clock>,
    market: market::Market,
    pay: pay::Pay,
    carriers: Carriers,
    /// Keeps the stock of linked products; the market keeps the rest.
    stock_keeper: Option<Arc<dyn StockKeeper>>,
}

impl Trade {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        market: market::Market,
        pay: pay::Pay,
        carriers: Carriers,
    ) -> Trade {
        Trade {
            db,
            clock,
            market,
            pay,
            carriers,
            stock_keeper: None,
        }
    }

    /// Lets `keeper` keep the stock of the products it links (the supply chain).
    pub fn with_stock_keeper(mut self, keeper: Arc<dyn StockKeeper>) -> Trade {
        self.stock_keeper = Some(keeper);
        self
    }

    pub fn carriers(&self) -> &Carriers {
        &self.carriers
    }
}
