//! Purchase orders: drafted by hand for any supplier, by replenishment, or
//! mirrored from a market order the member placed, and their way from draft
//! to sent or cancelled. Receipts against them are in `receipts`, returns in
//! `returns`.

use kernel::db::Tx;
use kernel::{CompanyId, Currency, Page, PageRequest, Scope, Timestamp};
use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::company::open_in;
use crate::error::{Result, ScmError};
use crate::fields::{optional_text, positive_quantity};
use crate::items::{factor_of, item_in};
use crate::model::{
    ItemId, LocationId, PurchaseLine, PurchaseOrder, PurchaseOrderId, PurchaseState, SupplierId,
};
use crate::suppliers::supplier_in;
use crate::{Scm, may_purchase, may_view_stock, rows};

/// A purchase order has at most this many lines.
pub const PURCHASE_LINES_MAX: usize = 100;
const NOTE_CHARS_MAX: usize = 2_000;
/// The highest unit price: ten million in major units of a two-digit currency.
const UNIT_PRICE_MINOR_MAX: i64 = 1_000_000_000;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmPurchaseInput)]
pub struct PurchaseInput {
    pub supplier_id: SupplierId,
    pub currency: Currency,
    /// Where its goods arrive; the default warehouse if absent.
    #[serde(default)]
    pub warehouse_id: Option<LocationId>,
    #[serde(default)]
    pub note: String,
    pub lines: Vec<PurchaseLineInput>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmPurchaseLineInput)]
pub struct PurchaseLineInput {
    pub item_id: ItemId,
    pub quantity: i64,
    /// The unit bought in; the item's base unit if absent.
    #[serde(default)]
    pub unit: Option<String>,
    /// The price of one unit, in minor units of the order's currency.
    pub unit_price_minor: i64,
}

const PO_COLUMNS: &str = "id, po_no, supplier_id, market_order_id, state, currency, shipping_fee_minor, warehouse_id, note, delivery_waiting, created_at, updated_at";
const LINE_COLUMNS: &str = "line_no, item_id, unit, factor, quantity, received_quantity, returned_quantity, unit_price_minor";

fn line(row: &AnyRow) -> Result<PurchaseLine> {
    Ok(PurchaseLine {
        line_no: row.try_get("line_no")?,
        item_id: ItemId::from_raw(row.try_get("item_id")?),
        unit: row.try_get("unit")?,
        factor: row.try_get("factor")?,
        quantity: row.try_get("quantity")?,
        received_quantity: row.try_get("received_quantity")?,
        returned_quantity: row.try_get("returned_quantity")?,
        unit_price_minor: row.try_get("unit_price_minor")?,
    })
}

fn purchase_order(row: &AnyRow, lines: Vec<PurchaseLine>) -> Result<PurchaseOrder> {
    Ok(PurchaseOrder {
        id: PurchaseOrderId::from_raw(row.try_get("id")?),
        po_no: row.try_get("po_no")?,
        supplier_id: SupplierId::from_raw(row.try_get("supplier_id")?),
        market_order_id: rows::optional_id(row, "market_order_id")?.map(trade::OrderId::from_raw),
        state: rows::coded(row, "state", PurchaseState::parse)?,
        currency: rows::currency_in(row, "currency")?,
        shipping_fee_minor: row.try_get("shipping_fee_minor")?,
        warehouse_id: LocationId::from_raw(row.try_get("warehouse_id")?),
        note: row.try_get("note")?,
        delivery_waiting: rows::flag(row, "delivery_waiting")?,
        lines,
        created_at: rows::timestamp(row, "created_at")?,
        updated_at: rows::timestamp(row, "updated_at")?,
    })
}

