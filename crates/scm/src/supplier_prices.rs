//! Price lists: what a supplier charges for an item, in which unit and
//! currency, how many days it takes to arrive, and the supplier's own SKU
//! and market product it is bought as. Market purchases write the first
//! price of an item they bring in; members keep the rest, and replenishment
//! orders from the quickest supplier, then the cheapest.

use kernel::db::Tx;
use kernel::{CompanyId, Currency, Page, PageRequest, Scope};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::company::open_in;
use crate::error::{Result, ScmError};
use crate::fields::optional_text;
use crate::items::{SKU_CHARS_MAX, factor_of, item_in};
use crate::model::{ItemId, SupplierId};
use crate::suppliers::supplier_in;
use crate::{Scm, may_purchase, may_view_stock, rows};

/// The longest lead time a price may name, in days.
pub const LEAD_TIME_DAYS_MAX: i64 = 365;
/// The most suppliers listed for one item.
pub const SUPPLIERS_PER_ITEM_MAX: i64 = 100;
/// The highest unit price, as on purchase orders.
const UNIT_PRICE_MINOR_MAX: i64 = 1_000_000_000;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmSupplierPriceInput)]
pub struct SupplierPriceInput {
    /// The price of one `unit`, in minor units of `currency`.
    pub unit_price_minor: i64,
    pub currency: Currency,
    /// The unit the price is for; the item's base unit if absent.
    #[serde(default)]
    pub unit: Option<String>,
    /// Days from order to arrival.
    #[serde(default)]
    pub lead_time_days: i64,
    /// The supplier's own code for it.
    #[serde(default)]
    pub supplier_sku: String,
    /// The supplier's product on the market it is bought as (network suppliers only).
    #[serde(default)]
    pub product_id: Option<market::ProductId>,
}

/// One supplier's price and lead time for one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmSupplierPrice)]
pub struct SupplierPrice {
    pub supplier_id: SupplierId,
    pub item_id: ItemId,
    /// The unit the price is for (the item's base unit when empty).
    pub unit: String,
    pub unit_price_minor: i64,
    pub currency: Currency,
    pub lead_time_days: i64,
    pub supplier_sku: String,
    pub product_id: Option<market::ProductId>,
}

const PRICE_COLUMNS: &str = "supplier_id, item_id, unit, unit_price_minor, currency, lead_time_days, supplier_sku, product_id";

pub(crate) fn supplier_price(row: &AnyRow) -> Result<SupplierPrice> {
    Ok(SupplierPrice {
        supplier_id: SupplierId::from_raw(row.try_get("supplier_id")?),
        item_id: ItemId::from_raw(row.try_get("item_id")?),
        unit: row.try_get("unit")?,
        unit_price_minor: row.try_get("unit_price_minor")?,
        currency: rows::currency_in(row, "currency")?,
        lead_time_days: row.try_get("lead_time_days")?,
        supplier_sku: row.try_get("supplier_sku")?,
        product_id: rows::optional_id(row, "product_id")?.map(market::ProductId::from_raw),
    })
}

/// The price replenishment orders `item` at: the quickest supplier, then
/// the cheapest, then the one listed first.
pub(crate) async fn preferred_price_in(
    tx: &mut Tx,
    company: CompanyId,
    item: ItemId,
) -> Result<Option<SupplierPrice>> {
    sqlx::query(&format!(
        "SELECT {PRICE_COLUMNS} FROM scm_supplier_item WHERE company_id = $1 AND item_id = $2
         ORDER BY lead_time_days, unit_price_minor, supplier_id LIMIT 1"
    ))
    .bind(company)
    .bind(item)
    .fetch_optional(tx.conn())
    .await?
    .map(|row| supplier_price(&row))
    .transpose()
}

