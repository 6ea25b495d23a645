//! Orders in the database: read (with their lines), locked for a transition,
//! written back, and the timeline. Every transition goes through `locked` and
//! `save`, so the state check and the write happen under one row lock.

use kernel::db::Tx;
use kernel::outbox::{self, Event};
use kernel::{CompanyId, Timestamp};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyPool, Executor};

use crate::error::{Result, TradeError};
use crate::model::{HistoryId, Order, OrderId, OrderLine};
use crate::rows::{self, LINE_COLUMNS, ORDER_COLUMNS};

/// Reads an order and its lines, outside a transaction.
pub(crate) async fn load(pool: &AnyPool, id: OrderId) -> Result<Option<Order>> {
    let Some(row) = sqlx::query(&format!(
        "SELECT {ORDER_COLUMNS} FROM trade_order WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let mut order = rows::order(&row)?;
    order.lines = lines_of(pool, order.buyer, &[order.id])
        .await?
        .into_iter()
        .map(|(_, line)| line)
        .collect();
    Ok(Some(order))
}

/// The lines of some orders of one buyer, in order.
pub(crate) async fn lines_of<'c, E>(
    executor: E,
    buyer: CompanyId,
    orders: &[OrderId],
) -> Result<Vec<(OrderId, OrderLine)>>
where
    E: Executor<'c, Database = Any>,
{
    if orders.is_empty() {
        return Ok(Vec::new());
    }
    let list = orders
        .iter()
        .map(|id| id.raw().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    // The ids are our own integers, never text from a request.
    let found: Vec<AnyRow> = sqlx::query(&format!(
        "SELECT {LINE_COLUMNS} FROM trade_order_line WHERE company_id = $1 AND order_id IN ({list})
         ORDER BY order_id, line_no"
    ))
    .bind(buyer)
    .fetch_all(executor)
    .await?;
    found
        .iter()
        .map(|row| rows::line(row).map_err(TradeError::from))
        .collect()
}

/// The order, locked for a transition, or not found.
pub(crate) async fn locked(tx: &mut Tx, id: OrderId) -> Result<Order> {
    let lock = tx.engine().lock_rows_clause();
    let row = sqlx::query(&format!(
        "SELECT {ORDER_COLUMNS} FROM trade_order WHERE id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(TradeError::NotFound("order"))?;
    let mut order = rows::order(&row)?;
    order.lines = lines_of(tx.conn(), order.buyer, &[order.id])
        .await?
        .into_iter()
        .map(|(_, line)| line)
        .collect();
    Ok(order)
}

/// Writes a new order and its lines.
pub(crate) async fn insert(tx: &mut Tx, order: &Order, placed_by: i64) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO trade_order ({ORDER_COLUMNS}, placed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)"
    ))
    .bind(order.buyer)
    .bind(order.id)
    .bind(order.seller)
    .bind(order.state.as_str())
    .bind(order.currency.code())
    .bind(order.goods_total_minor)
    .bind(order.shipping_fee_minor)
    .bind(order.total_minor)
    .bind(order.fee_bp)
    .bind(order.fee_minor)
    .bind(order.refunded_minor)
    .bind(&order.delivery_address)
    .bind(&order.buyer_note)
    .bind(&order.seller_note)
    .bind(&order.terms)
    .bind(i64::from(order.cross_border))
    .bind(order.category_id)
    .bind(order.quotation_id.map(|id| id.raw()))
    .bind(i64::from(order.open_claim))
    .bind(order.confirmed_at.map(Timestamp::micros))
    .bind(order.paid_at.map(Timestamp::micros))
    .bind(order.shipped_at.map(Timestamp::micros))
    .bind(order.delivered_at.map(Timestamp::micros))
    .bind(order.completed_at.map(Timestamp::micros))
    .bind(order.settled_at.map(Timestamp::micros))
    .bind(order.closed_at.map(Timestamp::micros))
    .bind(order.placed_at.micros())
    .bind(order.updated_at.micros())
    .bind(placed_by)
    .execute(tx.conn())
    .await?;
    for line in &order.lines {
        sqlx::query(
            "INSERT INTO trade_order_line (company_id, order_id, line_no, product_id, sku, title, quantity, unit, unit_price_minor, line_total_minor, stock, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
        )
        .bind(order.buyer)
        .bind(order.id)
        .bind(line.line_no)
        .bind(line.product_id.map_or(0, |id| id.raw()))
        .bind(&line.sku)
        .bind(&line.title)
        .bind(line.quantity)
        .bind(&line.unit)
        .bind(line.unit_price_minor)
        .bind(line.line_total_minor)
        .bind(line.stock.as_str())
        .bind(order.placed_at.micros())
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

/// Writes back what a transition may change: the state, the money, the
/// notes, the claim flag and the dates, and each line's stock and price.
pub(crate) async fn save(tx: &mut Tx, order: &Order) -> Result<()> {
    sqlx::query(
        "UPDATE trade_order SET state = $1, goods_total_minor = $2, shipping_fee_minor = $3, total_minor = $4,
         fee_minor = $5, refunded_minor = $6, seller_note = $7, open_claim = $8, confirmed_at = $9, paid_at = $10,
         shipped_at = $11, delivered_at = $12, completed_at = $13, settled_at = $14, closed_at = $15, updated_at = $16
         WHERE company_id = $17 AND id = $18",
    )
    .bind(order.state.as_str())
    .bind(order.goods_total_minor)
    .bind(order.shipping_fee_minor)
    .bind(order.total_minor)
    .bind(order.fee_minor)
    .bind(order.refunded_minor)
    .bind(&order.seller_note)
    .bind(i64::from(order.open_claim))
    .bind(order.confirmed_at.map(Timestamp::micros))
    .bind(order.paid_at.map(Timestamp::micros))
    .bind(order.shipped_at.map(Timestamp::micros))
    .bind(order.delivered_at.map(Timestamp::micros))
    .bind(order.completed_at.map(Timestamp::micros))
    .bind(order.settled_at.map(Timestamp::micros))
    .bind(order.closed_at.map(Timestamp::micros))
    .bind(order.updated_at.micros())
    .bind(order.buyer)
    .bind(order.id)
    .execute(tx.conn())
    .await?;
    for line in &order.lines {
        sqlx::query(
            "UPDATE trade_order_line SET unit_price_minor = $1, line_total_minor = $2, stock = $3, updated_at = $4
             WHERE company_id = $5 AND order_id = $6 AND line_no = $7",
        )
        .bind(line.unit_price_minor)
        .bind(line.line_total_minor)
        .bind(line.stock.as_str())
        .bind(order.updated_at.micros())
        .bind(order.buyer)
        .bind(order.id)
        .bind(line.line_no)
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

/// Adds a line to the order's timeline.
pub(crate) async fn history(
    tx: &mut Tx,
    order: &Order,
    kind: &str,
    actor: Option<CompanyId>,
    note: &str,
    at: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO trade_order_history (company_id, order_id, id, kind, actor_company_id, note, at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7)",
    )
    .bind(order.buyer)
    .bind(order.id)
    .bind(HistoryId::new())
    .bind(kind)
    .bind(actor.map_or(0, |company| company.raw()))
    .bind(note)
    .bind(at.micros())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Records an event in the timeline and publishes it to the outbox.
pub(crate) async fn publish<E: Event>(
    tx: &mut Tx,
    order: &Order,
    event: &E,
    actor: Option<CompanyId>,
    note: &str,
    at: Timestamp,
) -> Result<()> {
    history(tx, order, E::NAME, actor, note, at).await?;
    outbox::append(tx, event, Some(order.buyer), at).await?;
    Ok(())
}
