//! Reading stock: what is where now, what was where at a moment, and what it
//! was worth. Past stock is the sum of the moves up to that moment; past
//! value is the item's pool as the last move before it left it, shared out
//! over the warehouses by quantity.

use std::collections::BTreeMap;

use kernel::db::Tx;
use kernel::{CompanyId, Currency, Page, PageRequest, Scope, Timestamp};
use serde::Serialize;
use sqlx::Row;

use crate::error::Result;
use crate::items::item_in;
use crate::model::{ItemId, LocationId, StockLine, WarehouseStock};
use crate::moves::{STOCK_PERIOD_MICROS, average_share, period_of};
use crate::{Scm, may_view_stock};

/// An item's stock in each own location at a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmStockAtDate)]
pub struct StockAtDate {
    pub item_id: ItemId,
    pub at: Timestamp,
    /// In base units, own locations with stock only.
    pub locations: Vec<StockLine>,
    pub on_hand: i64,
}

/// An item's stock and value in one warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmStockValue)]
pub struct StockValue {
    pub warehouse_id: LocationId,
    pub quantity: i64,
    pub value_minor: i64,
}

/// An item's stock and value at a moment, in all and per warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmValuationLine)]
pub struct ValuationLine {
    pub item_id: ItemId,
    pub sku: String,
    pub name: String,
    pub currency: Currency,
    pub quantity: i64,
    pub value_minor: i64,
    pub warehouses: Vec<StockValue>,
}

/// Quantity per own location of each of `items` after every move up to
/// `at`: the whole periods before `at`'s from `scm_stock_period`, and the
/// moves of `at`'s own period up to it. Answers (item, location, warehouse,
/// quantity), locations without stock left out.
pub(crate) async fn quantities_at(
    tx: &mut Tx,
    company: CompanyId,
    items: &[ItemId],
    at: Timestamp,
) -> Result<Vec<(ItemId, LocationId, LocationId, i64)>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let engine = tx.engine();
    let period = period_of(at);
    // One numbering style per statement (SQLite's `?` and `$n` do not mix):
    // the four scalars come first, then the items, repeated per branch.
    let scalar = |n: usize| engine.placeholder(n);
    let mut next = 5;
    let mut item_list = || {
        (0..items.len())
            .map(|_| {
                next += 1;
                engine.placeholder(next - 1)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (in_periods, in_to, in_from) = (item_list(), item_list(), item_list());
    let (c, p, start, end) = (scalar(1), scalar(2), scalar(3), scalar(4));
    // Grouped by location without a join: the company's own locations and
    // their warehouses are read once below and matched in memory.
    let sql = format!(
        "SELECT m.item_id, m.location_id, CAST(SUM(m.quantity) AS BIGINT) AS quantity FROM (
             SELECT item_id, location_id, quantity FROM scm_stock_period
             WHERE company_id = {c} AND period < {p} AND item_id IN ({in_periods})
             UNION ALL
             SELECT item_id, to_location_id AS location_id, quantity FROM scm_move
             WHERE company_id = {c} AND moved_at >= {start} AND moved_at <= {end} AND item_id IN ({in_to})
             UNION ALL
             SELECT item_id, from_location_id AS location_id, -quantity AS quantity FROM scm_move
             WHERE company_id = {c} AND moved_at >= {start} AND moved_at <= {end} AND item_id IN ({in_from})
         ) m
         GROUP BY m.item_id, m.location_id ORDER BY m.item_id, m.location_id"
    );
    let mut query = sqlx::query(&sql);
    if engine == kernel::Engine::Sqlite {
        // Unnumbered `?` take the arguments in the order they appear.
        query = query.bind(company).bind(period);
        for item in items {
            query = query.bind(*item);
        }
        query = query
            .bind(company)
            .bind(period * STOCK_PERIOD_MICROS)
            .bind(at.micros());
        for item in items {
            query = query.bind(*item);
        }
        query = query
            .bind(company)
            .bind(period * STOCK_PERIOD_MICROS)
            .bind(at.micros());
        for item in items {
            query = query.bind(*item);
        }
    } else {
        query = query
            .bind(company)
            .bind(period)
            .bind(period * STOCK_PERIOD_MICROS)
            .bind(at.micros());
        for _ in 0..3 {
            for item in items {
                query = query.bind(*item);
            }
        }
    }
    let rows = query.fetch_all(tx.conn()).await?;
    let warehouses: std::collections::HashMap<i64, i64> = sqlx::query(
        "SELECT id, warehouse_id FROM scm_location WHERE company_id = $1 AND warehouse_id <> 0",
    )
    .bind(company)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
    .collect::<Result<_>>()?;
    let mut found = Vec::with_capacity(rows.len());
    for row in rows {
        let quantity: i64 = row.try_get("quantity")?;
        let location: i64 = row.try_get(1)?;
        // Virtual locations have no warehouse: they are not stock.
        if let Some(warehouse) = warehouses.get(&location)
            && quantity != 0
        {
            found.push((
                ItemId::from_raw(row.try_get(0)?),
                LocationId::from_raw(location),
                LocationId::from_raw(*warehouse),
                quantity,
            ));
        }
    }
    Ok(found)
}

/// Each item's pool (own stock and its value) after its last move up to
/// `at`, in one statement: two index probes per item inside the engine.
async fn pools_at(
    tx: &mut Tx,
    company: CompanyId,
    items: &[ItemId],
    at: Timestamp,
) -> Result<std::collections::HashMap<ItemId, (i64, i64)>> {
    if items.is_empty() {
        return Ok(Default::default());
    }
    let engine = tx.engine();
    let sqlite = engine == kernel::Engine::Sqlite;
    // SQLite's `?` bind in order of appearance; PostgreSQL's `$n` by number.
    let (at_first, at_second, c) = if sqlite {
        ("?".to_owned(), "?".to_owned(), "?".to_owned())
    } else {
        ("$1".to_owned(), "$1".to_owned(), "$2".to_owned())
    };
    let list = kernel::db::placeholder_list(engine, 3, items.len());
    let last = |column: &str, at: &str| {
        format!(
            "COALESCE((SELECT m.{column} FROM scm_move m
               WHERE m.company_id = i.company_id AND m.item_id = i.id AND m.moved_at <= {at}
               ORDER BY m.moved_at DESC, m.id DESC LIMIT 1), 0)"
        )
    };
    let sql = format!(
        "SELECT i.id, {} AS quantity, {} AS value FROM scm_item i WHERE i.company_id = {c} AND i.id IN ({list})",
        last("pool_quantity_after", &at_first),
        last("pool_value_after_minor", &at_second),
    );
    let mut query = sqlx::query(&sql).bind(at.micros());
    if sqlite {
        query = query.bind(at.micros());
    }
    query = query.bind(company);
    for item in items {
        query = query.bind(*item);
    }
    query
        .fetch_all(tx.conn())
        .await?
        .iter()
        .map(|row| {
            Ok((
                ItemId::from_raw(row.try_get(0)?),
                (row.try_get("quantity")?, row.try_get("value")?),
            ))
        })
        .collect()
}

