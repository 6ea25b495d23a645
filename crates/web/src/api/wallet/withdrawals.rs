//! `/api/v1/wallet/withdrawals`: paying money out to a registered bank account.

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use kernel::Money;
use pay::{BankAccountId, Withdrawal};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Member};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWithdrawal {
    pub bank_account_id: BankAccountId,
    /// In the bank account's currency.
    pub amount: Money,
}

#[utoipa::path(post, path = "/api/v1/wallet/withdrawals", tag = "wallet", request_body = NewWithdrawal,
    responses(
        (status = 201, description = "Reserved; paid out when the bank completes it", body = Withdrawal),
        (status = 404, description = "No such bank account"),
        (status = 409, description = "`insufficient_funds` or `no_payment_provider`"),
        (status = 422, description = "`invalid_field` or `currency_mismatch`"),
    ), security(("session" = []), ("api_key" = ["wallet:write"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<NewWithdrawal>,
) -> ApiResult<(StatusCode, ApiJson<Withdrawal>)> {
    member.require(ApiScope::WalletWrite)?;
    let withdrawal = state
        .pay
        .start_withdrawal(&member.scope, body.bank_account_id, body.amount)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(withdrawal)))
}

#[utoipa::path(get, path = "/api/v1/wallet/withdrawals", tag = "wallet", params(PageQuery),
    responses((status = 200, body = PageBody<Withdrawal>)),
    security(("session" = []), ("api_key" = ["wallet:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<Withdrawal>>> {
    member.require(ApiScope::WalletRead)?;
    Ok(ApiJson(
        state
            .pay
            .withdrawals(&member.scope, query.to_request())
            .await?
            .into(),
    ))
}
