//! The supply chain's outbox subscriber: the deal's events become purchase
//! orders and receipts for the buyer, and shipments and returns for the
//! seller, in the dispatcher's transaction, so each takes effect exactly
//! once, also across a crash; the moves' sources make a replay change
//! nothing all the same. Business refusals never stop the feed: what cannot
//! apply is logged and skipped.

use kernel::CompanyId;
use kernel::db::Tx;
use kernel::outbox::{OutboxEvent, Subscriber, SubscriberError};
use sqlx::Row;
use trade::OrderLine;
use trade::events::{
    OrderCancelled, OrderCompleted, OrderConfirmed, OrderDeclined, OrderDelivered, OrderFacts,
    OrderPlaced, OrderRefunded, OrderSettled, OrderShipped,
};

use crate::Scm;
use crate::company::open_in;
use crate::error::{Result, ScmError};
use crate::events::{CostTally, CostedReason, publish_costed};
use crate::items::{
    CheckedItem, ItemInput, NAME_CHARS_MAX, SKU_CHARS_MAX, factor_of, insert_item, item_in,
};
use crate::model::{ItemId, LocationId, MoveReason, PurchaseLine, PurchaseState};
use crate::moves::{MoveSpec, MoveValue, write_move};
use crate::purchase::{NewPurchase, insert_purchase, market_purchase_in, set_state};
use crate::receipts::{ReceiptLineInput, receive_in};
use crate::suppliers::network_supplier_in;

/// The subscriber that keeps every member's supply chain from the outbox.
pub struct ScmFeed {
    scm: Scm,
}

impl ScmFeed {
    pub fn new(scm: Scm) -> ScmFeed {
        ScmFeed { scm }
    }
}

fn failed(error: impl std::fmt::Display) -> SubscriberError {
    SubscriberError::Failed(error.to_string())
}

async fn savepoint(tx: &mut Tx, statement: &str) -> Result<(), SubscriberError> {
    sqlx::query(statement)
        .execute(tx.conn())
        .await
        .map_err(failed)?;
    Ok(())
}

/// Decodes `event` as `E`, or says it is not one.
fn decode<E: kernel::outbox::Event>(event: &OutboxEvent) -> Result<Option<E>, SubscriberError> {
    event.decode::<E>().transpose().map_err(failed)
}

#[async_trait::async_trait]
impl Subscriber for ScmFeed {
    fn name(&self) -> &'static str {
        "scm.stock"
    }

    async fn handle(&self, tx: &mut Tx, event: &OutboxEvent) -> Result<(), SubscriberError> {
        // A refusal must leave nothing half-applied: the event's writes sit
        // behind a savepoint that a refusal rolls back to.
        savepoint(tx, "SAVEPOINT scm_event").await?;
        let applied = self.apply(tx, event).await?;
        match applied {
            Ok(()) => savepoint(tx, "RELEASE SAVEPOINT scm_event").await,
            Err(ScmError::Storage(error)) => Err(failed(error)),
            // A refusal is the member's data disagreeing with the deal (stock
            // moved away, a unit without a conversion): skipped, not retried.
            Err(refused) => {
                tracing::warn!(event.name = %event.name, event.position = event.position, error = %refused, "supply chain skipped an event");
                savepoint(tx, "ROLLBACK TO SAVEPOINT scm_event").await?;
                savepoint(tx, "RELEASE SAVEPOINT scm_event").await
            }
        }
    }
}

impl ScmFeed {
    async fn apply(&self, tx: &mut Tx, event: &OutboxEvent) -> Result<Result<()>, SubscriberError> {
        let now = event.created_at;
        if let Some(placed) = decode::<OrderPlaced>(event)? {
            return Ok(self.purchase_ordered(tx, &placed.order).await);
        }
        if let Some(confirmed) = decode::<OrderConfirmed>(event)? {
            return Ok(prices_agreed(tx, &confirmed.order, now).await);
        }
        if let Some(declined) = decode::<OrderDeclined>(event)? {
            return Ok(purchase_cancelled(tx, &declined.order, now).await);
        }
        if let Some(cancelled) = decode::<OrderCancelled>(event)? {
            return Ok(purchase_cancelled(tx, &cancelled.order, now).await);
        }
        if let Some(shipped) = decode::<OrderShipped>(event)? {
            return Ok(shipped_from_reservations(tx, &shipped.order, now).await);
        }
        if let Some(delivered) = decode::<OrderDelivered>(event)? {
            return Ok(delivery_waits(tx, &delivered.order, now).await);
        }
        if let Some(completed) = decode::<OrderCompleted>(event)? {
            return Ok(receive_all(tx, &completed.order, false, now).await);
        }
        if let Some(settled) = decode::<OrderSettled>(event)? {
            return Ok(receive_all(tx, &settled.order, true, now).await);
        }
        if let Some(refunded) = decode::<OrderRefunded>(event)? {
            return Ok(refunded_order(tx, &refunded, now).await);
        }
        Ok(Ok(()))
    }

