//! `/api/v1/scm/moves`: every quantity that moved, and moves by hand.

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use scm::{ItemId, LocationId, MoveInput, StockMove};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Member};
use crate::pagination::{Cursor, PageBody, PageLimit, PageQuery};
use crate::state::AppState;

/// Which moves: of an item, touching a location; a page of them.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MoveQuery {
    #[param(inline)]
    pub item_id: Option<ItemId>,
    /// Moves from or to this location.
    #[param(inline)]
    pub location_id: Option<LocationId>,
    /// How many items, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
}

#[utoipa::path(get, path = "/api/v1/scm/moves", tag = "scm", params(MoveQuery),
    responses((status = 200, body = PageBody<StockMove>, description = "Newest first")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<MoveQuery>,
) -> ApiResult<ApiJson<PageBody<StockMove>>> {
    member.require(ApiScope::StockRead)?;
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .to_request();
    Ok(ApiJson(
        state
            .scm
            .moves(&member.scope, query.item_id, query.location_id, page)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/scm/moves", tag = "scm", request_body = MoveInput,
    responses(
        (status = 201, body = StockMove, description = "Moved; valued at the receipt's price or the average cost"),
        (status = 409, description = "`insufficient_stock`: the location holds less, or the rest is reserved for orders"),
        (status = 422, description = "`invalid_field`; `reason` e.g. `unknown_location`, `no_unit_conversion`, `reason_mismatch`, `same_location`")),
    security(("session" = ["owner", "admin", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<MoveInput>,
) -> ApiResult<(StatusCode, ApiJson<StockMove>)> {
    member.require(ApiScope::StockWrite)?;
    Ok((
        StatusCode::CREATED,
        ApiJson(state.scm.move_stock(&member.scope, &body).await?),
    ))
}

/// Up to 1,000 moves made at once.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBatchInput {
    #[schema(min_items = 1, max_items = 1000)]
    pub moves: Vec<MoveInput>,
}

#[utoipa::path(post, path = "/api/v1/scm/moves/batch", tag = "scm", request_body = MoveBatchInput,
    responses(
        (status = 201, body = Vec<StockMove>, description = "All moved, in order, each checked as if after the ones before it"),
        (status = 409, description = "`insufficient_stock`, `field` `moves[i].quantity`: nothing moved"),
        (status = 422, description = "`invalid_field`, `field` `moves[i]…` or `moves` (1 to 1,000): nothing moved")),
    security(("session" = ["owner", "admin", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn batch(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<MoveBatchInput>,
) -> ApiResult<(StatusCode, ApiJson<Vec<StockMove>>)> {
    member.require(ApiScope::StockWrite)?;
    Ok((
        StatusCode::CREATED,
        ApiJson(state.scm.move_batch(&member.scope, &body.moves).await?),
    ))
}
