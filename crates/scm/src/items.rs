//! Items: what a company stocks, counted in a base unit with other units
//! converting to it (a carton of 24 pieces), and the market products whose
//! stock an item is.

use kernel::db::Tx;
use kernel::{CompanyId, Currency, Page, PageRequest, Scope};
use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::company::open_in;
use crate::error::{Result, ScmError};
use crate::fields::{quantity_or_zero, required_text};
use crate::model::{Item, ItemId, LocationId, ProductLink, UnitConversion};
use crate::{Scm, may_keep_stock, may_view_stock, rows};

/// Items a company may have.
pub const ITEMS_MAX: i64 = 100_000;
/// Other units an item may have.
pub const UNITS_MAX: usize = 10;
/// The most base units one other unit may hold.
pub const FACTOR_MAX: i64 = 1_000_000;
pub(crate) const SKU_CHARS_MAX: usize = 64;
pub(crate) const NAME_CHARS_MAX: usize = 200;
const UNIT_CHARS_MAX: usize = 20;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmItemInput)]
pub struct ItemInput {
    /// Unique in the company.
    pub sku: String,
    pub name: String,
    /// The base unit (piece, kg, m).
    pub unit: String,
    /// The currency the item's stock is valued in.
    pub cost_currency: Currency,
    #[serde(default)]
    pub lot_tracked: bool,
    /// Replenishment proposes an order when stock falls to this.
    #[serde(default)]
    pub reorder_point: i64,
    #[serde(default)]
    pub reorder_quantity: i64,
    /// Other units and how many base units each holds.
    #[serde(default)]
    pub units: Vec<UnitConversion>,
}

/// A change to an item: only the fields given change.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmItemUpdate)]
#[serde(deny_unknown_fields)]
pub struct ItemUpdate {
    #[serde(default)]
    pub name: Option<String>,
    /// Replenishment proposes an order when the stock position falls to this (0: never).
    #[serde(default)]
    pub reorder_point: Option<i64>,
    /// How much it proposes at a time, in base units (0: just enough).
    #[serde(default)]
    pub reorder_quantity: Option<i64>,
}

/// A product of the company's catalog whose stock is the item's in a warehouse.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmLinkInput)]
pub struct LinkInput {
    pub product_id: market::ProductId,
    pub item_id: ItemId,
    /// The warehouse the product sells from; the default warehouse if absent.
    pub warehouse_id: Option<LocationId>,
}

pub(crate) const ITEM_COLUMNS: &str = "id, sku, name, unit, cost_currency, lot_tracked, reorder_point, reorder_quantity, pool_quantity, pool_value_minor, created_at, updated_at";

pub(crate) fn item(row: &AnyRow, units: Vec<UnitConversion>) -> Result<Item> {
    Ok(Item {
        id: ItemId::from_raw(row.try_get("id")?),
        sku: row.try_get("sku")?,
        name: row.try_get("name")?,
        unit: row.try_get("unit")?,
        units,
        cost_currency: rows::currency_in(row, "cost_currency")?,
        lot_tracked: rows::flag(row, "lot_tracked")?,
        reorder_point: row.try_get("reorder_point")?,
        reorder_quantity: row.try_get("reorder_quantity")?,
        on_hand: row.try_get("pool_quantity")?,
        stock_value_minor: row.try_get("pool_value_minor")?,
        created_at: rows::timestamp(row, "created_at")?,
        updated_at: rows::timestamp(row, "updated_at")?,
    })
}

/// The item's other units, in `tx`.
async fn units_in(tx: &mut Tx, company: CompanyId, item: ItemId) -> Result<Vec<UnitConversion>> {
    let rows = sqlx::query(
        "SELECT unit, factor FROM scm_item_unit WHERE company_id = $1 AND item_id = $2 ORDER BY factor, unit",
    )
    .bind(company)
    .bind(item)
    .fetch_all(tx.conn())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(UnitConversion {
                unit: row.try_get("unit")?,
                factor: row.try_get("factor")?,
            })
        })
        .collect()
}

/// The company's item `id`, or an error naming `field`.
pub(crate) async fn item_in(
    tx: &mut Tx,
    company: CompanyId,
    id: ItemId,
    field: &str,
) -> Result<Item> {
    let row = sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS} FROM scm_item WHERE company_id = $1 AND id = $2"
    ))
    .bind(company)
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or_else(|| ScmError::invalid(field, "unknown_item", "no such item of yours"))?;
    let units = units_in(tx, company, id).await?;
    item(&row, units)
}

/// How many base units one `unit` of `item` is, or an error naming `field`.
pub(crate) fn factor_of(item: &Item, unit: &str, field: &str) -> Result<i64> {
    if unit.is_empty() || unit == item.unit {
        return Ok(1);
    }
    item.units
        .iter()
        .find(|conversion| conversion.unit == unit)
        .map(|conversion| conversion.factor)
        .ok_or_else(|| {
            ScmError::invalid(
                field,
                "no_unit_conversion",
                format!(
                    "{} has no conversion from {unit} to {}",
                    item.sku, item.unit
                ),
            )
        })
}

