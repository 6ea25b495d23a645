//! Buying requests: the public board (`/api/v1/rfqs`), and the company's own
//! requests and the ones it was told about (`/api/v1/sourcing/...`).

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use market::{CategoryId, PublicRfq, Quotation, Rfq, RfqId, RfqInput};
use serde::{Deserialize, Serialize};

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member};
use crate::pagination::{Cursor, PageBody, PageLimit, PageQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BoardQuery {
    /// A category id (`cat_…`): requests in it or below it.
    #[param(inline)]
    pub category: Option<CategoryId>,
    /// How many items, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
}

#[utoipa::path(get, path = "/api/v1/rfqs", tag = "market", params(BoardQuery),
    responses((status = 200, body = PageBody<PublicRfq>, description = "Open requests, newest first; buyers named only when they allow it")))]
pub async fn board(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<BoardQuery>,
) -> ApiResult<ApiJson<PageBody<PublicRfq>>> {
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .to_request();
    Ok(ApiJson(
        state.market.rfq_board(query.category, page).await?.into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/rfqs/{rfq_id}", tag = "market",
    params(("rfq_id" = RfqId, Path)),
    responses((status = 200, body = PublicRfq)))]
pub async fn public(
    State(state): State<AppState>,
    IdPath(id): IdPath<RfqId>,
) -> ApiResult<ApiJson<PublicRfq>> {
    Ok(ApiJson(state.market.public_rfq(id).await?))
}

#[utoipa::path(post, path = "/api/v1/sourcing/rfqs", tag = "market", request_body = RfqInput,
    responses((status = 201, body = Rfq), (status = 422, description = "`invalid_field`")),
    security(("session" = []), ("api_key" = ["sourcing:write"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<RfqInput>,
) -> ApiResult<(StatusCode, ApiJson<Rfq>)> {
    member.require(ApiScope::SourcingWrite)?;
    let rfq = state.market.post_rfq(&member.scope, &body).await?;
    Ok((StatusCode::CREATED, ApiJson(rfq)))
}

#[utoipa::path(get, path = "/api/v1/sourcing/rfqs", tag = "market", params(PageQuery),
    responses((status = 200, body = PageBody<Rfq>)),
    security(("session" = []), ("api_key" = ["sourcing:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<Rfq>>> {
    member.require(ApiScope::SourcingRead)?;
    let page = query.to_request();
    Ok(ApiJson(
        state.market.own_rfqs(&member.scope, page).await?.into(),
    ))
}

/// One of the company's requests with its quotations, cheapest total first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RfqWithQuotations {
    pub rfq: Rfq,
    pub quotations: Vec<Quotation>,
}

#[utoipa::path(get, path = "/api/v1/sourcing/rfqs/{rfq_id}", tag = "market",
    params(("rfq_id" = RfqId, Path)),
    responses((status = 200, body = RfqWithQuotations)),
    security(("session" = []), ("api_key" = ["sourcing:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<RfqId>,
) -> ApiResult<ApiJson<RfqWithQuotations>> {
    member.require(ApiScope::SourcingRead)?;
    let (rfq, quotations) = state.market.quotations_for_rfq(&member.scope, id).await?;
    Ok(ApiJson(RfqWithQuotations { rfq, quotations }))
}

#[utoipa::path(post, path = "/api/v1/sourcing/rfqs/{rfq_id}/close", tag = "market",
    params(("rfq_id" = RfqId, Path)),
    responses((status = 200, body = Rfq), (status = 409, description = "`state_conflict`")),
    security(("session" = []), ("api_key" = ["sourcing:write"])))]
pub async fn close(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<RfqId>,
) -> ApiResult<ApiJson<Rfq>> {
    member.require(ApiScope::SourcingWrite)?;
    Ok(ApiJson(state.market.close_rfq(&member.scope, id).await?))
}

#[utoipa::path(get, path = "/api/v1/sourcing/matched-rfqs", tag = "market", params(PageQuery),
    responses((status = 200, body = PageBody<PublicRfq>, description = "Open requests in categories the company sells in")),
    security(("session" = []), ("api_key" = ["sourcing:read"])))]
pub async fn matched(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<PublicRfq>>> {
    member.require(ApiScope::SourcingRead)?;
    let page = query.to_request();
    Ok(ApiJson(
        state.market.matched_rfqs(&member.scope, page).await?.into(),
    ))
}