    /// The buyer placed a market order: its purchase order, with the seller
    /// as a supplier and each line as an item, made where new.
    async fn purchase_ordered(&self, tx: &mut Tx, order: &OrderFacts) -> Result<()> {
        let buyer = order.buyer_company_id;
        let now = order.at;
        if market_purchase_in(tx, buyer, order.order_id)
            .await?
            .is_some()
        {
            return Ok(());
        }
        // A draft the member sent to the market becomes the order's.
        if let Some(draft) = crate::market_send::draft_being_sent(tx, order).await?
            && crate::market_send::link_in(tx, buyer, draft, order).await?
        {
            return Ok(());
        }
        let settings = open_in(tx, buyer, now).await?;
        let name = match self.scm.market.storefront(order.seller_company_id).await {
            Ok(storefront) => storefront.display_name,
            Err(_) => order.seller_company_id.to_string(),
        };
        let supplier = network_supplier_in(tx, buyer, order.seller_company_id, &name, now).await?;
        let mut lines = Vec::with_capacity(order.lines.len());
        for line in &order.lines {
            let (item, factor) =
                item_for_line(tx, buyer, supplier.id, line, order.currency, now).await?;
            lines.push(PurchaseLine {
                line_no: line.line_no,
                item_id: item,
                unit: line.unit.clone(),
                factor,
                quantity: line.quantity,
                received_quantity: 0,
                returned_quantity: 0,
                unit_price_minor: line.unit_price_minor,
            });
        }
        let new = NewPurchase {
            supplier: supplier.id,
            market_order: Some(order.order_id),
            state: PurchaseState::Ordered,
            currency: order.currency,
            shipping_fee_minor: order.shipping_fee_minor,
            warehouse: settings.default_warehouse_id,
            note: String::new(),
            lines,
        };
        insert_purchase(tx, buyer, &new, now).await?;
        Ok(())
    }
}

/// The buyer's item for a line bought from `supplier`: the one it was
/// bought as before (by product, or by the supplier's SKU), or a new one
/// named after the seller's product. Answers the base units per line unit.
async fn item_for_line(
    tx: &mut Tx,
    buyer: CompanyId,
    supplier: crate::model::SupplierId,
    line: &OrderLine,
    currency: kernel::Currency,
    now: kernel::Timestamp,
) -> Result<(ItemId, i64)> {
    let product = line.product_id.map_or(0, market::ProductId::raw);
    let known = sqlx::query(
        "SELECT item_id FROM scm_supplier_item
         WHERE company_id = $1 AND supplier_id = $2 AND ((product_id <> 0 AND product_id = $3) OR (product_id = 0 AND $3 = 0 AND supplier_sku = $4))",
    )
    .bind(buyer)
    .bind(supplier)
    .bind(product)
    .bind(&line.sku)
    .fetch_optional(tx.conn())
    .await?;
    if let Some(row) = known {
        let item = item_in(
            tx,
            buyer,
            ItemId::from_raw(row.try_get("item_id")?),
            "item_id",
        )
        .await?;
        return Ok((item.id, factor_of(&item, &line.unit, "unit").unwrap_or(1)));
    }
    let base_sku: String = if line.sku.trim().is_empty() {
        format!("M{}", line.line_no)
    } else {
        line.sku.trim().chars().take(SKU_CHARS_MAX - 8).collect()
    };
    let mut sku = base_sku.clone();
    for attempt in 2.. {
        let taken = sqlx::query("SELECT id FROM scm_item WHERE company_id = $1 AND sku = $2")
            .bind(buyer)
            .bind(&sku)
            .fetch_optional(tx.conn())
            .await?;
        if taken.is_none() {
            break;
        }
        sku = format!("{base_sku}-{attempt}");
    }
    let unit = if line.unit.trim().is_empty() {
        "piece".to_owned()
    } else {
        line.unit.trim().to_owned()
    };
    let checked = CheckedItem {
        sku: sku.clone(),
        name: line.title.chars().take(NAME_CHARS_MAX).collect(),
        unit: unit.clone(),
        units: Vec::new(),
    };
    let input = ItemInput {
        sku,
        name: checked.name.clone(),
        unit,
        cost_currency: currency,
        lot_tracked: false,
        reorder_point: 0,
        reorder_quantity: 0,
        units: Vec::new(),
    };
    let item = insert_item(tx, buyer, &checked, &input, now).await?;
    sqlx::query(
        "INSERT INTO scm_supplier_item (company_id, supplier_id, item_id, supplier_sku, product_id, unit_price_minor, currency, lead_time_days, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8)",
    )
    .bind(buyer)
    .bind(supplier)
    .bind(item)
    .bind(&line.sku)
    .bind(product)
    .bind(line.unit_price_minor)
    .bind(currency.code())
    .bind(now.micros())
    .execute(tx.conn())
    .await?;
    Ok((item, 1))
}

