//! Sending a draft purchase order to a supplier on Hanse as a market order,
//! in one step: `prepare_market_send` checks the draft (a network supplier,
//! each line's item with that supplier's product, in the product's unit)
//! and marks it as being sent; `web` places the order through trade as the
//! buyer would; then `link_market_order` makes the draft the order's
//! purchase order. The feed does the same link when it sees the order
//! first; whichever links second finds the order linked, and a draft that
//! changed meanwhile leaves the order to get a purchase order of its own.

use kernel::db::Tx;
use kernel::{CompanyId, Scope};
use sqlx::Row;
use trade::events::OrderFacts;

use crate::error::{Result, ScmError};
use crate::model::{PurchaseOrder, PurchaseOrderId, PurchaseState};
use crate::purchase::purchase_order_in;
use crate::suppliers::supplier_in;
use crate::{Scm, may_purchase};

/// A draft as a market order: the seller and, per line in order, the
/// supplier's product and the quantity in its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketSend {
    pub seller: CompanyId,
    pub po_no: i64,
    pub lines: Vec<(market::ProductId, i64)>,
}

/// The supplier's product an item is bought as, and the unit it is priced in.
async fn supplier_product(
    tx: &mut Tx,
    company: CompanyId,
    supplier: crate::model::SupplierId,
    item: crate::model::ItemId,
) -> Result<Option<(i64, String)>> {
    Ok(sqlx::query(
        "SELECT product_id, unit FROM scm_supplier_item
         WHERE company_id = $1 AND supplier_id = $2 AND item_id = $3 AND product_id <> 0",
    )
    .bind(company)
    .bind(supplier)
    .bind(item)
    .fetch_optional(tx.conn())
    .await?
    .map(|row| Ok::<_, sqlx::Error>((row.try_get("product_id")?, row.try_get("unit")?)))
    .transpose()?)
}

/// Makes the draft `id`, marked as being sent, the purchase order of the
/// market order in `order`, with the order's currency, shipping and prices
/// (its lines are the draft's, in order). False when the order has a
/// purchase order already or the draft is no longer a draft being sent.
pub(crate) async fn link_in(
    tx: &mut Tx,
    company: CompanyId,
    id: PurchaseOrderId,
    order: &OrderFacts,
) -> Result<bool> {
    // One purchase order per market order: the first link wins.
    if crate::purchase::market_purchase_in(tx, company, order.order_id)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let linked = sqlx::query(
        "UPDATE scm_purchase_order SET market_order_id = $1, state = 'ordered', market_send = 0,
             currency = $2, shipping_fee_minor = $3, updated_at = $4
         WHERE company_id = $5 AND id = $6 AND market_order_id = 0 AND market_send = 1 AND state = 'draft'",
    )
    .bind(order.order_id)
    .bind(order.currency.code())
    .bind(order.shipping_fee_minor)
    .bind(order.at.micros())
    .bind(company)
    .bind(id)
    .execute(tx.conn())
    .await?
    .rows_affected();
    if linked == 0 {
        return Ok(false);
    }
    for line in &order.lines {
        sqlx::query(
            "UPDATE scm_purchase_line SET unit_price_minor = $1, updated_at = $2
             WHERE company_id = $3 AND purchase_order_id = $4 AND line_no = $5",
        )
        .bind(line.unit_price_minor)
        .bind(order.at.micros())
        .bind(company)
        .bind(id)
        .bind(line.line_no)
        .execute(tx.conn())
        .await?;
    }
    Ok(true)
}

/// The draft being sent that `order` is: the buyer's, to the order's
/// seller, with the order's products and quantities line by line.
pub(crate) async fn draft_being_sent(
    tx: &mut Tx,
    order: &OrderFacts,
) -> Result<Option<PurchaseOrderId>> {
    let buyer = order.buyer_company_id;
    let candidates: Vec<i64> = sqlx::query(
        "SELECT po.id FROM scm_purchase_order po
         JOIN scm_supplier s ON s.company_id = po.company_id AND s.id = po.supplier_id
         WHERE po.company_id = $1 AND po.market_send = 1 AND po.market_order_id = 0
           AND po.state = 'draft' AND s.network_company_id = $2
         ORDER BY po.id",
    )
    .bind(buyer)
    .bind(order.seller_company_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(|row| row.try_get(0))
    .collect::<Result<_, _>>()?;
    'drafts: for raw in candidates {
        let draft = purchase_order_in(tx, buyer, PurchaseOrderId::from_raw(raw)).await?;
        if draft.lines.len() != order.lines.len() {
            continue;
        }
        for (line, ordered) in draft.lines.iter().zip(&order.lines) {
            let product = supplier_product(tx, buyer, draft.supplier_id, line.item_id).await?;
            let same_product = product.is_some_and(|(product, _)| {
                Some(market::ProductId::from_raw(product)) == ordered.product_id
            });
            if !same_product || line.quantity != ordered.quantity || line.line_no != ordered.line_no
            {
                continue 'drafts;
            }
        }
        return Ok(Some(draft.id));
    }
    Ok(None)
}

