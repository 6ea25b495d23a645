//! The supply chain as the keeper of linked products' stock: trade reserves
//! and releases through it inside the order's transaction, and the market
//! reads a linked product's available quantity from it (the item's on hand
//! less its reservations in the product's warehouse, in the product's unit).

use std::collections::HashMap;

use kernel::db::Tx;
use kernel::{CompanyId, Db, Page, PageRequest, StorageError, Timestamp};
use sqlx::Row;
use sqlx::any::AnyRow;
use trade::{KeeperError, Keeping, StockKeeper, StockLine};

use crate::error::{Result, ScmError};
use crate::model::{ItemId, LocationId, ProductLink};

/// Keeps linked products' stock; needs nothing but the database, so the
/// market and trade can hold it without holding the supply chain.
#[derive(Clone)]
pub struct ScmStockKeeper {
    db: Db,
}

impl ScmStockKeeper {
    pub fn new(db: Db) -> ScmStockKeeper {
        ScmStockKeeper { db }
    }
}

const LINK_COLUMNS: &str = "l.product_id, l.item_id, l.warehouse_id, l.factor, COALESCE(w.on_hand - w.reserved, 0) AS available";
const LINK_FROM: &str = "scm_product_link l LEFT JOIN scm_warehouse_stock w
     ON w.company_id = l.company_id AND w.warehouse_id = l.warehouse_id AND w.item_id = l.item_id";

fn link(row: &AnyRow) -> Result<ProductLink, StorageError> {
    let factor: i64 = row.try_get("factor")?;
    let available: i64 = row.try_get("available")?;
    Ok(ProductLink {
        product_id: market::ProductId::from_raw(row.try_get("product_id")?),
        item_id: ItemId::from_raw(row.try_get("item_id")?),
        warehouse_id: LocationId::from_raw(row.try_get("warehouse_id")?),
        factor,
        available_quantity: available.max(0) / factor.max(1),
    })
}

/// The link of `product`, if it is linked.
pub(crate) async fn link_in(
    tx: &mut Tx,
    company: CompanyId,
    product: market::ProductId,
) -> Result<Option<ProductLink>> {
    let row = sqlx::query(&format!(
        "SELECT {LINK_COLUMNS} FROM {LINK_FROM} WHERE l.company_id = $1 AND l.product_id = $2"
    ))
    .bind(company)
    .bind(product)
    .fetch_optional(tx.conn())
    .await?;
    Ok(row.map(|row| link(&row)).transpose()?)
}

/// The company's links, by product.
pub(crate) async fn links_in(
    tx: &mut Tx,
    company: CompanyId,
    page: PageRequest,
) -> Result<Page<ProductLink>> {
    let rows = sqlx::query(&format!(
        "SELECT {LINK_COLUMNS} FROM {LINK_FROM}
         WHERE l.company_id = $1 AND l.product_id > $2 ORDER BY l.product_id LIMIT $3"
    ))
    .bind(company)
    .bind(page.after_raw())
    .bind(page.fetch_limit())
    .fetch_all(tx.conn())
    .await?;
    let links = rows
        .iter()
        .map(link)
        .collect::<Result<Vec<_>, StorageError>>()?;
    Ok(Page::from_rows(links, page, |link| link.product_id.raw()))
}

/// On hand less reserved of an item in a warehouse (0 when never stocked).
pub(crate) async fn available_in(
    tx: &mut Tx,
    company: CompanyId,
    warehouse: LocationId,
    item: ItemId,
) -> Result<i64> {
    let row = sqlx::query(
        "SELECT on_hand - reserved AS available FROM scm_warehouse_stock
         WHERE company_id = $1 AND warehouse_id = $2 AND item_id = $3",
    )
    .bind(company)
    .bind(warehouse)
    .bind(item)
    .fetch_optional(tx.conn())
    .await?;
    Ok(row.map(|row| row.try_get(0)).transpose()?.unwrap_or(0))
}

/// An item's free stock in a warehouse went from `before` to `after`: every
/// product it keeps there that ran out or came back is announced, so search
/// re-reads it.
pub(crate) async fn availability_changed(
    tx: &mut Tx,
    company: CompanyId,
    warehouse: LocationId,
    item: ItemId,
    before: i64,
    after: i64,
    now: Timestamp,
) -> Result<()> {
    if before == after {
        return Ok(());
    }
    let rows = sqlx::query(
        "SELECT product_id, factor FROM scm_product_link WHERE company_id = $1 AND item_id = $2 AND warehouse_id = $3",
    )
    .bind(company)
    .bind(item)
    .bind(warehouse)
    .fetch_all(tx.conn())
    .await?;
    for row in rows {
        if crossed(before, after, row.try_get("factor")?) {
            let product = market::ProductId::from_raw(row.try_get("product_id")?);
            market::linked_stock::announce_stock_changed(tx, company, product, now).await?;
        }
    }
    Ok(())
}

