//! Storefronts and published products, for anyone (`/api/v1/storefronts`,
//! `/api/v1/products`), and the company's own storefront (`/api/v1/storefront`).

use axum::extract::State;
use identity::ApiScope;
use kernel::CompanyId;
use market::{Product, ProductId, Storefront, StorefrontInput};
use serde::Serialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/storefronts/{company_id}", tag = "market",
    params(("company_id" = CompanyId, Path)),
    responses((status = 200, body = Storefront)))]
pub async fn show(
    State(state): State<AppState>,
    IdPath(company_id): IdPath<CompanyId>,
) -> ApiResult<ApiJson<Storefront>> {
    Ok(ApiJson(state.market.storefront(company_id).await?))
}

#[utoipa::path(get, path = "/api/v1/storefronts/{company_id}/products", tag = "market",
    params(("company_id" = CompanyId, Path), PageQuery),
    responses((status = 200, body = PageBody<Product>)))]
pub async fn products(
    State(state): State<AppState>,
    IdPath(company_id): IdPath<CompanyId>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<ApiJson<PageBody<Product>>> {
    let page = query.to_request();
    Ok(ApiJson(
        state
            .market
            .published_products_of(company_id, page)
            .await?
            .into(),
    ))
}

/// A published product with the supplier it comes from.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProductPage {
    pub product: Product,
    pub supplier: Storefront,
}

#[utoipa::path(get, path = "/api/v1/products/{product_id}", tag = "market",
    params(("product_id" = ProductId, Path)),
    responses((status = 200, body = ProductPage), (status = 404, description = "Unknown, draft or unlisted")))]
pub async fn product(
    State(state): State<AppState>,
    IdPath(id): IdPath<ProductId>,
) -> ApiResult<ApiJson<ProductPage>> {
    let product = state.market.published_product(id).await?;
    let supplier = state.market.storefront(product.company_id).await?;
    Ok(ApiJson(ProductPage { product, supplier }))
}

#[utoipa::path(get, path = "/api/v1/storefront", tag = "market",
    responses((status = 200, body = Storefront)),
    security(("session" = []), ("api_key" = ["catalog:read"])))]
pub async fn own(State(state): State<AppState>, member: Member) -> ApiResult<ApiJson<Storefront>> {
    member.require(ApiScope::CatalogRead)?;
    Ok(ApiJson(
        state.market.storefront(member.scope.company_id()).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/storefront", tag = "market", request_body = StorefrontInput,
    responses((status = 200, body = Storefront), (status = 422, description = "`invalid_field`")),
    security(("session" = []), ("api_key" = ["catalog:write"])))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<StorefrontInput>,
) -> ApiResult<ApiJson<Storefront>> {
    member.require(ApiScope::CatalogWrite)?;
    Ok(ApiJson(
        state.market.update_storefront(&member.scope, &body).await?,
    ))
}