impl Scm {
    /// Where an item is now, per own location and lot.
    pub async fn stock_of_item(&self, scope: &Scope, item: ItemId) -> Result<Vec<StockLine>> {
        self.require(scope, may_view_stock)?;
        let mut tx = self.db.begin().await?;
        item_in(&mut tx, scope.company_id(), item, "item_id")
            .await
            .map_err(|error| error.in_path("item"))?;
        let rows = sqlx::query(
            "SELECT s.location_id, s.lot, s.quantity FROM scm_stock s
             JOIN scm_location l ON l.company_id = s.company_id AND l.id = s.location_id
             WHERE s.company_id = $1 AND s.item_id = $2 AND l.warehouse_id <> 0 AND s.quantity <> 0
             ORDER BY s.location_id, s.lot",
        )
        .bind(scope.company_id())
        .bind(item)
        .fetch_all(tx.conn())
        .await?;
        tx.commit().await?;
        rows.iter()
            .map(|row| {
                Ok(StockLine {
                    location_id: LocationId::from_raw(row.try_get("location_id")?),
                    item_id: item,
                    lot: row.try_get("lot")?,
                    quantity: row.try_get("quantity")?,
                })
            })
            .collect()
    }

    /// On hand, reserved and free per warehouse, of one item or of all.
    pub async fn warehouse_stock(
        &self,
        scope: &Scope,
        item: Option<ItemId>,
        page: PageRequest,
    ) -> Result<Page<WarehouseStock>> {
        self.require(scope, may_view_stock)?;
        // Keyed by item, then warehouse; the cursor is the item.
        let rows = sqlx::query(
            "SELECT warehouse_id, item_id, on_hand, reserved FROM scm_warehouse_stock
             WHERE company_id = $1 AND ($2 = 0 OR item_id = $2) AND item_id > $3
             ORDER BY item_id, warehouse_id LIMIT $4",
        )
        .bind(scope.company_id())
        .bind(item.map_or(0, ItemId::raw))
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let lines = rows
            .iter()
            .map(|row| {
                let on_hand: i64 = row.try_get("on_hand")?;
                let reserved: i64 = row.try_get("reserved")?;
                Ok(WarehouseStock {
                    warehouse_id: LocationId::from_raw(row.try_get("warehouse_id")?),
                    item_id: ItemId::from_raw(row.try_get("item_id")?),
                    on_hand,
                    reserved,
                    available: on_hand - reserved,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(lines, page, |line| line.item_id.raw()))
    }

    /// Where an item was at the end of `at`, per own location.
    pub async fn stock_at(
        &self,
        scope: &Scope,
        item: ItemId,
        at: Timestamp,
    ) -> Result<StockAtDate> {
        self.require(scope, may_view_stock)?;
        let mut tx = self.db.begin().await?;
        item_in(&mut tx, scope.company_id(), item, "item_id")
            .await
            .map_err(|error| error.in_path("item"))?;
        let quantities = quantities_at(&mut tx, scope.company_id(), &[item], at).await?;
        tx.commit().await?;
        let on_hand = quantities.iter().map(|(_, _, _, quantity)| quantity).sum();
        Ok(StockAtDate {
            item_id: item,
            at,
            locations: quantities
                .into_iter()
                .map(|(_, location_id, _, quantity)| StockLine {
                    location_id,
                    item_id: item,
                    lot: String::new(),
                    quantity,
                })
                .collect(),
            on_hand,
        })
    }

    /// What the company's items were worth at `at`, a page of items at a time.
    pub async fn valuation(
        &self,
        scope: &Scope,
        at: Timestamp,
        page: PageRequest,
    ) -> Result<Page<ValuationLine>> {
        self.require(scope, may_view_stock)?;
        let company = scope.company_id();
        let mut tx = self.db.begin().await?;
        let rows = sqlx::query(
            "SELECT id, sku, name, cost_currency FROM scm_item
             WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(company)
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(tx.conn())
        .await?;
        let ids = rows
            .iter()
            .map(|row| Ok(ItemId::from_raw(row.try_get("id")?)))
            .collect::<Result<Vec<_>>>()?;
        let mut held: BTreeMap<ItemId, BTreeMap<LocationId, i64>> = BTreeMap::new();
        for (item, _, warehouse, quantity) in quantities_at(&mut tx, company, &ids, at).await? {
            *held.entry(item).or_default().entry(warehouse).or_default() += quantity;
        }
        let pools = pools_at(&mut tx, company, &ids, at).await?;
        let mut lines = Vec::with_capacity(rows.len());
        for (row, item) in rows.iter().zip(ids) {
            let (quantity, value) = pools.get(&item).copied().unwrap_or_default();
            let per_warehouse = held.remove(&item).unwrap_or_default();
            lines.push(ValuationLine {
                item_id: item,
                sku: row.try_get("sku")?,
                name: row.try_get("name")?,
                currency: crate::rows::currency_in(row, "cost_currency")?,
                quantity,
                value_minor: value,
                warehouses: share_out(value, quantity, per_warehouse),
            });
        }
        tx.commit().await?;
        Ok(Page::from_rows(lines, page, |line| line.item_id.raw()))
    }
}

/// Shares the pool's value over the warehouses by quantity; the last one
/// takes the rounding, so the parts add up to the whole.
fn share_out(
    value: i64,
    quantity: i64,
    per_warehouse: BTreeMap<LocationId, i64>,
) -> Vec<StockValue> {
    let count = per_warehouse.len();
    let mut left = value;
    per_warehouse
        .into_iter()
        .enumerate()
        .map(|(index, (warehouse_id, held))| {
            let part = if index + 1 == count {
                left
            } else {
                average_share(value, quantity, held)
            };
            left -= part;
            StockValue {
                warehouse_id,
                quantity: held,
                value_minor: part,
            }
        })
        .collect()
}
