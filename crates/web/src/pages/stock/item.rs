//! `/stock/items/{id}`: one item's stock per location and lot, its moves,
//! and the form to move it (receipts, transfers, adjustments, returns).

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use kernel::{Money, PageRequest};
use scm::{
    Item, ItemId, Location, LocationId, MoveInput, MoveReason, StockLine, StockMove, Supplier,
    SupplierId, SupplierPrice,
};
use serde::Deserialize;

use super::{NoticeQuery, id_of, locations_of, names, whole};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, IdPath};
use crate::pages::books::amount;
use crate::pages::{Shell, done, respond};
use crate::state::AppState;

/// The reasons a person picks from; counts come from count sheets.
const REASONS: [MoveReason; 6] = [
    MoveReason::Receipt,
    MoveReason::Transfer,
    MoveReason::Adjustment,
    MoveReason::Shipment,
    MoveReason::CustomerReturn,
    MoveReason::SupplierReturn,
];

#[derive(Template)]
#[template(path = "stock/item.html")]
struct ItemPage<'a> {
    shell: &'a Shell,
    item: Item,
    stock: Vec<StockLine>,
    moves: Vec<StockMove>,
    locations: Vec<Location>,
    location_names: HashMap<LocationId, String>,
    reasons: [MoveReason; 6],
    /// Every supplier's price for the item, quickest first.
    prices: Vec<SupplierPrice>,
    suppliers: Vec<Supplier>,
    may_keep: bool,
    may_purchase: bool,
    error: Option<String>,
    notice: Option<String>,
}

impl ItemPage<'_> {
    fn place(&self, id: &LocationId) -> String {
        self.location_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn value(&self, minor: &i64) -> String {
        amount(*minor, self.item.cost_currency)
    }

    fn reason_name(&self, reason: &MoveReason) -> String {
        self.shell.t(&format!("stock-reason-{}", reason.as_str()))
    }

    fn when(&self, moved: &StockMove) -> String {
        self.shell.time(&moved.moved_at)
    }

    fn supplier(&self, id: &SupplierId) -> String {
        self.suppliers
            .iter()
            .find(|supplier| supplier.id == *id)
            .map_or_else(|| id.to_string(), |supplier| supplier.name.clone())
    }

    fn price(&self, price: &SupplierPrice) -> String {
        let unit = if price.unit.is_empty() {
            &self.item.unit
        } else {
            &price.unit
        };
        format!(
            "{} / {unit}",
            amount(price.unit_price_minor, price.currency)
        )
    }
}

pub(super) async fn item_page(
    shell: &Shell,
    id: ItemId,
    notice: Option<String>,
    error: Option<ApiError>,
) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        let scope = &member.scope;
        let locations = locations_of(state, scope).await?;
        Ok::<_, ApiError>(ItemPage {
            shell,
            item: state.scm.item(scope, id).await?,
            stock: state.scm.stock_of_item(scope, id).await?,
            moves: state
                .scm
                .moves(scope, Some(id), None, PageRequest::first())
                .await?
                .items,
            location_names: names(&locations),
            locations,
            reasons: REASONS,
            prices: state.scm.item_suppliers(scope, id).await?,
            suppliers: state
                .scm
                .suppliers(
                    scope,
                    PageRequest::new(None, Some(kernel::page::PAGE_SIZE_MAX)),
                )
                .await?
                .items,
            may_keep: scm::may_keep_stock(scope.role()),
            may_purchase: scm::may_purchase(scope.role()),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: notice.map(|key| shell.t(&format!("stock-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

pub async fn show(
    shell: Shell,
    IdPath(id): IdPath<ItemId>,
    ApiQuery(query): ApiQuery<NoticeQuery>,
) -> Response {
    item_page(&shell, id, query.notice, None).await
}

#[derive(Debug, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    item_id: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    from_location_id: String,
    #[serde(default)]
    to_location_id: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    unit_cost: String,
    #[serde(default)]
    lot: String,
    #[serde(default)]
    note: String,
}

pub async fn move_stock(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<MoveForm>,
) -> Response {
    let Ok(item_id) = form.item_id.parse::<ItemId>() else {
        return crate::pages::error_response(
            &shell,
            ApiError::field(ErrorCode::InvalidField, "item_id", "choose an item"),
        );
    };
    let result = async {
        let member = shell.member().await?;
        let item = state.scm.item(&member.scope, item_id).await?;
        let unit_cost_minor = if form.unit_cost.trim().is_empty() {
            None
        } else {
            Some(
                Money::parse_decimal(form.unit_cost.trim(), item.cost_currency)
                    .map_err(|_| {
                        ApiError::field(
                            ErrorCode::InvalidField,
                            "unit_cost_minor",
                            "an amount such as 12.50",
                        )
                    })?
                    .minor,
            )
        };
        let input = MoveInput {
            item_id,
            quantity: whole("quantity", &form.quantity)?,
            unit: (!form.unit.is_empty()).then(|| form.unit.clone()),
            from_location_id: id_of::<LocationId>("from_location_id", &form.from_location_id)?,
            to_location_id: id_of::<LocationId>("to_location_id", &form.to_location_id)?,
            reason: MoveReason::parse(&form.reason).ok_or_else(|| {
                ApiError::field(ErrorCode::InvalidField, "reason", "choose a reason")
            })?,
            lot: (!form.lot.trim().is_empty()).then(|| form.lot.clone()),
            unit_cost_minor,
            note: form.note.clone(),
        };
        state.scm.move_stock(&member.scope, &input).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done(&format!("/stock/items/{item_id}"), "moved"),
        Err(error) => item_page(&shell, item_id, None, Some(error)).await,
    }
}