/// The seller confirmed with the final prices and shipping fee.
async fn prices_agreed(tx: &mut Tx, order: &OrderFacts, now: kernel::Timestamp) -> Result<()> {
    let buyer = order.buyer_company_id;
    let Some(purchase) = market_purchase_in(tx, buyer, order.order_id).await? else {
        return Ok(());
    };
    if purchase.state != PurchaseState::Ordered {
        return Ok(());
    }
    sqlx::query("UPDATE scm_purchase_order SET shipping_fee_minor = $1, updated_at = $2 WHERE company_id = $3 AND id = $4")
        .bind(order.shipping_fee_minor)
        .bind(now.micros())
        .bind(buyer)
        .bind(purchase.id)
        .execute(tx.conn())
        .await?;
    for line in &order.lines {
        sqlx::query(
            "UPDATE scm_purchase_line SET unit_price_minor = $1, updated_at = $2
             WHERE company_id = $3 AND purchase_order_id = $4 AND line_no = $5",
        )
        .bind(line.unit_price_minor)
        .bind(now.micros())
        .bind(buyer)
        .bind(purchase.id)
        .bind(line.line_no)
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

/// Declined or cancelled before anything arrived: the purchase is off.
async fn purchase_cancelled(tx: &mut Tx, order: &OrderFacts, now: kernel::Timestamp) -> Result<()> {
    let buyer = order.buyer_company_id;
    if let Some(purchase) = market_purchase_in(tx, buyer, order.order_id).await?
        && purchase.state == PurchaseState::Ordered
    {
        set_state(tx, buyer, purchase.id, PurchaseState::Cancelled, now).await?;
    }
    Ok(())
}

/// The carrier delivered: the receipt waits for the buyer's confirmation.
async fn delivery_waits(tx: &mut Tx, order: &OrderFacts, now: kernel::Timestamp) -> Result<()> {
    let buyer = order.buyer_company_id;
    if let Some(purchase) = market_purchase_in(tx, buyer, order.order_id).await? {
        sqlx::query("UPDATE scm_purchase_order SET delivery_waiting = 1, updated_at = $1 WHERE company_id = $2 AND id = $3 AND state IN ('ordered', 'partially_received')")
            .bind(now.micros())
            .bind(buyer)
            .bind(purchase.id)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// The buyer confirmed receipt (or the order settled after delivery): what
/// is still open arrives in the purchase order's warehouse.
async fn receive_all(
    tx: &mut Tx,
    order: &OrderFacts,
    only_if_delivered: bool,
    now: kernel::Timestamp,
) -> Result<()> {
    let buyer = order.buyer_company_id;
    let Some(purchase) = market_purchase_in(tx, buyer, order.order_id).await? else {
        return Ok(());
    };
    let open_state = matches!(
        purchase.state,
        PurchaseState::Ordered | PurchaseState::PartiallyReceived
    );
    if !open_state || (only_if_delivered && !purchase.delivery_waiting) {
        return Ok(());
    }
    let lines: Vec<ReceiptLineInput> = purchase
        .lines
        .iter()
        .filter(|line| line.received_quantity < line.quantity)
        .map(|line| ReceiptLineInput {
            line_no: line.line_no,
            quantity: line.quantity - line.received_quantity,
            lot: None,
        })
        .collect();
    if lines.is_empty() {
        return Ok(());
    }
    let source = format!("order:{}:receipt", order.order_id);
    receive_in(
        tx,
        buyer,
        &purchase,
        purchase.warehouse_id,
        &lines,
        Some(&source),
        now,
    )
    .await
}

/// The seller handed the goods to the carrier: each line's reservation
/// leaves its warehouse for the customer location, picked from the
/// warehouse's locations that hold the item.
async fn shipped_from_reservations(
    tx: &mut Tx,
    order: &OrderFacts,
    now: kernel::Timestamp,
) -> Result<()> {
    let seller = order.seller_company_id;
    let held = reservations(tx, seller, order.order_id, "held").await?;
    if held.is_empty() {
        return Ok(());
    }
    let settings = open_in(tx, seller, now).await?;
    let mut tally = CostTally::default();
    for (line_no, item, warehouse, quantity) in held {
        let currency = item_in(tx, seller, item, "item").await?.cost_currency;
        let picks = picks_in(tx, seller, warehouse, item, quantity, false).await?;
        for (index, (location, lot, taken)) in picks.into_iter().enumerate() {
            let spec = MoveSpec {
                item,
                lot,
                quantity: taken,
                from: location,
                to: settings.customer_location_id,
                value: MoveValue::Average,
                reason: MoveReason::Shipment,
                note: String::new(),
                source: format!("order:{}:ship:{line_no}:{index}", order.order_id),
                consumes_reserved: taken,
                moved_at: now,
            };
            if let Some(moved) = write_move(tx, seller, &spec, now).await? {
                tally.add(currency, moved.value_minor);
            }
        }
        set_reservation(tx, seller, order.order_id, line_no, "consumed", now).await?;
    }
    publish_costed(
        tx,
        seller,
        order.order_id,
        CostedReason::Shipment,
        &tally,
        now,
    )
    .await?;
    Ok(())
}

/// Where `quantity` of an item is taken from in a warehouse: its locations
/// with stock, lots in order, until the quantity is covered (or, when
/// `short_allowed`, until the warehouse has no more).
async fn picks_in(
    tx: &mut Tx,
    company: CompanyId,
    warehouse: LocationId,
    item: ItemId,
    quantity: i64,
    short_allowed: bool,
) -> Result<Vec<(LocationId, String, i64)>> {
    let rows = sqlx::query(
        "SELECT s.location_id, s.lot, s.quantity FROM scm_stock s
         JOIN scm_location l ON l.company_id = s.company_id AND l.id = s.location_id
         WHERE s.company_id = $1 AND s.item_id = $2 AND l.warehouse_id = $3 AND s.quantity > 0
         ORDER BY s.lot, s.location_id",
    )
    .bind(company)
    .bind(item)
    .bind(warehouse)
    .fetch_all(tx.conn())
    .await?;
    let mut left = quantity;
    let mut picks = Vec::new();
    for row in rows {
        if left == 0 {
            break;
        }
        let held: i64 = row.try_get("quantity")?;
        let taken = held.min(left);
        picks.push((
            LocationId::from_raw(row.try_get("location_id")?),
            row.try_get("lot")?,
            taken,
        ));
        left -= taken;
    }
    if left > 0 && !short_allowed {
        return Err(ScmError::InsufficientStock {
            field: "quantity".into(),
            available: quantity - left,
        });
    }
    Ok(picks)
}

/// The order's reservations in `state`: line, item, warehouse, base quantity.
async fn reservations(
    tx: &mut Tx,
    seller: CompanyId,
    order: trade::OrderId,
    state: &str,
) -> Result<Vec<(i64, ItemId, LocationId, i64)>> {
    let rows = sqlx::query(
        "SELECT line_no, item_id, warehouse_id, quantity FROM scm_reservation
         WHERE company_id = $1 AND order_id = $2 AND state = $3 ORDER BY line_no",
    )
    .bind(seller)
    .bind(order)
    .bind(state)
    .fetch_all(tx.conn())
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("line_no")?,
                ItemId::from_raw(row.try_get("item_id")?),
                LocationId::from_raw(row.try_get("warehouse_id")?),
                row.try_get("quantity")?,
            ))
        })
        .collect()
}

