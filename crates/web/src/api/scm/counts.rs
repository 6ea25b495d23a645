//! `/api/v1/scm/counts`: count sheets of one location, what was counted,
//! and posting the differences as count moves.

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use scm::{CountEntries, CountId, CountInput, CountSummary, StockCount};

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/scm/counts", tag = "scm", params(PageQuery),
    responses((status = 200, body = PageBody<CountSummary>, description = "Newest first")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<CountSummary>>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(
        state
            .scm
            .counts(&member.scope, page.to_request())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/scm/counts", tag = "scm", request_body = CountInput,
    responses(
        (status = 201, body = StockCount, description = "Open, with a line per item and lot the location holds"),
        (status = 422, description = "`invalid_field`; `reason` `unknown_location`, `not_own`, `too_many_lines` (over 5,000: count its zones or bins)")),
    security(("session" = ["owner", "admin", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn open(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<CountInput>,
) -> ApiResult<(StatusCode, ApiJson<StockCount>)> {
    member.require(ApiScope::StockWrite)?;
    Ok((
        StatusCode::CREATED,
        ApiJson(state.scm.open_count(&member.scope, &body).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/scm/counts/{count_id}", tag = "scm",
    params(("count_id" = CountId, Path)),
    responses((status = 200, body = StockCount)),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<CountId>,
) -> ApiResult<ApiJson<StockCount>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(state.scm.count(&member.scope, id).await?))
}

#[utoipa::path(put, path = "/api/v1/scm/counts/{count_id}/lines", tag = "scm",
    params(("count_id" = CountId, Path)), request_body = CountEntries,
    responses(
        (status = 200, body = StockCount, description = "Counted; an item or lot not on the sheet is added with nothing expected"),
        (status = 409, description = "`state_conflict`, `reason` `wrong_state`: posted or cancelled"),
        (status = 422, description = "`invalid_field`; `reason` `unknown_item`, `out_of_range` (1 to 500 lines; counts from 0), `too_many_lines`")),
    security(("session" = ["owner", "admin", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn enter(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<CountId>,
    ApiJson(body): ApiJson<CountEntries>,
) -> ApiResult<ApiJson<StockCount>> {
    member.require(ApiScope::StockWrite)?;
    Ok(ApiJson(
        state.scm.enter_counts(&member.scope, id, &body).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/scm/counts/{count_id}/post", tag = "scm",
    params(("count_id" = CountId, Path)),
    responses(
        (status = 200, body = StockCount, description = "Each counted line's difference from what is on hand now booked as a count move to or from the loss location"),
        (status = 409, description = "`state_conflict` (`reason` `wrong_state`), or `insufficient_stock`: a shortfall would leave less than orders hold")),
    security(("session" = ["owner", "admin", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn post(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<CountId>,
) -> ApiResult<ApiJson<StockCount>> {
    member.require(ApiScope::StockWrite)?;
    Ok(ApiJson(state.scm.post_count(&member.scope, id).await?))
}

#[utoipa::path(post, path = "/api/v1/scm/counts/{count_id}/cancel", tag = "scm",
    params(("count_id" = CountId, Path)),
    responses(
        (status = 200, body = StockCount, description = "Dropped; nothing booked"),
        (status = 409, description = "`state_conflict`, `reason` `wrong_state`")),
    security(("session" = ["owner", "admin", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn cancel(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<CountId>,
) -> ApiResult<ApiJson<StockCount>> {
    member.require(ApiScope::StockWrite)?;
    Ok(ApiJson(state.scm.cancel_count(&member.scope, id).await?))
}
