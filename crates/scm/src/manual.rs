//! Moves a member makes by hand: transfers between its own locations,
//! receipts and returns off the network, and adjustments against the loss
//! location. Each names its reason, which must fit the two locations.

use kernel::{Page, PageRequest, Scope};
use serde::Deserialize;

use crate::company::open_in;
use crate::error::{Result, ScmError};
use crate::fields::{optional_text, positive_quantity};
use crate::items::{factor_of, item_in};
use crate::locations::location_in;
use crate::model::{ItemId, LocationId, LocationKind, MoveReason, StockMove};
use crate::moves::{MOVE_COLUMNS, MoveSpec, MoveValue, stock_move, write_move};
use crate::{Scm, may_keep_stock, may_view_stock};

pub(crate) const NOTE_CHARS_MAX: usize = 500;
pub(crate) const LOT_CHARS_MAX: usize = 40;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmMoveInput)]
pub struct MoveInput {
    pub item_id: ItemId,
    pub quantity: i64,
    /// The unit `quantity` is in; the item's base unit if absent.
    #[serde(default)]
    pub unit: Option<String>,
    pub from_location_id: LocationId,
    pub to_location_id: LocationId,
    /// transfer, receipt, shipment, adjustment, customer_return or supplier_return.
    pub reason: MoveReason,
    #[serde(default)]
    pub lot: Option<String>,
    /// The price of one `unit` for a receipt, in minor units of the item's
    /// cost currency; other moves carry the average cost.
    #[serde(default)]
    pub unit_cost_minor: Option<i64>,
    #[serde(default)]
    pub note: String,
}

/// Whether `reason` describes a move from `from` to `to`.
pub(crate) fn reason_fits(reason: MoveReason, from: LocationKind, to: LocationKind) -> bool {
    use LocationKind as K;
    match reason {
        MoveReason::Transfer => from.is_own() && to.is_own(),
        MoveReason::Receipt => from == K::Supplier && to.is_own(),
        MoveReason::SupplierReturn => from.is_own() && to == K::Supplier,
        MoveReason::Shipment => from.is_own() && to == K::Customer,
        MoveReason::CustomerReturn => from == K::Customer && to.is_own(),
        MoveReason::Adjustment => {
            (from.is_own() && to == K::Loss) || (from == K::Loss && to.is_own())
        }
        // Counts book their differences from a count sheet.
        MoveReason::Count => false,
    }
}

impl Scm {
    /// Moves stock by hand, or refuses with the field at fault and moves nothing.
    pub async fn move_stock(&self, scope: &Scope, input: &MoveInput) -> Result<StockMove> {
        self.require(scope, may_keep_stock)?;
        let company = scope.company_id();
        let quantity = positive_quantity("quantity", input.quantity)?;
        let note = optional_text("note", &input.note, NOTE_CHARS_MAX)?;
        let lot = optional_text("lot", input.lot.as_deref().unwrap_or(""), LOT_CHARS_MAX)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        open_in(&mut tx, company, now).await?;
        let item = item_in(&mut tx, company, input.item_id, "item_id").await?;
        let factor = factor_of(&item, input.unit.as_deref().unwrap_or(""), "unit")?;
        let base = quantity
            .checked_mul(factor)
            .filter(|base| *base <= crate::QUANTITY_MAX)
            .ok_or_else(|| ScmError::invalid("quantity", "out_of_range", "too many base units"))?;
        let from =
            location_in(&mut tx, company, input.from_location_id, "from_location_id").await?;
        let to = location_in(&mut tx, company, input.to_location_id, "to_location_id").await?;
        if !reason_fits(input.reason, from.kind, to.kind) {
            return Err(ScmError::invalid(
                "reason",
                "reason_mismatch",
                format!(
                    "{} does not move from a {} to a {}",
                    input.reason.as_str(),
                    from.kind.as_str(),
                    to.kind.as_str()
                ),
            ));
        }
        if item.lot_tracked && lot.is_empty() && to.kind.is_own() && !from.kind.is_own() {
            return Err(ScmError::invalid(
                "lot",
                "required",
                "this item is tracked by lot",
            ));
        }
        let value = match input.unit_cost_minor {
            None => MoveValue::Average,
            Some(cost) if input.reason == MoveReason::Receipt => {
                if !(0..=crate::QUANTITY_MAX).contains(&cost) {
                    return Err(ScmError::invalid(
                        "unit_cost_minor",
                        "out_of_range",
                        "a price from 0 up",
                    ));
                }
                MoveValue::Total(cost.checked_mul(quantity).ok_or_else(|| {
                    ScmError::invalid("unit_cost_minor", "out_of_range", "too large")
                })?)
            }
            Some(_) => {
                return Err(ScmError::invalid(
                    "unit_cost_minor",
                    "not_allowed",
                    "only a receipt carries its own price",
                ));
            }
        };
        let spec = MoveSpec {
            item: item.id,
            lot,
            quantity: base,
            from: from.id,
            to: to.id,
            value,
            reason: input.reason,
            note,
            source: String::new(),
            consumes_reserved: 0,
            moved_at: now,
        };
        let moved = write_move(&mut tx, company, &spec, now)
            .await?
            .expect("a move without a source always moves");
        tx.commit().await?;
        Ok(moved)
    }

    /// The company's moves, newest first, of one item or touching one
    /// location when asked.
    pub async fn moves(
        &self,
        scope: &Scope,
        item: Option<ItemId>,
        location: Option<LocationId>,
        page: PageRequest,
    ) -> Result<Page<StockMove>> {
        self.require(scope, may_view_stock)?;
        let rows = sqlx::query(&format!(
            "SELECT {MOVE_COLUMNS} FROM scm_move
             WHERE company_id = $1 AND ($2 = 0 OR item_id = $2)
               AND ($3 = 0 OR from_location_id = $3 OR to_location_id = $3)
               AND ($4 = 0 OR id < $4)
             ORDER BY id DESC LIMIT $5"
        ))
        .bind(scope.company_id())
        .bind(item.map_or(0, ItemId::raw))
        .bind(location.map_or(0, LocationId::raw))
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let moves = rows.iter().map(stock_move).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(moves, page, |moved| moved.id.raw()))
    }
}
