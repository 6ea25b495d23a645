//! The seller's answer to a placed order: confirm it (final prices, the
//! shipping fee, a note) or decline it.

use axum::extract::State;
use identity::ApiScope;
use trade::{ConfirmInput, Order, OrderId};

use super::ReasonInput;
use crate::error::ApiResult;
use crate::extract::{ApiJson, IdPath, Member};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/orders/{order_id}/confirm", tag = "orders",
    params(("order_id" = OrderId, Path)), request_body = ConfirmInput,
    responses(
        (status = 200, body = Order, description = "Confirmed, waiting for the buyer's payment"),
        (status = 409, description = "`invalid_transition`, with `reason`: `seller_only`, or where the order is: \
            `not_paid` (confirmed already), `not_shipped`, `already_shipped`, `already_delivered`, `already_completed`, `order_closed`"),
        (status = 422, description = "`invalid_field`: `shipping_fee_minor` or `prices[i].unit_price_minor` `out_of_range`, \
            `prices[i].line_no` `unknown_line`, `note`"),
    ),
    security(("session" = []), ("api_key" = ["orders:write"])))]
pub async fn confirm(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<OrderId>,
    ApiJson(body): ApiJson<ConfirmInput>,
) -> ApiResult<ApiJson<Order>> {
    member.require(ApiScope::OrdersWrite)?;
    Ok(ApiJson(
        state.trade.confirm_order(&member.scope, id, &body).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/orders/{order_id}/decline", tag = "orders",
    params(("order_id" = OrderId, Path)), request_body = ReasonInput,
    responses(
        (status = 200, body = Order, description = "Declined; the reserved stock is released"),
        (status = 409, description = "`invalid_transition`, with `reason`: `seller_only`, or where the order is: \
            `not_paid` (confirmed already), `not_shipped`, `already_shipped`, `already_delivered`, `already_completed`, `order_closed`"),
        (status = 422, description = "`invalid_field` (`reason`)"),
    ),
    security(("session" = []), ("api_key" = ["orders:write"])))]
pub async fn decline(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<OrderId>,
    ApiJson(body): ApiJson<ReasonInput>,
) -> ApiResult<ApiJson<Order>> {
    member.require(ApiScope::OrdersWrite)?;
    Ok(ApiJson(
        state
            .trade
            .decline_order(&member.scope, id, &body.reason)
            .await?,
    ))
}
