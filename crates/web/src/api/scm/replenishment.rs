//! `/api/v1/scm/replenishment`: what the daily replenishment proposed, and
//! running it now.

use axum::extract::State;
use identity::ApiScope;
use scm::Proposal;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Member};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/scm/replenishment", tag = "scm", params(PageQuery),
    responses((status = 200, body = PageBody<Proposal>, description = "Newest first; kept 90 days")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<Proposal>>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(
        state
            .scm
            .proposals(&member.scope, page.to_request())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/scm/replenishment/run", tag = "scm",
    responses((status = 200, body = Vec<Proposal>, description = "What this run proposed: draft purchase orders or buying requests for items at or under their reorder point, as the settings say; empty when nothing is short")),
    security(("session" = ["owner", "admin", "purchasing"]), ("api_key" = ["stock:write"])))]
pub async fn run(
    State(state): State<AppState>,
    member: Member,
) -> ApiResult<ApiJson<Vec<Proposal>>> {
    member.require(ApiScope::StockWrite)?;
    Ok(ApiJson(state.scm.replenish_now(&member.scope).await?))
}