impl Scm {
    /// Checks that a draft can go to its supplier as a market order and
    /// marks it as being sent; answers what to order.
    pub async fn prepare_market_send(
        &self,
        scope: &Scope,
        id: PurchaseOrderId,
    ) -> Result<MarketSend> {
        self.require(scope, may_purchase)?;
        let company = scope.company_id();
        let mut tx = self.db.begin().await?;
        let draft = purchase_order_in(&mut tx, company, id).await?;
        if draft.state != PurchaseState::Draft || draft.market_order_id.is_some() {
            return Err(ScmError::state(
                "wrong_state",
                format!(
                    "a {} purchase order is not sent again",
                    draft.state.as_str()
                ),
            ));
        }
        let supplier = supplier_in(&mut tx, company, draft.supplier_id, "supplier_id").await?;
        let Some(seller) = supplier.network_company_id else {
            return Err(ScmError::invalid(
                "supplier_id",
                "not_on_network",
                "this supplier is not on Hanse: send the order yourself and mark it sent",
            ));
        };
        let mut lines = Vec::with_capacity(draft.lines.len());
        for (index, line) in draft.lines.iter().enumerate() {
            let Some((product, unit)) =
                supplier_product(&mut tx, company, draft.supplier_id, line.item_id).await?
            else {
                return Err(ScmError::invalid(
                    format!("lines[{index}].item_id"),
                    "no_market_product",
                    "no product of this supplier is set for the item: set it on the supplier's price",
                ));
            };
            let base_unit = line.factor == 1 && unit.is_empty();
            if !(base_unit || unit == line.unit) {
                return Err(ScmError::invalid(
                    format!("lines[{index}].unit"),
                    "unit_mismatch",
                    format!(
                        "the supplier sells it by {}",
                        if unit.is_empty() {
                            "the base unit"
                        } else {
                            &unit
                        }
                    ),
                ));
            }
            lines.push((market::ProductId::from_raw(product), line.quantity));
        }
        // One send at a time: a second click finds the draft being sent.
        let marked = sqlx::query(
            "UPDATE scm_purchase_order SET market_send = 1, updated_at = $1
             WHERE company_id = $2 AND id = $3 AND market_send = 0",
        )
        .bind(self.clock.now().micros())
        .bind(company)
        .bind(id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if marked == 0 {
            return Err(ScmError::state(
                "being_sent",
                "this draft is being sent to the market already",
            ));
        }
        tx.commit().await?;
        Ok(MarketSend {
            seller,
            po_no: draft.po_no,
            lines,
        })
    }

    /// The market refused the order: the draft is a plain draft again.
    pub async fn abort_market_send(&self, scope: &Scope, id: PurchaseOrderId) -> Result<()> {
        self.require(scope, may_purchase)?;
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE scm_purchase_order SET market_send = 0 WHERE company_id = $1 AND id = $2 AND market_order_id = 0")
            .bind(scope.company_id())
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes the draft the purchase order of the market order just placed
    /// for it (the feed may have done so already).
    pub async fn link_market_order(
        &self,
        scope: &Scope,
        id: PurchaseOrderId,
        order: &OrderFacts,
    ) -> Result<PurchaseOrder> {
        self.require(scope, may_purchase)?;
        let company = scope.company_id();
        if order.buyer_company_id != company {
            return Err(ScmError::NotFound("market order"));
        }
        let mut tx = self.db.begin().await?;
        if !link_in(&mut tx, company, id, order).await? {
            let draft = purchase_order_in(&mut tx, company, id).await?;
            if draft.market_order_id != Some(order.order_id) {
                // The draft changed while the order was placed: the order
                // gets a purchase order of its own from the feed.
                sqlx::query("UPDATE scm_purchase_order SET market_send = 0 WHERE company_id = $1 AND id = $2")
                    .bind(company)
                    .bind(id)
                    .execute(tx.conn())
                    .await?;
                tx.commit().await?;
                return Err(ScmError::state(
                    "draft_changed",
                    "the market order is placed, but the draft changed meanwhile: the order gets its own purchase order",
                ));
            }
        }
        let linked = purchase_order_in(&mut tx, company, id).await?;
        tx.commit().await?;
        Ok(linked)
    }
}