/// Whether a product of `factor` base units a unit ran out or came back
/// when its item's free stock went from `before` to `after`.
fn crossed(before: i64, after: i64, factor: i64) -> bool {
    let had = before.max(0) / factor.max(1) > 0;
    let has = after.max(0) / factor.max(1) > 0;
    had != has
}

/// [`availability_changed`] for many (warehouse, item) pairs at once, with
/// one read of the links of all their items.
pub(crate) async fn availabilities_changed(
    tx: &mut Tx,
    company: CompanyId,
    changes: &std::collections::BTreeMap<(LocationId, ItemId), (i64, i64)>,
    now: Timestamp,
) -> Result<()> {
    let items: Vec<ItemId> = changes
        .iter()
        .filter(|(_, (before, after))| before != after)
        .map(|((_, item), _)| *item)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for chunk in items.chunks(200) {
        let engine = tx.engine();
        let sql = format!(
            "SELECT product_id, item_id, warehouse_id, factor FROM scm_product_link WHERE company_id = {} AND item_id IN ({})",
            engine.placeholder(1),
            kernel::db::placeholder_list(engine, 2, chunk.len())
        );
        let mut query = sqlx::query(&sql).bind(company);
        for item in chunk {
            query = query.bind(*item);
        }
        for row in query.fetch_all(tx.conn()).await? {
            let warehouse = LocationId::from_raw(row.try_get("warehouse_id")?);
            let item = ItemId::from_raw(row.try_get("item_id")?);
            let Some((before, after)) = changes.get(&(warehouse, item)) else {
                continue;
            };
            if crossed(*before, *after, row.try_get("factor")?) {
                let product = market::ProductId::from_raw(row.try_get("product_id")?);
                market::linked_stock::announce_stock_changed(tx, company, product, now).await?;
            }
        }
    }
    Ok(())
}

fn storage(error: ScmError) -> KeeperError {
    match error {
        ScmError::Storage(error) => KeeperError::Storage(error),
        other => KeeperError::Storage(StorageError::corrupt("supply chain", other)),
    }
}

#[async_trait::async_trait]
impl StockKeeper for ScmStockKeeper {
    async fn reserve(
        &self,
        tx: &mut Tx,
        line: &StockLine,
        now: Timestamp,
    ) -> Result<Keeping, KeeperError> {
        let Some(link) = link_in(tx, line.seller, line.product_id)
            .await
            .map_err(storage)?
        else {
            return Ok(Keeping::NotKept);
        };
        let Some(quantity) = line.quantity.checked_mul(link.factor) else {
            return Err(KeeperError::Insufficient {
                available: link.available_quantity,
            });
        };
        let reserved = sqlx::query(
            "UPDATE scm_warehouse_stock SET reserved = reserved + $1, updated_at = $2
             WHERE company_id = $3 AND warehouse_id = $4 AND item_id = $5 AND on_hand - reserved >= $1
             RETURNING on_hand - reserved AS available",
        )
        .bind(quantity)
        .bind(now.micros())
        .bind(line.seller)
        .bind(link.warehouse_id)
        .bind(link.item_id)
        .fetch_optional(tx.conn())
        .await
        .map_err(StorageError::from)?;
        let Some(row) = reserved else {
            // Read again: on PostgreSQL the link's figure may predate the
            // orders this one waited for.
            let free = available_in(tx, line.seller, link.warehouse_id, link.item_id)
                .await
                .map_err(storage)?;
            return Err(KeeperError::Insufficient {
                available: free.max(0) / link.factor.max(1),
            });
        };
        let after: i64 = row.try_get(0).map_err(StorageError::from)?;
        sqlx::query(
            "INSERT INTO scm_reservation (company_id, order_id, line_no, product_id, item_id, warehouse_id, quantity, state, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'held', $8, $8)",
        )
        .bind(line.seller)
        .bind(line.order_id)
        .bind(line.line_no)
        .bind(line.product_id)
        .bind(link.item_id)
        .bind(link.warehouse_id)
        .bind(quantity)
        .bind(now.micros())
        .execute(tx.conn())
        .await
        .map_err(StorageError::from)?;
        availability_changed(
            tx,
            line.seller,
            link.warehouse_id,
            link.item_id,
            after + quantity,
            after,
            now,
        )
        .await
        .map_err(storage)?;
        Ok(Keeping::Kept)
    }

