//! The marketplace: storefronts, the operator's category tree, products with
//! tiered prices and images, CSV import and export, buying requests and
//! quotations, and the search index kept current from the outbox.

mod category;
pub mod error;
pub mod events;
pub mod fields;
pub mod image_store;
mod images;
pub mod linked_stock;
mod model;
pub mod price;
mod product;
pub mod product_csv;
mod quotation;
mod rfq;
mod rows;
mod search;
pub mod search_feed;
mod stock;
mod storefront;

use std::path::PathBuf;
use std::sync::Arc;

use kernel::migrate::Migration;
use kernel::{Clock, Db};

pub use category::{CATEGORY_DEPTH_MAX, CategoryTree, NewCategory};
pub use error::{MarketError, Result};
pub use image_store::{IMAGE_BYTES_MAX, ImageSize, ImageStore};
pub use images::recorded_image_hashes;
pub use linked_stock::{LinkedAvailability, LinkedStock};
pub use model::*;
pub use product::{ProductInput, may_edit_catalog};
pub use product_csv::IMPORT_BYTES_MAX;
pub use quotation::{QuotationInput, STANDINGS_MAX, may_quote};
pub use rfq::{RfqInput, may_buy};
pub use storefront::{StorefrontInput, StorefrontOpener, StorefrontSeed};

/// The market module's migrations.
pub fn migrations() -> Vec<Migration> {
    vec![Migration {
        module: "market",
        version: 1,
        name: "catalog_rfq_quotations",
        sql: include_str!("../migrations/0001_market.sql"),
    }]
}

/// The marketplace service. Cheap to clone.
#[derive(Clone)]
pub struct Market {
    db: Db,
    clock: Arc<dyn Clock>,
    images: ImageStore,
    search: Arc<search_feed::SearchIndexes>,
    linked: LinkedStock,
}

impl Market {
    /// The service over `db`, keeping images under `images_dir` and searching
    /// `search` (kept current by [`search_feed::SearchFeed`]).
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        images_dir: PathBuf,
        search: Arc<search_feed::SearchIndexes>,
    ) -> Market {
        Market {
            db,
            clock,
            images: ImageStore::new(images_dir),
            search,
            linked: LinkedStock::default(),
        }
    }

    /// Reads linked products' available quantity from `linked` (the supply
    /// chain) instead of the market's own column.
    pub fn with_linked_stock(mut self, linked: LinkedStock) -> Market {
        self.linked = linked;
        self
    }
}
