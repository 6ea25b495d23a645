//! `/api/v1/books/accounts`: the chart of accounts, the member's own
//! accounts, renaming and deactivating.

use axum::extract::State;
use axum::http::StatusCode;
use books::{Account, AccountChange, AccountId, AccountInput};
use identity::ApiScope;

use crate::error::ApiResult;
use crate::extract::{ApiJson, IdPath, Member};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/books/accounts", tag = "books",
    responses((status = 200, body = Vec<Account>, description = "By code, at most 2,000")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
) -> ApiResult<ApiJson<Vec<Account>>> {
    member.require(ApiScope::BooksRead)?;
    Ok(ApiJson(state.books.accounts(&member.scope).await?))
}

#[utoipa::path(post, path = "/api/v1/books/accounts", tag = "books", request_body = AccountInput,
    responses(
        (status = 201, body = Account),
        (status = 422, description = "`invalid_field`; `reason` `taken`: another account has the code")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<AccountInput>,
) -> ApiResult<(StatusCode, ApiJson<Account>)> {
    member.require(ApiScope::BooksWrite)?;
    Ok((
        StatusCode::CREATED,
        ApiJson(state.books.add_account(&member.scope, &body).await?),
    ))
}

#[utoipa::path(patch, path = "/api/v1/books/accounts/{account_id}", tag = "books",
    params(("account_id" = AccountId, Path)), request_body = AccountChange,
    responses(
        (status = 200, body = Account),
        (status = 422, description = "`invalid_field`; `reason` `account_has_balance` or `account_in_use`: such an account stays active")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<AccountId>,
    ApiJson(body): ApiJson<AccountChange>,
) -> ApiResult<ApiJson<Account>> {
    member.require(ApiScope::BooksWrite)?;
    Ok(ApiJson(
        state.books.change_account(&member.scope, id, &body).await?,
    ))
}
