//! The buyer's money: paying a confirmed order into escrow, and confirming
//! receipt, which releases the escrow to the seller less the operator's fee.
//! Both move money, so both require an `Idempotency-Key`.

use axum::extract::State;
use identity::ApiScope;
use trade::{Order, OrderId};

use crate::error::ApiResult;
use crate::extract::{ApiJson, IdPath, Member};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/orders/{order_id}/pay", tag = "orders",
    params(("order_id" = OrderId, Path)),
    responses(
        (status = 200, body = Order, description = "Paid: the total is held in escrow from the buyer's wallet"),
        (status = 409, description = "`insufficient_funds`: the wallet holds less than the total; \
            `escrow_closed`; or `invalid_transition`, with `reason`: `buyer_only`, `already_paid`, \
            `not_confirmed` (the seller has not confirmed yet), `order_closed`"),
    ),
    security(("session" = []), ("api_key" = ["orders:write"])))]
pub async fn pay(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<OrderId>,
) -> ApiResult<ApiJson<Order>> {
    member.require(ApiScope::OrdersWrite)?;
    Ok(ApiJson(state.trade.pay_order(&member.scope, id).await?))
}

#[utoipa::path(post, path = "/api/v1/orders/{order_id}/confirm-receipt", tag = "orders",
    params(("order_id" = OrderId, Path)),
    responses(
        (status = 200, body = Order, description = "Settled: the escrow went to the seller, less the operator's fee"),
        (status = 409, description = "`escrow_closed`, or `invalid_transition`, with `reason`: `buyer_only`, \
            `claim_open` (a refund or dispute decides), or where the order is: `not_confirmed`, `not_paid`, \
            `not_shipped`, `order_closed`"),
    ),
    security(("session" = []), ("api_key" = ["orders:write"])))]
pub async fn confirm_receipt(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<OrderId>,
) -> ApiResult<ApiJson<Order>> {
    member.require(ApiScope::OrdersWrite)?;
    Ok(ApiJson(
        state.trade.confirm_receipt(&member.scope, id).await?,
    ))
}
