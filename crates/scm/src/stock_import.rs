//! Stock levels from CSV (an opening balance, or a count done in another
//! system): each row says how much of an item (and lot) one of the
//! company's locations holds; the difference from what it holds now is
//! booked as an adjustment to or from the loss location, a gain at the
//! row's unit cost when given (else at the average). All or nothing, with
//! every bad row reported.

use std::collections::{HashMap, HashSet};

use kernel::{Money, Scope};
use market::product_csv::ImportReport;
use sqlx::Row;

use crate::company::open_in;
use crate::csv_file::{self, RowErrors};
use crate::error::{Result, ScmError};
use crate::fields::{optional_text, quantity_or_zero};
use crate::items::ITEMS_MAX;
use crate::locations::LOCATIONS_MAX;
use crate::manual::LOT_CHARS_MAX;
use crate::model::{ItemId, LocationId, MoveReason};
use crate::moves::{MoveSpec, MoveValue, write_move};
use crate::{Scm, may_keep_stock};

/// The highest unit cost a row may give: ten million in major units, so
/// that cost × quantity (each at most 10^9) fits an i64.
const UNIT_COST_MINOR_MAX: i64 = 1_000_000_000;

/// The columns of a stock levels file.
pub const STOCK_IMPORT_COLUMNS: [&str; 5] = ["sku", "location", "lot", "quantity", "unit_cost"];

/// One row, checked: the level to reach and what a gain is worth a unit.
struct Level {
    line: u64,
    sku: String,
    item: ItemId,
    location: LocationId,
    lot: String,
    quantity: i64,
    unit_cost_minor: Option<i64>,
}

impl Scm {
    /// Imports a stock levels file, all or nothing; `created` counts the
    /// rows that moved stock, `updated` those already at their level.
    pub async fn import_stock(&self, scope: &Scope, bytes: &[u8]) -> Result<ImportReport> {
        self.require(scope, may_keep_stock)?;
        let company = scope.company_id();
        let mut errors = RowErrors::default();
        let rows = csv_file::read(
            bytes,
            &STOCK_IMPORT_COLUMNS,
            &["sku", "location", "quantity"],
            &mut errors,
        )?;
        let reader = self.db.reader();
        let mut items = HashMap::new();
        for row in sqlx::query(
            "SELECT id, sku, cost_currency FROM scm_item WHERE company_id = $1 LIMIT $2",
        )
        .bind(company)
        .bind(ITEMS_MAX)
        .fetch_all(reader)
        .await?
        {
            let currency: String = row.try_get("cost_currency")?;
            items.insert(
                row.try_get::<String, _>("sku")?,
                (ItemId::from_raw(row.try_get("id")?), currency),
            );
        }
        let mut locations = HashMap::new();
        for row in sqlx::query(
            "SELECT id, code, warehouse_id FROM scm_location WHERE company_id = $1 LIMIT $2",
        )
        .bind(company)
        .bind(LOCATIONS_MAX)
        .fetch_all(reader)
        .await?
        {
            let own = row.try_get::<i64, _>("warehouse_id")? != 0;
            locations.insert(
                row.try_get::<String, _>("code")?,
                (LocationId::from_raw(row.try_get("id")?), own),
            );
        }
        let mut levels = Vec::new();
        let mut seen = HashSet::new();
        for (line, record) in &rows.records {
            let sku = rows.get(record, "sku");
            let read = (|| {
                let (item, currency) = items.get(sku).ok_or_else(|| {
                    ScmError::invalid("sku", "unknown_item", "no item has this SKU")
                })?;
                let code = rows.get(record, "location");
                let &(location, own) = locations.get(code).ok_or_else(|| {
                    ScmError::invalid("location", "unknown_location", "no location has this code")
                })?;
                if !own {
                    return Err(ScmError::invalid(
                        "location",
                        "not_own",
                        "one of your warehouses, zones or bins",
                    ));
                }
                let lot = optional_text("lot", rows.get(record, "lot"), LOT_CHARS_MAX)?;
                let quantity = quantity_or_zero(
                    "quantity",
                    csv_file::whole(rows.get(record, "quantity"), "quantity")?,
                )?;
                let cost = rows.get(record, "unit_cost");
                let unit_cost_minor = if cost.is_empty() {
                    None
                } else {
                    let currency = currency.parse().map_err(|_| {
                        ScmError::invalid("unit_cost", "invalid", "the item's currency is unknown")
                    })?;
                    Some(
                        Money::parse_decimal(cost, currency)
                            .ok()
                            .filter(|money| (0..=UNIT_COST_MINOR_MAX).contains(&money.minor))
                            .ok_or_else(|| {
                                ScmError::invalid(
                                    "unit_cost",
                                    "invalid",
                                    "an amount such as 12.50, at most ten million",
                                )
                            })?
                            .minor,
                    )
                };
                Ok(Level {
                    line: *line,
                    sku: sku.to_owned(),
                    item: *item,
                    location,
                    lot,
                    quantity,
                    unit_cost_minor,
                })
            })();
            match read {
                Ok(level) if !seen.insert((level.item, level.location, level.lot.clone())) => {
                    errors.push(
                        *line,
                        sku,
                        "location",
                        "duplicate",
                        "this item, location and lot appear on an earlier line",
                    );
                }
                Ok(level) => levels.push(level),
                Err(error) => errors.refused(*line, sku, error)?,
            }
        }
        errors.into_result()?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let settings = open_in(&mut tx, company, now).await?;
        let mut report = ImportReport {
            created: 0,
            updated: 0,
        };
        for level in &levels {
            let on_hand: i64 = sqlx::query(
                "SELECT quantity FROM scm_stock WHERE company_id = $1 AND location_id = $2 AND item_id = $3 AND lot = $4",
            )
            .bind(company)
            .bind(level.location)
            .bind(level.item)
            .bind(&level.lot)
            .fetch_optional(tx.conn())
            .await?
            .map(|row| row.try_get::<i64, _>("quantity"))
            .transpose()?
            .unwrap_or(0);
            let difference = level.quantity - on_hand;
            if difference == 0 {
                report.updated += 1;
                continue;
            }
            let (from, to, value) = if difference > 0 {
                let value = level.unit_cost_minor.map_or(MoveValue::Average, |cost| {
                    MoveValue::Total(cost * difference)
                });
                (settings.loss_location_id, level.location, value)
            } else {
                (
                    level.location,
                    settings.loss_location_id,
                    MoveValue::Average,
                )
            };
            let spec = MoveSpec {
                item: level.item,
                lot: level.lot.clone(),
                quantity: difference.abs(),
                from,
                to,
                value,
                reason: MoveReason::Adjustment,
                note: "库存导入 Stock import".to_owned(),
                source: String::new(),
                consumes_reserved: 0,
                moved_at: now,
            };
            if let Err(error) = write_move(&mut tx, company, &spec, now).await {
                // The transaction is dropped: nothing of the file stays.
                let mut refused = RowErrors::default();
                refused.refused(level.line, &level.sku, error.at_field("quantity"))?;
                refused.into_result()?;
            }
            report.created += 1;
        }
        tx.commit().await?;
        Ok(report)
    }
}
