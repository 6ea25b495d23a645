//! The items as CSV: exported for a spreadsheet, imported back (new SKUs
//! become items, known SKUs are renamed and get their reorder point, lot
//! tracking and quantity). An item's base unit, other units and cost
//! currency stay as they are once it exists, since its moves and prices are
//! counted in them. All or nothing, with every bad row reported.

use std::collections::{BTreeMap, HashMap, HashSet};

use kernel::{CompanyId, Currency, Scope};
use market::product_csv::ImportReport;
use sqlx::Row;

use crate::company::open_in;
use crate::csv_file::{self, RowErrors};
use crate::error::{Result, ScmError};
use crate::items::{
    CheckedItem, ITEM_COLUMNS, ITEMS_MAX, ItemInput, check_item, check_room, item, write_item,
};
use crate::model::{Item, UnitConversion};
use crate::{Scm, may_keep_stock, may_view_stock};

/// The columns of the items file, in the order export writes them.
pub const ITEM_CSV_COLUMNS: [&str; 8] = [
    "sku",
    "name",
    "unit",
    "units",
    "cost_currency",
    "lot_tracked",
    "reorder_point",
    "reorder_quantity",
];

/// `carton=24; box=6`.
fn units_to_text(units: &[UnitConversion]) -> String {
    units
        .iter()
        .map(|conversion| format!("{}={}", conversion.unit, conversion.factor))
        .collect::<Vec<_>>()
        .join("; ")
}

fn parse_units(text: &str) -> Result<Vec<UnitConversion>> {
    text.split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (unit, factor) = part.split_once('=').ok_or_else(|| {
                ScmError::invalid(
                    "units",
                    "invalid",
                    format!("`{part}` is not unit=factor, e.g. carton=24"),
                )
            })?;
            Ok(UnitConversion {
                unit: unit.trim().to_owned(),
                factor: csv_file::whole(factor.trim(), "units")?,
            })
        })
        .collect()
}

fn parse_flag(text: &str, field: &str) -> Result<bool> {
    match text.to_ascii_lowercase().as_str() {
        "" | "no" | "false" | "0" => Ok(false),
        "yes" | "true" | "1" => Ok(true),
        _ => Err(ScmError::invalid(field, "invalid", "yes or no")),
    }
}

/// One row read into an item input, or the field at fault.
fn read_row(
    rows: &csv_file::CsvRows,
    record: &csv::StringRecord,
) -> Result<(ItemInput, CheckedItem)> {
    let get = |column| rows.get(record, column);
    let cost_currency: Currency =
        get("cost_currency")
            .to_ascii_uppercase()
            .parse()
            .map_err(|_| {
                ScmError::invalid("cost_currency", "invalid", "a currency code such as CNY")
            })?;
    let input = ItemInput {
        sku: get("sku").to_owned(),
        name: get("name").to_owned(),
        unit: get("unit").to_owned(),
        cost_currency,
        lot_tracked: parse_flag(get("lot_tracked"), "lot_tracked")?,
        reorder_point: csv_file::whole(get("reorder_point"), "reorder_point")?,
        reorder_quantity: csv_file::whole(get("reorder_quantity"), "reorder_quantity")?,
        units: parse_units(get("units"))?,
    };
    let checked = check_item(&input)?;
    Ok((input, checked))
}

/// Every item of the company with its units, by SKU.
async fn all_items(scm: &Scm, company: CompanyId) -> Result<Vec<Item>> {
    let reader = scm.db.reader();
    let mut units: HashMap<i64, Vec<UnitConversion>> = HashMap::new();
    for row in sqlx::query(
        "SELECT item_id, unit, factor FROM scm_item_unit WHERE company_id = $1 ORDER BY item_id, factor, unit",
    )
    .bind(company)
    .fetch_all(reader)
    .await?
    {
        units.entry(row.try_get("item_id")?).or_default().push(UnitConversion {
            unit: row.try_get("unit")?,
            factor: row.try_get("factor")?,
        });
    }
    sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS} FROM scm_item WHERE company_id = $1 ORDER BY sku LIMIT $2"
    ))
    .bind(company)
    .bind(ITEMS_MAX)
    .fetch_all(reader)
    .await?
    .iter()
    .map(|row| {
        let id: i64 = row.try_get("id")?;
        item(row, units.remove(&id).unwrap_or_default())
    })
    .collect()
}

