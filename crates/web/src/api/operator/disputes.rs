//! The operator's disputes: the queue, an order read whole (timeline,
//! tracking, refunds), and the decision, which divides the escrow and closes
//! the order. The decision moves money, so it requires an `Idempotency-Key`.

use axum::extract::State;
use serde::Deserialize;
use trade::{DecisionInput, Dispute, DisputeId, OrderDetail, OrderId};

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, OperatorUser};
use crate::pagination::{Cursor, PageBody, PageLimit, PageQuery};
use crate::state::AppState;

/// Which disputes: those waiting for a decision, or those decided.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisputeStatus {
    #[default]
    Open,
    Resolved,
}

impl DisputeStatus {
    fn as_str(self) -> &'static str {
        match self {
            DisputeStatus::Open => "open",
            DisputeStatus::Resolved => "resolved",
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DisputeQuery {
    /// `open` (the default) or `resolved`.
    #[param(inline)]
    pub status: Option<DisputeStatus>,
    /// How many items, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
}

#[utoipa::path(get, path = "/api/v1/operator/disputes", tag = "operator", params(DisputeQuery),
    responses((status = 200, body = PageBody<Dispute>, description = "Oldest first")),
    security(("session" = ["operator"])))]
pub async fn list(
    State(state): State<AppState>,
    _operator: OperatorUser,
    ApiQuery(query): ApiQuery<DisputeQuery>,
) -> ApiResult<ApiJson<PageBody<Dispute>>> {
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .to_request();
    let status = query.status.unwrap_or_default().as_str();
    Ok(ApiJson(state.trade.disputes(status, page).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/operator/orders/{order_id}", tag = "operator",
    params(("order_id" = OrderId, Path)),
    responses((status = 200, body = OrderDetail,
        description = "Any order, whole; `allowed_actions` is `resolve_dispute` while its dispute is open")),
    security(("session" = ["operator"])))]
pub async fn order(
    State(state): State<AppState>,
    _operator: OperatorUser,
    IdPath(id): IdPath<OrderId>,
) -> ApiResult<ApiJson<OrderDetail>> {
    Ok(ApiJson(state.trade.order_detail_for_operator(id).await?))
}

#[utoipa::path(post, path = "/api/v1/operator/disputes/{dispute_id}/resolve", tag = "operator",
    params(("dispute_id" = DisputeId, Path)), request_body = DecisionInput,
    responses(
        (status = 200, body = Dispute, description = "Decided: the escrow is divided and the order closed"),
        (status = 409, description = "`escrow_closed`, or `invalid_transition`, with `reason` `dispute_resolved`"),
        (status = 422, description = "`invalid_field`: `to_buyer_minor` (`exceeds_paid`), `decision` (`required`)"),
    ),
    security(("session" = ["operator"])))]
pub async fn resolve(
    State(state): State<AppState>,
    OperatorUser(operator): OperatorUser,
    IdPath(id): IdPath<DisputeId>,
    ApiJson(body): ApiJson<DecisionInput>,
) -> ApiResult<ApiJson<Dispute>> {
    Ok(ApiJson(
        state.trade.resolve_dispute(operator.id, id, &body).await?,
    ))
}