    async fn release(
        &self,
        tx: &mut Tx,
        line: &StockLine,
        now: Timestamp,
    ) -> Result<Keeping, KeeperError> {
        let Some((state, item, warehouse, quantity)) = reservation_in(tx, line).await? else {
            return Ok(Keeping::NotKept);
        };
        if state != "held" {
            return Ok(Keeping::Kept);
        }
        let row = sqlx::query(
            "UPDATE scm_warehouse_stock SET reserved = reserved - $1, updated_at = $2
             WHERE company_id = $3 AND warehouse_id = $4 AND item_id = $5
             RETURNING on_hand - reserved AS available",
        )
        .bind(quantity)
        .bind(now.micros())
        .bind(line.seller)
        .bind(warehouse)
        .bind(item)
        .fetch_one(tx.conn())
        .await
        .map_err(StorageError::from)?;
        let after: i64 = row.try_get(0).map_err(StorageError::from)?;
        set_reservation_state(tx, line, "released", now).await?;
        availability_changed(
            tx,
            line.seller,
            warehouse,
            item,
            after - quantity,
            after,
            now,
        )
        .await
        .map_err(storage)?;
        Ok(Keeping::Kept)
    }

    async fn takes_returns(&self, tx: &mut Tx, line: &StockLine) -> Result<Keeping, KeeperError> {
        Ok(match reservation_in(tx, line).await? {
            Some(_) => Keeping::Kept,
            None => Keeping::NotKept,
        })
    }
}

/// The line's reservation: state, item, warehouse, base quantity.
async fn reservation_in(
    tx: &mut Tx,
    line: &StockLine,
) -> Result<Option<(String, ItemId, LocationId, i64)>, KeeperError> {
    let row = sqlx::query(&format!(
        "SELECT state, item_id, warehouse_id, quantity FROM scm_reservation
         WHERE company_id = $1 AND order_id = $2 AND line_no = $3{}",
        tx.engine().lock_rows_clause()
    ))
    .bind(line.seller)
    .bind(line.order_id)
    .bind(line.line_no)
    .fetch_optional(tx.conn())
    .await
    .map_err(StorageError::from)?;
    let Some(row) = row else { return Ok(None) };
    let read = || -> Result<_, sqlx::Error> {
        Ok((
            row.try_get::<String, _>("state")?,
            ItemId::from_raw(row.try_get("item_id")?),
            LocationId::from_raw(row.try_get("warehouse_id")?),
            row.try_get::<i64, _>("quantity")?,
        ))
    };
    Ok(Some(read().map_err(StorageError::from)?))
}

async fn set_reservation_state(
    tx: &mut Tx,
    line: &StockLine,
    state: &str,
    now: Timestamp,
) -> Result<(), KeeperError> {
    sqlx::query(
        "UPDATE scm_reservation SET state = $1, updated_at = $2 WHERE company_id = $3 AND order_id = $4 AND line_no = $5",
    )
    .bind(state)
    .bind(now.micros())
    .bind(line.seller)
    .bind(line.order_id)
    .bind(line.line_no)
    .execute(tx.conn())
    .await
    .map_err(StorageError::from)?;
    Ok(())
}

#[async_trait::async_trait]
impl market::LinkedAvailability for ScmStockKeeper {
    async fn available(
        &self,
        company: CompanyId,
        products: &[market::ProductId],
    ) -> Result<HashMap<market::ProductId, i64>, StorageError> {
        let mut found = HashMap::new();
        // One query per bounded chunk: a page of products at most.
        for chunk in products.chunks(200) {
            let engine = self.db.engine();
            let sql = format!(
                "SELECT {LINK_COLUMNS} FROM {LINK_FROM} WHERE l.company_id = {} AND l.product_id IN ({})",
                engine.placeholder(1),
                kernel::db::placeholder_list(engine, 2, chunk.len())
            );
            let mut query = sqlx::query(&sql).bind(company);
            for product in chunk {
                query = query.bind(*product);
            }
            for row in query.fetch_all(self.db.reader()).await? {
                let link = link(&row)?;
                found.insert(link.product_id, link.available_quantity);
            }
        }
        Ok(found)
    }
}
