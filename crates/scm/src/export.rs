//! The stock levels as CSV: one row per item and warehouse (an item with no
//! stock has one row without a warehouse), with what is on hand, held for
//! orders, free, and its share of the item's value, in base units.

use std::collections::BTreeMap;

use kernel::Scope;
use sqlx::Row;

use crate::error::Result;
use crate::items::ITEMS_MAX;
use crate::model::{ItemId, LocationId};
use crate::moves::average_share;
use crate::{Scm, may_view_stock};

/// The header of the stock levels file.
pub const STOCK_CSV_HEADER: [&str; 9] = [
    "sku",
    "name",
    "unit",
    "warehouse",
    "on_hand",
    "reserved",
    "free",
    "value",
    "currency",
];

impl Scm {
    /// Every item's stock per warehouse as CSV (RFC 4180), at most
    /// [`ITEMS_MAX`] items.
    pub async fn stock_csv(&self, scope: &Scope) -> Result<String> {
        self.require(scope, may_view_stock)?;
        let company = scope.company_id();
        let reader = self.db.reader();
        let warehouses: BTreeMap<i64, String> = sqlx::query(
            "SELECT id, code FROM scm_location WHERE company_id = $1 AND kind = 'warehouse'",
        )
        .bind(company)
        .fetch_all(reader)
        .await?
        .iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect::<Result<_>>()?;
        let mut levels: BTreeMap<ItemId, Vec<(LocationId, i64, i64)>> = BTreeMap::new();
        for row in sqlx::query(
            "SELECT item_id, warehouse_id, on_hand, reserved FROM scm_warehouse_stock
             WHERE company_id = $1 AND (on_hand <> 0 OR reserved <> 0) ORDER BY item_id, warehouse_id",
        )
        .bind(company)
        .fetch_all(reader)
        .await?
        {
            levels
                .entry(ItemId::from_raw(row.try_get("item_id")?))
                .or_default()
                .push((
                    LocationId::from_raw(row.try_get("warehouse_id")?),
                    row.try_get("on_hand")?,
                    row.try_get("reserved")?,
                ));
        }
        let items = sqlx::query(
            "SELECT id, sku, name, unit, cost_currency, pool_quantity, pool_value_minor FROM scm_item
             WHERE company_id = $1 ORDER BY sku LIMIT $2",
        )
        .bind(company)
        .bind(ITEMS_MAX)
        .fetch_all(reader)
        .await?;
        let in_memory = "writing CSV into memory cannot fail";
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(STOCK_CSV_HEADER).expect(in_memory);
        for row in &items {
            let id = ItemId::from_raw(row.try_get("id")?);
            let sku: String = row.try_get("sku")?;
            let name: String = row.try_get("name")?;
            let unit: String = row.try_get("unit")?;
            let currency = crate::rows::currency_in(row, "cost_currency")?;
            let pool_quantity: i64 = row.try_get("pool_quantity")?;
            let pool_value: i64 = row.try_get("pool_value_minor")?;
            let money = |minor: i64| kernel::Money::new(minor, currency).decimal();
            let lines = levels.remove(&id).unwrap_or_default();
            if lines.is_empty() {
                writer
                    .write_record([
                        &sku,
                        &name,
                        &unit,
                        "",
                        "0",
                        "0",
                        "0",
                        &money(0),
                        currency.code(),
                    ])
                    .expect(in_memory);
                continue;
            }
            // The last warehouse takes the rounding, so the rows add up to the item's value.
            let mut left = pool_value;
            for (index, (warehouse, on_hand, reserved)) in lines.iter().enumerate() {
                let value = if index + 1 == lines.len() {
                    left
                } else {
                    average_share(pool_value, pool_quantity, *on_hand)
                };
                left -= value;
                let code = warehouses
                    .get(&warehouse.raw())
                    .cloned()
                    .unwrap_or_default();
                writer
                    .write_record([
                        sku.as_str(),
                        name.as_str(),
                        unit.as_str(),
                        code.as_str(),
                        &on_hand.to_string(),
                        &reserved.to_string(),
                        &(on_hand - reserved).to_string(),
                        &money(value),
                        currency.code(),
                    ])
                    .expect(in_memory);
            }
        }
        let bytes = writer.into_inner().expect(in_memory);
        Ok(String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8"))
    }
}
