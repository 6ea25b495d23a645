//! The operator's hand on the market: the category tree, verification (until
//! trust takes it over) and each supplier's monthly quotation quota.

use axum::extract::State;
use axum::http::StatusCode;
use kernel::CompanyId;
use market::{Category, NewCategory, Storefront};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, IdPath, OperatorUser};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/operator/categories", tag = "operator", request_body = NewCategory,
    responses((status = 201, body = Category), (status = 422, description = "`invalid_field`")), security(("session" = ["operator"])))]
pub async fn create_category(
    State(state): State<AppState>,
    _operator: OperatorUser,
    ApiJson(body): ApiJson<NewCategory>,
) -> ApiResult<(StatusCode, ApiJson<Category>)> {
    let category = state.market.create_category(&body).await?;
    Ok((StatusCode::CREATED, ApiJson(category)))
}

/// What the operator sets on a member's storefront; absent fields stay.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarketSettings {
    pub verified: Option<bool>,
    pub quotation_quota_monthly: Option<i64>,
}

#[utoipa::path(put, path = "/api/v1/operator/companies/{company_id}/market", tag = "operator",
    params(("company_id" = CompanyId, Path)), request_body = MarketSettings,
    responses((status = 200, body = Storefront), (status = 422, description = "`invalid_field`")),
    security(("session" = ["operator"])))]
pub async fn update_settings(
    State(state): State<AppState>,
    _operator: OperatorUser,
    IdPath(company_id): IdPath<CompanyId>,
    ApiJson(body): ApiJson<MarketSettings>,
) -> ApiResult<ApiJson<Storefront>> {
    // Checked first, so an invalid quota leaves the verification unchanged.
    if let Some(quota) = body.quotation_quota_monthly {
        state.market.set_quotation_quota(company_id, quota).await?;
    }
    if let Some(verified) = body.verified {
        state.market.set_verified(company_id, verified).await?;
    }
    Ok(ApiJson(state.market.storefront(company_id).await?))
}
