//! `/api/v1/scm`: the company's supply chain: items and their units,
//! warehouses, zones and bins, stock moves, stock levels and their value,
//! the market products an item keeps, suppliers and their prices, purchase
//! orders with their receipts and returns, count sheets, replenishment, and
//! the CSV files of items, suppliers and stock.

pub mod counts;
pub mod files;
pub mod items;
pub mod links;
pub mod locations;
pub mod moves;
pub mod purchase_orders;
pub mod replenishment;
pub mod send;
pub mod settings;
pub mod stock;
pub mod suppliers;

use kernel::Timestamp;

use crate::error::ApiResult;

/// The moment just before the day `text` (`YYYY-MM-DD`) starts: stock and
/// value "before this day" are what every earlier move left.
pub(crate) fn before_day(field: &str, text: Option<&str>) -> ApiResult<Option<Timestamp>> {
    Ok(super::books::query_date(field, text)?
        .map(|start| Timestamp::from_micros(start.micros() - 1)))
}
