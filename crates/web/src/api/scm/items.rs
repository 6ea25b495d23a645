//! `/api/v1/scm/items`: what the company stocks, where each item is, and
//! where it was before a day.

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use scm::{Item, ItemId, ItemInput, ItemUpdate, StockAtDate, StockLine, SupplierPrice};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/scm/items", tag = "scm", params(PageQuery),
    responses((status = 200, body = PageBody<Item>, description = "Oldest first")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<Item>>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(
        state
            .scm
            .items(&member.scope, page.to_request())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/scm/items", tag = "scm", request_body = ItemInput,
    responses(
        (status = 201, body = Item),
        (status = 409, description = "`state_conflict`, `reason` `too_many_items`: at most 100,000"),
        (status = 422, description = "`invalid_field`; `reason` `taken`: another item has the SKU")),
    security(("session" = ["owner", "admin", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<ItemInput>,
) -> ApiResult<(StatusCode, ApiJson<Item>)> {
    member.require(ApiScope::StockWrite)?;
    Ok((
        StatusCode::CREATED,
        ApiJson(state.scm.create_item(&member.scope, &body).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/scm/items/{item_id}", tag = "scm",
    params(("item_id" = ItemId, Path)),
    responses((status = 200, body = Item, description = "With its stock in all own locations and its value")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<ItemId>,
) -> ApiResult<ApiJson<Item>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(state.scm.item(&member.scope, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/scm/items/{item_id}", tag = "scm",
    params(("item_id" = ItemId, Path)), request_body = ItemUpdate,
    responses(
        (status = 200, body = Item, description = "Only the fields given change; a reorder point schedules the daily replenishment"),
        (status = 422, description = "`invalid_field`")),
    security(("session" = ["owner", "admin", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<ItemId>,
    ApiJson(body): ApiJson<ItemUpdate>,
) -> ApiResult<ApiJson<Item>> {
    member.require(ApiScope::StockWrite)?;
    Ok(ApiJson(
        state.scm.update_item(&member.scope, id, &body).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/scm/items/{item_id}/suppliers", tag = "scm",
    params(("item_id" = ItemId, Path)),
    responses((status = 200, body = Vec<SupplierPrice>, description = "Every supplier's price, quickest first, then cheapest; at most 100")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn suppliers(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<ItemId>,
) -> ApiResult<ApiJson<Vec<SupplierPrice>>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(state.scm.item_suppliers(&member.scope, id).await?))
}

#[utoipa::path(get, path = "/api/v1/scm/items/{item_id}/stock", tag = "scm",
    params(("item_id" = ItemId, Path)),
    responses((status = 200, body = Vec<StockLine>, description = "Per own location and lot, in the base unit")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn stock(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<ItemId>,
) -> ApiResult<ApiJson<Vec<StockLine>>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(state.scm.stock_of_item(&member.scope, id).await?))
}

/// The day whose start the stock is read at.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BeforeQuery {
    /// What every move before this day left, `YYYY-MM-DD`; now when left out.
    #[param(format = Date)]
    pub before: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/scm/items/{item_id}/stock-history", tag = "scm",
    params(("item_id" = ItemId, Path), BeforeQuery),
    responses((status = 200, body = StockAtDate, description = "Per own location, the sum of the moves")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn stock_before(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<ItemId>,
    ApiQuery(query): ApiQuery<BeforeQuery>,
) -> ApiResult<ApiJson<StockAtDate>> {
    member.require(ApiScope::StockRead)?;
    let at =
        super::before_day("before", query.before.as_deref())?.unwrap_or_else(|| state.clock.now());
    Ok(ApiJson(state.scm.stock_at(&member.scope, id, at).await?))
}
