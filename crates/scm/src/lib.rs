//! Supply chain: what each member stocks, where, and every quantity that
//! moved. Items with their units, warehouses with zones and bins, stock as
//! moves between locations (never edited), reservations that market orders
//! hold on linked products, a moving-average value, suppliers and purchase
//! orders. Fed by the deal's events (never by calling `trade`): a market
//! order is a purchase order for the buyer and a shipment for the seller.

mod batch;
mod company;
mod counts;
mod csv_file;
pub mod error;
pub mod events;
mod export;
mod feed;
mod fields;
mod fifo;
mod item_csv;
mod items;
mod keeper;
mod locations;
mod manual;
mod market_send;
mod model;
mod moves;
mod purchase;
mod receipts;
mod replenish;
mod returns;
mod rows;
mod stock;
mod stock_import;
mod supplier_csv;
mod supplier_prices;
mod suppliers;

use std::sync::Arc;

use kernel::migrate::Migration;
use kernel::{Clock, Db, Role, Scope};

pub use batch::MOVES_PER_BATCH_MAX;
pub use company::SettingsInput;
pub use counts::{
    COUNT_ENTRIES_MAX, COUNT_LINES_MAX, CountEntries, CountEntry, CountInput, CountLine,
    CountSummary, StockCount,
};
pub use csv_file::{IMPORT_BYTES_MAX, IMPORT_ROWS_MAX};
pub use error::{Result, ScmError};
pub use export::STOCK_CSV_HEADER;
pub use feed::ScmFeed;
pub use item_csv::ITEM_CSV_COLUMNS;
pub use items::{FACTOR_MAX, ITEMS_MAX, ItemInput, ItemUpdate, LinkInput, UNITS_MAX};
pub use keeper::ScmStockKeeper;
pub use locations::{LOCATIONS_MAX, LocationInput};
pub use manual::MoveInput;
pub use market_send::MarketSend;
pub use model::*;
pub use moves::{STOCK_PERIOD_MICROS, average_share, average_value};
pub use purchase::{PurchaseInput, PurchaseLineInput};
pub use receipts::{ReceiptInput, ReceiptLineInput};
pub use replenish::{Proposal, REPLENISH_JOB, Replenisher, handlers, proposed_quantity};
pub use returns::{ReturnInput, ReturnLineInput};
pub use stock::{StockAtDate, StockValue, ValuationLine};
pub use stock_import::STOCK_IMPORT_COLUMNS;
pub use supplier_csv::SUPPLIER_CSV_COLUMNS;
pub use supplier_prices::{
    LEAD_TIME_DAYS_MAX, SUPPLIERS_PER_ITEM_MAX, SupplierPrice, SupplierPriceInput,
};
pub use suppliers::SupplierInput;

/// The most base units any one quantity may be.
pub const QUANTITY_MAX: i64 = 1_000_000_000;

/// The supply chain's migrations, after market's and trade's.
pub fn migrations() -> Vec<Migration> {
    vec![
        Migration {
            module: "scm",
            version: 1,
            name: "items_locations_moves_purchases",
            sql: include_str!("../migrations/0001_scm.sql"),
        },
        Migration {
            module: "scm",
            version: 2,
            name: "stock_per_period",
            sql: include_str!("../migrations/0002_stock_per_period.sql"),
        },
        Migration {
            module: "scm",
            version: 3,
            name: "move_index_with_id",
            sql: include_str!("../migrations/0003_move_index_with_id.sql"),
        },
        Migration {
            module: "scm",
            version: 4,
            name: "counts_prices_replenishment",
            sql: include_str!("../migrations/0004_counts_prices_replenishment.sql"),
        },
        Migration {
            module: "scm",
            version: 5,
            name: "fifo_layers",
            sql: include_str!("../migrations/0005_fifo_layers.sql"),
        },
        Migration {
            module: "scm",
            version: 6,
            name: "market_send",
            sql: include_str!("../migrations/0006_market_send.sql"),
        },
    ]
}

/// Who may see stock, items and purchase orders.
pub fn may_view_stock(role: Role) -> bool {
    matches!(
        role,
        Role::Owner
            | Role::Admin
            | Role::Warehouse
            | Role::Purchasing
            | Role::Sales
            | Role::Finance
            | Role::Viewer
    )
}

/// Who may keep items, locations and moves.
pub fn may_keep_stock(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Admin | Role::Warehouse)
}

/// Who may keep suppliers and purchase orders.
pub fn may_purchase(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Admin | Role::Purchasing)
}

/// Who may receive goods against a purchase order.
pub fn may_receive(role: Role) -> bool {
    matches!(
        role,
        Role::Owner | Role::Admin | Role::Purchasing | Role::Warehouse
    )
}

/// The supply-chain service. Cheap to clone.
#[derive(Clone)]
pub struct Scm {
    db: Db,
    clock: Arc<dyn Clock>,
    market: market::Market,
}

impl Scm {
    pub fn new(db: Db, clock: Arc<dyn Clock>, market: market::Market) -> Scm {
        Scm { db, clock, market }
    }

    fn require(&self, scope: &Scope, allowed: fn(Role) -> bool) -> Result<()> {
        if allowed(scope.role()) {
            Ok(())
        } else {
            Err(ScmError::Forbidden)
        }
    }
}
