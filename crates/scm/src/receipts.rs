//! Receipts against a purchase order: goods arrive, in full or in part, into
//! one of the company's locations at the line's price plus its share of the
//! order's shipping, so the receipts of a line add up to its landed total.

use kernel::db::Tx;
use kernel::{CompanyId, Scope, Timestamp};
use serde::Deserialize;

use crate::company::open_in;
use crate::error::{Result, ScmError};
use crate::fields::{optional_text, positive_quantity};
use crate::items::item_in;
use crate::locations::own_location_in;
use crate::manual::LOT_CHARS_MAX;
use crate::model::{
    LocationId, MoveReason, PurchaseLine, PurchaseOrder, PurchaseOrderId, PurchaseState,
};
use crate::moves::{MoveSpec, MoveValue, write_move};
use crate::purchase::{PURCHASE_LINES_MAX, purchase_order_in, set_state};
use crate::{Scm, may_receive};

/// Goods that arrived against a purchase order.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmReceiptInput)]
pub struct ReceiptInput {
    /// Where they are put; the order's warehouse if absent.
    #[serde(default)]
    pub location_id: Option<LocationId>,
    pub lines: Vec<ReceiptLineInput>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmReceiptLineInput)]
pub struct ReceiptLineInput {
    pub line_no: i64,
    /// In the line's unit; at most what is still open on the line.
    pub quantity: i64,
    #[serde(default)]
    pub lot: Option<String>,
}

/// Each line's share of the order's shipping fee, by line value, with the
/// rounding left over going to the largest lines first: the shares add up
/// to the fee exactly.
pub(crate) fn shipping_shares(lines: &[PurchaseLine], fee: i64) -> Vec<i64> {
    let values: Vec<i128> = lines
        .iter()
        .map(|l| i128::from(l.quantity) * i128::from(l.unit_price_minor))
        .collect();
    let total: i128 = values.iter().sum();
    if total == 0 || fee == 0 {
        return vec![0; lines.len()];
    }
    let mut shares: Vec<i64> = values
        .iter()
        .map(|value| i64::try_from(value * i128::from(fee) / total).expect("a share of the fee"))
        .collect();
    let mut left = fee - shares.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|a, b| values[*b].cmp(&values[*a]).then(a.cmp(b)));
    for index in order.into_iter().cycle() {
        if left == 0 {
            break;
        }
        shares[index] += 1;
        left -= 1;
    }
    shares
}

/// The value of receiving `quantity` more of a line that already has
/// `received`: the line's landed total shared by quantity, so the receipts
/// of a line add up to its total exactly.
fn receipt_value(landed_total: i64, line_quantity: i64, received: i64, quantity: i64) -> i64 {
    let share = |count: i64| {
        i64::try_from(i128::from(landed_total) * i128::from(count) / i128::from(line_quantity))
            .expect("a share of the total")
    };
    share(received + quantity) - share(received)
}

