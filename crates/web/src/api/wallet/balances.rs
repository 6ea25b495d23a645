//! `GET /api/v1/wallet/balances`: available and reserved money per currency.

use axum::extract::State;
use identity::ApiScope;
use pay::WalletBalance;

use crate::error::ApiResult;
use crate::extract::{ApiJson, Member};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/wallet/balances", tag = "wallet",
    responses((status = 200, body = Vec<WalletBalance>)),
    security(("session" = []), ("api_key" = ["wallet:read"])))]
pub async fn handler(
    State(state): State<AppState>,
    member: Member,
) -> ApiResult<ApiJson<Vec<WalletBalance>>> {
    member.require(ApiScope::WalletRead)?;
    Ok(ApiJson(state.pay.balances(&member.scope).await?))
}
