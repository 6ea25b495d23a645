//! `/api/v1/scm/product-links`: market products whose available quantity is
//! an item's free stock in a warehouse.

use axum::extract::State;
use axum::http::StatusCode;
use identity::ApiScope;
use market::ProductId;
use scm::{LinkInput, ProductLink};

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/scm/product-links", tag = "scm", params(PageQuery),
    responses((status = 200, body = PageBody<ProductLink>, description = "By product, with what the market shows as available")),
    security(("session" = ["owner", "admin", "warehouse", "purchasing", "sales", "finance", "viewer"]), ("api_key" = ["stock:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<ProductLink>>> {
    member.require(ApiScope::StockRead)?;
    Ok(ApiJson(
        state
            .scm
            .product_links(&member.scope, page.to_request())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/scm/product-links", tag = "scm", request_body = LinkInput,
    responses(
        (status = 201, body = ProductLink, description = "Linked (or moved to another item or warehouse)"),
        (status = 422, description = "`invalid_field`; `reason` `unknown_product`, `unknown_item`, `no_unit_conversion` or `not_a_warehouse`")),
    security(("session" = ["owner", "admin", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<LinkInput>,
) -> ApiResult<(StatusCode, ApiJson<ProductLink>)> {
    member.require(ApiScope::StockWrite)?;
    Ok((
        StatusCode::CREATED,
        ApiJson(state.scm.link_product(&member.scope, &body).await?),
    ))
}

#[utoipa::path(delete, path = "/api/v1/scm/product-links/{product_id}", tag = "scm",
    params(("product_id" = ProductId, Path)),
    responses((status = 204, description = "The product keeps its own market quantity again")),
    security(("session" = ["owner", "admin", "warehouse"]), ("api_key" = ["stock:write"])))]
pub async fn remove(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<ProductId>,
) -> ApiResult<StatusCode> {
    member.require(ApiScope::StockWrite)?;
    state.scm.unlink_product(&member.scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
