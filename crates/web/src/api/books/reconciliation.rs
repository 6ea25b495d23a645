//! The reconciliation, the point of one system: the wallet account in the
//! books against the wallet in the ledger, the escrow advances against the
//! escrow held; for a member and, for the operator, across all members.

use axum::extract::State;
use books::Reconciliation;
use identity::ApiScope;

use crate::error::ApiResult;
use crate::extract::{ApiJson, Member, OperatorUser};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/books/reconciliation", tag = "books",
    responses((status = 200, body = Reconciliation, description = "Per currency; `all_match` when every line agrees")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
) -> ApiResult<ApiJson<Reconciliation>> {
    member.require(ApiScope::BooksRead)?;
    Ok(ApiJson(state.books.reconciliation(&member.scope).await?))
}

#[utoipa::path(get, path = "/api/v1/operator/books/reconciliation", tag = "operator",
    responses((status = 200, body = Reconciliation, description = "Every member's books against the ledger, the first 500 companies")),
    security(("session" = ["operator"])))]
pub async fn network(
    State(state): State<AppState>,
    _operator: OperatorUser,
) -> ApiResult<ApiJson<Reconciliation>> {
    Ok(ApiJson(state.books.reconciliation_of_network().await?))
}