/// Receives goods against `order` into `location`, moving each line's
/// quantity from the supplier location at its landed cost. `source` names
/// the moves (`…:{line_no}` is appended) so a repeat moves nothing.
pub(crate) async fn receive_in(
    tx: &mut Tx,
    company: CompanyId,
    order: &PurchaseOrder,
    location: LocationId,
    lines: &[ReceiptLineInput],
    source: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    let settings = open_in(tx, company, now).await?;
    let shares = shipping_shares(&order.lines, order.shipping_fee_minor);
    for (index, asked) in lines.iter().enumerate() {
        let field = |name: &str| format!("lines[{index}].{name}");
        let Some(position) = order.lines.iter().position(|l| l.line_no == asked.line_no) else {
            return Err(ScmError::invalid(
                field("line_no"),
                "unknown_line",
                "no such line",
            ));
        };
        if lines[..index]
            .iter()
            .any(|earlier| earlier.line_no == asked.line_no)
        {
            return Err(ScmError::invalid(
                field("line_no"),
                "duplicate",
                "each line once per receipt",
            ));
        }
        let purchase_line = &order.lines[position];
        positive_quantity(&field("quantity"), asked.quantity)?;
        let open = purchase_line.quantity - purchase_line.received_quantity;
        if asked.quantity > open {
            return Err(ScmError::invalid(
                field("quantity"),
                "over_receipt",
                format!("only {open} still open on this line"),
            ));
        }
        let lot = optional_text(
            &field("lot"),
            asked.lot.as_deref().unwrap_or(""),
            LOT_CHARS_MAX,
        )?;
        let item = item_in(tx, company, purchase_line.item_id, &field("line_no")).await?;
        if source.is_none() && item.lot_tracked && lot.is_empty() {
            return Err(ScmError::invalid(
                field("lot"),
                "required",
                "this item is tracked by lot",
            ));
        }
        let value = if item.cost_currency == order.currency {
            let landed = purchase_line.quantity * purchase_line.unit_price_minor + shares[position];
            MoveValue::Total(receipt_value(
                landed,
                purchase_line.quantity,
                purchase_line.received_quantity,
                asked.quantity,
            ))
        } else {
            // Stock valued in another currency: without a rate, at its average.
            MoveValue::Average
        };
        let spec = MoveSpec {
            item: item.id,
            lot,
            quantity: asked.quantity * purchase_line.factor,
            from: settings.supplier_location_id,
            to: location,
            value,
            reason: MoveReason::Receipt,
            note: format!("PO {}", order.po_no),
            source: source.map_or(String::new(), |source| {
                format!("{source}:{}", asked.line_no)
            }),
            consumes_reserved: 0,
            moved_at: now,
        };
        if write_move(tx, company, &spec, now).await?.is_none() {
            continue;
        }
        sqlx::query(
            "UPDATE scm_purchase_line SET received_quantity = received_quantity + $1, updated_at = $2
             WHERE company_id = $3 AND purchase_order_id = $4 AND line_no = $5",
        )
        .bind(asked.quantity)
        .bind(now.micros())
        .bind(company)
        .bind(order.id)
        .bind(asked.line_no)
        .execute(tx.conn())
        .await?;
    }
    let after = purchase_order_in(tx, company, order.id).await?;
    let all_in = after
        .lines
        .iter()
        .all(|l| l.received_quantity >= l.quantity);
    let state = if all_in {
        PurchaseState::Received
    } else {
        PurchaseState::PartiallyReceived
    };
    set_state(tx, company, order.id, state, now).await?;
    sqlx::query(
        "UPDATE scm_purchase_order SET delivery_waiting = 0 WHERE company_id = $1 AND id = $2",
    )
    .bind(company)
    .bind(order.id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

impl Scm {
    /// Receives goods against an order, or refuses with the field at fault
    /// and receives nothing.
    pub async fn receive(
        &self,
        scope: &Scope,
        id: PurchaseOrderId,
        input: &ReceiptInput,
    ) -> Result<PurchaseOrder> {
        self.require(scope, may_receive)?;
        let company = scope.company_id();
        crate::fields::entry_count("lines", input.lines.len(), PURCHASE_LINES_MAX)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let order = purchase_order_in(&mut tx, company, id).await?;
        if !matches!(
            order.state,
            PurchaseState::Ordered | PurchaseState::PartiallyReceived
        ) {
            return Err(ScmError::state(
                "wrong_state",
                format!(
                    "goods are not received against a {} purchase order",
                    order.state.as_str()
                ),
            ));
        }
        let location = input.location_id.unwrap_or(order.warehouse_id);
        own_location_in(&mut tx, company, location, "location_id").await?;
        receive_in(&mut tx, company, &order, location, &input.lines, None, now).await?;
        let received = purchase_order_in(&mut tx, company, id).await?;
        tx.commit().await?;
        Ok(received)
    }
}