/// A checked item input.
pub(crate) struct CheckedItem {
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub units: Vec<UnitConversion>,
}

pub(crate) fn check_item(input: &ItemInput) -> Result<CheckedItem> {
    let sku = required_text("sku", &input.sku, SKU_CHARS_MAX)?;
    let name = required_text("name", &input.name, NAME_CHARS_MAX)?;
    let unit = required_text("unit", &input.unit, UNIT_CHARS_MAX)?;
    quantity_or_zero("reorder_point", input.reorder_point)?;
    quantity_or_zero("reorder_quantity", input.reorder_quantity)?;
    if input.units.len() > UNITS_MAX {
        return Err(ScmError::invalid(
            "units",
            "too_many",
            format!("at most {UNITS_MAX} units"),
        ));
    }
    let mut units: Vec<UnitConversion> = Vec::with_capacity(input.units.len());
    for (index, conversion) in input.units.iter().enumerate() {
        let name = required_text(
            &format!("units[{index}].unit"),
            &conversion.unit,
            UNIT_CHARS_MAX,
        )?;
        if name == unit || units.iter().any(|known| known.unit == name) {
            return Err(ScmError::invalid(
                format!("units[{index}].unit"),
                "duplicate",
                "each unit once, and not the base unit",
            ));
        }
        if !(2..=FACTOR_MAX).contains(&conversion.factor) {
            return Err(ScmError::invalid(
                format!("units[{index}].factor"),
                "out_of_range",
                format!("a whole number of base units from 2 to {FACTOR_MAX}"),
            ));
        }
        units.push(UnitConversion {
            unit: name,
            factor: conversion.factor,
        });
    }
    Ok(CheckedItem {
        sku,
        name,
        unit,
        units,
    })
}

/// Writes a new item in `tx`; refuses a SKU in use.
pub(crate) async fn insert_item(
    tx: &mut Tx,
    company: CompanyId,
    checked: &CheckedItem,
    input: &ItemInput,
    now: kernel::Timestamp,
) -> Result<ItemId> {
    let taken = sqlx::query("SELECT id FROM scm_item WHERE company_id = $1 AND sku = $2")
        .bind(company)
        .bind(&checked.sku)
        .fetch_optional(tx.conn())
        .await?;
    if taken.is_some() {
        return Err(ScmError::invalid(
            "sku",
            "taken",
            "another item has this SKU",
        ));
    }
    check_room(tx, company, 1).await?;
    write_item(tx, company, checked, input, now).await
}

/// Refuses `more` items beyond [`ITEMS_MAX`].
pub(crate) async fn check_room(tx: &mut Tx, company: CompanyId, more: i64) -> Result<()> {
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM scm_item WHERE company_id = $1")
        .bind(company)
        .fetch_one(tx.conn())
        .await?
        .try_get("n")?;
    if count + more > ITEMS_MAX {
        return Err(ScmError::state(
            "too_many_items",
            format!("a company has at most {ITEMS_MAX} items"),
        ));
    }
    Ok(())
}

