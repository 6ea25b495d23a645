//! The operator's terms of trade: the fee and the order timers' periods
//! (`policy`), and the fee of each top category that has its own.

use axum::extract::State;
use axum::http::StatusCode;
use market::CategoryId;
use serde::Deserialize;
use trade::{CategoryFee, TradePolicy};

use crate::error::ApiResult;
use crate::extract::{ApiJson, IdPath, OperatorUser};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/operator/trade/policy", tag = "operator",
    responses((status = 200, body = TradePolicy)), security(("session" = ["operator"])))]
pub async fn policy(
    State(state): State<AppState>,
    _operator: OperatorUser,
) -> ApiResult<ApiJson<TradePolicy>> {
    Ok(ApiJson(state.trade.policy().await?))
}

#[utoipa::path(put, path = "/api/v1/operator/trade/policy", tag = "operator", request_body = TradePolicy,
    responses((status = 200, body = TradePolicy, description = "Set; orders already placed keep their fee rate"),
        (status = 422, description = "`invalid_field` (`out_of_range`): a fee of 0 to 3000 basis points, periods of at least 1 and at most a year")),
    security(("session" = ["operator"])))]
pub async fn set_policy(
    State(state): State<AppState>,
    _operator: OperatorUser,
    ApiJson(body): ApiJson<TradePolicy>,
) -> ApiResult<ApiJson<TradePolicy>> {
    Ok(ApiJson(state.trade.set_policy(&body).await?))
}

#[utoipa::path(get, path = "/api/v1/operator/trade/category-fees", tag = "operator",
    responses((status = 200, body = Vec<CategoryFee>, description = "The top categories with a fee of their own")),
    security(("session" = ["operator"])))]
pub async fn category_fees(
    State(state): State<AppState>,
    _operator: OperatorUser,
) -> ApiResult<ApiJson<Vec<CategoryFee>>> {
    Ok(ApiJson(state.trade.category_fees().await?))
}

/// A top category's own fee.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeeInput {
    /// 0 to 3000 basis points.
    pub fee_bp: i64,
}

#[utoipa::path(put, path = "/api/v1/operator/trade/category-fees/{category_id}", tag = "operator",
    params(("category_id" = CategoryId, Path)), request_body = FeeInput,
    responses((status = 200, body = CategoryFee, description = "Set; orders already placed keep their fee rate"),
        (status = 422, description = "`invalid_field`: `category_id` (`not_top_category`), `fee_bp` (`out_of_range`)")),
    security(("session" = ["operator"])))]
pub async fn set_category_fee(
    State(state): State<AppState>,
    _operator: OperatorUser,
    IdPath(category_id): IdPath<CategoryId>,
    ApiJson(body): ApiJson<FeeInput>,
) -> ApiResult<ApiJson<CategoryFee>> {
    state
        .trade
        .set_category_fee(category_id, Some(body.fee_bp))
        .await?;
    Ok(ApiJson(CategoryFee {
        category_id,
        fee_bp: body.fee_bp,
    }))
}

#[utoipa::path(delete, path = "/api/v1/operator/trade/category-fees/{category_id}", tag = "operator",
    params(("category_id" = CategoryId, Path)),
    responses((status = 204, description = "The category pays the network's default fee again"),
        (status = 422, description = "`invalid_field`: `category_id` (`not_top_category`)")),
    security(("session" = ["operator"])))]
pub async fn remove_category_fee(
    State(state): State<AppState>,
    _operator: OperatorUser,
    IdPath(category_id): IdPath<CategoryId>,
) -> ApiResult<StatusCode> {
    state.trade.set_category_fee(category_id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