async fn set_reservation(
    tx: &mut Tx,
    seller: CompanyId,
    order: trade::OrderId,
    line_no: i64,
    state: &str,
    now: kernel::Timestamp,
) -> Result<()> {
    sqlx::query(
        "UPDATE scm_reservation SET state = $1, updated_at = $2 WHERE company_id = $3 AND order_id = $4 AND line_no = $5",
    )
    .bind(state)
    .bind(now.micros())
    .bind(seller)
    .bind(order)
    .bind(line_no)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Money went back to the buyer. With the goods: the seller's shipped lines
/// come back into their warehouse at the value they left with, and the
/// buyer's received goods go back to the supplier. A purchase that received
/// nothing and is refunded in full is off.
async fn refunded_order(
    tx: &mut Tx,
    refunded: &OrderRefunded,
    now: kernel::Timestamp,
) -> Result<()> {
    let order = &refunded.order;
    if refunded.goods_returned {
        let seller = order.seller_company_id;
        let shipped = reservations(tx, seller, order.order_id, "consumed").await?;
        let mut tally = CostTally::default();
        for (line_no, item, warehouse, quantity) in shipped {
            let currency = item_in(tx, seller, item, "item").await?.cost_currency;
            let settings = open_in(tx, seller, now).await?;
            let value: i64 = sqlx::query(
                "SELECT CAST(COALESCE(SUM(value_minor), 0) AS BIGINT) AS value FROM scm_move
                 WHERE company_id = $1 AND source LIKE $2",
            )
            .bind(seller)
            .bind(format!("order:{}:ship:{line_no}:%", order.order_id))
            .fetch_one(tx.conn())
            .await?
            .try_get("value")?;
            let spec = MoveSpec {
                item,
                lot: String::new(),
                quantity,
                from: settings.customer_location_id,
                to: warehouse,
                value: MoveValue::Total(value),
                reason: MoveReason::CustomerReturn,
                note: String::new(),
                source: format!("order:{}:return:{line_no}", order.order_id),
                consumes_reserved: 0,
                moved_at: now,
            };
            if let Some(moved) = write_move(tx, seller, &spec, now).await? {
                tally.add(currency, moved.value_minor);
            }
            set_reservation(tx, seller, order.order_id, line_no, "returned", now).await?;
        }
        let reason = CostedReason::CustomerReturn;
        publish_costed(tx, seller, order.order_id, reason, &tally, now).await?;
    }
    let buyer = order.buyer_company_id;
    let Some(purchase) = market_purchase_in(tx, buyer, order.order_id).await? else {
        return Ok(());
    };
    let received_any = purchase.lines.iter().any(|line| line.received_quantity > 0);
    if refunded.goods_returned && received_any {
        return_to_supplier(tx, buyer, &purchase, order, now).await?;
    } else if !received_any
        && (refunded.goods_returned || order.refunded_minor >= order.total_minor)
        && purchase.state == PurchaseState::Ordered
    {
        set_state(tx, buyer, purchase.id, PurchaseState::Cancelled, now).await?;
    }
    Ok(())
}

/// Sends the buyer's received goods of a refunded order back to the
/// supplier, from wherever in the purchase's warehouse they still are.
async fn return_to_supplier(
    tx: &mut Tx,
    buyer: CompanyId,
    purchase: &crate::model::PurchaseOrder,
    order: &OrderFacts,
    now: kernel::Timestamp,
) -> Result<()> {
    let settings = open_in(tx, buyer, now).await?;
    for line in &purchase.lines {
        let back = (line.received_quantity - line.returned_quantity) * line.factor;
        if back <= 0 {
            continue;
        }
        // Whatever of it was sold or moved away meanwhile is not there to send.
        let picks = picks_in(tx, buyer, purchase.warehouse_id, line.item_id, back, true).await?;
        for (index, (location, lot, taken)) in picks.into_iter().enumerate() {
            let spec = MoveSpec {
                item: line.item_id,
                lot,
                quantity: taken,
                from: location,
                to: settings.supplier_location_id,
                value: MoveValue::Average,
                reason: MoveReason::SupplierReturn,
                note: format!("PO {}", purchase.po_no),
                source: format!(
                    "order:{}:supplier_return:{}:{index}",
                    order.order_id, line.line_no
                ),
                consumes_reserved: 0,
                moved_at: now,
            };
            write_move(tx, buyer, &spec, now).await?;
        }
        sqlx::query(
            "UPDATE scm_purchase_line SET returned_quantity = received_quantity, updated_at = $1
             WHERE company_id = $2 AND purchase_order_id = $3 AND line_no = $4",
        )
        .bind(now.micros())
        .bind(buyer)
        .bind(purchase.id)
        .bind(line.line_no)
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}
