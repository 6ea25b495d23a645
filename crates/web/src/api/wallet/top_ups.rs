//! `/api/v1/wallet/top-ups`: paying money in through the provider.

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use kernel::Money;
use pay::TopUp;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Member};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTopUp {
    /// Minor units and currency, e.g. `{"minor": 50000, "currency": "CNY"}` for ¥500.00.
    pub amount: Money,
}

#[utoipa::path(post, path = "/api/v1/wallet/top-ups", tag = "wallet", request_body = NewTopUp,
    responses(
        (status = 201, description = "Started; the wallet is credited when the bank confirms", body = TopUp),
        (status = 409, description = "`no_payment_provider`"),
        (status = 422, description = "`invalid_field` (amount)"),
    ), security(("session" = []), ("api_key" = ["wallet:write"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<NewTopUp>,
) -> ApiResult<(StatusCode, ApiJson<TopUp>)> {
    member.require(ApiScope::WalletWrite)?;
    Ok((
        StatusCode::CREATED,
        ApiJson(state.pay.start_top_up(&member.scope, body.amount).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/wallet/top-ups", tag = "wallet", params(PageQuery),
    responses((status = 200, body = PageBody<TopUp>)),
    security(("session" = []), ("api_key" = ["wallet:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<TopUp>>> {
    member.require(ApiScope::WalletRead)?;
    Ok(ApiJson(
        state
            .pay
            .top_ups(&member.scope, query.to_request())
            .await?
            .into(),
    ))
}
