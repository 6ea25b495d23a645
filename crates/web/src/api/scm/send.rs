//! `POST /api/v1/scm/purchase-orders/{id}/send-to-market`: a draft for a
//! supplier on Hanse placed as a market order in one step, through trade as
//! the buyer would place it; the draft becomes that order's purchase order.

use axum::extract::State;
use identity::ApiScope;
use kernel::Scope;
use scm::{PurchaseOrder, PurchaseOrderId};
use serde::Deserialize;
use trade::{LineInput, OrderInput};

use crate::error::ApiResult;
use crate::extract::{ApiJson, IdPath, Member};
use crate::state::AppState;

/// Where the goods go, and on what terms.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarketSendInput {
    pub delivery_address: String,
    /// Incoterms (`EXW`, `FOB`, `CIF`, `DAP`, ...); required across borders.
    #[serde(default)]
    pub terms: String,
}

/// Places the draft `id` on the market and links the order to it; a
/// refused order leaves the draft a draft.
pub(crate) async fn send_to_market(
    state: &AppState,
    scope: &Scope,
    id: PurchaseOrderId,
    input: &MarketSendInput,
) -> ApiResult<PurchaseOrder> {
    let send = state.scm.prepare_market_send(scope, id).await?;
    let order = OrderInput {
        lines: send
            .lines
            .iter()
            .map(|(product_id, quantity)| LineInput {
                product_id: *product_id,
                quantity: *quantity,
            })
            .collect(),
        delivery_address: input.delivery_address.clone(),
        buyer_note: format!("PO-{}", send.po_no),
        terms: input.terms.clone(),
    };
    let placed = match state.trade.place_order(scope, &order).await {
        Ok(placed) => placed,
        Err(error) => {
            state.scm.abort_market_send(scope, id).await?;
            return Err(error.into());
        }
    };
    let facts = trade::events::OrderFacts::of(&placed, placed.placed_at);
    Ok(state.scm.link_market_order(scope, id, &facts).await?)
}

#[utoipa::path(post, path = "/api/v1/scm/purchase-orders/{purchase_order_id}/send-to-market", tag = "scm",
    params(("purchase_order_id" = PurchaseOrderId, Path)), request_body = MarketSendInput,
    responses(
        (status = 200, body = PurchaseOrder, description = "Placed as a market order (`market_order_id`), which it follows from now on; each line ordered as the supplier's product set on its price"),
        (status = 409, description = "`state_conflict` (`reason` `wrong_state`: not a draft; `being_sent`: a send of it is under way; `draft_changed`: the order was placed but the draft changed meanwhile, so the order got its own purchase order), or `insufficient_stock`: the supplier has less free than a line asks (`field` names the line)"),
        (status = 422, description = "`invalid_field`; `reason` `not_on_network` (a supplier off Hanse), `no_market_product` (no product of the supplier set for an item), `unit_mismatch`, or the market's refusal of the order (`below_moq`, `not_for_sale`, `another_currency`, `unknown_terms`, ...)")),
    security(("session" = ["owner", "admin", "purchasing"]), ("api_key" = ["stock:write", "orders:write"])))]
pub async fn send(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<PurchaseOrderId>,
    ApiJson(body): ApiJson<MarketSendInput>,
) -> ApiResult<ApiJson<PurchaseOrder>> {
    member.require(ApiScope::StockWrite)?;
    member.require(ApiScope::OrdersWrite)?;
    Ok(ApiJson(
        send_to_market(&state, &member.scope, id, &body).await?,
    ))
}
