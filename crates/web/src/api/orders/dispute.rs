//! `POST /api/v1/orders/{order_id}/dispute`: after the seller refused a
//! refund, or let its time to answer run out, either side takes the order to
//! the operator.

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use serde::Deserialize;
use trade::{Dispute, OrderId};

use crate::error::ApiResult;
use crate::extract::{ApiJson, IdPath, Member};
use crate::state::AppState;

/// What went wrong, for the operator.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeInput {
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/orders/{order_id}/dispute", tag = "orders",
    params(("order_id" = OrderId, Path)), request_body = DisputeInput,
    responses(
        (status = 201, body = Dispute, description = "Opened; the operator decides how the escrow is split"),
        (status = 409, description = "`invalid_transition`, with `reason`: `refund_first` (a dispute follows a refused \
            or unanswered refund), `dispute_exists`, or where the order is: `not_confirmed`, `not_paid`, `order_closed`"),
        (status = 422, description = "`invalid_field`: `reason` (`required`)"),
    ),
    security(("session" = []), ("api_key" = ["orders:write"])))]
pub async fn open(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<OrderId>,
    ApiJson(body): ApiJson<DisputeInput>,
) -> ApiResult<(StatusCode, ApiJson<Dispute>)> {
    member.require(ApiScope::OrdersWrite)?;
    let dispute = state
        .trade
        .open_dispute(&member.scope, id, &body.reason)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(dispute)))
}