/// Writes a new item whose SKU is free and for which there is room.
pub(crate) async fn write_item(
    tx: &mut Tx,
    company: CompanyId,
    checked: &CheckedItem,
    input: &ItemInput,
    now: kernel::Timestamp,
) -> Result<ItemId> {
    let id = ItemId::new();
    sqlx::query(
        "INSERT INTO scm_item (company_id, id, sku, name, unit, cost_currency, lot_tracked, reorder_point, reorder_quantity, pool_quantity, pool_value_minor, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, 0, $10, $10)",
    )
    .bind(company)
    .bind(id)
    .bind(&checked.sku)
    .bind(&checked.name)
    .bind(&checked.unit)
    .bind(input.cost_currency.code())
    .bind(i64::from(input.lot_tracked))
    .bind(input.reorder_point)
    .bind(input.reorder_quantity)
    .bind(now.micros())
    .execute(tx.conn())
    .await?;
    for conversion in &checked.units {
        sqlx::query(
            "INSERT INTO scm_item_unit (company_id, item_id, unit, factor, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(company)
        .bind(id)
        .bind(&conversion.unit)
        .bind(conversion.factor)
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
    }
    Ok(id)
}

impl Scm {
    pub async fn create_item(&self, scope: &Scope, input: &ItemInput) -> Result<Item> {
        self.require(scope, may_keep_stock)?;
        let checked = check_item(input)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        open_in(&mut tx, scope.company_id(), now).await?;
        let id = insert_item(&mut tx, scope.company_id(), &checked, input, now).await?;
        if input.reorder_point > 0 {
            crate::replenish::ensure_job_in(&mut tx, scope.company_id(), now).await?;
        }
        let created = item_in(&mut tx, scope.company_id(), id, "id").await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Renames an item or changes its reorder point and quantity; only what
    /// is given changes. The SKU, units and cost currency stay, since moves
    /// and prices are counted in them.
    pub async fn update_item(
        &self,
        scope: &Scope,
        id: ItemId,
        change: &ItemUpdate,
    ) -> Result<Item> {
        self.require(scope, may_keep_stock)?;
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let mut item = item_in(&mut tx, company, id, "id")
            .await
            .map_err(|error| error.in_path("item"))?;
        if let Some(name) = &change.name {
            item.name = required_text("name", name, NAME_CHARS_MAX)?;
        }
        if let Some(point) = change.reorder_point {
            item.reorder_point = quantity_or_zero("reorder_point", point)?;
        }
        if let Some(quantity) = change.reorder_quantity {
            item.reorder_quantity = quantity_or_zero("reorder_quantity", quantity)?;
        }
        sqlx::query(
            "UPDATE scm_item SET name = $1, reorder_point = $2, reorder_quantity = $3, updated_at = $4 WHERE company_id = $5 AND id = $6",
        )
        .bind(&item.name)
        .bind(item.reorder_point)
        .bind(item.reorder_quantity)
        .bind(now.micros())
        .bind(company)
        .bind(id)
        .execute(tx.conn())
        .await?;
        if item.reorder_point > 0 {
            crate::replenish::ensure_job_in(&mut tx, company, now).await?;
        }
        let updated = item_in(&mut tx, company, id, "id").await?;
        tx.commit().await?;
        Ok(updated)
    }

    pub async fn item(&self, scope: &Scope, id: ItemId) -> Result<Item> {
        self.require(scope, may_view_stock)?;
        let mut tx = self.db.begin().await?;
        let found = item_in(&mut tx, scope.company_id(), id, "id")
            .await
            .map_err(|error| error.in_path("item"))?;
        tx.commit().await?;
        Ok(found)
    }

    /// The company's items, oldest first.
    pub async fn items(&self, scope: &Scope, page: PageRequest) -> Result<Page<Item>> {
        self.require(scope, may_view_stock)?;
        let rows = sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM scm_item WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3"
        ))
        .bind(scope.company_id())
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        let mut tx = self.db.begin().await?;
        for row in &rows {
            let id = ItemId::from_raw(row.try_get("id")?);
            let units = units_in(&mut tx, scope.company_id(), id).await?;
            items.push(item(row, units)?);
        }
        tx.commit().await?;
        Ok(Page::from_rows(items, page, |item| item.id.raw()))
    }

    /// Makes `input.product_id`'s available quantity the item's in a warehouse.
    pub async fn link_product(&self, scope: &Scope, input: &LinkInput) -> Result<ProductLink> {
        self.require(scope, may_keep_stock)?;
        let company = scope.company_id();
        let product = match self.market.own_product(scope, input.product_id).await {
            Ok(product) => product,
            Err(market::MarketError::NotFound(_)) => {
                return Err(ScmError::invalid(
                    "product_id",
                    "unknown_product",
                    "no such product of yours",
                ));
            }
            Err(error) => return Err(error.into()),
        };
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let settings = open_in(&mut tx, company, now).await?;
        let item = item_in(&mut tx, company, input.item_id, "item_id").await?;
        let factor = factor_of(&item, &product.unit, "product_id")?;
        let warehouse = input.warehouse_id.unwrap_or(settings.default_warehouse_id);
        crate::locations::warehouse_in(&mut tx, company, warehouse, "warehouse_id").await?;
        sqlx::query(
            "INSERT INTO scm_product_link (company_id, product_id, item_id, warehouse_id, factor, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)
             ON CONFLICT (company_id, product_id) DO UPDATE SET item_id = excluded.item_id,
                 warehouse_id = excluded.warehouse_id, factor = excluded.factor, updated_at = excluded.updated_at",
        )
        .bind(company)
        .bind(input.product_id)
        .bind(item.id)
        .bind(warehouse)
        .bind(factor)
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        market::linked_stock::announce_stock_changed(&mut tx, company, input.product_id, now)
            .await?;
        let link = crate::keeper::link_in(&mut tx, company, input.product_id)
            .await?
            .expect("just written");
        tx.commit().await?;
        Ok(link)
    }

    /// Gives `product` its own market quantity back.
    pub async fn unlink_product(&self, scope: &Scope, product: market::ProductId) -> Result<()> {
        self.require(scope, may_keep_stock)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let removed =
            sqlx::query("DELETE FROM scm_product_link WHERE company_id = $1 AND product_id = $2")
                .bind(scope.company_id())
                .bind(product)
                .execute(tx.conn())
                .await?
                .rows_affected();
        if removed == 0 {
            return Err(ScmError::NotFound("product link"));
        }
        market::linked_stock::announce_stock_changed(&mut tx, scope.company_id(), product, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The products linked to the company's items.
    pub async fn product_links(
        &self,
        scope: &Scope,
        page: PageRequest,
    ) -> Result<Page<ProductLink>> {
        self.require(scope, may_view_stock)?;
        let mut tx = self.db.begin().await?;
        let links = crate::keeper::links_in(&mut tx, scope.company_id(), page).await?;
        tx.commit().await?;
        Ok(links)
    }
}