impl Scm {
    /// Sets (or replaces) a supplier's price for an item.
    pub async fn set_supplier_price(
        &self,
        scope: &Scope,
        supplier: SupplierId,
        item: ItemId,
        input: &SupplierPriceInput,
    ) -> Result<SupplierPrice> {
        self.require(scope, may_purchase)?;
        let company = scope.company_id();
        if !(0..=UNIT_PRICE_MINOR_MAX).contains(&input.unit_price_minor) {
            return Err(ScmError::invalid(
                "unit_price_minor",
                "out_of_range",
                format!("a price from 0 to {UNIT_PRICE_MINOR_MAX}"),
            ));
        }
        if !(0..=LEAD_TIME_DAYS_MAX).contains(&input.lead_time_days) {
            return Err(ScmError::invalid(
                "lead_time_days",
                "out_of_range",
                format!("from 0 to {LEAD_TIME_DAYS_MAX} days"),
            ));
        }
        let supplier_sku = optional_text("supplier_sku", &input.supplier_sku, SKU_CHARS_MAX)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        open_in(&mut tx, company, now).await?;
        // Both are in the path: another company's is "not found".
        let found = supplier_in(&mut tx, company, supplier, "supplier_id")
            .await
            .map_err(|error| error.in_path("supplier"))?;
        let stocked = item_in(&mut tx, company, item, "item_id")
            .await
            .map_err(|error| error.in_path("item"))?;
        let unit = input.unit.as_deref().unwrap_or("").trim();
        factor_of(&stocked, unit, "unit")?;
        let unit = if unit == stocked.unit { "" } else { unit };
        if let Some(product) = input.product_id {
            let Some(network) = found.network_company_id else {
                return Err(ScmError::invalid(
                    "product_id",
                    "not_on_network",
                    "only a supplier on Hanse sells products here",
                ));
            };
            let theirs = self.market.published_product(product).await;
            if !theirs.is_ok_and(|p| p.company_id == network) {
                return Err(ScmError::invalid(
                    "product_id",
                    "unknown_product",
                    "no such published product of this supplier",
                ));
            }
        }
        let listed: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM scm_supplier_item WHERE company_id = $1 AND item_id = $2 AND supplier_id <> $3",
        )
        .bind(company)
        .bind(item)
        .bind(supplier)
        .fetch_one(tx.conn())
        .await?
        .try_get("n")?;
        if listed >= SUPPLIERS_PER_ITEM_MAX {
            return Err(ScmError::state(
                "too_many_suppliers",
                format!("an item has at most {SUPPLIERS_PER_ITEM_MAX} suppliers"),
            ));
        }
        sqlx::query(
            "INSERT INTO scm_supplier_item (company_id, supplier_id, item_id, supplier_sku, product_id, unit_price_minor, currency, lead_time_days, unit, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
             ON CONFLICT (company_id, supplier_id, item_id) DO UPDATE SET
               supplier_sku = excluded.supplier_sku, product_id = excluded.product_id,
               unit_price_minor = excluded.unit_price_minor, currency = excluded.currency,
               lead_time_days = excluded.lead_time_days, unit = excluded.unit, updated_at = excluded.updated_at",
        )
        .bind(company)
        .bind(supplier)
        .bind(item)
        .bind(&supplier_sku)
        .bind(input.product_id.map_or(0, market::ProductId::raw))
        .bind(input.unit_price_minor)
        .bind(input.currency.code())
        .bind(input.lead_time_days)
        .bind(unit)
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(SupplierPrice {
            supplier_id: supplier,
            item_id: item,
            unit: unit.to_owned(),
            unit_price_minor: input.unit_price_minor,
            currency: input.currency,
            lead_time_days: input.lead_time_days,
            supplier_sku,
            product_id: input.product_id,
        })
    }

    /// Takes an item off a supplier's price list.
    pub async fn remove_supplier_price(
        &self,
        scope: &Scope,
        supplier: SupplierId,
        item: ItemId,
    ) -> Result<()> {
        self.require(scope, may_purchase)?;
        let mut tx = self.db.begin().await?;
        let removed = sqlx::query(
            "DELETE FROM scm_supplier_item WHERE company_id = $1 AND supplier_id = $2 AND item_id = $3",
        )
        .bind(scope.company_id())
        .bind(supplier)
        .bind(item)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if removed == 0 {
            return Err(ScmError::NotFound("supplier price"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// A supplier's price list, by item.
    pub async fn supplier_prices(
        &self,
        scope: &Scope,
        supplier: SupplierId,
        page: PageRequest,
    ) -> Result<Page<SupplierPrice>> {
        self.require(scope, may_view_stock)?;
        let mut tx = self.db.begin().await?;
        supplier_in(&mut tx, scope.company_id(), supplier, "supplier_id")
            .await
            .map_err(|error| error.in_path("supplier"))?;
        let rows = sqlx::query(&format!(
            "SELECT {PRICE_COLUMNS} FROM scm_supplier_item
             WHERE company_id = $1 AND supplier_id = $2 AND item_id > $3 ORDER BY item_id LIMIT $4"
        ))
        .bind(scope.company_id())
        .bind(supplier)
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(tx.conn())
        .await?;
        tx.commit().await?;
        let prices = rows
            .iter()
            .map(supplier_price)
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(prices, page, |price| price.item_id.raw()))
    }

    /// Every supplier's price for an item, quickest first, then cheapest.
    pub async fn item_suppliers(&self, scope: &Scope, item: ItemId) -> Result<Vec<SupplierPrice>> {
        self.require(scope, may_view_stock)?;
        let mut tx = self.db.begin().await?;
        item_in(&mut tx, scope.company_id(), item, "item_id")
            .await
            .map_err(|error| error.in_path("item"))?;
        let rows = sqlx::query(&format!(
            "SELECT {PRICE_COLUMNS} FROM scm_supplier_item WHERE company_id = $1 AND item_id = $2
             ORDER BY lead_time_days, unit_price_minor, supplier_id LIMIT $3"
        ))
        .bind(scope.company_id())
        .bind(item)
        .bind(SUPPLIERS_PER_ITEM_MAX)
        .fetch_all(tx.conn())
        .await?;
        tx.commit().await?;
        rows.iter().map(supplier_price).collect()
    }
}
