//! `/api/v1/wallet/bank-accounts`: where withdrawals may go.

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use pay::{BankAccount, BankAccountId, NewBankAccount};

use crate::error::ApiResult;
use crate::extract::{ApiJson, IdPath, Member};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/wallet/bank-accounts", tag = "wallet",
    responses((status = 200, body = Vec<BankAccount>)),
    security(("session" = []), ("api_key" = ["wallet:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
) -> ApiResult<ApiJson<Vec<BankAccount>>> {
    member.require(ApiScope::WalletRead)?;
    Ok(ApiJson(state.pay.bank_accounts(&member.scope).await?))
}

#[utoipa::path(post, path = "/api/v1/wallet/bank-accounts", tag = "wallet", request_body = NewBankAccount,
    responses((status = 201, body = BankAccount), (status = 422, description = "`invalid_field`")),
    security(("session" = []), ("api_key" = ["wallet:write"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<NewBankAccount>,
) -> ApiResult<(StatusCode, ApiJson<BankAccount>)> {
    member.require(ApiScope::WalletWrite)?;
    Ok((
        StatusCode::CREATED,
        ApiJson(state.pay.add_bank_account(&member.scope, &body).await?),
    ))
}

#[utoipa::path(delete, path = "/api/v1/wallet/bank-accounts/{bank_account_id}", tag = "wallet",
    params(("bank_account_id" = BankAccountId, Path)),
    responses((status = 204)),
    security(("session" = []), ("api_key" = ["wallet:write"])))]
pub async fn remove(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<BankAccountId>,
) -> ApiResult<StatusCode> {
    member.require(ApiScope::WalletWrite)?;
    state.pay.remove_bank_account(&member.scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