/// The company's purchase order `id` with its lines, locked for update.
pub(crate) async fn purchase_order_in(
    tx: &mut Tx,
    company: CompanyId,
    id: PurchaseOrderId,
) -> Result<PurchaseOrder> {
    let row = sqlx::query(&format!(
        "SELECT {PO_COLUMNS} FROM scm_purchase_order WHERE company_id = $1 AND id = $2{}",
        tx.engine().lock_rows_clause()
    ))
    .bind(company)
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(ScmError::NotFound("purchase order"))?;
    let lines = sqlx::query(&format!(
        "SELECT {LINE_COLUMNS} FROM scm_purchase_line WHERE company_id = $1 AND purchase_order_id = $2 ORDER BY line_no"
    ))
    .bind(company)
    .bind(id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(line)
    .collect::<Result<Vec<_>>>()?;
    purchase_order(&row, lines)
}

/// The purchase order mirroring market order `order`, if there is one.
pub(crate) async fn market_purchase_in(
    tx: &mut Tx,
    company: CompanyId,
    order: trade::OrderId,
) -> Result<Option<PurchaseOrder>> {
    let id: Option<i64> = sqlx::query(
        "SELECT id FROM scm_purchase_order WHERE company_id = $1 AND market_order_id = $2",
    )
    .bind(company)
    .bind(order)
    .fetch_optional(tx.conn())
    .await?
    .map(|row| row.try_get(0))
    .transpose()?;
    match id {
        Some(id) => Ok(Some(
            purchase_order_in(tx, company, PurchaseOrderId::from_raw(id)).await?,
        )),
        None => Ok(None),
    }
}

/// A purchase order about to be written.
pub(crate) struct NewPurchase {
    pub supplier: SupplierId,
    pub market_order: Option<trade::OrderId>,
    pub state: PurchaseState,
    pub currency: Currency,
    pub shipping_fee_minor: i64,
    pub warehouse: LocationId,
    pub note: String,
    pub lines: Vec<PurchaseLine>,
}

pub(crate) async fn insert_purchase(
    tx: &mut Tx,
    company: CompanyId,
    new: &NewPurchase,
    now: Timestamp,
) -> Result<PurchaseOrderId> {
    let next: i64 = sqlx::query(
        "SELECT COALESCE(MAX(po_no), 0) + 1 AS next FROM scm_purchase_order WHERE company_id = $1",
    )
    .bind(company)
    .fetch_one(tx.conn())
    .await?
    .try_get("next")?;
    let id = PurchaseOrderId::new();
    sqlx::query(
        "INSERT INTO scm_purchase_order (company_id, id, po_no, supplier_id, market_order_id, state, currency, shipping_fee_minor, warehouse_id, note, delivery_waiting, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $11)",
    )
    .bind(company)
    .bind(id)
    .bind(next)
    .bind(new.supplier)
    .bind(new.market_order.map_or(0, trade::OrderId::raw))
    .bind(new.state.as_str())
    .bind(new.currency.code())
    .bind(new.shipping_fee_minor)
    .bind(new.warehouse)
    .bind(&new.note)
    .bind(now.micros())
    .execute(tx.conn())
    .await?;
    for purchase_line in &new.lines {
        sqlx::query(
            "INSERT INTO scm_purchase_line (company_id, purchase_order_id, line_no, item_id, unit, factor, quantity, received_quantity, returned_quantity, unit_price_minor, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, $8, $9, $9)",
        )
        .bind(company)
        .bind(id)
        .bind(purchase_line.line_no)
        .bind(purchase_line.item_id)
        .bind(&purchase_line.unit)
        .bind(purchase_line.factor)
        .bind(purchase_line.quantity)
        .bind(purchase_line.unit_price_minor)
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
    }
    Ok(id)
}

pub(crate) async fn set_state(
    tx: &mut Tx,
    company: CompanyId,
    id: PurchaseOrderId,
    state: PurchaseState,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("UPDATE scm_purchase_order SET state = $1, updated_at = $2 WHERE company_id = $3 AND id = $4")
        .bind(state.as_str())
        .bind(now.micros())
        .bind(company)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

impl Scm {
    /// Drafts a purchase order, or refuses with the field at fault.
    pub async fn create_purchase_order(
        &self,
        scope: &Scope,
        input: &PurchaseInput,
    ) -> Result<PurchaseOrder> {
        self.require(scope, may_purchase)?;
        let company = scope.company_id();
        let note = optional_text("note", &input.note, NOTE_CHARS_MAX)?;
        crate::fields::entry_count("lines", input.lines.len(), PURCHASE_LINES_MAX)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let settings = open_in(&mut tx, company, now).await?;
        supplier_in(&mut tx, company, input.supplier_id, "supplier_id").await?;
        let warehouse = input.warehouse_id.unwrap_or(settings.default_warehouse_id);
        crate::locations::warehouse_in(&mut tx, company, warehouse, "warehouse_id").await?;
        let mut lines = Vec::with_capacity(input.lines.len());
        for (index, asked) in input.lines.iter().enumerate() {
            let field = |name: &str| format!("lines[{index}].{name}");
            let item = item_in(&mut tx, company, asked.item_id, &field("item_id")).await?;
            let unit = asked.unit.clone().unwrap_or_else(|| item.unit.clone());
            let factor = factor_of(&item, &unit, &field("unit"))?;
            positive_quantity(&field("quantity"), asked.quantity)?;
            if asked
                .quantity
                .checked_mul(factor)
                .is_none_or(|base| base > crate::QUANTITY_MAX)
            {
                return Err(ScmError::invalid(
                    field("quantity"),
                    "out_of_range",
                    "too many base units",
                ));
            }
            if !(0..=UNIT_PRICE_MINOR_MAX).contains(&asked.unit_price_minor) {
                return Err(ScmError::invalid(
                    field("unit_price_minor"),
                    "out_of_range",
                    format!("a price from 0 to {UNIT_PRICE_MINOR_MAX}"),
                ));
            }
            lines.push(PurchaseLine {
                line_no: index as i64 + 1,
                item_id: item.id,
                unit,
                factor,
                quantity: asked.quantity,
                received_quantity: 0,
                returned_quantity: 0,
                unit_price_minor: asked.unit_price_minor,
            });
        }
        let new = NewPurchase {
            supplier: input.supplier_id,
            market_order: None,
            state: PurchaseState::Draft,
            currency: input.currency,
            shipping_fee_minor: 0,
            warehouse,
            note,
            lines,
        };
        let id = insert_purchase(&mut tx, company, &new, now).await?;
        let created = purchase_order_in(&mut tx, company, id).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Sends a draft to its supplier: from now on goods are received against it.
    pub async fn place_purchase_order(
        &self,
        scope: &Scope,
        id: PurchaseOrderId,
    ) -> Result<PurchaseOrder> {
        self.change_state(scope, id, &[PurchaseState::Draft], PurchaseState::Ordered)
            .await
    }

    /// Cancels an order nothing was received against.
    pub async fn cancel_purchase_order(
        &self,
        scope: &Scope,
        id: PurchaseOrderId,
    ) -> Result<PurchaseOrder> {
        self.change_state(
            scope,
            id,
            &[PurchaseState::Draft, PurchaseState::Ordered],
            PurchaseState::Cancelled,
        )
        .await
    }

    async fn change_state(
        &self,
        scope: &Scope,
        id: PurchaseOrderId,
        from: &[PurchaseState],
        to: PurchaseState,
    ) -> Result<PurchaseOrder> {
        self.require(scope, may_purchase)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let order = purchase_order_in(&mut tx, scope.company_id(), id).await?;
        if order.market_order_id.is_some() {
            return Err(ScmError::state(
                "follows_market_order",
                "this order follows its market order; act on that one",
            ));
        }
        if !from.contains(&order.state) {
            return Err(ScmError::state(
                "wrong_state",
                format!(
                    "a {} purchase order cannot become {}",
                    order.state.as_str(),
                    to.as_str()
                ),
            ));
        }
        set_state(&mut tx, scope.company_id(), id, to, now).await?;
        let changed = purchase_order_in(&mut tx, scope.company_id(), id).await?;
        tx.commit().await?;
        Ok(changed)
    }

    pub async fn purchase_order(
        &self,
        scope: &Scope,
        id: PurchaseOrderId,
    ) -> Result<PurchaseOrder> {
        self.require(scope, may_view_stock)?;
        let mut tx = self.db.begin().await?;
        let found = purchase_order_in(&mut tx, scope.company_id(), id).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// The company's purchase orders, newest first, optionally in one state.
    pub async fn purchase_orders(
        &self,
        scope: &Scope,
        state: Option<PurchaseState>,
        page: PageRequest,
    ) -> Result<Page<PurchaseOrder>> {
        self.require(scope, may_view_stock)?;
        let company = scope.company_id();
        let mut tx = self.db.begin().await?;
        let ids = sqlx::query(
            "SELECT id FROM scm_purchase_order
             WHERE company_id = $1 AND ($2 = '' OR state = $2) AND ($3 = 0 OR id < $3)
             ORDER BY id DESC LIMIT $4",
        )
        .bind(company)
        .bind(state.map_or("", PurchaseState::as_str))
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(tx.conn())
        .await?;
        let mut orders = Vec::with_capacity(ids.len());
        for row in ids {
            let id = PurchaseOrderId::from_raw(row.try_get("id")?);
            orders.push(purchase_order_in(&mut tx, company, id).await?);
        }
        tx.commit().await?;
        Ok(Page::from_rows(orders, page, |order| order.id.raw()))
    }
}
