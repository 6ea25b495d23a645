//! Placing an order (`POST /api/v1/orders`, the buyer, from one seller's
//! products, whose stock is reserved with it) and cancelling one before it is
//! paid (either side).

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use trade::{Order, OrderId, OrderInput};

use super::ReasonInput;
use crate::error::ApiResult;
use crate::extract::{ApiJson, IdPath, Member};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = OrderInput,
    responses(
        (status = 201, body = Order, description = "Placed, waiting for the seller; the stock is reserved"),
        (status = 409, description = "`insufficient_stock`: `field` names the line (`lines[0].quantity`)"),
        (status = 422, description = "`invalid_field`, with `reason`: `below_moq`, `not_for_sale`, `another_seller`, \
            `another_currency`, `duplicate`, `own_product`, `out_of_range`, `required`, `too_many`, `unknown_terms`"),
    ),
    security(("session" = []), ("api_key" = ["orders:write"])))]
pub async fn place(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<OrderInput>,
) -> ApiResult<(StatusCode, ApiJson<Order>)> {
    member.require(ApiScope::OrdersWrite)?;
    let order = state.trade.place_order(&member.scope, &body).await?;
    Ok((StatusCode::CREATED, ApiJson(order)))
}

#[utoipa::path(post, path = "/api/v1/orders/{order_id}/cancel", tag = "orders",
    params(("order_id" = OrderId, Path)), request_body = ReasonInput,
    responses(
        (status = 200, body = Order, description = "Cancelled; the reserved stock is released"),
        (status = 409, description = "`invalid_transition`, with `reason`: `already_paid` (ask for a refund instead), `order_closed`"),
        (status = 422, description = "`invalid_field` (`reason`)"),
    ),
    security(("session" = []), ("api_key" = ["orders:write"])))]
pub async fn cancel(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<OrderId>,
    ApiJson(body): ApiJson<ReasonInput>,
) -> ApiResult<ApiJson<Order>> {
    member.require(ApiScope::OrdersWrite)?;
    Ok(ApiJson(
        state
            .trade
            .cancel_order(&member.scope, id, &body.reason)
            .await?,
    ))
}