impl Scm {
    /// Every item as CSV (RFC 4180), by SKU.
    pub async fn items_csv(&self, scope: &Scope) -> Result<String> {
        self.require(scope, may_view_stock)?;
        let items = all_items(self, scope.company_id()).await?;
        Ok(csv_file::write(
            &ITEM_CSV_COLUMNS,
            items.into_iter().map(|item| {
                vec![
                    item.sku,
                    item.name,
                    item.unit,
                    units_to_text(&item.units),
                    item.cost_currency.code().to_owned(),
                    if item.lot_tracked { "yes" } else { "no" }.to_owned(),
                    item.reorder_point.to_string(),
                    item.reorder_quantity.to_string(),
                ]
            }),
        ))
    }

    /// Imports an items file, all or nothing.
    pub async fn import_items(&self, scope: &Scope, bytes: &[u8]) -> Result<ImportReport> {
        self.require(scope, may_keep_stock)?;
        let company = scope.company_id();
        let mut errors = RowErrors::default();
        let rows = csv_file::read(
            bytes,
            &ITEM_CSV_COLUMNS,
            &["sku", "name", "unit", "cost_currency"],
            &mut errors,
        )?;
        let existing: BTreeMap<String, Item> = all_items(self, company)
            .await?
            .into_iter()
            .map(|item| (item.sku.clone(), item))
            .collect();
        let mut read = Vec::new();
        let mut skus = HashSet::new();
        for (line, record) in &rows.records {
            let sku = rows.get(record, "sku");
            let (input, checked) = match read_row(&rows, record) {
                Ok(read) => read,
                Err(error) => {
                    errors.refused(*line, sku, error)?;
                    continue;
                }
            };
            if !skus.insert(checked.sku.clone()) {
                errors.push(
                    *line,
                    sku,
                    "sku",
                    "duplicate",
                    "this SKU appears on an earlier line",
                );
                continue;
            }
            if let Some(known) = existing.get(&checked.sku) {
                let fixed = if known.unit != checked.unit {
                    Some("unit")
                } else if known.cost_currency != input.cost_currency {
                    Some("cost_currency")
                } else if units_to_text(&known.units) != units_to_text(&sorted(&checked.units)) {
                    Some("units")
                } else {
                    None
                };
                if let Some(field) = fixed {
                    errors.push(
                        *line,
                        sku,
                        field,
                        "fixed",
                        "an existing item keeps its units and cost currency",
                    );
                    continue;
                }
            }
            read.push((input, checked));
        }
        errors.into_result()?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        open_in(&mut tx, company, now).await?;
        let new = read
            .iter()
            .filter(|(_, c)| !existing.contains_key(&c.sku))
            .count();
        check_room(&mut tx, company, new as i64).await?;
        let mut report = ImportReport {
            created: 0,
            updated: 0,
        };
        for (input, checked) in &read {
            match existing.get(&checked.sku) {
                Some(known) => {
                    sqlx::query(
                        "UPDATE scm_item SET name = $1, lot_tracked = $2, reorder_point = $3, reorder_quantity = $4, updated_at = $5
                         WHERE company_id = $6 AND id = $7",
                    )
                    .bind(&checked.name)
                    .bind(i64::from(input.lot_tracked))
                    .bind(input.reorder_point)
                    .bind(input.reorder_quantity)
                    .bind(now.micros())
                    .bind(company)
                    .bind(known.id)
                    .execute(tx.conn())
                    .await?;
                    report.updated += 1;
                }
                None => {
                    write_item(&mut tx, company, checked, input, now).await?;
                    report.created += 1;
                }
            }
        }
        if read.iter().any(|(input, _)| input.reorder_point > 0) {
            crate::replenish::ensure_job_in(&mut tx, company, now).await?;
        }
        tx.commit().await?;
        Ok(report)
    }
}

/// Units in the order export writes them (by factor, then name).
fn sorted(units: &[UnitConversion]) -> Vec<UnitConversion> {
    let mut units = units.to_vec();
    units.sort_by(|a, b| a.factor.cmp(&b.factor).then_with(|| a.unit.cmp(&b.unit)));
    units
}
