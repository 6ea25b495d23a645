//! `/api/v1/scm/purchase-orders`: purchase orders drafted here or mirrored
//! from the company's market orders, sending, cancelling and receiving.

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use scm::{
    PurchaseInput, PurchaseOrder, PurchaseOrderId, PurchaseState, ReceiptInput, ReturnInput,
};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member};
use crate::pagination::{Cursor, PageBody, PageLimit, PageQuery};
use crate::state::AppState;

/// Purchase orders in one state, or all; a page of them.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PurchaseQuery {
    #[param(inline)]
    pub state: Option<PurchaseState>,
    /// How many items, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
}

#[utoipa::path(get, path = "/api/v1/scm/purchase-orders", tag = "scm", params(PurchaseQuery),
    responses((status = 200, body = PageBody<PurchaseOrder>, description = "Newest first")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<PurchaseQuery>,
) -> ApiResult<ApiJson<PageBody<PurchaseOrder>>> {
    member.require(ApiScope::StockRead)?;
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .to_request();
    Ok(ApiJson(
        state
            .scm
            .purchase_orders(&member.scope, query.state, page)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/scm/purchase-orders", tag = "scm", request_body = PurchaseInput,
    responses(
        (status = 201, body = PurchaseOrder, description = "A draft, sent with `/place`"),
        (status = 422, description = "`invalid_field`; `reason` e.g. `unknown_supplier`, `unknown_item`, `no_unit_conversion`")),
    security(("session" = ["owner", "admin", "purchasing"]), ("api_key" = ["stock:write"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<PurchaseInput>,
) -> ApiResult<(StatusCode, ApiJson<PurchaseOrder>)> {
    member.require(ApiScope::StockWrite)?;
    Ok((
        StatusCode::CREATED,
        ApiJson(
            state
                .scm
                .create_purchase_order(&member.scope, &body)
                .await?,
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/scm/purchase-orders/{purchase_order_id}", tag = "scm",
    params(("purchase_order_id" = PurchaseOrderId, Path)),
    responses((status = 200, body = PurchaseOrder)),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<PurchaseOrderId>,
) -> ApiResult<ApiJson<PurchaseOrder>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(state.scm.purchase_order(&member.scope, id).await?))
}

#[utoipa::path(post, path = "/api/v1/scm/purchase-orders/{purchase_order_id}/place", tag = "scm",
    params(("purchase_order_id" = PurchaseOrderId, Path)),
    responses(
        (status = 200, body = PurchaseOrder, description = "Sent: goods are received against it from now on"),
        (status = 409, description = "`state_conflict`; `reason` `wrong_state`, or `follows_market_order` for an order bought on the market")),
    security(("session" = ["owner", "admin", "purchasing"]), ("api_key" = ["stock:write"])))]
pub async fn place(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<PurchaseOrderId>,
) -> ApiResult<ApiJson<PurchaseOrder>> {
    member.require(ApiScope::StockWrite)?;
    Ok(ApiJson(
        state.scm.place_purchase_order(&member.scope, id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/scm/purchase-orders/{purchase_order_id}/cancel", tag = "scm",
    params(("purchase_order_id" = PurchaseOrderId, Path)),
    responses(
        (status = 200, body = PurchaseOrder),
        (status = 409, description = "`state_conflict`; `reason` `wrong_state` (something was received) or `follows_market_order`")),
    security(("session" = ["owner", "admin", "purchasing"]), ("api_key" = ["stock:write"])))]
pub async fn cancel(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<PurchaseOrderId>,
) -> ApiResult<ApiJson<PurchaseOrder>> {
    member.require(ApiScope::StockWrite)?;
    Ok(ApiJson(
        state.scm.cancel_purchase_order(&member.scope, id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/scm/purchase-orders/{purchase_order_id}/receipts", tag = "scm",
    params(("purchase_order_id" = PurchaseOrderId, Path)), request_body = ReceiptInput,
    responses(
        (status = 200, body = PurchaseOrder, description = "Received into the location at the line's price plus its share of shipping"),
        (status = 409, description = "`state_conflict`, `reason` `wrong_state`: a draft, cancelled or received order"),
        (status = 422, description = "`invalid_field`; `reason` `over_receipt` (more than is open), `unknown_line`, `duplicate` (a line twice), `not_own`")),
    security(("session" = ["owner", "admin", "purchasing", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn receive(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<PurchaseOrderId>,
    ApiJson(body): ApiJson<ReceiptInput>,
) -> ApiResult<ApiJson<PurchaseOrder>> {
    member.require(ApiScope::StockWrite)?;
    Ok(ApiJson(state.scm.receive(&member.scope, id, &body).await?))
}

#[utoipa::path(post, path = "/api/v1/scm/purchase-orders/{purchase_order_id}/returns", tag = "scm",
    params(("purchase_order_id" = PurchaseOrderId, Path)), request_body = ReturnInput,
    responses(
        (status = 200, body = PurchaseOrder, description = "Sent back to the supplier at the item's cost (average, or the oldest layers under FIFO); the lines count what was returned"),
        (status = 409, description = "`state_conflict` (`reason` `wrong_state`: nothing received; `follows_market_order`: goods bought on the market go back through the order's refund), or `insufficient_stock`: the location does not hold that much free"),
        (status = 422, description = "`invalid_field`; `reason` `over_return` (more than received and not yet returned), `unknown_line`, `not_own`")),
    security(("session" = ["owner", "admin", "purchasing", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn return_goods(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<PurchaseOrderId>,
    ApiJson(body): ApiJson<ReturnInput>,
) -> ApiResult<ApiJson<PurchaseOrder>> {
    member.require(ApiScope::StockWrite)?;
    Ok(ApiJson(
        state
            .scm
            .return_to_supplier(&member.scope, id, &body)
            .await?,
    ))
}
