//! Refunds: the buyer asks for money back (`/refunds`), the seller answers
//! (`/refunds/{refund_id}/answer`) and, when the goods come back, confirms
//! their return (`/refunds/{refund_id}/return-received`). The two seller
//! steps can move money, so they require an `Idempotency-Key`.

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use serde::Deserialize;
use trade::{Order, OrderId, Refund, RefundId, RefundInput};

use crate::error::ApiResult;
use crate::extract::{ApiJson, IdPath, Member};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/orders/{order_id}/refunds", tag = "orders",
    params(("order_id" = OrderId, Path)), request_body = RefundInput,
    responses(
        (status = 201, body = Refund, description = "Requested; the seller answers within the operator's period"),
        (status = 409, description = "`invalid_transition`, with `reason`: `buyer_only`, `claim_open`, \
            `not_paid` (nothing was paid: cancel instead), `already_completed`, `order_closed`"),
        (status = 422, description = "`invalid_field`: `amount_minor` (`exceeds_paid`: more than was paid, \
            `partial_before_shipping`), `with_return` (`not_shipped`), `reason` (`required`)"),
    ),
    security(("session" = []), ("api_key" = ["orders:write"])))]
pub async fn request(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<OrderId>,
    ApiJson(body): ApiJson<RefundInput>,
) -> ApiResult<(StatusCode, ApiJson<Refund>)> {
    member.require(ApiScope::OrdersWrite)?;
    let refund = state.trade.request_refund(&member.scope, id, &body).await?;
    Ok((StatusCode::CREATED, ApiJson(refund)))
}

/// The seller's answer to a refund request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundAnswer {
    /// Accepted without a return, the money goes back now; with a return,
    /// once the goods are back.
    pub accept: bool,
    /// Required when refusing: why.
    #[serde(default)]
    pub answer: String,
}

#[utoipa::path(post, path = "/api/v1/orders/{order_id}/refunds/{refund_id}/answer", tag = "orders",
    params(("order_id" = OrderId, Path), ("refund_id" = RefundId, Path)), request_body = RefundAnswer,
    responses(
        (status = 200, body = Order, description = "The order after the answer: refunded or settled when accepted \
            without a return, otherwise as it was (the refund's status is in the order's detail)"),
        (status = 409, description = "`invalid_transition`, with `reason`: `seller_only`, `refund_answered`, `order_closed`"),
        (status = 422, description = "`invalid_field`: `answer` (`required` when refusing)"),
    ),
    security(("session" = []), ("api_key" = ["orders:write"])))]
pub async fn answer(
    State(state): State<AppState>,
    member: Member,
    IdPath((id, refund_id)): IdPath<(OrderId, RefundId)>,
    ApiJson(body): ApiJson<RefundAnswer>,
) -> ApiResult<ApiJson<Order>> {
    member.require(ApiScope::OrdersWrite)?;
    state
        .trade
        .answer_refund(&member.scope, id, refund_id, body.accept, &body.answer)
        .await?;
    Ok(ApiJson(state.trade.order(&member.scope, id).await?))
}

#[utoipa::path(post, path = "/api/v1/orders/{order_id}/refunds/{refund_id}/return-received", tag = "orders",
    params(("order_id" = OrderId, Path), ("refund_id" = RefundId, Path)),
    responses(
        (status = 200, body = Order, description = "The goods are back in stock and the refund is paid"),
        (status = 409, description = "`invalid_transition`, with `reason`: `seller_only`, `no_return_expected`, `order_closed`"),
    ),
    security(("session" = []), ("api_key" = ["orders:write"])))]
pub async fn return_received(
    State(state): State<AppState>,
    member: Member,
    IdPath((id, refund_id)): IdPath<(OrderId, RefundId)>,
) -> ApiResult<ApiJson<Order>> {
    member.require(ApiScope::OrdersWrite)?;
    state
        .trade
        .confirm_return(&member.scope, id, refund_id)
        .await?;
    Ok(ApiJson(state.trade.order(&member.scope, id).await?))
}
