//! Returns to the supplier of goods received against a purchase order placed
//! off the market (a market order's goods go back through its refund): each
//! line sends back at most what it received and has not yet returned, from a
//! location that holds it, at the item's cost (its average, or under FIFO its
//! oldest layers).

use kernel::Scope;
use serde::Deserialize;

use crate::company::open_in;
use crate::error::{Result, ScmError};
use crate::fields::{optional_text, positive_quantity};
use crate::locations::own_location_in;
use crate::manual::LOT_CHARS_MAX;
use crate::model::{LocationId, MoveReason, PurchaseOrder, PurchaseOrderId, PurchaseState};
use crate::moves::{MoveSpec, MoveValue, write_move};
use crate::purchase::{PURCHASE_LINES_MAX, purchase_order_in};
use crate::{Scm, may_receive};

const REASON_CHARS_MAX: usize = 500;

/// Goods going back to the supplier against a purchase order.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmReturnInput)]
pub struct ReturnInput {
    /// Where the goods are taken from; the order's warehouse if absent.
    #[serde(default)]
    pub location_id: Option<LocationId>,
    /// Why they go back (damaged, wrong item), kept on the moves.
    #[serde(default)]
    pub reason: String,
    pub lines: Vec<ReturnLineInput>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmReturnLineInput)]
pub struct ReturnLineInput {
    pub line_no: i64,
    /// In the line's unit; at most what the line received and has not returned.
    pub quantity: i64,
    #[serde(default)]
    pub lot: Option<String>,
}

impl Scm {
    /// Sends goods back to the supplier, or refuses with the field at fault
    /// and moves nothing.
    pub async fn return_to_supplier(
        &self,
        scope: &Scope,
        id: PurchaseOrderId,
        input: &ReturnInput,
    ) -> Result<PurchaseOrder> {
        self.require(scope, may_receive)?;
        let company = scope.company_id();
        crate::fields::entry_count("lines", input.lines.len(), PURCHASE_LINES_MAX)?;
        let reason = optional_text("reason", &input.reason, REASON_CHARS_MAX)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let order = purchase_order_in(&mut tx, company, id).await?;
        if order.market_order_id.is_some() {
            return Err(ScmError::state(
                "follows_market_order",
                "goods bought on the market go back through the order's refund",
            ));
        }
        if !matches!(
            order.state,
            PurchaseState::PartiallyReceived | PurchaseState::Received
        ) {
            return Err(ScmError::state(
                "wrong_state",
                format!(
                    "nothing was received against a {} purchase order",
                    order.state.as_str()
                ),
            ));
        }
        let settings = open_in(&mut tx, company, now).await?;
        let location = input.location_id.unwrap_or(order.warehouse_id);
        own_location_in(&mut tx, company, location, "location_id").await?;
        let mut returned = order.lines.clone();
        for (index, asked) in input.lines.iter().enumerate() {
            let field = |name: &str| format!("lines[{index}].{name}");
            let Some(line) = returned.iter_mut().find(|l| l.line_no == asked.line_no) else {
                return Err(ScmError::invalid(
                    field("line_no"),
                    "unknown_line",
                    "no such line",
                ));
            };
            positive_quantity(&field("quantity"), asked.quantity)?;
            let returnable = line.received_quantity - line.returned_quantity;
            if asked.quantity > returnable {
                return Err(ScmError::invalid(
                    field("quantity"),
                    "over_return",
                    format!("only {returnable} received and not yet returned on this line"),
                ));
            }
            let lot = optional_text(
                &field("lot"),
                asked.lot.as_deref().unwrap_or(""),
                LOT_CHARS_MAX,
            )?;
            let spec = MoveSpec {
                item: line.item_id,
                lot,
                quantity: asked.quantity * line.factor,
                from: location,
                to: settings.supplier_location_id,
                value: MoveValue::Average,
                reason: MoveReason::SupplierReturn,
                note: if reason.is_empty() {
                    format!("PO {}", order.po_no)
                } else {
                    format!("PO {}: {reason}", order.po_no)
                },
                source: String::new(),
                consumes_reserved: 0,
                moved_at: now,
            };
            write_move(&mut tx, company, &spec, now)
                .await
                .map_err(|error| error.at_field(&field("quantity")))?;
            line.returned_quantity += asked.quantity;
            sqlx::query(
                "UPDATE scm_purchase_line SET returned_quantity = $1, updated_at = $2
                 WHERE company_id = $3 AND purchase_order_id = $4 AND line_no = $5",
            )
            .bind(line.returned_quantity)
            .bind(now.micros())
            .bind(company)
            .bind(order.id)
            .bind(line.line_no)
            .execute(tx.conn())
            .await?;
        }
        let after = purchase_order_in(&mut tx, company, id).await?;
        tx.commit().await?;
        Ok(after)
    }
}
