//! `GET /api/v1/orders/{order_id}`: one order of the company's, whole, with
//! the steps the caller may take now.

use axum::extract::State;
use identity::ApiScope;
use trade::{OrderDetail, OrderId};

use crate::error::ApiResult;
use crate::extract::{ApiJson, IdPath, Member};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/orders/{order_id}", tag = "orders",
    params(("order_id" = OrderId, Path)),
    responses((status = 200, body = OrderDetail,
        description = "The order with its timeline, shipment, refunds, dispute and `allowed_actions` for the caller's side and role")),
    security(("session" = []), ("api_key" = ["orders:read"])))]
pub async fn handler(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<OrderId>,
) -> ApiResult<ApiJson<OrderDetail>> {
    member.require(ApiScope::OrdersRead)?;
    let mut detail = state.trade.order_detail(&member.scope, id).await?;
    // A key that may only read can take none of the steps its role allows.
    if member.require(ApiScope::OrdersWrite).is_err() {
        detail.allowed_actions.clear();
    }
    Ok(ApiJson(detail))
}
