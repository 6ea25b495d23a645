//! `/api/v1/books/periods`: the months of the books, and locking and
//! unlocking them (period close).

use axum::extract::State;
use books::period::PeriodStatus;
use identity::ApiScope;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, Member};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/books/periods", tag = "books",
    responses((status = 200, body = Vec<PeriodStatus>, description = "Newest first, at most 120 months")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
) -> ApiResult<ApiJson<Vec<PeriodStatus>>> {
    member.require(ApiScope::BooksRead)?;
    Ok(ApiJson(state.books.periods(&member.scope).await?))
}

/// A month of the books.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodInput {
    /// `YYYY-MM`.
    #[schema(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub period: String,
}

#[utoipa::path(post, path = "/api/v1/books/periods/lock", tag = "books", request_body = PeriodInput,
    responses(
        (status = 200, body = Vec<PeriodStatus>, description = "Locked: nothing posts into it any more"),
        (status = 409, description = "`state_conflict`, `reason` `drafts_open`: post or delete the period's drafts first"),
        (status = 422, description = "`invalid_field`")),
    security(("session" = ["owner", "finance"]), ("api_key" = ["books:write"])))]
pub async fn lock(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<PeriodInput>,
) -> ApiResult<ApiJson<Vec<PeriodStatus>>> {
    member.require(ApiScope::BooksWrite)?;
    state.books.lock_period(&member.scope, &body.period).await?;
    Ok(ApiJson(state.books.periods(&member.scope).await?))
}

#[utoipa::path(post, path = "/api/v1/books/periods/unlock", tag = "books", request_body = PeriodInput,
    responses(
        (status = 200, body = Vec<PeriodStatus>, description = "Open again for a correction"),
        (status = 422, description = "`invalid_field`")),
    security(("session" = ["owner", "finance"]), ("api_key" = ["books:write"])))]
pub async fn unlock(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<PeriodInput>,
) -> ApiResult<ApiJson<Vec<PeriodStatus>>> {
    member.require(ApiScope::BooksWrite)?;
    state
        .books
        .unlock_period(&member.scope, &body.period)
        .await?;
    Ok(ApiJson(state.books.periods(&member.scope).await?))
}
